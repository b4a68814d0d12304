//! The cache of fetched templates: one folder per repository URL under the platform cache
//! folder (`~/.cache/dayone/git` on Linux, or `DAYONE_CACHE`), holding
//!
//! ```text
//! snapshots/COMMIT/all/          the commit's whole tree (tree/) and what is known of it (commit.toml)
//! snapshots/COMMIT/part-HASH/    only the path whose hash HASH is (a subfolder, or a file)
//! refs/HASH                      what the ref of that hash resolved to when last fetched; HEAD: the default branch
//! tmp/                           fetches under way
//! ```
//!
//! Nothing in it is ever changed in place. A fetch builds its snapshot in `tmp/` and renames it
//! into `snapshots/` whole; a ref's record is a file written beside and renamed over the old
//! one. So a fetch that fails or is killed leaves at most a folder in `tmp/` (swept a day
//! later), two fetches of one URL at once each install a complete copy (the second rename
//! finds the first's and keeps it), and a reader sees a snapshot complete or not at all.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::error::{Error, Result};

/// A fetch's leftovers in `tmp/` older than this are a killed run's, and removed.
const STALE: Duration = Duration::from_secs(24 * 60 * 60);

/// The cache folder of one repository.
pub struct Cache {
    dir: PathBuf,
}

/// What a ref resolved to, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefRecord {
    pub commit: String,
    pub kind: RefKind,
    /// When it was fetched, in seconds since 1970.
    pub fetched: u64,
}

/// What kind of ref a name turned out to be: a tag or a commit id stays where it is, a branch
/// and the default branch move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefKind {
    Tag,
    Branch,
    Commit,
    Default,
}

impl RefKind {
    pub fn moves(self) -> bool {
        matches!(self, RefKind::Branch | RefKind::Default)
    }
}

/// What is known of a cached commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// The commit's date, in seconds since 1970.
    pub committed: i64,
    /// When it was fetched.
    pub fetched: u64,
}

/// A cached commit's files: `tree` is the repository's top, holding at least the path asked for.
pub struct Snapshot {
    pub tree: PathBuf,
    pub info: CommitInfo,
}

const INFO_FILE: &str = "commit.toml";
const TREE: &str = "tree";

impl Cache {
    /// The cache of the repository git fetches as `fetch_url`.
    pub fn of(fetch_url: &str) -> Result<Self> {
        let root = root().ok_or_else(|| Error::PathMissing {
            path: PathBuf::from("~/.cache"),
            expected: "dayone keeps fetched templates in the platform cache folder, and none was found; set DAYONE_CACHE to a folder",
        })?;
        Ok(Self {
            dir: root.join(key(fetch_url)),
        })
    }

    /// The folder, for messages.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot of `commit` that holds `path` (the whole tree for `None`), if cached.
    pub fn snapshot(&self, commit: &str, path: Option<&str>) -> Option<Snapshot> {
        let commit_dir = self.dir.join("snapshots").join(commit);
        let mut candidates = vec![commit_dir.join("all")];
        if let Some(path) = path {
            candidates.push(commit_dir.join(part_name(path)));
        }
        candidates.into_iter().find_map(|dir| {
            let text = std::fs::read_to_string(dir.join(INFO_FILE)).ok()?;
            let info = toml::from_str(&text).ok()?;
            Some(Snapshot {
                tree: dir.join(TREE),
                info,
            })
        })
    }

    /// What `reference` (`None`: the default branch) resolved to when last fetched.
    pub fn reference(&self, reference: Option<&str>) -> Option<RefRecord> {
        let text = std::fs::read_to_string(self.ref_file(reference)).ok()?;
        toml::from_str(&text).ok()
    }

    /// Record what `reference` resolved to, replacing the record whole.
    pub fn set_reference(&self, reference: Option<&str>, record: &RefRecord) -> Result<()> {
        use std::io::Write;
        let file = self.ref_file(reference);
        let dir = file.parent().expect("in refs/");
        let text = toml::to_string(record).expect("plain values are TOML");
        fs_err::create_dir_all(dir)?;
        let cannot = |source| Error::CannotWrite {
            dir: dir.to_path_buf(),
            source,
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
        temp.write_all(text.as_bytes()).map_err(cannot)?;
        temp.persist(&file).map_err(|e| cannot(e.error))?;
        Ok(())
    }

    /// A new folder for a fetch, in `tmp/`; removed when dropped. Leftovers of killed fetches
    /// are swept first.
    pub fn workspace(&self) -> Result<tempfile::TempDir> {
        let tmp = self.dir.join("tmp");
        fs_err::create_dir_all(&tmp)?;
        sweep(&tmp);
        tempfile::Builder::new()
            .prefix("fetch-")
            .tempdir_in(&tmp)
            .map_err(|source| Error::CannotWrite { dir: tmp, source })
    }

    /// Move `built` (a folder holding `tree/`) into place as the snapshot of `commit` holding
    /// `path`, with `info`. When another fetch put the same snapshot there first, that one
    /// stays (it is the same commit) and `built` is left to be removed with its workspace.
    pub fn install(
        &self,
        built: &Path,
        commit: &str,
        path: Option<&str>,
        info: CommitInfo,
    ) -> Result<Snapshot> {
        let text = toml::to_string(&info).expect("plain values are TOML");
        fs_err::write(built.join(INFO_FILE), text)?;
        let commit_dir = self.dir.join("snapshots").join(commit);
        fs_err::create_dir_all(&commit_dir)?;
        let target = commit_dir.join(path.map_or_else(|| "all".to_string(), part_name));
        if let Err(err) = std::fs::rename(built, &target)
            && !target.join(INFO_FILE).is_file()
        {
            return Err(Error::CannotWrite {
                dir: commit_dir,
                source: err,
            });
        }
        Ok(Snapshot {
            tree: target.join(TREE),
            info,
        })
    }

    fn ref_file(&self, reference: Option<&str>) -> PathBuf {
        // A hash, so that `V1` and `v1`, or `a/b`, stay apart on every file system, and a long
        // name makes no long path.
        let name = reference.map_or_else(|| "HEAD".to_string(), hash);
        self.dir.join("refs").join(name)
    }
}

/// The folder a snapshot builds its files in, inside `built`.
pub fn tree_of(built: &Path) -> PathBuf {
    built.join(TREE)
}

/// Seconds since 1970, now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `DAYONE_CACHE`, else `dayone/git` in the platform cache folder.
fn root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DAYONE_CACHE").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("git"));
    }
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.cache_dir().join("dayone").join("git"))
}

/// A readable, unique folder name for a URL: its host and path in plain characters, then a
/// hash of the whole URL (a trailing `/` or `.git` makes no other repository).
fn key(fetch_url: &str) -> String {
    let normal = fetch_url.trim_end_matches('/');
    let normal = normal.strip_suffix(".git").unwrap_or(normal);
    let after_scheme = normal.split_once("://").map_or(normal, |(_, rest)| rest);
    let mut readable: String = after_scheme
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    readable = readable.trim_matches(['-', '.']).to_string();
    readable.truncate(48);
    format!("{readable}-{}", hash(normal))
}

fn part_name(path: &str) -> String {
    format!("part-{}", hash(path))
}

/// The first 12 hex digits of the text's SHA-1: a short name, the same on every system.
fn hash(text: &str) -> String {
    Sha1::digest(text.as_bytes())[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Remove what killed fetches left in `tmp` (a fetch under way is younger than a day).
fn sweep(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if old {
            let _ = fs_err::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path) -> Cache {
        Cache {
            dir: dir.join("repo"),
        }
    }

    #[test]
    fn one_url_one_folder_whatever_its_spelling() {
        assert_eq!(
            key("https://github.com/o/r.git"),
            key("https://github.com/o/r/")
        );
        assert_ne!(key("https://github.com/o/r"), key("https://github.com/o/R"));
        let k = key("ssh://git@example.org:22/o/r.git");
        assert!(k.starts_with("git-example.org-22-o-r-"), "{k}");
        assert!(key(&format!("file:///{}", "x/".repeat(100))).len() < 70);
    }

    #[test]
    fn a_snapshot_is_seen_once_installed_and_a_second_install_keeps_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let info = CommitInfo {
            committed: 1,
            fetched: 2,
        };
        let build = |content: &str| {
            let work = cache.workspace().unwrap();
            let built = work.path().join("snap");
            fs_err::create_dir_all(tree_of(&built).join("t")).unwrap();
            fs_err::write(tree_of(&built).join("t/f"), content).unwrap();
            (work, built)
        };
        assert!(cache.snapshot("c1", Some("t")).is_none());
        let (_work, built) = build("first");
        cache.install(&built, "c1", Some("t"), info).unwrap();
        let (_again, built) = build("second");
        let kept = cache.install(&built, "c1", Some("t"), info).unwrap();
        assert_eq!(
            fs_err::read_to_string(kept.tree.join("t/f")).unwrap(),
            "first"
        );
        let found = cache.snapshot("c1", Some("t")).unwrap();
        assert_eq!(found.info, info);
        // Only the part was fetched: the whole tree, or another part, is not there.
        assert!(cache.snapshot("c1", None).is_none());
        assert!(cache.snapshot("c1", Some("u")).is_none());
        // A snapshot of the whole tree serves every part.
        let (_whole, built) = build("whole");
        cache.install(&built, "c2", None, info).unwrap();
        assert!(cache.snapshot("c2", Some("anything")).is_some());
    }

    #[test]
    fn refs_are_recorded_apart_by_exact_name() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let record = |commit: &str| RefRecord {
            commit: commit.into(),
            kind: RefKind::Tag,
            fetched: 5,
        };
        cache.set_reference(Some("V1"), &record("a")).unwrap();
        cache.set_reference(Some("v1"), &record("b")).unwrap();
        cache.set_reference(None, &record("c")).unwrap();
        assert_eq!(cache.reference(Some("V1")).unwrap().commit, "a");
        assert_eq!(cache.reference(Some("v1")).unwrap().commit, "b");
        assert_eq!(cache.reference(None).unwrap().commit, "c");
        assert!(cache.reference(Some("feature/x")).is_none());
        cache.set_reference(Some("v1"), &record("d")).unwrap();
        assert_eq!(cache.reference(Some("v1")).unwrap().commit, "d");
    }

    #[test]
    fn a_killed_fetchs_leftovers_go_and_a_fresh_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let tmp = cache.dir.join("tmp");
        fs_err::create_dir_all(tmp.join("old/tree")).unwrap();
        fs_err::create_dir_all(tmp.join("young")).unwrap();
        let day_ago = SystemTime::now() - STALE - Duration::from_secs(60);
        std::fs::File::open(tmp.join("old"))
            .unwrap()
            .set_modified(day_ago)
            .unwrap();
        let _work = cache.workspace().unwrap();
        assert!(!tmp.join("old").exists());
        assert!(tmp.join("young").exists());
    }
}
