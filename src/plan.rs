//! What a render produces, as plain data: every output path with its bytes and mode, and the
//! template paths that conditions left out. No disk, no answers file, no git.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A path inside the destination: `/`-separated components, none empty, `.`, `..` or `.git`,
/// none holding a separator. Only [`RelPath::from_components`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// Join components into a path, or say why they would leave the destination.
    pub fn from_components(parts: &[String]) -> Result<Self, &'static str> {
        for part in parts {
            let reason = if part.is_empty() {
                Some("has an empty component")
            } else if part == ".." || part == "." {
                Some("contains `.` or `..`")
            } else if part.eq_ignore_ascii_case(".git") {
                Some("writes into `.git`, which belongs to git")
            } else if part.contains(['/', '\\']) || part.contains(':') && cfg!(windows) {
                Some("puts a path separator inside one name")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(reason);
            }
        }
        Ok(Self(parts.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<std::path::Path> for RelPath {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.0)
    }
}

#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Borrowed when the bytes are the embedded template's own (a copied file), else owned.
    pub contents: Cow<'static, [u8]>,
    pub executable: bool,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub files: BTreeMap<RelPath, PlannedFile>,
    /// Template source paths whose conditions were false, sorted.
    pub skipped: Vec<String>,
}

impl Plan {
    pub fn paths(&self) -> impl Iterator<Item = &RelPath> {
        self.files.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(parts: &[&str]) -> Result<RelPath, &'static str> {
        RelPath::from_components(&parts.iter().map(|p| p.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn paths_that_leave_the_destination_are_refused() {
        assert_eq!(
            path(&["src", "pkg", "a.py"]).unwrap().as_str(),
            "src/pkg/a.py"
        );
        assert_eq!(path(&["src", "..", "x"]), Err("contains `.` or `..`"));
        assert_eq!(path(&["a", ""]), Err("has an empty component"));
        assert_eq!(
            path(&[".GIT", "hooks"]),
            Err("writes into `.git`, which belongs to git")
        );
        assert_eq!(path(&["a/b"]), Err("puts a path separator inside one name"));
    }
}
