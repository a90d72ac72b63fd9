//! `twelve portfolio`: many repositories' check reports merged into one portfolio, shown
//! as HTML, Markdown, CSV or JSON. It reads the documented JSON wire format
//! (`wire`), never the scanner's types, so reports from other machines and other twelve
//! versions of the same JSON version merge.

pub mod csv;
pub mod html;
pub mod load;
pub mod markdown;
pub mod merge;
pub mod model;
pub mod trend;
pub mod wire;

pub use model::Portfolio;

/// Output formats of `twelve portfolio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained page: matrix, factors, blockers, health data, drill-downs.
    Html,
    /// A Markdown summary (matrix and top blockers), for a job summary or an issue.
    Markdown,
    /// The portfolio document, for tools and for a later `--previous`.
    Json,
    /// One row per app and host, for a spreadsheet.
    Csv,
}

/// Loads the reports under `inputs`, merges them and compares with `previous`.
pub fn build(
    inputs: &[std::path::PathBuf],
    previous: Option<&std::path::Path>,
) -> Result<Portfolio, String> {
    let files = load::expand(inputs)?;
    let previous = previous.map(trend::read_previous).transpose()?;
    let mut portfolio = merge::merge(load::load_all(&files)?)?;
    if let Some(previous) = previous {
        portfolio.trends = Some(trend::compare(&previous, &portfolio));
    }
    Ok(portfolio)
}

/// The portfolio in `format`.
pub fn render(portfolio: &Portfolio, format: Format) -> String {
    match format {
        Format::Html => html::render(portfolio, html::Page::Portfolio),
        Format::Markdown => markdown::render(portfolio),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(portfolio).expect("plain data serialises");
            out.push('\n');
            out
        }
        Format::Csv => csv::render(portfolio),
    }
}

/// One repository's check report as a page from the portfolio's templates
/// (`twelve check --format html`), read back from its own JSON document.
pub fn check_html(json: &str) -> String {
    let report = serde_json::from_str(json).expect("the check's own JSON document reads back");
    let loaded = load::Loaded {
        // No report file: the page is the check itself.
        path: String::new(),
        report,
    };
    // One report cannot name a repository twice.
    let portfolio = merge::merge(vec![loaded]).expect("one report merges");
    html::render(&portfolio, html::Page::Check)
}
