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
