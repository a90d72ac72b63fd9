//! The command line: `twelve check`, `twelve rules`, `twelve explain`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use twelve::config::FailOn;
use twelve::hosts::{Compliance, Host};
use twelve::report::Format;
use twelve::report::text::PortabilityView;

const AFTER_HELP: &str = "\
Examples:
  twelve check                      scan the current directory
  twelve check fixtures/express-uploads --format json
  twelve check --fail-on warning --ignore log-to-file
  twelve check --format sarif --output twelve.sarif   SARIF to a file, text on screen
  twelve check --diff-base origin/main                only lines changed since main
  twelve check --write-baseline twelve-baseline.json  record today's findings
  twelve check --baseline twelve-baseline.json        report only new ones
  twelve rules                      list every rule
  twelve explain hardcoded-port     full docs of one rule
  twelve check --platform scalingo --require hds
  twelve init --platform scaleway   the missing deployment files for a host
  twelve portfolio reports/ --output portfolio.html   merge many check reports

Exit codes:
  0  no finding at or above the fail level
  1  findings at or above the fail level (--fail-on, default: error)
  2  usage, configuration or I/O error on the target; with --strict, also a path
     that could not be read during the scan";

#[derive(Debug, Parser)]
#[command(name = "twelve", version, about = "Twelve-factor compliance linter for apps deployed to a PaaS", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an application repository and report twelve-factor violations.
    #[command(after_help = AFTER_HELP)]
    Check(Box<CheckArgs>),
    /// List every rule: id, factor, severity, title.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
        /// Print every pattern regex, one per line (for `rg -f`, as the benchmark does).
        #[arg(long)]
        export_patterns: bool,
    },
    /// Print the full documentation of a rule.
    Explain {
        /// A rule id, as listed by `twelve rules`.
        rule: String,
    },
    /// Run the language server on stdin and stdout (diagnostics on open and save, the
    /// rule's docs on hover, suppression quick fixes), for editors.
    Server,
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): `twelve man > twelve.1`, `twelve man check > twelve-check.1`.
    Man {
        /// A subcommand's own page (`check`, `rules`...), with all its options.
        command: Option<String>,
    },
    /// Print the deployment files a host needs that the app lacks (Procfile,
    /// scalingo.json, Dockerfile...) and the environment variables to set.
    Init {
        /// The target host.
        #[arg(long, value_enum)]
        platform: Host,
        /// The application's directory.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write the missing files (an existing file is never overwritten).
        #[arg(long)]
        write: bool,
    },
    /// Merge the JSON reports of many repositories (`twelve check --format json`)
    /// into one portfolio: readiness per app and host, factors, blockers, health data.
    Portfolio(PortfolioArgs),
}

#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// Check reports, or folders searched for `*.json` reports.
    #[arg(required = true, value_name = "REPORT.json")]
    pub reports: Vec<PathBuf>,
    /// Output format (default: html with --output FILE.html, else markdown).
    #[arg(long, value_enum)]
    pub format: Option<twelve::portfolio::Format>,
    /// Write the portfolio to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// An earlier portfolio (`--format json`) to show what improved and regressed.
    #[arg(long, value_name = "OLD.json")]
    pub previous: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Directories to scan; given only files (as pre-commit does), the repository is
    /// scanned from its root and only findings in those files are reported.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the chosen format to FILE; the terminal shows the text report.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the fingerprints of today's findings in FILE, then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings on lines added or changed since this git revision.
    #[arg(long, value_name = "REF")]
    pub diff_base: Option<String>,
    /// Configuration file (default: the nearest .twelve.toml or twelve.toml from the
    /// scanned path up to its repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// When to use colours in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// The portability report in text output: in full, one line per host, or none
    /// (default: summary when files are named, as pre-commit does; full otherwise).
    #[arg(long, value_enum, value_name = "VIEW")]
    pub portability: Option<PortabilityView>,
    /// Print how many findings each rule has instead of the findings (text output).
    #[arg(long)]
    pub statistics: bool,
    /// Print only the summary line (text format).
    #[arg(long, short)]
    pub quiet: bool,
    /// Skip files larger than this many bytes (default: `max-file-size` of the config, else 1 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Follow symbolic links that stay inside the scanned folder (loops are detected).
    #[arg(long)]
    pub follow: bool,
    /// Do not enter folders on another file system than the scanned folder's (the
    /// default; kernel file systems such as /proc and /sys are never entered).
    #[arg(long, overrides_with = "no_one_file_system")]
    pub one_file_system: bool,
    /// Enter folders on other file systems (mount points) too.
    #[arg(long, overrides_with = "one_file_system")]
    pub no_one_file_system: bool,
    /// Print the secrets found in full instead of their first characters and a mask.
    /// For local use only: CI logs, SARIF uploads and job summaries are read by others.
    #[arg(long)]
    pub show_secrets: bool,
    /// Exit with code 2 when a path could not be read (permission denied...).
    #[arg(long)]
    pub strict: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Hosts of the portability report (comma-separated; default: all, or `platforms` in twelve.toml).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "HOST,...")]
    pub platform: Vec<Host>,
    /// Keep only the hosts that hold this compliance label; none left is an error.
    #[arg(long, value_enum)]
    pub require: Option<Compliance>,
    /// Print the configuration in force (file found, and settings after the command
    /// line's options) as TOML, then exit without scanning.
    #[arg(long)]
    pub show_config: bool,
    /// The repository's name in the JSON and HTML reports (default: `owner/name` of the
    /// git remote `origin`, else the folder's name).
    #[arg(long, value_name = "NAME")]
    pub repository: Option<String>,
    /// The commit scanned (default: git's `HEAD`), for exported trees.
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
}

/// Output formats of `twelve rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
