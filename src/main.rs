//! Wires the command line to the scan and the reporters; nothing else lives here.

mod cli;

use clap::{CommandFactory, Parser};
use cli::{CheckArgs, Cli, Color, Command, PortfolioArgs, RulesFormat};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use twelve::anchor::Anchors;
use twelve::baseline;
use twelve::config::Config;
use twelve::discover;
use twelve::hosts::{self, Targets};
use twelve::narrow::Narrowing;
use twelve::redact::Redactor;
use twelve::report::text::PortabilityView;
use twelve::report::{self, Format, escape, github, rules_doc, text};
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
    // Kept to the end of the process, which frees it at once: dropping its ~70 rules
    // one by one was a millisecond of every run.
    let registry = match Registry::builtin() {
        Ok(registry) => std::mem::ManuallyDrop::new(registry),
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
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "twelve", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
        Command::Man { command } => man_page(command.as_deref()),
        Command::Server => match twelve::server::run(&registry) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&message),
        },
        Command::Init {
            platform,
            path,
            write,
        } => match init_config(&registry, &path)
            .and_then(|config| init(&registry, &config, platform, &path, write))
        {
            // The files it proposes quote the repository (start commands): shown safely.
            Ok(out) => print(&escape::visible_lines(
                &Redactor::shared(&registry).redact(&out),
            )),
            Err(message) => fail(&escape::visible(&message)),
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
    let file_mode = selection.is_some();
    if let Some(selection) = &selection {
        args.paths = vec![selection.root.clone()];
    }
    let config_file = match config_path(&args) {
        Ok(path) => path,
        Err(message) => return fail(&message),
    };
    let mut config = match load_config(registry, config_file.as_deref()) {
        Ok(config) => config,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let terminal_format =
        args.output.is_some() || matches!(args.format, Format::Text | Format::Concise);
    if args.statistics && !terminal_format {
        return fail(
            "--statistics replaces the text or concise report; write other formats with --output FILE",
        );
    }
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
    config.show_secrets = args.show_secrets;
    config.one_file_system = !args.no_one_file_system;
    if args.show_config {
        let from = config_file.as_ref().map_or_else(
            || "no configuration file: defaults".to_string(),
            |p| format!("configuration from {}", p.display()),
        );
        return print(&format!(
            "# twelve: {from}, with the command line's options\n{}",
            config.to_toml()
        ));
    }
    let narrowing = match Narrowing::prepare(
        selection,
        &args.paths,
        args.diff_base.as_deref(),
        args.baseline.as_deref(),
    ) {
        Ok(narrowing) => narrowing,
        Err(message) => return fail(&message),
    };
    let targets = Targets {
        hosts: if args.platform.is_empty() {
            config.platforms.clone()
        } else {
            args.platform.clone()
        },
        require: args.require,
    };
    if let Some(excluded) = targets.unmet_requirement() {
        let reasons: Vec<String> = excluded
            .iter()
            .map(|e| format!("  {}: {}", e.host.id(), e.reason))
            .collect();
        let label = format!("{:?}", args.require.expect("a requirement")).to_lowercase();
        return fail(&format!(
            "--require {label} leaves no host to check; excluded:\n{}",
            reasons.join("\n")
        ));
    }
    let scanner = match Scanner::new(registry, &config, args.threads) {
        Ok(scanner) => scanner,
        Err(err) => return fail(&err.0),
    };
    let mut report = scanner.scan(&args.paths);
    // The reporters' last pass over the output shares the redactor of these rules (a
    // clean report used to load the rules a second time for it).
    Redactor::shared(registry);
    report.anchors = Anchors::for_roots(&args.paths);
    report.platforms = hosts::assess_apps(&report.apps, &report.findings, registry, &targets);
    if let Some(p) = &mut report.platforms {
        hosts::note_rules_off(p, registry, |id| config.rule_enabled(id));
    }
    if report.platforms.is_none() {
        report.no_verdict = Some(hosts::why_no_verdict(
            report.roots,
            &report.apps,
            &report.findings,
            &report.summary.problems,
        ));
    }
    // Only the JSON document (and the HTML page made from it) names the repository: the
    // other formats spare the git runs.
    let names_repository = matches!(args.format, Format::Json | Format::Html);
    if let ([root], true) = (args.paths.as_slice(), names_repository) {
        report.repository = Some(twelve::identity::detect(
            root,
            args.repository.as_deref(),
            args.commit.as_deref(),
        ));
    }
    narrowing.scope(&mut report, registry);
    if let Some(p) = &mut report.platforms {
        hosts::mark_hidden(p, &report.findings, "outside the files or changes checked");
    }
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
    if let Some(p) = &mut report.platforms {
        hosts::mark_hidden(p, &report.findings, "in the baseline");
    }
    if hidden > 0 && !args.quiet {
        eprintln!("twelve: {hidden} findings in the baseline are not shown");
    }
    let printed = output(registry, &report, &args, file_mode);
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
fn output(registry: &Registry, report: &Report, args: &CheckArgs, file_mode: bool) -> ExitCode {
    let terminal = std::io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && colors_allowed(),
    };
    let mut options = text::TextOptions {
        color: false,
        quiet: args.quiet,
        width: 100,
        portability: args.portability.unwrap_or(if file_mode {
            PortabilityView::Summary
        } else {
            PortabilityView::Full
        }),
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
    options.width = terminal_width(terminal);
    let format = if args.output.is_some() {
        Format::Text
    } else {
        args.format
    };
    if args.statistics {
        return print(&report::statistics::render(report, registry));
    }
    print(&report::render(format, report, registry, &options))
}

/// no-color.org: `NO_COLOR` set to anything but the empty string turns colours off;
/// so does a terminal that declares it has none (`TERM=dumb`).
fn colors_allowed() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

/// Text wraps at `COLUMNS` when set, else at the terminal's width, else at 100.
fn terminal_width(terminal: bool) -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let measured = || {
        terminal
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten()
    };
    columns.or_else(measured).unwrap_or(100).clamp(40, 400)
}

/// `--config FILE`, else the file found from the scanned paths up to their repository
/// root (one for all of them), else none: the defaults.
fn config_path(args: &CheckArgs) -> Result<Option<PathBuf>, String> {
    if let Some(path) = &args.config {
        return Ok(Some(path.clone()));
    }
    let found: BTreeSet<Option<PathBuf>> =
        args.paths.iter().map(|p| discover::config_for(p)).collect();
    if found.len() > 1 {
        let names: Vec<String> = found
            .iter()
            .map(|p| {
                p.as_ref()
                    .map_or_else(|| "none".into(), |p| p.display().to_string())
            })
            .collect();
        return Err(format!(
            "the scanned paths have different configuration files ({}); scan them one at a \
             time, or choose one with --config",
            names.join(", ")
        ));
    }
    Ok(found.into_iter().next().flatten())
}

fn load_config(registry: &Registry, path: Option<&Path>) -> Result<Config, miette::Report> {
    match path {
        Some(path) => Config::load(path, registry).map_err(miette::Report::new),
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

/// `twelve init` honours the app's configuration (its `[production.env]` above all),
/// found as `twelve check` finds it.
fn init_config(registry: &Registry, path: &Path) -> Result<Config, String> {
    load_config(registry, discover::config_for(path).as_deref()).map_err(|e| format!("{e:?}"))
}

/// The roff page of twelve, or of one subcommand (named `twelve-check` as git does).
fn man_page(subcommand: Option<&str>) -> ExitCode {
    let cli = Cli::command();
    let page = match subcommand {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("twelve-{name}")),
            None => {
                return fail(&format!(
                    "no subcommand `{name}`; `twelve --help` lists them"
                ));
            }
        },
    };
    let mut out = Vec::new();
    match clap_mangen::Man::new(page).render(&mut out) {
        Ok(()) => print(&String::from_utf8_lossy(&out)),
        Err(err) => fail(&format!("cannot render the man page: {err}")),
    }
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
