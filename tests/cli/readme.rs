//! The README is also the PyPI page and the crate's page, where a relative link leads nowhere:
//! every link is absolute, and those into this repository start with Cargo.toml's address,
//! which pyproject.toml's urls repeat.

/// The string at `path` (table names, then the key) in a TOML file's text.
fn value(toml: &str, path: &[&str]) -> String {
    let mut item: toml::Value = toml::from_str(toml).unwrap();
    for key in path {
        item = item
            .get(key)
            .unwrap_or_else(|| panic!("no {path:?}"))
            .clone();
    }
    item.as_str().unwrap().to_string()
}

#[test]
fn readme_links_are_absolute_and_follow_the_repository_address() {
    let readme = include_str!("../../README.md");
    let cargo = include_str!("../../Cargo.toml");
    let repository = value(cargo, &["package", "repository"]);
    let links: Vec<&str> = readme
        .split("](")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
        .collect();
    assert!(links.len() >= 5, "{links:?}");
    for link in &links {
        assert!(link.starts_with("https://"), "relative link {link}");
        if link.contains("/dayone/") {
            assert!(
                link.starts_with(&format!("{repository}/blob/main/")),
                "{link} is not under {repository}"
            );
        }
    }
    let pyproject = include_str!("../../pyproject.toml");
    assert_eq!(
        value(pyproject, &["project", "urls", "Repository"]),
        repository
    );
    assert_eq!(
        value(pyproject, &["project", "urls", "Documentation"]),
        value(cargo, &["package", "documentation"])
    );
}
