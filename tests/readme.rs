//! The README's rule table is generated from the rule files; this test fails when they
//! drift apart. `UPDATE_README=1 cargo test --test readme` rewrites the table.

use twelve::report::rules_doc::markdown_table;
use twelve::rules::Registry;

const BEGIN: &str = "<!-- rules:begin -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rule_table_matches_the_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme.find(BEGIN).expect("rules:begin marker") + BEGIN.len();
    let end = readme.find(END).expect("rules:end marker");
    let table = markdown_table(&Registry::builtin().expect("rules load"));
    if readme[start..end] != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README rule table is stale: run `UPDATE_README=1 cargo test --test readme`");
        }
    }
}

/// `docs/rules/ID.md`, each rule's published docs (the SARIF `helpUri`), is
/// `twelve explain ID`; `UPDATE_README=1` rewrites them too.
#[test]
fn rule_pages_match_the_rules() {
    let registry = Registry::builtin().expect("rules load");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut stale = Vec::new();
    for rule in &registry.rules {
        let path = dir.join(format!("{}.md", rule.id()));
        let page = twelve::report::rules_doc::explain(rule);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).expect("mkdir docs/rules");
                std::fs::write(&path, page).expect("write rule page");
            } else {
                stale.push(rule.id().to_string());
            }
        }
    }
    let pages = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert!(
        stale.is_empty(),
        "stale rule pages {stale:?}: run `UPDATE_README=1 cargo test --test readme`"
    );
    assert_eq!(
        pages,
        registry.rules.len(),
        "one page per rule in docs/rules/"
    );
}
