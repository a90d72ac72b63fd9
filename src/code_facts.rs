//! Code sites the structural checks note in production code files (`checks::file_facts`),
//! merged over the repository. Each kind of fact is declared once, below: how it is
//! filtered by inline suppressions, merged across files (bounded, whatever order the
//! threads deliver files in) and narrowed to a monorepo app follows from its type.

use crate::finding::Finding;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many code sites of one kind are kept for the checks.
const MAX_SITES: usize = 64;

/// Declares `CodeFacts` and its per-field operations from one list. `app` facts follow
/// a monorepo app into its folder (the checks that read them judge each app by its
/// stack); `repo` facts are reported once, from the repository's root.
macro_rules! code_facts {
    ($($(#[doc = $doc:literal])* $scope:ident $name:ident: $ty:ty,)*) => {
        #[derive(Debug, Default, Clone)]
        pub struct CodeFacts {
            $($(#[doc = $doc])* pub $name: $ty,)*
        }

        impl CodeFacts {
            /// Drops the sites that `keep` rejects (an inline suppression covers them).
            pub fn retain(&mut self, keep: &dyn Fn(&Finding) -> bool) {
                $(Sites::retain(&mut self.$name, keep);)*
            }

            /// Merges the facts of one more file.
            pub fn merge(&mut self, new: CodeFacts) {
                $(Sites::merge(&mut self.$name, new.$name);)*
            }

            /// The facts under `prefix` (`api/`), with paths relative to it.
            pub fn inside(&self, prefix: &str) -> CodeFacts {
                CodeFacts {
                    $($name: code_facts!(@scope $scope, &self.$name, prefix),)*
                }
            }
        }
    };
    (@scope app, $field:expr, $prefix:expr) => { Sites::inside($field, $prefix) };
    (@scope repo, $field:expr, $prefix:expr) => { Default::default() };
}

code_facts! {
    /// Where a long-running Node server or queue worker starts (`.listen(`, `new
    /// Worker(`): the production entry point before a development one, then the first
    /// by path.
    app server_start: Option<Finding>,
    /// Whether a file handles SIGTERM (itself or through a shutdown library).
    app handles_sigterm: bool,
    /// A SIGTERM handler or server shutdown that is commented out.
    app shutdown_commented_out: Option<Finding>,
    /// A graceful shutdown wired to other signals only (Go `signal.Notify(c,
    /// syscall.SIGHUP)`, `os.Interrupt`; Node `process.on('SIGINT', ...)`).
    app shutdown_on_other_signal: Option<Finding>,
    /// Calls of system binaries: (binary name, the finding to report).
    app binary_calls: Vec<(String, Finding)>,
    /// In-process schedulers started in code.
    app schedulers: Vec<Finding>,
    /// Switches that run an app's decorated jobs (NestJS `ScheduleModule.forRoot()`,
    /// Spring `@EnableScheduling`).
    app scheduler_modules: Vec<Finding>,
    /// Decorated jobs (`@Cron`, `@Interval`, `@Scheduled`): whether the job's effects reach
    /// beyond its process (not only a refresh of its own fields), and the job's finding.
    app scheduled_jobs: Vec<(bool, Finding)>,
    /// Go functions that loop on a ticker: (name, the finding on the ticker).
    app go_loops: Vec<(String, Finding)>,
    /// Names of Go functions that a server file starts as goroutines (`go name(...)`),
    /// with that file.
    app go_spawns: BTreeMap<String, String>,
    /// Go functions that start goroutines (`go name(...)` in their body), with the names
    /// they start, comma-separated: a call to one starts those loops.
    app go_relays: BTreeMap<String, String>,
    /// Calls a Go server file makes to functions named for background work
    /// (`runScheduler(store, pool)`): (the name, the finding on the call).
    app go_starts: Vec<(String, Finding)>,
    /// Data the app code keeps in the framework's cache store (`Rails.cache.write`).
    app cache_uses: Vec<Finding>,
    /// Writes to a folder of the app reached through a name (`local-write-to-app-dir`).
    repo local_writes: Vec<Finding>,
    /// Writes whose path is an injected Spring property: (property key, finding).
    repo property_writes: Vec<(String, Finding)>,
    /// CarrierWave uploaders' `store_dir` folders, reported when storage is `:file`.
    repo uploader_dirs: Vec<Finding>,
    /// Helpers that write the app's configuration out: name → `file:line`.
    repo config_savers: BTreeMap<String, String>,
    /// Calls of such helpers: (name, finding).
    repo saver_calls: Vec<(String, Finding)>,
    /// Secret literals exported by a module: (name, finding on the literal).
    repo exported_secrets: Vec<(String, Finding)>,
    /// Names used as signing or verification keys (`jwt.sign(x, NAME)`).
    repo signing_names: BTreeSet<String>,
    /// Settings that Python code compares with a string (`settings.APP_ENV == "prod"`,
    /// `settings.ENV in (...)`): name → `file:line` of the first test.
    repo setting_tests: BTreeMap<String, String>,
}

/// How one kind of fact is filtered, merged and narrowed to an app folder.
trait Sites: Sized {
    fn retain(&mut self, _keep: &dyn Fn(&Finding) -> bool) {}
    fn merge(&mut self, new: Self);
    fn inside(&self, prefix: &str) -> Self;
}

impl Sites for bool {
    fn merge(&mut self, new: bool) {
        *self |= new;
    }

    fn inside(&self, _prefix: &str) -> bool {
        *self
    }
}

/// One site per repository: the production file before a development one, then the
/// first by position.
impl Sites for Option<Finding> {
    fn retain(&mut self, keep: &dyn Fn(&Finding) -> bool) {
        if self.as_ref().is_some_and(|f| !keep(f)) {
            *self = None;
        }
    }

    fn merge(&mut self, new: Option<Finding>) {
        fn rank(f: &Finding) -> (bool, impl Ord + '_) {
            (named_for_development(&f.file), f.sort_key())
        }
        if let Some(new) = new
            && self.as_ref().is_none_or(|kept| rank(&new) < rank(kept))
        {
            *self = Some(new);
        }
    }

    fn inside(&self, prefix: &str) -> Option<Finding> {
        self.as_ref().and_then(|f| Site::inside(f, prefix))
    }
}

/// The `MAX_SITES` first sites by position.
impl<T: Site> Sites for Vec<T> {
    fn retain(&mut self, keep: &dyn Fn(&Finding) -> bool) {
        Vec::retain(self, |site| keep(site.finding()));
    }

    fn merge(&mut self, new: Vec<T>) {
        if new.is_empty() {
            return;
        }
        self.extend(new);
        self.sort_by(|a, b| a.finding().sort_key().cmp(&b.finding().sort_key()));
        self.truncate(MAX_SITES);
    }

    fn inside(&self, prefix: &str) -> Vec<T> {
        self.iter().filter_map(|site| site.inside(prefix)).collect()
    }
}

/// Names mapped to the file (or `file:line`) that defines them: the first by path.
impl Sites for BTreeMap<String, String> {
    fn merge(&mut self, new: BTreeMap<String, String>) {
        for (name, at) in new {
            let kept = self.entry(name).or_insert_with(|| at.clone());
            if at < *kept {
                *kept = at;
            }
        }
    }

    fn inside(&self, prefix: &str) -> BTreeMap<String, String> {
        self.iter()
            .filter_map(|(name, at)| Some((name.clone(), at.strip_prefix(prefix)?.to_string())))
            .collect()
    }
}

impl Sites for BTreeSet<String> {
    fn merge(&mut self, new: BTreeSet<String>) {
        self.extend(new);
    }

    fn inside(&self, _prefix: &str) -> BTreeSet<String> {
        self.clone()
    }
}

/// An element of a list of sites: a finding, or a name with its finding.
trait Site: Sized {
    fn finding(&self) -> &Finding;
    fn inside(&self, prefix: &str) -> Option<Self>;
}

impl Site for Finding {
    fn finding(&self) -> &Finding {
        self
    }

    fn inside(&self, prefix: &str) -> Option<Finding> {
        let file = self.file.strip_prefix(prefix)?;
        Some(Finding {
            file: file.to_string(),
            ..self.clone()
        })
    }
}

impl<T: Clone> Site for (T, Finding) {
    fn finding(&self) -> &Finding {
        &self.1
    }

    fn inside(&self, prefix: &str) -> Option<Self> {
        Some((self.0.clone(), Site::inside(&self.1, prefix)?))
    }
}

/// Whether a file's name marks it as a development entry point (`dev.ts`, `server.dev.js`,
/// `local-server.js`).
fn named_for_development(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split(['.', '-', '_'])
        .any(|w| matches!(w, "dev" | "development" | "local"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;

    fn at(file: &str, line: usize) -> Finding {
        let registry = crate::rules::Registry::builtin().expect("rules load");
        let mut finding = registry
            .get("in-process-scheduler")
            .expect("rule")
            .repo_finding(file, String::new());
        finding.start = Position { line, column: 1 };
        finding
    }

    #[test]
    fn a_production_entry_point_wins_over_an_earlier_development_one() {
        let mut facts = CodeFacts::default();
        for file in ["backend/dev.ts", "backend/server.ts", "backend/app.ts"] {
            facts.merge(CodeFacts {
                server_start: Some(at(file, 1)),
                ..CodeFacts::default()
            });
        }
        assert_eq!(facts.server_start.unwrap().file, "backend/app.ts");
    }

    #[test]
    fn lists_keep_the_first_sites_by_position_whatever_the_order() {
        let mut facts = CodeFacts::default();
        for line in (1..=MAX_SITES + 10).rev() {
            facts.merge(CodeFacts {
                schedulers: vec![at("a.js", line)],
                ..CodeFacts::default()
            });
        }
        assert_eq!(facts.schedulers.len(), MAX_SITES);
        assert_eq!(facts.schedulers[0].start.line, 1);
    }

    #[test]
    fn an_app_folder_keeps_its_own_app_sites_and_no_repository_wide_ones() {
        let facts = CodeFacts {
            schedulers: vec![at("api/jobs.js", 3), at("web/cron.js", 4)],
            local_writes: vec![at("api/upload.js", 9)],
            go_spawns: BTreeMap::from([("tick".to_string(), "api/main.go".to_string())]),
            ..CodeFacts::default()
        };
        let api = facts.inside("api/");
        assert_eq!(api.schedulers.len(), 1);
        assert_eq!(api.schedulers[0].file, "jobs.js");
        assert!(api.local_writes.is_empty());
        assert_eq!(api.go_spawns["tick"], "main.go");
    }

    #[test]
    fn retain_drops_suppressed_sites() {
        let mut facts = CodeFacts {
            server_start: Some(at("a.js", 1)),
            exported_secrets: vec![("KEY".to_string(), at("a.js", 2))],
            ..CodeFacts::default()
        };
        facts.retain(&|f| f.start.line != 2);
        assert!(facts.server_start.is_some());
        assert!(facts.exported_secrets.is_empty());
    }
}
