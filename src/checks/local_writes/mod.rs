//! Factor VI, `local-write-to-app-dir`: a write whose target path is a variable or
//! constant that the same file sets to a folder of the app (`UPLOAD_DIR =
//! path.join(__dirname, 'uploads')`, `EXPORTS = "static/exports"`), one hop or more
//! away. `local-file-storage` reads the write calls whose path is written in place; this
//! check follows the names, and reports each write site once.

mod helpers;
mod properties;
mod uploaders;

pub use helpers::saver_literals;

use super::{Gate, PerLanguage, Seen, bytes_regex, per_language};
use crate::app::App;
use crate::classify::Language;
use crate::finding::Finding;
use crate::repo::FileFacts;
use crate::rules::Rule;
use crate::source::SourceFile;
use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Assignments of a name: group `name`, the assigned expression in `value`.
fn assignment_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r"^[ \t]*(?:export\s+)?(?:const|let|var)\s+(?P<name>[A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>\[\]| ]+)?=\s*(?P<value>[^;\n]+)|^[ \t]*(?:this\.)?(?P<field>[A-Za-z_$][\w$]*)\s*=\s*(?P<fvalue>[^;=\n][^;\n]*)"
        }
        Language::Python => {
            r"^[ \t]*(?:self\.)?(?P<name>[A-Za-z_]\w*)\s*(?::\s*[\w.\[\], ]+)?=\s*(?P<value>[^=\n][^\n]*)|\bconfig\[\s*['\x22](?P<field>[A-Z_]+)['\x22]\s*\]\s*=\s*(?P<fvalue>[^\n]+)"
        }
        Language::Go => {
            // Also a path function without arguments (`func AvatarsDir() string { return ... }`).
            r"^[ \t]*(?:const\s+|var\s+)?(?P<name>[A-Za-z_]\w*)\s*(?:string\s*)?(?::=|=)\s*(?P<value>[^\n]+)|^func\s+(?P<field>[A-Za-z_]\w*)\(\)\s*string\s*\{[ \t]*\n[ \t]*return\s+(?P<fvalue>[^\n]+)"
        }
        Language::Java | Language::Kotlin => {
            r"\b(?:String|Path|File|val|var)\s+(?P<name>[A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(?P<value>[^;\n]+)"
        }
        Language::Php => {
            r"(?P<name>\$\w+)\s*=\s*(?P<value>[^;\n]+)|\bdefine\(\s*['\x22](?P<field>\w+)['\x22]\s*,\s*(?P<fvalue>[^;\n]+)\)"
        }
        Language::Ruby => r"^[ \t]*(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>[^=\n][^\n]*)",
        _ => return None,
    }))
}

/// Write calls; the check reads the call's text up to its closing parenthesis.
/// `local-file-storage` already reports `move_uploaded_file`, `SaveUploadedFile`,
/// `transferTo` and `.mv(` wherever they write, so they are not listed here.
fn write_pattern(language: Language) -> Option<String> {
    Some(String::from(match language {
        Language::Javascript | Language::Typescript => {
            r"\b(?P<call>writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|outputFile|outputFileSync|outputJson|writeJson|writeJsonSync)\s*\("
        }
        Language::Python => {
            r"(?:\b(?P<call>open|shutil\.copy\w*|shutil\.move|os\.rename|os\.replace)|\.(?P<method>save|to_csv|to_excel|savefig|write_bytes|write_text))\s*\("
        }
        Language::Go => {
            r"\b(?P<call>os\.Create|os\.WriteFile|ioutil\.WriteFile|os\.OpenFile)\s*\(|\.(?P<method>SaveAs|Save)\s*\("
        }
        Language::Java | Language::Kotlin => {
            r"\b(?P<call>Files\.write|Files\.writeString|Files\.newOutputStream|Files\.move|Files\.copy|new\s+FileOutputStream|new\s+FileWriter)\s*\("
        }
        Language::Php => {
            r"\b(?P<call>file_put_contents|fopen|copy|rename|imagepng|imagejpeg|imagewebp)\s*\(|->(?P<method>save|saveAs|output)\s*\("
        }
        Language::Ruby => {
            r"\b(?P<call>File\.write|File\.binwrite|File\.open|FileUtils\.(?:cp|mv|copy|move)|IO\.copy_stream)\s*\("
        }
        _ => return None,
    }))
}

/// Where the app's own folder is named in an expression: the module's folder, the
/// working directory, the framework's root and storage helpers, and the app's
/// configured upload or media folder (`app.config["UPLOAD_FOLDER"]`, `settings.MEDIA_ROOT`),
/// and the app's configured home or data folder (`config.GetHomeDir()`, `cfg.DataDir`): on these
/// hosts it is the container's disk too.
const APP_ROOT: &str = r#"\b(?:Get)?(?:Home|Data|Storage)Dir(?:ectory)?\(\)|\.(?:DataDir|DataPath|StorageDir|StoragePath)\b|\b(?:__dirname|__filename|__file__|__DIR__|process\.cwd\(\)|os\.getcwd\(\)|BASE_DIR|ROOT_DIR|APP_ROOT|PROJECT_ROOT|root_path|instance_path|Rails\.root|storage_path\(|public_path\(|base_path\(|os\.Getwd\(\)|import\.meta\.dirname|settings\.MEDIA_ROOT\b)|\bconfig(?:\.get\s*\(\s*|\s*\[\s*)['"]\w*(?:UPLOAD|MEDIA)\w*['"]"#;

/// A path literal: relative (`./x`, `x/y`), absolute outside the system's scratch and
/// device folders, or a file with a data extension (`db.json`, `report.pdf`).
const PATH_LITERAL: &str = r#"['"`](?:\.{1,2}/|[\w.-]+/|/(?:var|srv|app|data|home|opt|usr/src)/|[\w-]+\.(?:json|csv|xlsx?|docx?|od[st]|pdf|png|jpe?g|gif|webp|svg|zip|html?|txt|xml)['"`])"#;

/// Scratch space and things that are not the app's disk.
const NOT_APP_DISK: &str = r#"(?i)\btmp\b|\btemp\b|tmpdir|te?mp_(?:dir|path|folder)|tempfile|gettempdir|TempDir|sys_get_temp_dir|java\.io\.tmpdir|createTemp|/dev/|/proc/|://|\.log\b|\blogs?/|\bos\.devnull\b|\bBytesIO\b|\bStringIO\b|\b(?:application|text|image|audio|video|multipart)/[\w.+-]+(?:\s*;[^'"`\n]*)?['"`]"#;

/// Folders whose code runs once, by hand or at build time. Django's
/// `management/commands/` is not one of them: a command reads production's database, so
/// it runs on the host, in a one-off container whose files are gone when it exits.
const ONE_OFF_DIRS: &[&str] = &[
    "scripts",
    "script",
    "tools",
    "tasks",
    "commands",
    "migrations",
    "seeds",
    "seeders",
    "cli",
];

/// File names of generators and build steps (`generate-api-typings.ts`, `build_sitemap.py`).
const ONE_OFF_NAMES: &[&str] = &["generate", "gen-", "gen_", "build-", "build_", "seed"];

struct Patterns {
    root: Regex,
    literal: Regex,
    scratch: Regex,
    cli: Regex,
    py_write_mode: Regex,
    secret_file: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        root: bytes_regex(APP_ROOT),
        literal: bytes_regex(PATH_LITERAL),
        scratch: bytes_regex(NOT_APP_DISK),
        // Command-line tools run once: their writes are the user's files.
        cli: bytes_regex(
            r"\bimport\s+argparse\b|\bsys\.argv\b|\bprocess\.argv\b|\brequire\(\s*['\x22](?:commander|yargs)['\x22]\)|\bfrom\s+['\x22](?:commander|yargs)['\x22]|\$argv\b|\bARGV\b",
        ),
        py_write_mode: bytes_regex(r#",\s*(?:mode\s*=\s*)?['"][rwax+]*[wax][rwax+b]*['"]"#),
        secret_file: bytes_regex(r"(?i)secret|\.key\b|_key\b|keyfile|key_?path|\.pem\b|ed25519|id_rsa"),
    })
}

/// Whether `value` names a folder of the app: a root marker or a path literal, or a name
/// already resolved; and no scratch space.
fn resolves(value: &[u8], known: &BTreeMap<String, String>) -> Option<String> {
    let p = patterns();
    if p.scratch.is_match(value) {
        return None;
    }
    if let Some(name) = known.keys().find(|n| has_word(value, n)) {
        return Some(known[name].clone());
    }
    if let Some(m) = p.literal.find(value) {
        // The literal itself, up to its closing quote.
        let quote = value[m.start()];
        let end = value[m.start() + 1..]
            .iter()
            .position(|b| *b == quote)
            .map_or(value.len(), |n| m.start() + n + 2);
        return Some(excerpt(&value[..end], m.start()));
    }
    let m = p.root.find(value)?;
    Some(excerpt(value, m.start()))
}

/// A short excerpt of the expression, from `from`, for the message.
fn excerpt(value: &[u8], from: usize) -> String {
    let text = String::from_utf8_lossy(&value[from..]);
    let text = text.trim();
    let mut short: String = text.chars().take(48).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

fn has_word(text: &[u8], word: &str) -> bool {
    let w = word.as_bytes();
    text.windows(w.len()).enumerate().any(|(i, win)| {
        win == w
            && (i == 0 || !is_ident(text[i - 1]))
            && text.get(i + w.len()).is_none_or(|b| !is_ident(*b))
    })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The names the file sets to a folder of the app, each with the expression it ends at,
/// starting from `known` (names bound elsewhere, such as injected properties).
fn app_dir_names(
    file: &SourceFile,
    assignment: &Regex,
    mut known: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    // Two passes: a name may be used above the line that defines it (a function body).
    for _ in 0..2 {
        for caps in assignment.captures_iter(&file.masked) {
            let (Some(name), Some(value)) = (
                caps.name("name").or_else(|| caps.name("field")),
                caps.name("value").or_else(|| caps.name("fvalue")),
            ) else {
                continue;
            };
            let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
            if known.contains_key(&name) {
                continue;
            }
            if let Some(resolved) = resolves(value.as_bytes(), &known) {
                known.insert(name, resolved);
            }
        }
    }
    known
}

/// The text of a call from its opening parenthesis to the matching one (at most 400 bytes).
fn call_arguments(text: &[u8], open: usize) -> &[u8] {
    let mut depth = 0usize;
    for (i, b) in text[open..].iter().enumerate().take(400) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[open..open + i + 1];
                }
            }
            _ => {}
        }
    }
    &text[open..(open + 400).min(text.len())]
}

/// Which argument of a write call is the path written: the destination of copies and
/// moves, the file of PHP's image functions, the first one otherwise.
fn target_index(call: &str) -> usize {
    const SECOND: &[&str] = &[
        "rename",
        "renameSync",
        "move",
        "replace",
        "imagepng",
        "imagejpeg",
        "imagewebp",
        "copy_stream",
        "cp",
        "mv",
    ];
    let last = call.rsplit(['.', ' ']).next().unwrap_or(call);
    usize::from(last.starts_with("copy") || SECOND.contains(&last))
}

/// The name a method is called on, lowercased: the identifier before the `.` or `->`
/// that precedes `method_start`.
fn receiver(text: &[u8], method_start: usize) -> String {
    let before = &text[..method_start];
    let before = before
        .strip_suffix(b".")
        .or_else(|| before.strip_suffix(b"->"))
        .unwrap_or(before);
    let start = before
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .map_or(0, |i| i + 1);
    String::from_utf8_lossy(&before[start..]).to_ascii_lowercase()
}

/// The `index`th top-level argument of `args` (the call's text from its parenthesis).
fn argument(args: &[u8], index: usize) -> &[u8] {
    let inner = args.get(1..).unwrap_or_default();
    let mut depth = 0usize;
    let mut quote = None;
    let mut start = 0;
    let mut n = 0;
    for (i, &b) in inner.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(b),
            (None, b'(' | b'[' | b'{') => depth += 1,
            (None, b')' | b']' | b'}') if depth > 0 => depth -= 1,
            (None, b',' | b')') if depth == 0 => {
                if n == index {
                    return &inner[start..i];
                }
                n += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if n == index { &inner[start..] } else { &[] }
}

fn one_off(file: &SourceFile, seen: &Seen) -> bool {
    let name = file.rel_path.rsplit('/').next().unwrap_or_default();
    let django_command = file.rel_path.contains("management/commands/");
    file.rel_path
        .split('/')
        .rev()
        .skip(1)
        .any(|d| ONE_OFF_DIRS.contains(&d) && !(django_command && d == "commands"))
        || ONE_OFF_NAMES.iter().any(|n| name.starts_with(n))
        || (seen.any(Gate::CliTool) && patterns().cli.is_match(&file.masked))
}

/// Whether the nearest unindented line above `at` is the script guard.
fn in_main_guard(text: &[u8], at: usize) -> bool {
    text[..at]
        .split(|b| *b == b'\n')
        .rev()
        .skip(1)
        .find(|l| l.first().is_some_and(|b| !b.is_ascii_whitespace()))
        .is_some_and(|l| l.starts_with(b"if __name__"))
}

pub fn local_write_facts(rule: &Rule, file: &SourceFile, seen: &Seen, facts: &mut FileFacts) {
    static ASSIGNMENTS: PerLanguage = PerLanguage::new();
    static WRITES: PerLanguage = PerLanguage::new();
    let (Some(assignment), Some(writes)) = (
        per_language(&ASSIGNMENTS, assignment_pattern, file.language),
        per_language(&WRITES, write_pattern, file.language),
    ) else {
        return;
    };
    let mut calls = Vec::new();
    if seen.any(Gate::SaverCall) {
        helpers::saver_facts(rule, file, &mut facts.code.config_savers, &mut calls);
    }
    let writes_here = seen.any(Gate::FileWrite) && writes.is_match(&file.masked);
    // Judged only when there is a write for it to excuse.
    let one_off = (writes_here || !calls.is_empty()) && one_off(file, seen);
    if !one_off {
        facts.code.saver_calls.extend(calls);
    }
    if file.language == Language::Ruby && seen.any(Gate::Uploader) {
        uploaders::store_dir_facts(rule, file, &mut facts.code.uploader_dirs);
    }
    if !writes_here || one_off {
        return;
    }
    let known = app_dir_names(file, assignment, properties::property_names(file));
    let mut last_line = 0;
    for caps in writes.captures_iter(&file.masked) {
        let (Some(call), Some(whole)) = (
            caps.name("call").or_else(|| caps.name("method")),
            caps.get(0),
        ) else {
            continue;
        };
        // A storage backend (`default_storage.save(...)`) writes wherever production's
        // settings say: `local-file-storage` judges the backend, not each call.
        if caps.name("method").is_some()
            && receiver(&file.masked, call.start()).ends_with("storage")
        {
            continue;
        }
        let args = call_arguments(&file.masked, whole.end() - 1);
        let name = String::from_utf8_lossy(call.as_bytes()).into_owned();
        if !write_applies(file.language, &name, args) || in_main_guard(&file.masked, whole.start())
        {
            continue;
        }
        let target = argument(args, target_index(&name));
        if patterns().scratch.is_match(target) {
            continue;
        }
        // Through a name the file resolves, or a path written in the call itself.
        let place = match known.keys().find(|n| has_word(target, n)) {
            Some(dir) => format!("under `{dir}` ({}), a folder of the app", known[dir]),
            // In place, only a path with a folder: a bare file name is often a tool's output.
            None => match resolves(target, &BTreeMap::new()) {
                Some(path) if path.contains('/') => format!("to {path}, in the app's folder"),
                _ => continue,
            },
        };
        // A key or secret kept on disk is `generated-secret-per-instance`'s.
        if patterns().secret_file.is_match(target)
            || patterns().secret_file.is_match(place.as_bytes())
        {
            continue;
        }
        let located = file.locate(call.start(), call.end());
        // One finding per write site: the first write call of a line.
        if located.0.line == last_line {
            continue;
        }
        last_line = located.0.line;
        let message = format!(
            "`{name}` writes {place}, on this instance's own disk: lost on restart and not shared between instances"
        );
        let finding = rule.finding(&file.rel_path, located, message);
        match properties::property_key(&place) {
            Some(key) => facts.code.property_writes.push((key, finding)),
            None => facts.code.local_writes.push(finding),
        }
    }
}

pub fn local_write_to_app_dir(rule: &Rule, app: &App) -> Vec<Finding> {
    let mut findings = app.inventory.code.local_writes.clone();
    findings.extend(properties::property_writes(rule, app));
    findings.extend(uploaders::store_dirs(app));
    findings.extend(helpers::saver_calls(app));
    findings
}

/// Per call: `open` and `fopen` write only with a write mode; Go's `OpenFile` only with a
/// create or write flag; a Python `.save(` on an upload folder is `local-file-storage`'s.
fn write_applies(language: Language, call: &str, args: &[u8]) -> bool {
    match (language, call) {
        (Language::Python, "open") | (Language::Php, "fopen") | (Language::Ruby, "File.open") => {
            patterns().py_write_mode.is_match(args)
        }
        (Language::Go, "os.OpenFile") => args
            .windows(7)
            .any(|w| w == b"O_WRONL" || w == b"O_CREAT" || w == b"O_APPEN" || w == b"O_RDWR|"),
        (Language::Go, _) => !args.to_ascii_lowercase().windows(6).any(|w| w == b"upload"),
        // A model's `save(update_fields=[...])` stores a row: its first argument is a
        // keyword, never a path.
        (Language::Python, "save") if keyword_first(args) => false,
        (Language::Python, "save") => {
            let lower = args.to_ascii_lowercase();
            !(lower.starts_with(b"(os.path.join")
                && (lower.windows(6).any(|w| w == b"upload")
                    || lower.windows(5).any(|w| w == b"media")))
        }
        _ => true,
    }
}

/// Whether a call's first argument is passed by keyword (`(update_fields=[...])`).
fn keyword_first(args: &[u8]) -> bool {
    let inner = args.strip_prefix(b"(").unwrap_or(args).trim_ascii_start();
    let name = inner
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let rest = inner[name..].trim_ascii_start();
    name > 0 && rest.starts_with(b"=") && !rest.starts_with(b"==")
}

/// What the tests of this check and its parts share: the rule and a source file.
#[cfg(test)]
mod testing {
    use crate::classify::{Language, Role};
    use crate::rules::{Registry, Rule};
    use crate::source::SourceFile;

    pub fn rule() -> Rule {
        Registry::builtin()
            .expect("rules")
            .rules
            .into_iter()
            .find(|r| r.id() == "local-write-to-app-dir")
            .expect("rule")
    }

    pub fn source(path: &str, language: Language, code: &str) -> SourceFile {
        SourceFile::new(
            path.into(),
            language,
            Role::Source,
            code.as_bytes().to_vec(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_are_the_name_before_the_method() {
        let text = b"default_storage.save(p, f); $this->storage->save(x); wb.save(r)";
        let at = |needle: &[u8]| {
            text.windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        assert_eq!(receiver(text, at(b"save(p")), "default_storage");
        assert_eq!(receiver(text, at(b"save(x")), "storage");
        assert_eq!(receiver(text, at(b"save(r")), "wb");
    }

    #[test]
    fn media_types_and_tmp_folders_are_no_app_folder() {
        let none = BTreeMap::new();
        let mime = b"\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"";
        assert!(resolves(mime, &none).is_none());
        let csv = b"HttpResponse(content_type=\"text/csv; charset=utf-8\")";
        assert!(resolves(csv, &none).is_none());
        assert!(resolves(b"$this->get('uploads_tmp_dir').'entreprises.csv'", &none).is_none());
        assert!(resolves(b"'exports/entreprises.csv'", &none).is_some());
    }

    #[test]
    fn words_are_whole() {
        assert!(has_word(b"(path.join(UPLOAD_DIR, n))", "UPLOAD_DIR"));
        assert!(!has_word(b"(MY_UPLOAD_DIR)", "UPLOAD_DIR"));
        assert!(!has_word(b"(UPLOAD_DIRS)", "UPLOAD_DIR"));
    }

    #[test]
    fn app_folders_resolve_and_scratch_does_not() {
        let none = BTreeMap::new();
        assert!(resolves(b"path.join(__dirname, 'uploads')", &none).is_some());
        assert!(resolves(b"\"static/exports\"", &none).is_some());
        assert!(resolves(b"'db.json'", &none).is_some());
        assert!(resolves(b"os.tmpdir()", &none).is_none());
        assert!(resolves(b"path.join(os.tmpdir(), 'x')", &none).is_none());
        assert!(resolves(b"'https://example.org/a/'", &none).is_none());
        assert!(resolves(b"process.env.UPLOAD_DIR", &none).is_none());
        assert!(resolves(b"current_app.config.get(\"UPLOAD_FOLDER\")", &none).is_some());
        assert!(resolves(b"app.config['MEDIA_DIR']", &none).is_some());
        assert!(resolves(b"app.config['SECRET_KEY']", &none).is_none());
        let known = BTreeMap::from([("BASE".to_string(), "'data/'".to_string())]);
        assert_eq!(resolves(b"BASE + '/x'", &known).as_deref(), Some("'data/'"));
    }

    #[test]
    fn the_written_path_is_the_target_argument() {
        assert_eq!(argument(b"(file, read(a, b))", 0), b"file");
        assert_eq!(argument(b"(src, 'a,b')", 1), b" 'a,b'");
        assert_eq!(argument(b"(only)", 1), b"");
        assert_eq!(target_index("fs.copyFileSync"), 1);
        assert_eq!(target_index("shutil.copyfileobj"), 1);
        assert_eq!(target_index("writeFileSync"), 0);
        assert_eq!(target_index("FileUtils.mv"), 1);
    }

    #[test]
    fn call_arguments_stop_at_the_closing_parenthesis() {
        let text = b"open(os.path.join(D, n), 'wb') as f";
        assert_eq!(call_arguments(text, 4), b"(os.path.join(D, n), 'wb')");
    }
}
