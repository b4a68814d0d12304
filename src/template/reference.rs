//! What the user typed for a template (`--template`, `dayone templates NAME`), classified in one
//! place: a built-in name, a folder, or a git repository with an optional ref and subfolder.
//!
//! One rule per form, tried in this order:
//! 1. `gh:OWNER/REPO` and `gl:GROUP/…/REPO`: GitHub and GitLab over https.
//! 2. `SCHEME://…` with a scheme git speaks (`https`, `http`, `ssh`, `git`, `file`): a URL.
//! 3. `USER@HOST:PATH` with no `/` or `\` before the `:`: git's ssh shorthand (`git@host:o/r`).
//!    A drive letter (`C:\t`, `C:/t`) comes first, so a Windows path is never one.
//! 4. A bare name of a built-in template: that template, even when a folder has its name
//!    (write `./NAME` for the folder).
//! 5. Anything else: a folder.
//!
//! A git form may end in `@REF` (tag, branch or commit) and `#SUBDIR`, in that order. The `@`
//! is the first one after the host, so an `@` in a user name (`git@…`, `ssh://git@…`) is never
//! a ref; an `@` that belongs to the path is written `%40`, which git decodes.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::template::source::Source;

/// A classified template argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateRef {
    Builtin(String),
    Folder(PathBuf),
    Git(GitLocation),
}

/// A template in a git repository, as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitLocation {
    /// The repository as typed (`gh:o/r` stays short), without `@REF` and `#SUBDIR`: what
    /// `.dayone.toml` records.
    pub url: String,
    /// The ref as typed; `None` means the repository's default branch.
    pub reference: Option<String>,
    /// The template's folder inside the repository, `/`-separated, without `.` or `..`.
    pub subdir: Option<String>,
}

/// The parts of a template argument given by their own flags: `--ref` and `--directory`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub reference: Option<&'a str>,
    pub directory: Option<&'a str>,
}

/// Schemes git fetches from that dayone passes on.
const SCHEMES: [&str; 7] = ["https", "http", "ssh", "git", "file", "git+ssh", "ssh+git"];

impl TemplateRef {
    /// Classify `given` (see the module's rules), with `--ref` and `--directory` in `extras`.
    pub fn classify(given: &str, extras: Extras) -> Result<Self> {
        let bad = |problem: String| Error::TemplateAddress {
            given: given.to_string(),
            problem,
        };
        if given.trim().is_empty() {
            return Err(bad(
                "it is empty; pass a built-in name, a folder or a git URL".into(),
            ));
        }
        if let Some((prefix, address)) = repository_form(given).map_err(bad)? {
            let (address, subdir) = split_subdir(address, extras.directory).map_err(bad)?;
            let (path, reference) = split_ref(address, extras.reference).map_err(bad)?;
            let url = format!("{prefix}{path}");
            check_repository(&url).map_err(bad)?;
            return Ok(TemplateRef::Git(GitLocation {
                url,
                reference,
                subdir,
            }));
        }
        if let Some(reference) = extras.reference {
            return Err(bad(format!(
                "--ref {reference} applies to a template from a git URL, and this is {}",
                if is_builtin(given) {
                    "a built-in template"
                } else {
                    "a folder"
                }
            )));
        }
        if is_builtin(given) {
            if let Some(directory) = extras.directory {
                return Err(bad(format!(
                    "--directory {directory} applies to a git URL or a folder, not to a built-in template"
                )));
            }
            return Ok(TemplateRef::Builtin(given.to_string()));
        }
        let folder = PathBuf::from(given);
        Ok(TemplateRef::Folder(match extras.directory {
            Some(directory) => {
                let subdir = clean_subdir(directory).map_err(bad)?;
                subdir.map_or(folder.clone(), |s| folder.join(s))
            }
            None => folder,
        }))
    }
}

impl GitLocation {
    /// The URL handed to git: shorthands spelled out.
    pub fn fetch_url(&self) -> String {
        if let Some(path) = self.url.strip_prefix("gh:") {
            format!("https://github.com/{path}.git")
        } else if let Some(path) = self.url.strip_prefix("gl:") {
            format!("https://gitlab.com/{path}.git")
        } else {
            self.url.clone()
        }
    }

    /// The location as one argument: `URL[@REF][#SUBDIR]`.
    pub fn display(&self) -> String {
        let mut out = self.url.clone();
        if let Some(reference) = &self.reference {
            out += &format!("@{reference}");
        }
        if let Some(subdir) = &self.subdir {
            out += &format!("#{subdir}");
        }
        out
    }
}

fn is_builtin(given: &str) -> bool {
    Source::builtin(given).is_some() && !looks_like_path(given)
}

/// Whether a value is a folder whatever the built-ins are called: it has a path separator of
/// any system (`a/b`, `C:\\t`, `..\\t`), a drive letter, or starts with a dot.
pub fn looks_like_path(value: &str) -> bool {
    value.contains(['/', '\\']) || value.starts_with('.') || has_drive(value)
}

fn has_drive(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic()
}

/// For a git form: the part up to where the path starts (kept as typed) and the rest, which
/// holds the path and any `@REF#SUBDIR`. `None` for anything that is not a git form.
fn repository_form(given: &str) -> Result<Option<(&str, &str)>, String> {
    for prefix in ["gh:", "gl:"] {
        if let Some(rest) = given.strip_prefix(prefix) {
            return Ok(Some((prefix, rest)));
        }
    }
    if has_drive(given) {
        return Ok(None);
    }
    if let Some((scheme, rest)) = given.split_once("://") {
        let scheme_like = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if scheme_like {
            if !SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                return Err(format!(
                    "git cannot fetch `{scheme}://` URLs; use https://, ssh://, git@HOST:PATH or file://"
                ));
            }
            // The authority (user, host, port) runs to the first `/`; the path follows.
            let host_end = rest.find('/').unwrap_or(rest.len());
            let at = scheme.len() + 3 + host_end;
            return Ok(Some(given.split_at(at)));
        }
    }
    // git@host:path: a user and a host before the first `:`, no path separator in them.
    if let Some((head, _)) = given.split_once(':')
        && let Some((user, host)) = head.split_once('@')
        && !user.is_empty()
        && !host.is_empty()
        && !head.contains(['/', '\\'])
    {
        return Ok(Some(given.split_at(head.len() + 1)));
    }
    Ok(None)
}

/// `ADDRESS#SUBDIR` → the address and the cleaned subfolder (`--directory` instead of `#`).
fn split_subdir<'a>(
    address: &'a str,
    directory: Option<&str>,
) -> Result<(&'a str, Option<String>), String> {
    match (address.split_once('#'), directory) {
        (Some((_, typed)), Some(flag)) => Err(format!(
            "the subfolder is given twice, as #{typed} and as --directory {flag}; keep one"
        )),
        (Some((address, typed)), None) => Ok((address, clean_subdir(typed)?)),
        (None, flag) => Ok((address, flag.map(clean_subdir).transpose()?.flatten())),
    }
}

/// `PATH@REF` → the path and the checked ref (`--ref` instead of `@`).
fn split_ref<'a>(path: &'a str, flag: Option<&str>) -> Result<(&'a str, Option<String>), String> {
    let (path, typed) = match path.split_once('@') {
        Some((path, typed)) => (path, Some(typed)),
        None => (path, None),
    };
    let reference = match (typed, flag) {
        (Some(typed), Some(flag)) => {
            return Err(format!(
                "the ref is given twice, as @{typed} and as --ref {flag}; keep one (an `@` that \
                 belongs to the path is written %40)"
            ));
        }
        (Some(r), None) | (None, Some(r)) => Some(check_ref(r)?),
        (None, None) => None,
    };
    Ok((path, reference))
}

/// A repository address with its path: `gh:` takes exactly OWNER/REPO, `gl:` a group path
/// and a name; any address needs a path after its host.
fn check_repository(url: &str) -> Result<(), String> {
    let shorthand = |path: &str, exact: bool| {
        let parts: Vec<&str> = path.split('/').collect();
        let plain = parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
        plain
            && if exact {
                parts.len() == 2
            } else {
                parts.len() >= 2
            }
    };
    if let Some(path) = url.strip_prefix("gh:") {
        return if shorthand(path, true) {
            Ok(())
        } else {
            Err("write gh:OWNER/REPO, with a subfolder as #SUBDIR (gh:OWNER/REPO#SUBDIR)".into())
        };
    }
    if let Some(path) = url.strip_prefix("gl:") {
        return if shorthand(path, false) {
            Ok(())
        } else {
            Err(
                "write gl:GROUP/REPO (or gl:GROUP/SUBGROUP/REPO), with a subfolder as #SUBDIR"
                    .into(),
            )
        };
    }
    if url.chars().any(char::is_whitespace) {
        return Err("a git URL has no spaces; write a space in a path as %20".into());
    }
    // A page of a repository's website, pasted from the browser: say how to write it instead.
    for (host, marker) in [
        ("github.com/", "/tree/"),
        ("github.com/", "/blob/"),
        ("gitlab.com/", "/-/tree/"),
    ] {
        if let Some(after) = url.split_once(host).map(|(_, a)| a)
            && let Some((repo, rest)) = after.split_once(marker)
        {
            let short = if host == "github.com/" { "gh" } else { "gl" };
            let (reference, mut subdir) = rest.split_once('/').unwrap_or((rest, ""));
            if marker == "/blob/" {
                // A file's page: the template is the folder it is in.
                subdir = subdir.rsplit_once('/').map_or("", |(folder, _)| folder);
            }
            return Err(format!(
                "that is the address of a web page, not of a repository; write {short}:{repo}@{reference}{}",
                if subdir.is_empty() {
                    String::new()
                } else {
                    format!("#{subdir}")
                }
            ));
        }
    }
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url.split_once(':').map_or("", |(_, p)| p),
    };
    if path.trim_matches('/').is_empty() {
        return Err("the URL names a host but no repository on it".into());
    }
    Ok(())
}

/// A ref as git's `check-ref-format` would take it (a name or a commit id); never an option.
pub fn check_ref(reference: &str) -> Result<String, String> {
    let problem = if reference.is_empty() {
        Some("is empty")
    } else if reference.starts_with('-') {
        Some("starts with `-`")
    } else if reference
        .chars()
        .any(|c| c.is_control() || " ~^:?*[\\".contains(c))
    {
        Some("has a space or one of ~ ^ : ? * [ \\")
    } else if reference.contains("..") || reference.contains("@{") || reference.contains("//") {
        Some("has `..`, `@{` or `//`")
    } else if reference == "@"
        || reference.ends_with(['/', '.'])
        || reference.starts_with('/')
        || reference.ends_with(".lock")
    {
        Some("is not a name git allows for a branch or tag")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!(
            "the ref `{reference}` {problem}; give a tag, a branch or a commit id"
        )),
        None => Ok(reference.to_string()),
    }
}

/// A subfolder as `/`-separated plain names (`\` taken as `/`, `.` and empty parts dropped);
/// `None` for the repository's top. `..` is refused: it would leave the repository.
pub fn clean_subdir(subdir: &str) -> Result<Option<String>, String> {
    let mut parts = Vec::new();
    for part in subdir.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                    "the subfolder `{subdir}` has `..`; name a folder inside the repository"
                ));
            }
            name if name.chars().any(char::is_control) || has_drive(name) => {
                return Err(format!(
                    "the subfolder `{subdir}` is not a path inside the repository"
                ));
            }
            name => parts.push(name),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(url: &str, reference: Option<&str>, subdir: Option<&str>) -> TemplateRef {
        TemplateRef::Git(GitLocation {
            url: url.into(),
            reference: reference.map(Into::into),
            subdir: subdir.map(Into::into),
        })
    }

    fn classify(given: &str) -> Result<TemplateRef> {
        TemplateRef::classify(given, Extras::default())
    }

    #[test]
    fn shorthands_take_a_ref_and_a_subfolder() {
        assert_eq!(classify("gh:o/r").unwrap(), git("gh:o/r", None, None));
        assert_eq!(
            classify("gh:o/r@v1.2#templates/t").unwrap(),
            git("gh:o/r", Some("v1.2"), Some("templates/t"))
        );
        assert_eq!(
            classify("gl:group/sub/repo@feature/x").unwrap(),
            git("gl:group/sub/repo", Some("feature/x"), None)
        );
        let TemplateRef::Git(location) = classify("gh:o/r").unwrap() else {
            panic!()
        };
        assert_eq!(location.fetch_url(), "https://github.com/o/r.git");
        let TemplateRef::Git(location) = classify("gl:g/s/r#t").unwrap() else {
            panic!()
        };
        assert_eq!(location.fetch_url(), "https://gitlab.com/g/s/r.git");
        assert_eq!(location.display(), "gl:g/s/r#t");
        for bad in ["gh:o", "gh:o/r/sub", "gh:/r", "gh:o/r@", "gl:r"] {
            assert!(classify(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_of_every_scheme_git_speaks_are_git() {
        for url in [
            "https://example.org/o/r.git",
            "http://127.0.0.1:8080/r.git",
            "ssh://git@example.org:2222/o/r.git",
            "git://example.org/r",
            "file:///srv/git/r.git",
            "file:///C:/repos/r.git",
            "git+ssh://example.org/r",
        ] {
            assert_eq!(classify(url).unwrap(), git(url, None, None), "{url}");
        }
        assert_eq!(
            classify("https://example.org/o/r.git@main#t").unwrap(),
            git("https://example.org/o/r.git", Some("main"), Some("t"))
        );
        let err = classify("ftp://example.org/r").unwrap_err().to_string();
        assert!(err.contains("`ftp://`"), "{err}");
        assert!(classify("https://example.org").is_err());
        assert!(classify("https://example.org/a b").is_err());
    }

    #[test]
    fn an_at_in_a_user_name_is_never_a_ref() {
        assert_eq!(
            classify("git@github.com:o/r.git").unwrap(),
            git("git@github.com:o/r.git", None, None)
        );
        assert_eq!(
            classify("git@github.com:o/r.git@v2#t").unwrap(),
            git("git@github.com:o/r.git", Some("v2"), Some("t"))
        );
        assert_eq!(
            classify("ssh://git@example.org/o/r@abc123").unwrap(),
            git("ssh://git@example.org/o/r", Some("abc123"), None)
        );
        assert_eq!(
            classify("https://me@example.org/r.git").unwrap(),
            git("https://me@example.org/r.git", None, None)
        );
        // An `@` of the path is written %40 and passed to git as it is.
        assert_eq!(
            classify("file:///srv/a%40b/r.git@v1").unwrap(),
            git("file:///srv/a%40b/r.git", Some("v1"), None)
        );
    }

    #[test]
    fn windows_paths_and_bare_names_are_folders() {
        for path in [
            "C:\\templates\\t",
            "C:/templates/t",
            "c:t",
            "C:\\Users\\me@corp\\t",
            "\\\\server\\share\\t",
            "..\\t",
            "./gh:o/r",
            "templates/t",
            "my-template",
            "ab:c",
        ] {
            assert_eq!(
                classify(path).unwrap(),
                TemplateRef::Folder(path.into()),
                "{path}"
            );
        }
    }

    #[test]
    fn a_built_in_name_wins_over_a_folder_unless_written_as_a_path() {
        assert_eq!(
            classify("mlops").unwrap(),
            TemplateRef::Builtin("mlops".into())
        );
        assert_eq!(
            classify("./mlops").unwrap(),
            TemplateRef::Folder("./mlops".into())
        );
        for path in [
            "./mlops",
            "templates/mlops",
            "C:\\t\\mlops",
            "D:mlops",
            ".hidden",
        ] {
            assert!(looks_like_path(path), "{path}");
        }
    }

    #[test]
    fn flags_give_the_ref_and_the_subfolder_once() {
        let flags = Extras {
            reference: Some("v1"),
            directory: Some("a\\b/./c/"),
        };
        assert_eq!(
            TemplateRef::classify("gh:o/r", flags).unwrap(),
            git("gh:o/r", Some("v1"), Some("a/b/c"))
        );
        for (given, extras) in [
            (
                "gh:o/r@v2",
                Extras {
                    reference: Some("v1"),
                    directory: None,
                },
            ),
            (
                "gh:o/r#t",
                Extras {
                    reference: None,
                    directory: Some("u"),
                },
            ),
            (
                "mlops",
                Extras {
                    reference: Some("v1"),
                    directory: None,
                },
            ),
            (
                "mlops",
                Extras {
                    reference: None,
                    directory: Some("t"),
                },
            ),
            (
                "templates/t",
                Extras {
                    reference: Some("v1"),
                    directory: None,
                },
            ),
        ] {
            let err = TemplateRef::classify(given, extras)
                .unwrap_err()
                .to_string();
            assert!(err.contains(given), "{err}");
        }
        assert_eq!(
            TemplateRef::classify(
                "templates",
                Extras {
                    reference: None,
                    directory: Some("t")
                }
            )
            .unwrap(),
            TemplateRef::Folder(PathBuf::from("templates").join("t"))
        );
    }

    #[test]
    fn refs_and_subfolders_are_checked() {
        for good in ["main", "v1.2.3", "feature/x", "0123abc", "release-2024"] {
            assert_eq!(check_ref(good).unwrap(), good);
        }
        for bad in [
            "",
            "-x",
            "--upload-pack=evil",
            "a b",
            "a..b",
            "a:b",
            "x@{1}",
            "@",
            "a/",
            "a.lock",
            "a~1",
        ] {
            assert!(check_ref(bad).is_err(), "{bad:?}");
        }
        assert_eq!(clean_subdir("/a//b/").unwrap(), Some("a/b".into()));
        assert_eq!(clean_subdir("./").unwrap(), None);
        assert!(clean_subdir("a/../../b").is_err());
        assert!(clean_subdir("C:/x").is_err());
        let err = classify("gh:o/r#../x").unwrap_err().to_string();
        assert!(err.contains("`..`"), "{err}");
        assert!(classify("gh:o/r@-oops").is_err());
    }

    #[test]
    fn a_browser_address_is_refused_with_the_form_to_write() {
        let err = classify("https://github.com/o/r/tree/main/templates/t")
            .unwrap_err()
            .to_string();
        assert!(err.contains("gh:o/r@main#templates/t"), "{err}");
        let err = classify("https://github.com/o/r/blob/v1/t/template.toml")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("write gh:o/r@v1#t"), "{err}");
    }
}
