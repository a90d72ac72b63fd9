//! Helpers shared by the integration tests.

/// A temporary folder holding `files` (path, text), parent folders created.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("has parent")).expect("mkdir");
        std::fs::write(full, text).expect("write file");
    }
    dir
}
