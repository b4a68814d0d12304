//! The last component of a project path written with `/`, the way the checklist's walk keeps
//! paths: what the walk, the vendored-code finder and the detectors all ask of a path.

/// The last path component.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_component() {
        assert_eq!(super::file_name("src/pkg/data.py"), "data.py");
        assert_eq!(super::file_name("README.md"), "README.md");
    }
}
