//! Templates (and other files) from git repositories, fetched by the `git` program into the
//! cache (see `cache.rs`) and used from there.
//!
//! A commit already cached needs no network: a commit id, a pinned commit (what `.dayone.toml`
//! records) and a tag are taken from the cache; a branch, or the default branch, is asked for
//! again, since it moves. `--refresh` asks the network whatever the cache holds; `--offline`
//! never does, and takes whatever the cache last saw for the ref.
//!
//! A fetch asks for one commit, without history (`--depth 1`) and without file contents
//! (`--filter=blob:none`); checking out the one path needed then brings only its files, so a
//! template in a folder of a large repository costs that folder.

pub mod cache;
mod program;

use std::path::{Path, PathBuf};

use cache::{Cache, CommitInfo, RefKind, RefRecord, Snapshot};
use program::{Failure, Meaning};

use crate::error::{Error, Result, short};
use crate::template::reference::GitLocation;

/// Whether the network may, or must, be asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Fetch again even when the cache has the commit.
    pub refresh: bool,
    /// Use the cache only.
    pub offline: bool,
}

/// Where a fetched commit came from this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Network,
    Cache,
    /// From the cache because of `--offline`.
    Offline,
}

/// A commit of a repository, on disk.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// As asked for: the URL and ref as typed, and the path inside the repository.
    pub location: GitLocation,
    /// The full commit id.
    pub commit: String,
    pub info: CommitInfo,
    pub how: How,
    /// The repository's top, holding at least the location's path.
    tree: PathBuf,
}

/// A line about a fetch for the user: worth saying at the normal level, or only with `-v`.
pub enum Note {
    Info(String),
    Detail(String),
}

impl Fetched {
    /// The location's path (its subfolder, or the file asked for) on disk.
    pub fn path(&self) -> PathBuf {
        match &self.location.subdir {
            Some(subdir) => self.tree.join(subdir),
            None => self.tree.clone(),
        }
    }

    /// The repository's top as fetched.
    pub fn tree(&self) -> &Path {
        &self.tree
    }

    /// What to tell the user about where the commit came from.
    pub fn note(&self) -> Note {
        let now = cache::now();
        let made = age(now.saturating_sub(u64::try_from(self.info.committed).unwrap_or(0)));
        let fetched = age(now.saturating_sub(self.info.fetched));
        let (what, commit) = (self.location.display(), short(&self.commit));
        match self.how {
            How::Network => Note::Info(format!("Fetched {what}: commit {commit}, made {made}.")),
            How::Cache => Note::Detail(format!(
                "{what}: commit {commit} from the cache, fetched {fetched}; --refresh fetches it again."
            )),
            How::Offline => Note::Info(format!(
                "--offline: {what} from the cache: commit {commit}, made {made}, fetched {fetched}."
            )),
        }
    }
}

/// `location` at `pinned` (a full commit id), or at the commit its ref names now.
pub fn fetch(location: &GitLocation, pinned: Option<&str>, policy: Policy) -> Result<Fetched> {
    let url = location.fetch_url();
    let cache = Cache::of(&url)?;
    let path = location.subdir.as_deref();
    let reference = location.reference.as_deref();
    let exact = pinned.or(reference.filter(|r| is_full_commit(r)));
    let known = match exact {
        Some(commit) => Some(commit.to_ascii_lowercase()),
        None => cache
            .reference(reference)
            .filter(|record| policy.offline || !record.kind.moves())
            .map(|record| record.commit),
    };
    if !policy.refresh
        && let Some(commit) = known
        && let Some(snapshot) = cache.snapshot(&commit, path)
    {
        let how = if policy.offline {
            How::Offline
        } else {
            How::Cache
        };
        return Ok(found(location, commit, snapshot, how));
    }
    if policy.offline {
        return Err(Error::NotCached {
            location: location.display(),
            cache: cache.dir().to_path_buf(),
        });
    }
    let (commit, snapshot, kind) = Remote::new(&cache, location)?.fetch(exact)?;
    if pinned.is_none() {
        let record = RefRecord {
            commit: commit.clone(),
            kind,
            fetched: snapshot.info.fetched,
        };
        cache.set_reference(reference, &record)?;
    }
    Ok(found(location, commit, snapshot, How::Network))
}

fn found(location: &GitLocation, commit: String, snapshot: Snapshot, how: How) -> Fetched {
    Fetched {
        location: location.clone(),
        commit,
        info: snapshot.info,
        how,
        tree: snapshot.tree,
    }
}

/// A full commit id: 40 hex digits.
fn is_full_commit(text: &str) -> bool {
    text.len() == 40 && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// What an abbreviated commit id may be: 4 to 40 hex digits.
fn may_be_commit(text: &str) -> bool {
    (4..=40).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// One fetch from the network, in a workspace of the cache.
struct Remote<'a> {
    cache: &'a Cache,
    location: &'a GitLocation,
    url: String,
    work: tempfile::TempDir,
}

impl<'a> Remote<'a> {
    fn new(cache: &'a Cache, location: &'a GitLocation) -> Result<Self> {
        Ok(Self {
            cache,
            location,
            url: location.fetch_url(),
            work: cache.workspace()?,
        })
    }

    fn repo(&self) -> PathBuf {
        self.work.path().join("repo")
    }

    /// `git --git-dir=REPO ARGS…`.
    fn git<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Result<String, Failure> {
        let mut command = program::git(&self.work.path().join("no-hooks"), is_ssh(&self.url));
        command.arg("--git-dir").arg(self.repo());
        program::run(command, args)
    }

    /// Fetch `exact` (a commit id) or the location's ref into the workspace, check out the
    /// path asked for, and install it in the cache.
    fn fetch(self, exact: Option<&str>) -> Result<(String, Snapshot, RefKind)> {
        let mut init = program::git(&self.work.path().join("no-hooks"), false);
        init.args(["init", "--bare", "--quiet"]).arg(self.repo());
        program::run(init, None::<&str>).map_err(|f| self.failed(f))?;
        self.configure()?;
        let reference = self.location.reference.as_deref();
        let spec = exact.or(reference).unwrap_or("HEAD");
        let fetch = [
            "fetch",
            "--quiet",
            "--depth=1",
            "--filter=blob:none",
            "--no-tags",
            "origin",
            spec,
        ];
        let (target, kind) = match self.git(&fetch) {
            Ok(_) => ("FETCH_HEAD".to_string(), self.fetched_kind(exact.is_some())),
            // A commit the server does not hand out by id (or an abbreviated id): every branch
            // and tag, without contents, and the commit found among them.
            Err(Failure::Said(message))
                if program::meaning(&message) == Meaning::NoSuchRef && may_be_commit(spec) =>
            {
                let all = [
                    "fetch",
                    "--quiet",
                    "--filter=blob:none",
                    "--no-tags",
                    "origin",
                    "+refs/heads/*:refs/heads/*",
                    "+refs/tags/*:refs/tags/*",
                ];
                self.git(&all).map_err(|f| self.failed(f))?;
                (spec.to_string(), RefKind::Commit)
            }
            Err(failure) => return Err(self.failed(failure)),
        };
        let shown = self
            .git(&[
                "log",
                "-1",
                "--format=%H %ct",
                "--end-of-options",
                &format!("{target}^{{commit}}"),
            ])
            .map_err(|f| self.failed(f))?;
        let (commit, committed) = shown.trim().split_once(' ').unwrap_or_default();
        let commit = commit.to_string();
        let info = CommitInfo {
            committed: committed.parse().unwrap_or(0),
            fetched: cache::now(),
        };
        let built = self.work.path().join("snapshot");
        let tree = cache::tree_of(&built);
        fs_err::create_dir_all(&tree)?;
        let path = self.location.subdir.as_deref();
        let mut checkout = program::git(&self.work.path().join("no-hooks"), is_ssh(&self.url));
        checkout
            .arg("--git-dir")
            .arg(self.repo())
            .arg("--work-tree")
            .arg(&tree);
        let args = ["checkout", "--quiet", &commit, "--", path.unwrap_or(".")];
        match program::run(checkout, args) {
            Ok(_) => {}
            Err(Failure::Said(message)) if message.contains("did not match any file") => {
                return Err(self.path_missing(&commit));
            }
            Err(failure) => return Err(self.failed(failure)),
        }
        let snapshot = self.cache.install(&built, &commit, path, info)?;
        Ok((commit, snapshot, kind))
    }

    /// The workspace's repository: the URL as its `origin`, a partial clone (contents fetched
    /// when checked out), and files checked out byte for byte whatever the repository's
    /// `.gitattributes` say (no line-ending change, no LFS or other filter), so that every
    /// machine renders the same bytes.
    fn configure(&self) -> Result<()> {
        let quoted = self.url.replace('\\', "\\\\").replace('"', "\\\"");
        let config = format!(
            "[core]\n\trepositoryformatversion = 1\n\tbare = true\n[extensions]\n\tpartialClone = origin\n\
             [remote \"origin\"]\n\turl = \"{quoted}\"\n\tpromisor = true\n\tpartialclonefilter = blob:none\n"
        );
        fs_err::write(self.repo().join("config"), config)?;
        fs_err::create_dir_all(self.repo().join("info"))?;
        fs_err::write(
            self.repo().join("info").join("attributes"),
            "* -text -eol -filter -ident -working-tree-encoding\n",
        )?;
        Ok(())
    }

    /// What the fetched ref turned out to be, from git's note in FETCH_HEAD.
    fn fetched_kind(&self, exact: bool) -> RefKind {
        let head = std::fs::read_to_string(self.repo().join("FETCH_HEAD")).unwrap_or_default();
        let described = head
            .lines()
            .next()
            .and_then(|l| l.split('\t').nth(2))
            .unwrap_or("");
        if exact {
            RefKind::Commit
        } else if described.starts_with("tag '") {
            RefKind::Tag
        } else if self.location.reference.is_none() {
            RefKind::Default
        } else if described.starts_with("branch '") {
            RefKind::Branch
        } else if self
            .location
            .reference
            .as_deref()
            .is_some_and(may_be_commit)
        {
            RefKind::Commit
        } else {
            // Another ref (`refs/pull/1/head`): it may move.
            RefKind::Branch
        }
    }

    /// A failed git command as the error to show.
    fn failed(&self, failure: Failure) -> Error {
        let location = self.location.display();
        let message = match failure {
            Failure::Missing(source) => return Error::GitMissing { location, source },
            Failure::Said(message) => message,
        };
        let reference = self.location.reference.as_deref();
        match program::meaning(&message) {
            Meaning::NoSuchRef => Error::RefMissing {
                url: self.location.url.clone(),
                what: reference.map_or_else(
                    || "default branch (does it have a commit?)".to_string(),
                    |r| format!("ref `{r}`"),
                ),
                message,
            },
            Meaning::NoRepository => Error::RepositoryMissing {
                url: self.location.url.clone(),
                message,
            },
            Meaning::Unreachable => {
                let cached = self.cache.reference(reference).is_some();
                Error::FetchFailed {
                    location,
                    message,
                    next: format!(
                        "check the network, a proxy or your credentials (`git ls-remote {}` shows what git sees){}",
                        self.url,
                        if cached {
                            "; or pass --offline to use the copy in the cache"
                        } else {
                            ""
                        }
                    ),
                }
            }
        }
    }

    /// The path asked for is not in the commit: say which folders hold a template.
    fn path_missing(&self, commit: &str) -> Error {
        let listing = self
            .git(&["ls-tree", "-r", "-z", "--name-only", commit])
            .unwrap_or_default();
        let folders = template_folders(listing.split('\0'));
        let location = self.location.display();
        let commit = commit.to_string();
        match &self.location.subdir {
            Some(subdir) => Error::SubdirMissing {
                location,
                commit,
                subdir: subdir.clone(),
                found: folders,
            },
            None => Error::NotATemplateInRepository {
                location,
                commit,
                top: "its top".into(),
                found: "the commit has no files".into(),
            },
        }
    }
}

/// Which of `paths` (a repository's files) are templates' folders, as a sentence.
pub fn template_folders<'p>(paths: impl Iterator<Item = &'p str>) -> String {
    let folders: Vec<String> = paths
        .filter_map(|p| p.strip_suffix(crate::template::MANIFEST_FILE))
        .map(|dir| dir.trim_end_matches('/'))
        .map(|dir| {
            if dir.is_empty() {
                "(its top)".to_string()
            } else {
                format!("#{dir}")
            }
        })
        .collect();
    const SHOWN: usize = 10;
    let more = match folders.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    match folders.len() {
        0 => format!("no folder of it has a {}", crate::template::MANIFEST_FILE),
        _ => format!(
            "the folders with a {} are: {}{more}",
            crate::template::MANIFEST_FILE,
            folders[..folders.len().min(SHOWN)].join(", ")
        ),
    }
}

/// Whether git reaches `url` over ssh (and may ask on the terminal).
fn is_ssh(url: &str) -> bool {
    match url.split_once("://") {
        Some((scheme, _)) => scheme.contains("ssh"),
        None => url.contains('@') && url.contains(':'),
    }
}

/// `seconds` ago in words.
fn age(seconds: u64) -> String {
    let (n, unit, units) = match seconds {
        0..60 => return "just now".to_string(),
        60..3600 => (seconds / 60, "minute", "minutes"),
        3600..86_400 => (seconds / 3600, "hour", "hours"),
        _ => (seconds / 86_400, "day", "days"),
    };
    format!(
        "{} ago",
        crate::plural::count(usize::try_from(n).unwrap_or(usize::MAX), unit, units)
    )
}

/// The folders of a fetched tree that hold a template, as [`template_folders`] says them.
pub fn folders_in(tree: &Path) -> String {
    let paths: Vec<String> = walkdir::WalkDir::new(tree)
        .max_depth(6)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let relative = e.path().strip_prefix(tree).ok()?;
            Some(relative.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    template_folders(paths.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_words() {
        assert_eq!(age(5), "just now");
        assert_eq!(age(60), "1 minute ago");
        assert_eq!(age(7200), "2 hours ago");
        assert_eq!(age(3 * 86_400 + 5), "3 days ago");
    }

    #[test]
    fn template_folders_are_named_as_subfolders_to_write() {
        let paths = [
            "README.md",
            "a/template.toml",
            "a/project/x",
            "b/c/template.toml",
            "template.toml",
        ];
        assert_eq!(
            template_folders(paths.into_iter()),
            "the folders with a template.toml are: #a, #b/c, (its top)"
        );
        assert_eq!(
            template_folders(["x"].into_iter()),
            "no folder of it has a template.toml"
        );
        let many: Vec<String> = (0..12).map(|i| format!("t{i:02}/template.toml")).collect();
        let said = template_folders(many.iter().map(String::as_str));
        assert!(said.ends_with("#t09 and 2 more"), "{said}");
    }

    #[test]
    fn ssh_is_told_by_scheme_or_by_the_short_form() {
        assert!(is_ssh("ssh://git@h/o/r"));
        assert!(is_ssh("git@github.com:o/r.git"));
        assert!(!is_ssh("https://me@h/o/r"));
        assert!(!is_ssh("file:///x"));
        assert!(may_be_commit("abc1234") && !may_be_commit("main") && !may_be_commit("abc"));
        assert!(is_full_commit(&"a".repeat(40)));
    }
}
