//! Wires the command line to the scan and the reporters; nothing else lives here.

mod cli;

use clap::Parser;
use cli::{CheckArgs, Cli, Color, Command, PortfolioArgs, RulesFormat};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use twelve::baseline;
use twelve::config::Config;
use twelve::hosts::{self, Targets};
use twelve::narrow::Narrowing;
use twelve::report::{self, Format, github, rules_doc, text};
use twelve::rules::Registry;
use twelve::scan::{Report, Scanner};
use twelve::selection::Selection;

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let registry = match Registry::builtin() {
        Ok(registry) => registry,
        Err(message) => return fail(&message),
    };
    match cli.command {
        Command::Check(args) => check(&registry, *args),
        Command::Rules {
            format,
            export_patterns,
        } => {
            let out = match format {
                _ if export_patterns => rules_doc::patterns(&registry),
                RulesFormat::Json => rules_doc::list_json(&registry),
                RulesFormat::Text => rules_doc::list(&registry),
            };
            print(&out)
        }
        Command::Explain { rule } => match registry.get(&rule) {
            Some(rule) => print(&rules_doc::explain(rule)),
            None => fail(&format!(
                "unknown rule `{rule}`; `twelve rules` lists every rule id"
            )),
        },
        Command::Init {
            platform,
            path,
            write,
        } => match init_config(&registry, &path)
            .and_then(|config| init(&registry, &config, platform, &path, write))
        {
            Ok(out) => print(&out),
            Err(message) => fail(&message),
        },
        Command::Portfolio(args) => portfolio(&args),
    }
}

fn portfolio(args: &PortfolioArgs) -> ExitCode {
    let built = twelve::portfolio::build(&args.reports, args.previous.as_deref());
    let portfolio = match built {
        Ok(portfolio) => portfolio,
        Err(message) => return fail(&message),
    };
    let html_file = args
        .output
        .as_ref()
        .is_some_and(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"));
    let format = args.format.unwrap_or(if html_file {
        twelve::portfolio::Format::Html
    } else {
        twelve::portfolio::Format::Markdown
    });
    let out = twelve::portfolio::render(&portfolio, format);
    match &args.output {
        Some(path) => match std::fs::write(path, out) {
            Ok(()) => {
                eprintln!(
                    "twelve: portfolio of {} apps written to {}",
                    portfolio.apps.len(),
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) => fail(&format!("{}: cannot write output: {err}", path.display())),
        },
        None => print(&out),
    }
}

fn check(registry: &Registry, mut args: CheckArgs) -> ExitCode {
    for path in &args.paths {
        if !path.exists() {
            return fail(&format!("{}: no such file or directory", path.display()));
        }
    }
    let selection = match Selection::from_paths(&args.paths) {
        Ok(selection) => selection,
        Err(message) => return fail(&message),
    };
    if let Some(selection) = &selection {
        args.paths = vec![selection.root.clone()];
    }
    let mut config = match load_config(registry, &args) {
        Ok(config) => config,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    for id in args.select.iter().chain(&args.ignore) {
        if registry.get(id).is_none() {
            return fail(&format!(
                "unknown rule `{id}`; `twelve rules` lists every rule id"
            ));
        }
    }
    if !args.select.is_empty() {
        config.select = args.select.clone();
    }
    config.ignore.extend(args.ignore.iter().cloned());
    if let Some(level) = args.fail_on {
        config.fail_on = level;
    }
    if let Some(bytes) = args.max_file_size {
        config.max_file_size = bytes;
    }
    config.follow_links = args.follow;
    let narrowing = match Narrowing::prepare(
        selection,
        &args.paths,
        args.diff_base.as_deref(),
        args.baseline.as_deref(),
    ) {
        Ok(narrowing) => narrowing,
        Err(message) => return fail(&message),
    };
    let scanner = match Scanner::new(registry, &config, args.threads) {
        Ok(scanner) => scanner,
        Err(err) => return fail(&err.0),
    };
    let mut report = scanner.scan(&args.paths);
    let targets = Targets {
        hosts: if args.platform.is_empty() {
            config.platforms.clone()
        } else {
            args.platform.clone()
        },
        require: args.require,
    };
    report.platforms = hosts::assess_apps(&report.apps, &report.findings, registry, &targets);
    if let [root] = args.paths.as_slice() {
        report.repository = Some(twelve::identity::detect(
            root,
            args.repository.as_deref(),
            args.commit.as_deref(),
        ));
    }
    narrowing.scope(&mut report, registry);
    if let Some(path) = &args.write_baseline {
        if let Err(message) = baseline::write(path, &report.findings) {
            return fail(&message);
        }
        eprintln!(
            "twelve: recorded {} findings in {}",
            report.findings.len(),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    let hidden = narrowing.drop_known(&mut report);
    if hidden > 0 && !args.quiet {
        eprintln!("twelve: {hidden} findings in the baseline are not shown");
    }
    let printed = output(registry, &report, &args);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if args.strict && !report.summary.problems.is_empty() {
        eprintln!(
            "twelve: error: --strict: {} could not be read",
            match report.summary.problems.len() {
                1 => "1 path".to_string(),
                n => format!("{n} paths"),
            }
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let failing = report
        .findings
        .iter()
        .any(|f| config.fail_on.fails(f.severity));
    if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The chosen format on stdout, or in `--output FILE` with the text report on stdout;
/// with `--format github`, the Markdown summary is appended to `$GITHUB_STEP_SUMMARY`.
fn output(registry: &Registry, report: &Report, args: &CheckArgs) -> ExitCode {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut options = text::TextOptions {
        color: false,
        quiet: args.quiet,
        width: 100,
    };
    if let Some(path) = &args.output {
        let out = report::render(args.format, report, registry, &options);
        if let Err(err) = std::fs::write(path, out) {
            return fail(&format!("{}: cannot write output: {err}", path.display()));
        }
    }
    let summary = match args.format {
        Format::Github => github::append_step_summary(report),
        _ => Ok(()),
    };
    if let Err(message) = summary {
        return fail(&message);
    }
    options.color = color;
    let format = if args.output.is_some() {
        Format::Text
    } else {
        args.format
    };
    print(&report::render(format, report, registry, &options))
}

/// `--config FILE`, else `twelve.toml` in the first scanned directory, else defaults.
fn load_config(registry: &Registry, args: &CheckArgs) -> Result<Config, miette::Report> {
    let implicit = args
        .paths
        .first()
        .filter(|p| p.is_dir())
        .map(|p| p.join("twelve.toml"))
        .filter(|p| p.is_file());
    let path: Option<PathBuf> = args.config.clone().or(implicit);
    match path {
        Some(path) => Config::load(Path::new(&path), registry).map_err(miette::Report::new),
        None => Ok(Config::default()),
    }
}

/// `twelve init`: scans `path` into its model, prints the plan for `host`, and writes
/// the files when asked. `Err` is a message for the user (exit code 2).
fn init(
    registry: &Registry,
    config: &Config,
    host: hosts::Host,
    path: &Path,
    write: bool,
) -> Result<String, String> {
    if !path.is_dir() {
        return Err(format!("{}: not a directory", path.display()));
    }
    let scanner = Scanner::new(registry, config, 0).map_err(|e| e.0)?;
    let app = scanner
        .scan(&[path.to_path_buf()])
        .apps
        .into_iter()
        .next()
        .unwrap_or_default();
    let plan = hosts::init::plan(host, &app, &hosts::init::app_name(&app, path));
    let mut out = twelve::report::init::render(host, &plan);
    if write {
        let lines = hosts::init::write(path, &plan)
            .map_err(|e| format!("cannot write in {}: {e}", path.display()))?;
        out.push('\n');
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// `twelve init` honours the app's `twelve.toml` (its `[production.env]` above all).
fn init_config(registry: &Registry, path: &Path) -> Result<Config, String> {
    let file = path.join("twelve.toml");
    if !file.is_file() {
        return Ok(Config::default());
    }
    Config::load(&file, registry).map_err(|e| format!("{:?}", miette::Report::new(e)))
}

fn print(out: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`twelve check | head`) is not an error worth a message.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => fail(&format!("cannot write output: {err}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("twelve: error: {message}");
    ExitCode::from(EXIT_ERROR)
}
