use super::*;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs_err::create_dir_all(path.parent().unwrap()).unwrap();
    fs_err::write(path, text).unwrap();
}

/// A folder that sorts first and holds most files must not crowd out the evidence.
#[test]
fn a_large_tree_keeps_top_level_files_and_usual_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for i in 0..30 {
        write(root, &format!("aaa_bulk/part{}/m{i}.py", i % 3), "x = 1\n");
    }
    write(root, "pyproject.toml", "[project]\nname = \"p\"\n");
    write(root, ".gitignore", "cache/\n");
    write(root, "cache/blob.py", "x = 1\n");
    write(root, ".github/workflows/tests.yaml", "on: push\n");
    write(root, "src/pkg/train.py", "import torch\n");
    write(root, "zzz/late.py", "x = 2\n");
    let limits = Limits {
        listed: 20,
        read: 5,
    };
    let (files, skipped) = walk(root, limits);
    let text = |path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.is_some())
    };
    assert_eq!(text("pyproject.toml"), Some(true));
    assert_eq!(text(".github/workflows/tests.yaml"), Some(true));
    assert_eq!(text("src/pkg/train.py"), Some(true));
    assert_eq!(text("cache/blob.py"), None, "ignored by .gitignore");
    assert_eq!(text("zzz/late.py"), None, "never reached");
    assert_eq!(files.len(), 20);
    assert_eq!(skipped.stopped_in.as_deref(), Some("aaa_bulk/"));
    assert_eq!(skipped.not_entered, ["zzz/"]);
    assert_eq!(skipped.unread, [("aaa_bulk/".to_string(), 14)]);
    assert_eq!(
        skipped.notes(),
        [
            "the project has more than 20 files: the walk stopped inside aaa_bulk/, and never entered zzz/",
            "only 5 of the project's files were read (top-level files and the usual folders first, then the shallowest); not read: 14 files (14 in aaa_bulk/)",
        ]
    );
}

#[test]
fn a_tree_within_the_limits_is_whole_and_says_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/pkg/a.py", "x = 1\n");
    write(dir.path(), "README.md", "# p\n");
    let (files, skipped) = walk(dir.path(), Limits::DEFAULT);
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|(_, text)| text.is_some()));
    assert!(skipped.notes().is_empty());
}

#[test]
fn large_counts_are_grouped_by_thousands() {
    assert_eq!(thousands(7), "7");
    assert_eq!(thousands(20_000), "20,000");
    assert_eq!(thousands(1_234_567), "1,234,567");
}
