//! The only file that names `git2`: a project's repository and reading `git config`, with no
//! git executable. Commits are built from in-memory plans: blobs from the rendered bytes, then
//! trees, then the commit, written by [`objects`]; libgit2 makes the repository and keeps the
//! index, the refs and their logs, and merges text. The user's configuration is only read.
//!
//! Every project keeps its untouched render on [`BASE_REF`]: a commit whose tree is exactly what
//! dayone wrote, so a later `dayone update` can merge from it.

mod objects;
mod zlib;

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, RepositoryInitOptions, Signature};

use crate::disk;
use crate::error::{Error, Result};
use crate::plan::{Plan, PlannedFile, RelPath};
use objects::{Id, Store};

/// The ref that holds a project's untouched render.
pub const BASE_REF: &str = "refs/dayone/base";

/// What recording an update changes inside `.git` besides objects (which are only ever added):
/// the writer keeps copies and puts them back if the update does not finish.
pub const GUARDED: &[&str] = &[
    ".git/index",
    ".git/index.lock",
    ".git/refs/dayone/base",
    ".git/refs/dayone/base.lock",
    ".git/logs/refs/dayone/base",
];

/// Is `path` (or its nearest existing ancestor) inside an existing git work tree?
pub fn enclosing_work_tree(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let existing = absolute.ancestors().find(|a| a.exists())?;
    let repo = Repository::discover(existing).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// A `git config` value (user and global config), read with libgit2; missing is `None`.
pub fn config_value(key: &str) -> Option<String> {
    let config = git2::Config::open_default().ok()?;
    config.get_string(key).ok().filter(|v| !v.trim().is_empty())
}

/// The author of a commit when git config names none.
pub struct Fallback {
    pub name: String,
    pub email: String,
}

/// An error of libgit2 or of writing objects, as what dayone was doing and where.
fn failed<'a, E>(path: &'a Path, action: &'static str) -> impl Fn(E) -> Error + 'a
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |source| Error::Git {
        action,
        path: path.to_path_buf(),
        source: Box::new(source),
    }
}

/// The signature for dayone's commits: git config's, else `fallback`; and its text form.
fn signature(repo: &Repository, dir: &Path, fallback: &Fallback) -> Result<(String, String)> {
    let signature = match repo.signature() {
        Ok(signature) => signature,
        Err(_) => Signature::now(&fallback.name, &fallback.email)
            .map_err(failed(dir, "cannot build a commit signature"))?,
    };
    let (name, email) = (
        signature.name().unwrap_or_default(),
        signature.email().unwrap_or_default(),
    );
    let when = signature.when();
    let line = objects::signature_line(name, email, when.seconds(), when.offset_minutes());
    Ok((format!("{name} <{email}>"), line))
}

fn oid(id: &Id) -> Oid {
    Oid::from_bytes(id).expect("20 bytes")
}

/// `git init -b main` in `dir` and one commit of exactly the plan's files, with an index that
/// matches it, so the work tree is clean; the same commit is the project's base. Returns the
/// author used.
pub fn init_and_commit(
    dir: &Path,
    plan: &Plan,
    message: &str,
    fallback: &Fallback,
) -> Result<String> {
    let mut options = RepositoryInitOptions::new();
    // No sample hooks copied from the system's git templates: a new project needs none.
    options.initial_head("main").external_template(false);
    disk::checkpoint("git init", dir).map_err(failed(dir, "cannot create the repository"))?;
    let repo = Repository::init_opts(dir, &options)
        .map_err(failed(dir, "cannot create the repository"))?;
    let (author, person) = signature(&repo, dir, fallback)?;
    let mut store = Store::new(repo.path());
    let tree_id = store
        .plan_tree(plan)
        .map_err(failed(dir, "cannot write the tree"))?;
    let commit_id = store
        .commit(&tree_id, &[], &person, message)
        .map_err(failed(dir, "cannot write the commit"))?;
    let tree = repo
        .find_tree(oid(&tree_id))
        .map_err(failed(dir, "cannot read the tree back"))?;
    let mut index = repo.index().map_err(failed(dir, "cannot open the index"))?;
    index
        .read_tree(&tree)
        .map_err(failed(dir, "cannot write the index"))?;
    disk::checkpoint("git: write the index", dir).map_err(failed(dir, "cannot write the index"))?;
    index
        .write()
        .map_err(failed(dir, "cannot write the index"))?;
    let first_line = message.lines().next().unwrap_or_default();
    for (name, log) in [
        ("refs/heads/main", format!("commit (initial): {first_line}")),
        (BASE_REF, "dayone: the untouched render".to_string()),
    ] {
        disk::checkpoint("git: write a ref", dir)
            .map_err(failed(dir, "cannot make the first commit"))?;
        repo.reference(name, oid(&commit_id), false, &log)
            .map_err(failed(dir, "cannot make the first commit"))?;
    }
    Ok(author)
}

/// The repository of a project that already exists.
pub struct Repo {
    repo: Repository,
    root: PathBuf,
}

/// One file's entry in the index after an update.
pub enum Staged<'a> {
    /// The file on disk, as written.
    File(&'a RelPath),
    /// The path is no longer there.
    Removed(&'a RelPath),
    /// Unmerged: the base, ours and theirs versions as stages 1, 2 and 3 (any may be missing).
    Conflict {
        path: &'a RelPath,
        stages: [Option<&'a PlannedFile>; 3],
    },
}

impl Repo {
    /// The repository whose work tree is `root`, if `root` is the top of one.
    pub fn at(root: &Path) -> Result<Option<Self>> {
        let Ok(repo) = Repository::open(root) else {
            return Ok(None);
        };
        let same = |dir: &Path| fs_err::canonicalize(dir).ok() == fs_err::canonicalize(root).ok();
        if !repo.workdir().is_some_and(same) {
            return Ok(None);
        }
        Ok(Some(Self {
            repo,
            root: root.to_path_buf(),
        }))
    }

    /// The stored base render, as a plan, when the repository has one.
    pub fn base(&self) -> Result<Option<Plan>> {
        let Ok(commit) = self
            .repo
            .find_reference(BASE_REF)
            .and_then(|r| r.peel_to_commit())
        else {
            return Ok(None);
        };
        let tree = commit
            .tree()
            .map_err(failed(&self.root, "cannot read the base render"))?;
        let mut plan = Plan::default();
        let mut problem = None;
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() != Some(git2::ObjectType::Blob) {
                return git2::TreeWalkResult::Ok;
            }
            let name = format!("{dir}{}", entry.name().unwrap_or_default());
            let parts: Vec<String> = name.split('/').map(String::from).collect();
            match (
                RelPath::from_components(&parts),
                self.repo.find_blob(entry.id()),
            ) {
                (Ok(path), Ok(blob)) => {
                    let file = PlannedFile {
                        contents: blob.content().to_vec().into(),
                        executable: entry.filemode() == 0o100755,
                    };
                    plan.files.insert(path, file);
                    git2::TreeWalkResult::Ok
                }
                (_, Err(err)) => {
                    problem = Some(err);
                    git2::TreeWalkResult::Abort
                }
                (Err(_), _) => git2::TreeWalkResult::Ok,
            }
        })
        .map_err(failed(&self.root, "cannot read the base render"))?;
        match problem {
            Some(err) => Err(failed(&self.root, "cannot read the base render")(err)),
            None => Ok(Some(plan)),
        }
    }

    /// The paths git tracks (the index), as plan paths; names a plan cannot hold are left out.
    pub fn tracked(&self) -> Result<Vec<RelPath>> {
        let index = self
            .repo
            .index()
            .map_err(failed(&self.root, "cannot open the index"))?;
        Ok(index
            .iter()
            .filter_map(|entry| {
                let path = String::from_utf8(entry.path).ok()?;
                let parts: Vec<String> = path.split('/').map(String::from).collect();
                RelPath::from_components(&parts).ok()
            })
            .collect())
    }

    /// Tracked files changed in the index or the work tree, and untracked files (not ignored).
    pub fn changes(&self) -> Result<(Vec<String>, Vec<String>)> {
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .map_err(failed(&self.root, "cannot read the status"))?;
        let (mut changed, mut untracked) = (Vec::new(), Vec::new());
        for entry in statuses.iter() {
            let path = entry.path().unwrap_or_default().to_string();
            if entry.status() == git2::Status::WT_NEW {
                untracked.push(path);
            } else {
                changed.push(path);
            }
        }
        Ok((changed, untracked))
    }

    /// Record an update in the index: written files and removals as git add/rm would, conflicts
    /// as unmerged entries, so `git status` and merge tools see them.
    fn stage(&self, entries: &[Staged]) -> Result<()> {
        let fail = failed(&self.root, "cannot update the index");
        let mut index = self.repo.index().map_err(&fail)?;
        disk::checkpoint("git: store the files", &self.root)
            .map_err(failed(&self.root, "cannot update the index"))?;
        for entry in entries {
            match entry {
                Staged::File(path) => index.add_path(Path::new(path.as_str())),
                Staged::Removed(path) => index.remove_path(Path::new(path.as_str())),
                Staged::Conflict { path, stages } => self.add_conflict(&mut index, path, stages),
            }
            .map_err(&fail)?;
        }
        disk::checkpoint("git: write the index", &self.root)
            .map_err(failed(&self.root, "cannot update the index"))?;
        index.write().map_err(&fail)
    }

    fn add_conflict(
        &self,
        index: &mut git2::Index,
        path: &RelPath,
        stages: &[Option<&PlannedFile>; 3],
    ) -> Result<(), git2::Error> {
        index.remove_path(Path::new(path.as_str()))?;
        for (stage, file) in (1u16..).zip(stages) {
            let Some(file) = file else { continue };
            let bytes = path.as_str().as_bytes();
            index.add(&git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: if file.executable { 0o100755 } else { 0o100644 },
                uid: 0,
                gid: 0,
                file_size: u32::try_from(file.contents.len()).unwrap_or(u32::MAX),
                id: self.repo.blob(
                    &file
                        .contents
                        .read()
                        .map_err(|e| git2::Error::from_str(&format!("cannot read {path}: {e}")))?,
                )?,
                flags: (stage << 12) | u16::try_from(bytes.len()).unwrap_or(0xfff).min(0xfff),
                flags_extended: 0,
                path: bytes.to_vec(),
            })?;
        }
        Ok(())
    }

    /// Stage an update and move the base to its new render. What this changes in `.git` is
    /// listed in [`GUARDED`], for the writer to put back if the update does not finish.
    pub fn record_update(
        &self,
        entries: &[Staged],
        plan: &Plan,
        message: &str,
        fallback: &Fallback,
    ) -> Result<()> {
        self.stage(entries)?;
        self.move_base(plan, message, fallback)
    }

    /// Commit `plan` as the new untouched render on the base ref, after the old one.
    fn move_base(&self, plan: &Plan, message: &str, fallback: &Fallback) -> Result<()> {
        let (_, person) = signature(&self.repo, &self.root, fallback)?;
        let parent = self
            .repo
            .refname_to_id(BASE_REF)
            .ok()
            .map(|id| <[u8; 20]>::try_from(id.as_bytes()).expect("sha-1 ids"));
        let mut store = Store::existing(self.repo.path());
        let fail = failed(&self.root, "cannot store the new base render");
        let tree = store.plan_tree(plan).map_err(&fail)?;
        let commit = store
            .commit(&tree, parent.as_slice(), &person, message)
            .map_err(&fail)?;
        disk::checkpoint("git: move the base ref", &self.root)
            .map_err(failed(&self.root, "cannot move the base ref"))?;
        self.repo
            .reference(BASE_REF, oid(&commit), true, message)
            .map_err(failed(&self.root, "cannot move the base ref"))?;
        Ok(())
    }
}

/// A three-way text merge's result: the merged bytes, with markers where it did not resolve.
pub struct TextMerge {
    pub clean: bool,
    pub bytes: Vec<u8>,
}

/// Merge three versions of one text file the way `git merge-file` does. `labels` name the
/// base, ours and theirs in conflict markers; `diff3` adds the base section to them.
pub fn merge_text(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    labels: [&str; 3],
    diff3: bool,
) -> Result<TextMerge> {
    let input = |bytes| {
        let mut input = git2::MergeFileInput::new();
        input.content(bytes);
        input
    };
    let mut options = git2::MergeFileOptions::new();
    options
        .ancestor_label(labels[0])
        .our_label(labels[1])
        .their_label(labels[2])
        .style_diff3(diff3);
    let result = git2::merge_file(
        &input(base),
        &input(ours),
        &input(theirs),
        Some(&mut options),
    )
    .map_err(failed(Path::new("."), "cannot merge"))?;
    Ok(TextMerge {
        clean: result.is_automergeable(),
        bytes: result.content().to_vec(),
    })
}
