//! Structural rules: checks that need the shape of the repository rather than a line
//! pattern. Each is declared in `rules/` like any rule (metadata, docs, examples) and
//! names its implementation here with `check = "..."`. Repository checks read the facts
//! gathered by the walk; some also note facts in each code file as it is read.

mod admin;
mod binaries;
mod build_installs;
mod build_run;
mod codebase;
mod cron;
mod daemon;
mod dependencies;
mod dependency_manifest;
mod image_env;
mod local_writes;
mod logs;
pub mod manifest;
mod port;
mod procfile;
mod scheduler;
mod settings;
mod signals;
mod source_secrets;

use crate::app::App;
use crate::app::command::{Segment, segments};
use crate::app::processes::{Kind, Origin, Process};
use crate::classify::{Language, Role};
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::keywords::Scope;
use crate::rules::{Matcher, Registry, Rule};
use crate::source::SourceFile;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// No declared way to start the web process.
    MissingProcfile,
    /// Log files committed to the repository.
    CommittedLogFile,
    EnvFileInImage,
    ImageProxyPort,
    /// A `twelve: ignore[...]` comment naming a rule that does not exist; it is run
    /// by the suppression step, which is where such comments are read.
    UnknownSuppression,
    /// A manifest (package.json, Procfile, pyproject.toml...) that does not parse; run
    /// on each file by the scan, where the file's text is at hand.
    MalformedManifest,
    NotAGitRepository,
    AppsWithoutStart,
    MissingLockfile,
    MultipleNodeLockfiles,
    PythonDependencyFiles,
    RuntimeVersionUnpinned,
    UndeclaredSystemBinary,
    InstallAtBoot,
    DevServerStart,
    ProcfileReleaseLine,
    DaemonizedStart,
    ProcessManagerStart,
    InProcessScheduler,
    ScalingoCronLimits,
    CleverCronRelativeCommand,
    NpmStartAsWeb,
    NoSigtermHandler,
    MigrateAtBoot,
    MissingDependencyManifest,
    HeavyBoot,
    LocalWriteToAppDir,
    SecretInSourceModule,
    UndeclaredBuildInstall,
    LocalBackendDefault,
    FileLogDefault,
    OriginInSettings,
    DebugInSettings,
    StartupMigrationsInSettings,
    ListenDefaultInSettings,
    DeployNamedConfig,
    ServerDefaultPort,
    OtherPortVariable,
    BrokenSignalTrap,
}

/// Root files that decide the repository-level checks other than `missing-procfile`:
/// manifests, lock files, version pins, start and cron declarations.
const DEPLOY_FILES: &[&str] = &[
    "Procfile",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
    "requirements.txt",
    "Pipfile",
    "Pipfile.lock",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "setup.py",
    ".python-version",
    "runtime.txt",
    ".nvmrc",
    ".node-version",
    ".ruby-version",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
    "go.mod",
    "go.sum",
    "pom.xml",
    "Dockerfile",
    "cron.json",
    "Aptfile",
    ".buildpacks",
];

const NAMES: &[(&str, Check)] = &[
    ("missing-procfile", Check::MissingProcfile),
    ("committed-log-file", Check::CommittedLogFile),
    ("env-file-in-image", Check::EnvFileInImage),
    ("image-proxy-port", Check::ImageProxyPort),
    ("unknown-suppression", Check::UnknownSuppression),
    ("malformed-manifest", Check::MalformedManifest),
    ("not-a-git-repository", Check::NotAGitRepository),
    ("apps-without-start", Check::AppsWithoutStart),
    ("missing-lockfile", Check::MissingLockfile),
    ("multiple-node-lockfiles", Check::MultipleNodeLockfiles),
    ("python-dependency-files", Check::PythonDependencyFiles),
    ("runtime-version-unpinned", Check::RuntimeVersionUnpinned),
    ("undeclared-system-binary", Check::UndeclaredSystemBinary),
    ("install-at-boot", Check::InstallAtBoot),
    ("dev-server-start", Check::DevServerStart),
    ("procfile-release-line", Check::ProcfileReleaseLine),
    ("daemonized-start", Check::DaemonizedStart),
    ("process-manager-start", Check::ProcessManagerStart),
    ("in-process-scheduler", Check::InProcessScheduler),
    ("scalingo-cron-limits", Check::ScalingoCronLimits),
    (
        "clever-cron-relative-command",
        Check::CleverCronRelativeCommand,
    ),
    ("npm-start-as-web", Check::NpmStartAsWeb),
    ("no-sigterm-handler", Check::NoSigtermHandler),
    ("migrate-at-boot", Check::MigrateAtBoot),
    (
        "missing-dependency-manifest",
        Check::MissingDependencyManifest,
    ),
    ("heavy-boot", Check::HeavyBoot),
    ("local-write-to-app-dir", Check::LocalWriteToAppDir),
    ("secret-in-source-module", Check::SecretInSourceModule),
    ("undeclared-build-install", Check::UndeclaredBuildInstall),
    ("local-backend-default", Check::LocalBackendDefault),
    ("file-log-default", Check::FileLogDefault),
    ("origin-in-settings", Check::OriginInSettings),
    ("debug-in-settings", Check::DebugInSettings),
    (
        "startup-migrations-in-settings",
        Check::StartupMigrationsInSettings,
    ),
    ("listen-default-in-settings", Check::ListenDefaultInSettings),
    ("deploy-named-config", Check::DeployNamedConfig),
    ("server-default-port", Check::ServerDefaultPort),
    ("other-port-variable", Check::OtherPortVariable),
    ("broken-signal-trap", Check::BrokenSignalTrap),
];

impl Check {
    pub fn from_name(name: &str) -> Option<Check> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    /// Meta checks report on twelve's own comments or on files it cannot read, not on a
    /// factor.
    pub fn is_meta(self) -> bool {
        matches!(self, Check::UnknownSuppression | Check::MalformedManifest)
    }

    /// Whether a root file's presence or contents decide this repository-level check:
    /// a change to one (pre-commit, `--diff-base`) is a reason to report it.
    pub fn watches(self, name: &str) -> bool {
        match self {
            Check::MissingProcfile => procfile::watches(name),
            Check::UnknownSuppression | Check::MalformedManifest | Check::NotAGitRepository => {
                false
            }
            // The settings files, and the manifests that declare production's environment.
            Check::LocalBackendDefault
            | Check::FileLogDefault
            | Check::OriginInSettings
            | Check::DebugInSettings
            | Check::StartupMigrationsInSettings
            | Check::ListenDefaultInSettings
            | Check::DeployNamedConfig => {
                crate::app::settings::wants(name) || DEPLOY_FILES.contains(&name)
            }
            _ => DEPLOY_FILES.contains(&name) || name.starts_with("clevercloud/"),
        }
    }

    /// Runs a repository-level check on the application model.
    pub fn run_on_repo(self, rule: &Rule, app: &App) -> Vec<Finding> {
        let run = match self {
            Check::MissingProcfile => procfile::missing_procfile,
            Check::CommittedLogFile => logs::committed_log_files,
            Check::EnvFileInImage => image_env::env_file_in_image,
            Check::ImageProxyPort => port::image_proxy_port,
            Check::UnknownSuppression | Check::MalformedManifest => return Vec::new(),
            Check::NotAGitRepository => codebase::not_a_git_repository,
            Check::AppsWithoutStart => codebase::apps_without_start,
            Check::MissingLockfile => dependencies::missing_lockfile,
            Check::MultipleNodeLockfiles => dependencies::multiple_node_lockfiles,
            Check::PythonDependencyFiles => dependencies::python_dependency_files,
            Check::RuntimeVersionUnpinned => dependencies::runtime_version_unpinned,
            Check::UndeclaredSystemBinary => binaries::undeclared_system_binary,
            Check::InstallAtBoot => build_run::install_at_boot,
            Check::DevServerStart => build_run::dev_server_start,
            Check::ProcfileReleaseLine => build_run::procfile_release_line,
            Check::DaemonizedStart => daemon::daemonized_start,
            Check::ProcessManagerStart => daemon::process_manager_start,
            Check::InProcessScheduler => scheduler::in_process_scheduler,
            Check::ScalingoCronLimits => cron::scalingo_cron_limits,
            Check::CleverCronRelativeCommand => cron::clever_cron_relative_command,
            Check::NpmStartAsWeb => signals::npm_start_as_web,
            Check::NoSigtermHandler => signals::no_sigterm_handler,
            Check::MigrateAtBoot => admin::migrate_at_boot,
            Check::MissingDependencyManifest => dependency_manifest::missing_dependency_manifest,
            Check::HeavyBoot => signals::heavy_boot,
            Check::LocalWriteToAppDir => local_writes::local_write_to_app_dir,
            Check::SecretInSourceModule => source_secrets::secret_in_source_module,
            Check::UndeclaredBuildInstall => build_installs::undeclared_build_install,
            Check::LocalBackendDefault => settings::local_backend_default,
            Check::FileLogDefault => settings::file_log_default,
            Check::OriginInSettings => settings::origin_in_settings,
            Check::DebugInSettings => settings::debug_in_settings,
            Check::StartupMigrationsInSettings => settings::startup_migrations,
            Check::ListenDefaultInSettings => settings::listen_default,
            Check::DeployNamedConfig => settings::deploy_named_config,
            Check::ServerDefaultPort => port::server_default_port,
            Check::OtherPortVariable => port::other_port_variable,
            Check::BrokenSignalTrap => signals::broken_signal_trap,
        };
        run(rule, app)
    }

    /// Notes what this check needs from one production code file.
    fn note_file_facts(self, rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
        match self {
            Check::NoSigtermHandler => {
                signals::node_server_facts(rule, file, seen, facts);
                signals::go_server_facts(rule, file, seen, facts);
            }
            Check::UndeclaredSystemBinary => binaries::binary_facts(rule, file, seen, facts),
            Check::InProcessScheduler => scheduler::scheduler_facts(rule, file, seen, facts),
            Check::LocalWriteToAppDir => local_writes::local_write_facts(rule, file, seen, facts),
            Check::LocalBackendDefault => settings::cache_use_facts(rule, file, seen, facts),
            Check::DebugInSettings => settings::setting_test_facts(file, seen, facts),
            Check::SecretInSourceModule => {
                source_secrets::source_secret_facts(rule, file, seen, facts)
            }
            Check::MissingDependencyManifest => {
                dependency_manifest::import_facts(rule, file, seen, facts)
            }
            _ => {}
        }
    }
}

/// A regex of a check over code that runs only when the file holds one of its literals.
/// The literals ride on the file's one keyword pass (`rules::keywords`), with the rules'
/// keywords: a check's regex whose own prefilter would stop at every common word
/// (`import`, `func`) or that has no literal to skip to (`save_?config`) then costs
/// nothing on the files that cannot match it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    NodeSigterm,
    NodeOtherSignal,
    NodeServer,
    GoSigterm,
    GoServer,
    GoTicker,
    GoServerSetup,
    BinaryCall,
    Scheduler,
    ScheduledJob,
    WebLoop,
    CliTool,
    SaverCall,
    Uploader,
    FileWrite,
    CacheUse,
    SecretExport,
    SecretUse,
    GoImport,
    SettingTest,
}

impl Gate {
    const ALL: [Gate; 20] = [
        Gate::NodeSigterm,
        Gate::NodeOtherSignal,
        Gate::NodeServer,
        Gate::GoSigterm,
        Gate::GoServer,
        Gate::GoTicker,
        Gate::GoServerSetup,
        Gate::BinaryCall,
        Gate::Scheduler,
        Gate::ScheduledJob,
        Gate::WebLoop,
        Gate::CliTool,
        Gate::SaverCall,
        Gate::Uploader,
        Gate::FileWrite,
        Gate::CacheUse,
        Gate::SecretExport,
        Gate::SecretUse,
        Gate::GoImport,
        Gate::SettingTest,
    ];

    /// Literals one of which every match of the gated regex holds in a file of
    /// `language` (ASCII, matched ignoring case); empty: the regex runs on every file.
    fn words(self, language: Language) -> Vec<String> {
        use Language::*;
        let node = matches!(language, Javascript | Typescript);
        let jvm = matches!(language, Java | Kotlin);
        let words: &[&str] = match self {
            Gate::NodeSigterm if node => &[
                "sigterm",
                "createterminus",
                "http-terminator",
                "lightship",
                "close-with-grace",
                "enableshutdownhooks",
                "stoppable",
            ],
            Gate::NodeOtherSignal if node => &["sigint", "sighup", "sigusr2"],
            Gate::NodeServer if node => &[".listen(", "worker(", ".process("],
            Gate::GoSigterm if language == Go => &[
                "signal.notify",
                "fvbock/endless",
                "facebookgo/grace",
                "graceful",
            ],
            Gate::GoServer if language == Go => &["listenandserve", ".run(", ".start(", ".listen("],
            Gate::GoTicker if language == Go => &["time.tick", "time.newticker"],
            Gate::GoServerSetup if language == Go => &[
                "listenandserve",
                "server(",
                "http.serve(",
                "gin.new(",
                "gin.default(",
                "mux.newrouter(",
                "chi.newrouter(",
                "echo.new(",
                "fiber.new(",
                "http.newservemux(",
            ],
            Gate::BinaryCall => match language {
                _ if node => &["exec", "spawn"],
                Python => &["subprocess.", "os.system", "os.popen"],
                Ruby => &["system", "spawn", "exec", "open3.", "io.popen", "%x", "`"],
                Php => &[
                    "exec",
                    "system",
                    "passthru",
                    "proc_open",
                    "popen",
                    "process(",
                ],
                Go => &["exec.command"],
                _ if jvm => &[".exec(", "processbuilder("],
                _ => &[],
            },
            Gate::Scheduler => match language {
                _ if node => &[
                    "cron",
                    "schedulejob(",
                    "toadscheduler",
                    "schedulemodule.forroot(",
                    "agenda(",
                    "bree(",
                ],
                Python => &["scheduler(", "schedule.every("],
                Ruby => &["rufus::scheduler."],
                Go => &["cron.new"],
                _ if jvm => &["@enablescheduling"],
                _ => &[],
            },
            Gate::ScheduledJob => match language {
                _ if node => &["schedulemodule.forroot(", "@cron(", "@interval("],
                _ if jvm => &["@enablescheduling", "@scheduled"],
                _ => &[],
            },
            Gate::WebLoop => match language {
                _ if node => &["setinterval("],
                Python => &["timer(", "thread("],
                Go => &["time.newticker(", "time.tick("],
                _ => &[],
            },
            Gate::CliTool => &["argparse", "argv", "commander", "yargs"],
            Gate::SaverCall => return local_writes::saver_literals(),
            Gate::Uploader if language == Ruby => &["carrierwave::uploader::base"],
            Gate::FileWrite => match language {
                _ if node => &[
                    "writefile",
                    "appendfile",
                    "createwritestream",
                    "copyfile",
                    "outputfile",
                    "outputjson",
                    "writejson",
                ],
                Python => &[
                    "open",
                    "shutil.",
                    "os.rename",
                    "os.replace",
                    ".save",
                    ".to_csv",
                    ".to_excel",
                    ".write_bytes",
                    ".write_text",
                ],
                Go => &[
                    "os.create",
                    "os.writefile",
                    "ioutil.writefile",
                    "os.openfile",
                    ".save",
                ],
                _ if jvm => &[
                    "files.write",
                    "files.newoutputstream",
                    "files.move",
                    "files.copy",
                    "fileoutputstream",
                    "filewriter",
                ],
                Php => &[
                    "file_put_contents",
                    "fopen",
                    "copy",
                    "rename",
                    "imagepng",
                    "imagejpeg",
                    "imagewebp",
                    "->save",
                    "->output",
                ],
                Ruby => &[
                    "file.write",
                    "file.binwrite",
                    "file.open",
                    "fileutils.",
                    "io.copy_stream",
                ],
                _ => &[],
            },
            Gate::CacheUse if language == Ruby => &["rails.cache."],
            Gate::CacheUse if language == Python => &["cache.inc", "cache.get"],
            Gate::SettingTest if language == Python => &["settings."],
            Gate::SecretExport => &[
                "secret",
                "signingkey",
                "signing_key",
                "jwtkey",
                "jwt_key",
                "privatekey",
                "private_key",
                "hmackey",
                "hmac_key",
                "tokenkey",
                "token_key",
            ],
            Gate::SecretUse => match language {
                _ if node => &["jwt.", "secret", "cookieparser(", "createhmac(", "app.keys"],
                Python => &["jwt.", "secret_key", "hmac.new(", "serializer("],
                _ => &[],
            },
            Gate::GoImport if language == Go => &["github.com", "golang.org/x", "gopkg.in"],
            _ => &[],
        };
        words.iter().map(|w| w.to_string()).collect()
    }
}

/// The gates' keyword sets for the registry's one pass: each gate in each code language,
/// in production code (`file_facts` reads no other), in `Gate::ALL` order.
pub fn gate_keyword_sets() -> Vec<(Scope, Vec<Vec<u8>>)> {
    Gate::ALL
        .iter()
        .flat_map(|gate| {
            Language::CODE.iter().map(|&language| {
                let scope = Scope {
                    roles: vec![Role::Source],
                    languages: Some(vec![language]),
                };
                let words = gate.words(language).into_iter().map(String::into_bytes);
                (scope, words.collect())
            })
        })
        .collect()
}

/// Which gates a file's keyword pass opened.
pub struct Seen<'a> {
    present: &'a [bool],
    gates: &'a [Vec<usize>],
    /// The file's place in `Language::CODE`; `None` for other languages.
    language: Option<usize>,
}

impl<'a> Seen<'a> {
    /// `present` is the file's keyword pass (`detect::keywords_present`).
    pub fn new(registry: &'a Registry, language: Language, present: &'a [bool]) -> Seen<'a> {
        Seen {
            present,
            gates: &registry.check_gates,
            language: Language::CODE.iter().position(|l| *l == language),
        }
    }

    /// Whether the gated regex can match: one of its literals occurs, or it has none.
    pub fn any(&self, gate: Gate) -> bool {
        let Some(language) = self.language else {
            return true;
        };
        let index = Gate::ALL.iter().position(|g| *g == gate).unwrap_or(0);
        self.gates
            .get(index * Language::CODE.len() + language)
            .is_none_or(|ids| ids.is_empty() || ids.iter().any(|&k| self.present[k]))
    }
}

/// The facts the enabled checks need from one production code file; `seen` says which
/// gates its keyword pass opened; `keep` drops the findings an inline suppression covers.
pub fn file_facts(
    file: &SourceFile,
    rules: &[&Rule],
    seen: &Seen,
    keep: impl Fn(&Finding) -> bool,
) -> FileFacts {
    let mut facts = FileFacts::default();
    if file.role != Role::Source {
        return facts;
    }
    for rule in rules {
        if let Matcher::Check(check) = &rule.matcher {
            check.note_file_facts(rule, file, seen, &mut facts);
        }
    }
    facts.code.retain(&keep);
    facts.package_import = facts.package_import.filter(|(_, f)| keep(f));
    facts
}

/// A finding on the byte range `start..end` of a root manifest's `text`.
pub fn finding_at(
    rule: &Rule,
    file: &str,
    text: &[u8],
    (start, end): (usize, usize),
    message: String,
) -> Finding {
    let source = SourceFile::new(
        file.to_string(),
        Language::Text,
        Role::Config,
        text.to_vec(),
    );
    let end = end.min(text.len());
    rule.finding(file, source.locate(start.min(end), end), message)
}

/// Runs `judge` on every simple command of the start commands (web ones only when
/// `web_only`; not the start scripts they run), and reports the first it accepts in
/// each command, on that command.
pub fn on_start_commands(
    rule: &Rule,
    app: &App,
    web_only: bool,
    judge: impl Fn(&Process, &[Segment], usize) -> Option<String>,
) -> Vec<Finding> {
    let commands = app.processes.iter().filter(|p| {
        !matches!(p.origin, Origin::StartScript)
            && p.kind != Kind::Build
            && (!web_only || p.is_web())
    });
    on_commands(rule, app, commands, judge)
}

/// Like `on_start_commands`, on the given commands.
pub fn on_commands<'a>(
    rule: &Rule,
    app: &App,
    commands: impl IntoIterator<Item = &'a Process>,
    judge: impl Fn(&Process, &[Segment], usize) -> Option<String>,
) -> Vec<Finding> {
    on_commands_within(rule, app, commands, |process, segments, i| {
        Some((judge(process, segments, i)?, None))
    })
}

/// Like `on_commands`, with `judge` also choosing the range inside the simple command to
/// report (the option at fault, on its own continuation line).
pub fn on_commands_within<'a>(
    rule: &Rule,
    app: &App,
    commands: impl IntoIterator<Item = &'a Process>,
    judge: impl Fn(&Process, &[Segment], usize) -> Option<(String, Option<(usize, usize)>)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for command in commands {
        let Some(text) = app.text(&command.file) else {
            continue;
        };
        let parts = segments(&command.command);
        if let Some((seg, (message, within))) =
            (0..parts.len()).find_map(|i| Some((&parts[i], judge(command, &parts, i)?)))
        {
            let at = command.offset;
            // Exec-form `CMD [...]` and escaped JSON strings differ from the command as
            // read: point at the whole line then.
            let verbatim = command.exact
                || text.get(at..at + command.command.len()) == Some(command.command.as_bytes());
            let line_end = text[at.min(text.len())..]
                .iter()
                .position(|b| *b == b'\n' || *b == b'\r')
                .map_or(text.len(), |n| at + n);
            let (from, to) = within.unwrap_or((0, seg.end - seg.start));
            let span = if verbatim {
                (at + seg.start + from, at + seg.start + to)
            } else {
                (at, line_end)
            };
            findings.push(finding_at(rule, &command.file, text, span, message));
        }
    }
    findings
}

/// Compiles one of the checks' own (constant) regexes.
pub fn regex(source: &str) -> regex::Regex {
    regex::Regex::new(source).expect("a check's regex is valid")
}

/// Regexes of a check over code, one per language, each compiled on first use for its
/// language only: a small app in one language does not pay for the seven others.
pub struct PerLanguage([OnceLock<Option<regex::bytes::Regex>>; Language::CODE.len()]);

impl PerLanguage {
    pub const fn new() -> PerLanguage {
        PerLanguage([const { OnceLock::new() }; Language::CODE.len()])
    }
}

impl Default for PerLanguage {
    fn default() -> PerLanguage {
        PerLanguage::new()
    }
}

/// The cached regex for `language`, built by `pattern` on first use.
pub fn per_language(
    cache: &'static PerLanguage,
    pattern: fn(Language) -> Option<String>,
    language: Language,
) -> Option<&'static regex::bytes::Regex> {
    let index = Language::CODE.iter().position(|l| *l == language)?;
    cache.0[index]
        .get_or_init(|| pattern(language).map(|p| bytes_regex(&p)))
        .as_ref()
}

/// Like `regex`, over bytes (for masked file text). ASCII classes, as the rules' regexes:
/// a Unicode `\b` or `\w` makes the lazy DFA give up on the first non-ASCII byte and
/// the search fall back to the slow PikeVM (a fifth of the real-apps tree's run).
pub fn bytes_regex(source: &str) -> regex::bytes::Regex {
    regex::bytes::Regex::new(&format!("(?m-u){source}")).expect("a check's regex is valid")
}
