//! The README is read in a clone, on the forge and, once released, as the PyPI and crates.io
//! page. In the checkout its links into the repository are relative (the release workflow makes
//! them absolute with the address it runs at: scripts/release_links.py), so each must lead to a
//! file or folder that is there.

use std::path::Path;

#[test]
fn readme_links_into_the_repository_lead_to_files_that_exist() {
    let readme = include_str!("../../README.md");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let links: Vec<&str> = readme
        .split("](")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
        .filter(|link| {
            !link.contains("://") && !link.starts_with('#') && !link.starts_with("mailto:")
        })
        .collect();
    assert!(links.len() >= 5, "{links:?}");
    for link in links {
        let path = link.split('#').next().unwrap();
        assert!(
            root.join(path).exists(),
            "README.md links to {link}, which is not in the checkout"
        );
    }
}
