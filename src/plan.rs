//! What a render produces, as plain data: every output path with its bytes and mode, and the
//! template paths that conditions left out. No disk, no answers file, no git.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A path inside the destination: `/`-separated components, none empty, `.`, `..` or `.git`,
/// none holding a separator. Only [`RelPath::from_components`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// Join components into a path, or say why they would leave the destination or could not
    /// be written and read back the same on every system (a project is cloned on Windows too).
    pub fn from_components(parts: &[String]) -> Result<Self, &'static str> {
        for part in parts {
            let reason = if part.is_empty() {
                Some("has an empty component")
            } else if part == ".." || part == "." {
                Some("contains `.` or `..`")
            } else if part.eq_ignore_ascii_case(".git") {
                Some("writes into `.git`, which belongs to git")
            } else if part.contains(['/', '\\']) {
                Some("puts a path separator inside one name")
            } else if part.chars().any(|c| c.is_control()) {
                Some("holds a control character (a newline, a tab, NUL …)")
            } else if part.contains(['<', '>', ':', '"', '|', '?', '*']) {
                Some("holds a character Windows does not allow in names (< > : \" | ? *)")
            } else if is_reserved_on_windows(part) {
                Some("is a name Windows reserves for devices (CON, NUL, COM1 …)")
            } else if part.ends_with(['.', ' ']) {
                Some("ends with a dot or a space, which Windows drops")
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

/// CON, PRN, AUX, NUL, COM1–9 and LPT1–9, with any extension, in any case.
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
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

/// A file's bytes, or where to copy them from: a folder template's file copied as it is is
/// read when it is written, so a large template is never held in memory at once.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Borrowed when the bytes are an embedded template's own, owned when rendered.
    Bytes(Cow<'static, [u8]>),
    /// A file on disk, to be copied byte for byte.
    File { path: PathBuf, len: u64 },
}

impl Contents {
    /// The bytes, read from disk for a [`Contents::File`].
    pub fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Contents::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Contents::File { path, .. } => Ok(Cow::Owned(fs_err::read(path)?)),
        }
    }

    pub fn len(&self) -> u64 {
        match self {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::File { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether two contents hold the same bytes (reading files only when lengths agree).
    pub fn same_as(&self, other: &Contents) -> std::io::Result<bool> {
        Ok(self.len() == other.len() && self.read()? == other.read()?)
    }
}

impl From<Vec<u8>> for Contents {
    fn from(bytes: Vec<u8>) -> Self {
        Contents::Bytes(Cow::Owned(bytes))
    }
}

impl From<Cow<'static, [u8]>> for Contents {
    fn from(bytes: Cow<'static, [u8]>) -> Self {
        Contents::Bytes(bytes)
    }
}

#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub contents: Contents,
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

    #[test]
    fn names_that_cannot_round_trip_everywhere_are_refused() {
        for bad in ["a\nb", "tab\there", "nul\0", "bell\u{7}"] {
            assert!(
                path(&[bad]).unwrap_err().contains("control character"),
                "{bad:?}"
            );
        }
        for bad in ["CON", "nul.txt", "Aux.py", "com1", "LPT9.log"] {
            assert!(path(&[bad]).unwrap_err().contains("reserves"), "{bad}");
        }
        for fine in ["console.py", "com0", "lpt", "connection.md", "null.txt"] {
            assert!(path(&[fine]).is_ok(), "{fine}");
        }
        assert!(
            path(&["a:b"])
                .unwrap_err()
                .contains("Windows does not allow")
        );
        assert!(
            path(&["trailing."])
                .unwrap_err()
                .contains("ends with a dot")
        );
    }
}
