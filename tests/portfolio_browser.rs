//! The portfolio page as a person's browser sees it: headless Chromium runs the page's
//! script and dumps the DOM, which must hold the matrix, the drill-downs and the
//! script's controls; html5lib (Python) checks the markup parses without an error.
//! Both clients fail the test under CI when missing (.ci/run installs them).

mod common;

use common::{client_available, fixture_reports, run};
use std::path::Path;
use std::process::Command;

fn fixture_portfolio(dir: &Path) -> std::path::PathBuf {
    let reports = dir.join("reports");
    std::fs::create_dir(&reports).unwrap();
    fixture_reports(&reports);
    let html = dir.join("portfolio.html");
    let (code, _, stderr) = run(
        dir,
        &["portfolio", "reports", "--output", html.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    html
}

fn dump_dom(page: &Path) -> String {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_shows_the_matrix_and_the_drill_downs() {
    if !client_available("chromium", &["chromium", "--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = fixture_portfolio(dir.path());
    let dom = dump_dom(&page);
    let names = common::fixture_apps();
    let apps = names.len();
    // Apps are sorted by name, as the fixtures are.
    let flask = names.iter().position(|a| a == "flask-violations").unwrap();
    // The script ran: the filter is shown, counts the rows, and headers sort.
    assert!(
        dom.contains(&format!("{apps} of {apps} apps shown")),
        "{dom}"
    );
    assert!(!dom.contains("id=\"controls\" class=\"controls\" hidden"));
    assert!(dom.contains("<th scope=\"col\"><button type=\"button\">App</button></th>"));
    let matrix = &dom[dom.find("id=\"matrix-table\"").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert_eq!(matrix.matches("<tr data-verdicts=").count(), apps);
    assert!(matrix.contains(
        "<tr data-verdicts=\"ready ready ready\"><th scope=\"row\"><a href=\"#app-0\">fixtures/django-clean</a>"
    ));
    assert!(matrix.contains("✕ blocked <span class=\"score\">"));
    // Drill-downs: findings with file:line and rule, causes per host, fixes.
    assert!(dom.contains(&format!(
        "<h3 id=\"app-{flask}-name\">fixtures/flask-violations</h3>"
    )));
    assert!(dom.contains("<code>app/config.py:8</code>"));
    assert!(
        dom.contains("<a href=\"#cause-backing-service-url\"><code>backing-service-url</code></a>")
    );
    assert!(dom.contains("<dt id=\"cause-missing-procfile\">"));
    assert!(dom.contains("<h3>Scaleway Serverless Containers</h3>"));
    // An anchor to an app opens its drill-down.
    let opened = dump_dom(Path::new(&format!("{}#app-{flask}", page.display())));
    let section = &opened[opened.find(&format!("id=\"app-{flask}\"")).unwrap()..];
    assert!(section[..section.find("</section>").unwrap()].contains("<details open=\"\">"));
    let closed = &dom[dom.find(&format!("id=\"app-{flask}\"")).unwrap()..];
    assert!(!closed[..closed.find("</section>").unwrap()].contains("<details open"));
}

#[test]
fn the_html_parses_without_an_error() {
    let probe = ["python3", "-c", "import html5lib"];
    if !client_available("python3 with html5lib", &probe) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let portfolio = fixture_portfolio(dir.path());
    let check = dir.path().join("check.html");
    let (_, html, _) = run(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "fixtures/rails-violations", "--format", "html"],
    );
    std::fs::write(&check, html).unwrap();
    for page in [portfolio, check] {
        // html5lib's strict parser raises on the first parse error the HTML standard defines.
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys, html5lib; html5lib.HTMLParser(strict=True).parse(open(sys.argv[1], 'rb'))",
            ])
            .arg(&page)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
