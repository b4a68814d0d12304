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

/// The id of the tree git would store for `plan`, written nowhere.
pub fn tree_id(plan: &Plan) -> Result<String> {
    let id = Store::ids_only()
        .plan_tree(plan)
        .map_err(failed(Path::new("."), "cannot hash the render"))?;
    Ok(objects::to_hex(&id))
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

/// One commit of the base ref's history: a render dayone gave the project.
pub struct Render {
    /// The commit's id, in hex.
    pub commit: String,
    /// The file at the path asked for (the answers file), when the render has it.
    pub file: Option<Vec<u8>>,
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

    /// The renders on the base ref, newest first along first parents, each with its file at
    /// `path`; empty when there is no base ref.
    pub fn base_renders(&self, path: &RelPath) -> Result<Vec<Render>> {
        let fail = failed(&self.root, "cannot read the base render");
        let Ok(tip) = self.repo.refname_to_id(BASE_REF) else {
            return Ok(Vec::new());
        };
        let mut renders = Vec::new();
        let mut next = Some(self.repo.find_commit(tip).map_err(&fail)?);
        while let Some(commit) = next {
            let tree = commit.tree().map_err(&fail)?;
            renders.push(Render {
                commit: commit.id().to_string(),
                file: self.blob_at(&tree, path)?,
            });
            next = commit.parents().next();
        }
        Ok(renders)
    }

    /// The bytes of the regular file at `path` in `tree`, if there is one.
    fn blob_at(&self, tree: &git2::Tree, path: &RelPath) -> Result<Option<Vec<u8>>> {
        let Ok(entry) = tree.get_path(Path::new(path.as_str())) else {
            return Ok(None);
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(failed(&self.root, "cannot read a file of a commit"))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The file at `path` in the commit HEAD names, if there is one.
    pub fn file_at_head(&self, path: &RelPath) -> Result<Option<Vec<u8>>> {
        let Ok(head) = self.repo.head().and_then(|h| h.peel_to_tree()) else {
            return Ok(None);
        };
        self.blob_at(&head, path)
    }

    /// The render a commit of the base ref holds, as a plan.
    pub fn render(&self, commit: &str) -> Result<Plan> {
        let fail = failed(&self.root, "cannot read the base render");
        let id = Oid::from_str(commit).map_err(&fail)?;
        let tree = self
            .repo
            .find_commit(id)
            .and_then(|c| c.tree())
            .map_err(&fail)?;
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
        .map_err(&fail)?;
        match problem {
            Some(err) => Err(fail(err)),
            None => Ok(plan),
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
    pub fn stage(&self, entries: &[Staged]) -> Result<()> {
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

    /// Commit everything in the work tree on HEAD, as `git add -A && git commit` would
    /// (ignored files stay out); nothing when the work tree is as HEAD. Returns whether it
    /// committed.
    pub fn commit_all(&self, message: &str, fallback: &Fallback) -> Result<bool> {
        let fail = failed(&self.root, "cannot commit the work tree");
        let mut index = self.repo.index().map_err(&fail)?;
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .and_then(|()| index.update_all(["*"], None))
            .and_then(|()| index.write())
            .map_err(&fail)?;
        let tree = index
            .write_tree()
            .and_then(|id| self.repo.find_tree(id))
            .map_err(&fail)?;
        let head = self
            .repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(&fail)?;
        if head.tree_id() == tree.id() {
            return Ok(false);
        }
        let signature = match self.repo.signature() {
            Ok(signature) => signature,
            Err(_) => Signature::now(&fallback.name, &fallback.email).map_err(&fail)?,
        };
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &[&head],
            )
            .map_err(&fail)?;
        Ok(true)
    }

    /// Commit `plan` as a render after `parent` (a commit id in hex): the objects only, no
    /// ref moves. Returns the new commit's id.
    pub fn commit_render(
        &self,
        plan: &Plan,
        parent: Option<&str>,
        message: &str,
        fallback: &Fallback,
    ) -> Result<String> {
        let (_, person) = signature(&self.repo, &self.root, fallback)?;
        let fail = failed(&self.root, "cannot store the new base render");
        let parent = parent
            .map(|p| Oid::from_str(p).map_err(failed(&self.root, "cannot read the base ref")))
            .transpose()?
            .map(|id| <[u8; 20]>::try_from(id.as_bytes()).expect("sha-1 ids"));
        let mut store = Store::existing(self.repo.path());
        let tree = store.plan_tree(plan).map_err(&fail)?;
        let commit = store
            .commit(&tree, parent.as_slice(), &person, message)
            .map_err(&fail)?;
        Ok(objects::to_hex(&commit))
    }

    /// Stage an update and point the base ref at its render, a [`Repo::commit_render`]. What
    /// this changes in `.git` is listed in [`GUARDED`], for the writer to put back if the update
    /// does not finish.
    pub fn record_update(&self, entries: &[Staged], render: &str, message: &str) -> Result<()> {
        self.stage(entries)?;
        self.set_base(render, message)
    }

    /// Point the base ref at `commit` (in hex).
    pub fn set_base(&self, commit: &str, message: &str) -> Result<()> {
        let fail = failed(&self.root, "cannot move the base ref");
        let id = Oid::from_str(commit).map_err(&fail)?;
        disk::checkpoint("git: move the base ref", &self.root)
            .map_err(failed(&self.root, "cannot move the base ref"))?;
        self.repo
            .reference(BASE_REF, id, true, message)
            .map_err(&fail)?;
        Ok(())
    }

    /// Every path whose index entry differs from HEAD (conflicts included), with its file in
    /// HEAD: `None` where HEAD has none. Paths where HEAD has a link or a submodule are left out.
    pub fn staged_since_head(&self) -> Result<Vec<(RelPath, Option<PlannedFile>)>> {
        let fail = failed(&self.root, "cannot compare the index with HEAD");
        let head = self.repo.head().and_then(|h| h.peel_to_tree()).ok();
        let index = self.repo.index().map_err(&fail)?;
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), Some(&index), None)
            .map_err(&fail)?;
        let mut paths: Vec<String> = diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .filter_map(|p| p.to_str().map(String::from))
            .collect();
        for conflict in index.conflicts().map_err(&fail)? {
            let conflict = conflict.map_err(&fail)?;
            let entry = conflict.our.or(conflict.their).or(conflict.ancestor);
            if let Some(path) = entry.and_then(|e| String::from_utf8(e.path).ok()) {
                paths.push(path);
            }
        }
        paths.sort();
        paths.dedup();
        let mut out = Vec::new();
        for path in paths {
            let parts: Vec<String> = path.split('/').map(String::from).collect();
            let entry = head
                .as_ref()
                .and_then(|t| t.get_path(Path::new(&path)).ok());
            let Ok(path) = RelPath::from_components(&parts) else {
                continue;
            };
            let file = match entry.map(|e| e.filemode()) {
                None => None,
                Some(mode @ (0o100644 | 0o100755)) => {
                    let tree = head.as_ref().expect("an entry comes from HEAD's tree");
                    self.blob_at(tree, &path)?.map(|bytes| PlannedFile {
                        contents: bytes.into(),
                        executable: mode == 0o100755,
                    })
                }
                // A link or a submodule in HEAD is not dayone's to put back.
                Some(_) => continue,
            };
            out.push((path, file));
        }
        Ok(out)
    }

    /// The index entries of `paths` back to HEAD's, conflicts and all, as `git reset -- PATHS`.
    pub fn reset_index(&self, paths: &[RelPath]) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let fail = failed(&self.root, "cannot reset the index");
        let head = self
            .repo
            .head()
            .and_then(|h| h.peel(git2::ObjectType::Commit))
            .map_err(&fail)?;
        let specs: Vec<&str> = paths.iter().map(RelPath::as_str).collect();
        self.repo.reset_default(Some(&head), specs).map_err(&fail)
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
