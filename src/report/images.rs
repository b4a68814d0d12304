//! Where an image link in the report points, relative to the `reports/` folder the graders
//! collect, and whether its file type is one the course accepts.

use std::path::{Component, Path, PathBuf};

/// File types the course asks for.
pub const ACCEPTED_TYPES: [&str; 3] = ["png", "jpg", "jpeg"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path inside `reports/`, normalised (no `.`/`..`).
    Local(PathBuf),
    /// A web address or a `data:` URI: nothing to find on disk.
    Remote,
    /// An absolute path or one that climbs out of `reports/`.
    Outside,
    /// Nothing between the parentheses.
    Empty,
}

/// Resolve the destination of an image link (the part between the parentheses, with or
/// without a title) against `reports/`.
pub fn resolve(destination: &str) -> Target {
    let dest = strip_title(destination.trim());
    let dest = dest
        .strip_prefix('<')
        .and_then(|d| d.strip_suffix('>'))
        .unwrap_or(dest);
    if dest.is_empty() {
        return Target::Empty;
    }
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("data:") || has_scheme(&lower) {
        return Target::Remote;
    }
    let path = percent_decode(dest.split(['?', '#']).next().unwrap_or(dest));
    let mut inside = PathBuf::new();
    for part in Path::new(&path).components() {
        match part {
            Component::Normal(name) => inside.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if !inside.pop() {
                    return Target::Outside;
                }
            }
            Component::RootDir | Component::Prefix(_) => return Target::Outside,
        }
    }
    if inside.as_os_str().is_empty() {
        Target::Empty
    } else {
        Target::Local(inside)
    }
}

/// Whether a file name ends in one of [`ACCEPTED_TYPES`] (any case).
pub fn accepted_type(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ACCEPTED_TYPES.iter().any(|t| e.eq_ignore_ascii_case(t)))
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `path "title"` or `path 'title'` → `path`; anything else is left whole, since the
/// graders' tool keeps spaces in paths too.
fn strip_title(dest: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(body) = dest.strip_suffix(quote) {
            if let Some(open) = body.rfind(quote) {
                let before = &body[..open];
                if before.ends_with([' ', '\t']) && !before.trim().is_empty() {
                    return before.trim_end();
                }
            }
        }
    }
    dest
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str) -> Target {
        Target::Local(PathBuf::from(path))
    }

    #[test]
    fn relative_paths_are_normalised_inside_reports() {
        assert_eq!(resolve("figures/a.png"), local("figures/a.png"));
        assert_eq!(
            resolve("./figures/../figures/a.png"),
            local("figures/a.png")
        );
        assert_eq!(
            resolve(" <figures/my shot.png> "),
            local("figures/my shot.png")
        );
        assert_eq!(
            resolve("figures/my%20shot.png"),
            local("figures/my shot.png")
        );
        assert_eq!(
            resolve("figures/Wandb shot.png"),
            local("figures/Wandb shot.png")
        );
        assert_eq!(resolve("figures/a.png \"A title\""), local("figures/a.png"));
        assert_eq!(resolve("figures/a.png?raw=true"), local("figures/a.png"));
    }

    #[test]
    fn escapes_urls_and_empty_targets_are_told_apart() {
        assert_eq!(resolve("../README.png"), Target::Outside);
        assert_eq!(resolve("/etc/a.png"), Target::Outside);
        assert_eq!(resolve("https://example.com/a.png"), Target::Remote);
        assert_eq!(resolve("data:image/png;base64,AAAA"), Target::Remote);
        assert_eq!(resolve(""), Target::Empty);
        assert_eq!(resolve("./"), Target::Empty);
        assert_eq!(resolve("100%zz.png"), local("100%zz.png"));
    }

    #[test]
    fn accepted_types_ignore_case() {
        assert!(accepted_type(Path::new("figures/a.PNG")));
        assert!(accepted_type(Path::new("a.jpeg")));
        assert!(!accepted_type(Path::new("a.gif")));
        assert!(!accepted_type(Path::new("figures/png")));
    }
}
