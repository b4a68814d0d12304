//! Where an image link in the report points, relative to the `reports/` folder the graders
//! collect, what it finds there when looked up the way the graders' Linux tool looks it up, and
//! whether its file type is one the course accepts.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::report::REPORTS_DIR;

/// File types the course asks for.
pub const ACCEPTED_TYPES: [&str; 3] = ["png", "jpg", "jpeg"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path inside `reports/`, normalised (no `.`/`..`), its names joined by `/`.
    Local(String),
    /// A web address or a `data:` URI: nothing to find on disk.
    Remote,
    /// An absolute path or one that climbs out of `reports/`.
    Outside,
    /// Nothing between the parentheses.
    Empty,
}

/// Resolve the destination of an image link (the part between the parentheses, with or
/// without a title) against `reports/`. Only `/` separates names, as on Linux: a `\` is part
/// of a name there.
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
    if path.starts_with('/') {
        return Target::Outside;
    }
    let mut inside: Vec<&str> = Vec::new();
    for name in path.split('/') {
        match name {
            "" | "." => {}
            ".." => {
                if inside.pop().is_none() {
                    return Target::Outside;
                }
            }
            name => inside.push(name),
        }
    }
    if inside.is_empty() {
        Target::Empty
    } else {
        Target::Local(inside.join("/"))
    }
}

/// Whether a file name ends in one of [`ACCEPTED_TYPES`] (any case).
pub fn accepted_type(relative: &str) -> bool {
    relative
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .is_some_and(|(_, ext)| ACCEPTED_TYPES.iter().any(|t| ext.eq_ignore_ascii_case(t)))
}

/// What a [`Target::Local`] path finds under `reports/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A file inside the project (itself, or what a symbolic link inside the project names).
    File(PathBuf),
    /// No file by exactly that name; `near` is one the link may have meant.
    Missing { near: Option<Near> },
    /// A symbolic link that resolves to this path outside the project: the graders' clone of
    /// the repository does not have it, and the page does not embed it.
    OutsideProject(PathBuf),
    /// The file or a folder on the way cannot be read.
    Unreadable(String),
}

/// A file that exists under a name close to the one in the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Near {
    /// The same names in another case: found on macOS and Windows, missing on Linux.
    Case(String),
    /// The link separates names with `\`, which Linux reads as part of a name.
    Slashes(String),
}

/// The report's folder and the project around it, for looking up image links.
#[derive(Debug, Clone)]
pub struct Figures {
    dir: PathBuf,
    /// The project, resolved: the folder that holds `reports/`, or the report's own folder
    /// when it is not called `reports`.
    root: PathBuf,
}

impl Figures {
    pub fn new(report_dir: &Path) -> Self {
        let dir = report_dir.to_path_buf();
        let resolved = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        let root = match resolved.parent() {
            Some(parent) if resolved.file_name().is_some_and(|n| n == REPORTS_DIR) => {
                parent.to_path_buf()
            }
            _ => resolved.clone(),
        };
        Self { dir, root }
    }

    /// Look up a path relative to `reports/` (as [`Target::Local`] holds it), comparing every
    /// name exactly, whatever the file system here would match.
    pub fn find(&self, relative: &str) -> Lookup {
        let path = match self.exact(relative) {
            Ok(Walk::Exact(path)) => path,
            Ok(Walk::Case(actual)) => return missing(Some(Near::Case(actual))),
            Ok(Walk::Missing) => {
                let slashed = relative.replace('\\', "/");
                let near = match resolve(&slashed) {
                    Target::Local(other) if other != relative => match self.exact(&other) {
                        Ok(Walk::Exact(_)) => Some(Near::Slashes(other)),
                        _ => None,
                    },
                    _ => None,
                };
                return missing(near);
            }
            Err(err) => return Lookup::Unreadable(err.to_string()),
        };
        match fs_err::canonicalize(&path) {
            Ok(real) if !real.starts_with(&self.root) => Lookup::OutsideProject(real),
            Ok(_) if path.is_file() => Lookup::File(path),
            Ok(_) => missing(None),
            Err(err) if err.kind() == ErrorKind::NotFound => missing(None),
            Err(err) => Lookup::Unreadable(err.to_string()),
        }
    }

    fn exact(&self, relative: &str) -> std::io::Result<Walk> {
        let mut path = self.dir.clone();
        let mut actual = Vec::new();
        let mut case_differs = false;
        for name in relative.split('/') {
            let names: Vec<OsString> = match fs_err::read_dir(&path) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.file_name()))
                    .collect(),
                Err(err)
                    if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) =>
                {
                    return Ok(Walk::Missing);
                }
                Err(err) => return Err(err),
            };
            let found = names.iter().find(|n| *n == name).or_else(|| {
                let lower = name.to_lowercase();
                case_differs = true;
                names
                    .iter()
                    .find(|n| n.to_str().is_some_and(|n| n.to_lowercase() == lower))
            });
            let Some(found) = found else {
                return Ok(Walk::Missing);
            };
            actual.push(found.to_string_lossy().into_owned());
            path.push(found);
        }
        Ok(if case_differs {
            Walk::Case(actual.join("/"))
        } else {
            Walk::Exact(path)
        })
    }
}

enum Walk {
    Exact(PathBuf),
    Case(String),
    Missing,
}

fn missing(near: Option<Near>) -> Lookup {
    Lookup::Missing { near }
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
        Target::Local(path.to_string())
    }

    #[test]
    fn relative_paths_are_normalised_inside_reports() {
        assert_eq!(resolve("figures/a.png"), local("figures/a.png"));
        assert_eq!(
            resolve("./figures/../figures//a.png"),
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
    fn a_backslash_is_part_of_a_name_as_on_linux() {
        assert_eq!(resolve("figures\\a.png"), local("figures\\a.png"));
        assert_eq!(resolve("..\\a.png"), local("..\\a.png"));
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
        assert!(accepted_type("figures/a.PNG"));
        assert!(accepted_type("a.jpeg"));
        assert!(!accepted_type("a.gif"));
        assert!(!accepted_type("figures/png"));
        assert!(!accepted_type("figures.png/plot"));
    }

    /// A project with `reports/figures/plot.png` and `docs/diagram.png`, and a file outside it.
    fn project() -> (tempfile::TempDir, Figures) {
        let top = tempfile::tempdir().unwrap();
        let figures = top.path().join("project/reports/figures");
        fs_err::create_dir_all(&figures).unwrap();
        fs_err::create_dir_all(top.path().join("project/docs")).unwrap();
        fs_err::write(figures.join("plot.png"), "png").unwrap();
        fs_err::write(top.path().join("project/docs/diagram.png"), "png").unwrap();
        fs_err::write(top.path().join("secret.png"), "private").unwrap();
        let found = Figures::new(&top.path().join("project/reports"));
        (top, found)
    }

    #[test]
    fn names_are_compared_exactly_whatever_the_file_system() {
        let (top, figures) = project();
        let plot = top.path().join("project/reports/figures/plot.png");
        assert_eq!(figures.find("figures/plot.png"), Lookup::File(plot));
        assert_eq!(
            figures.find("Figures/Plot.PNG"),
            missing(Some(Near::Case("figures/plot.png".into())))
        );
        assert_eq!(
            figures.find("figures\\plot.png"),
            missing(Some(Near::Slashes("figures/plot.png".into())))
        );
        assert_eq!(figures.find("figures/gone.png"), missing(None));
        assert_eq!(figures.find("figures"), missing(None));
        assert_eq!(figures.find("figures/plot.png/x"), missing(None));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_while_they_stay_inside_the_project() {
        use std::os::unix::fs::symlink;
        let (top, figures) = project();
        let dir = top.path().join("project/reports/figures");
        symlink(top.path().join("secret.png"), dir.join("leak.png")).unwrap();
        symlink("../../docs/diagram.png", dir.join("diagram.png")).unwrap();
        symlink(top.path(), dir.join("up")).unwrap();
        symlink("nowhere.png", dir.join("dangling.png")).unwrap();
        let secret = top.path().canonicalize().unwrap().join("secret.png");
        assert_eq!(
            figures.find("figures/leak.png"),
            Lookup::OutsideProject(secret.clone())
        );
        assert_eq!(
            figures.find("figures/up/secret.png"),
            Lookup::OutsideProject(secret)
        );
        assert!(matches!(
            figures.find("figures/diagram.png"),
            Lookup::File(_)
        ));
        assert_eq!(figures.find("figures/dangling.png"), missing(None));
    }

    #[test]
    fn a_report_outside_a_reports_folder_is_its_own_project() {
        let top = tempfile::tempdir().unwrap();
        fs_err::write(top.path().join("a.png"), "png").unwrap();
        let figures = Figures::new(top.path());
        assert!(matches!(figures.find("a.png"), Lookup::File(_)));
    }
}
