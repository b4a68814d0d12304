//! The only file that names `git2`: the new project's repository and reading `git config`, with
//! no git executable. The first commit is built from the in-memory plan: blobs from the rendered
//! bytes, then trees, then the commit, written by [`objects`]; libgit2 makes the repository, the
//! index and the branch. The user's configuration is only ever read.

mod objects;

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, RepositoryInitOptions, Signature};

use crate::error::{Error, Result};
use crate::plan::Plan;
use objects::{Entry, Id, Kind, Mode, Store};

/// Is `path` (or its nearest existing ancestor) inside an existing git work tree?
pub fn enclosing_work_tree(path: &Path) -> Option<std::path::PathBuf> {
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

/// `git init -b main` in `dir` and one commit of exactly the plan's files, with an index that
/// matches it, so the work tree is clean. The author comes from git config when it has one,
/// else from `fallback`. Returns the author used.
pub fn init_and_commit(
    dir: &Path,
    plan: &Plan,
    message: &str,
    fallback: &Fallback,
) -> Result<String> {
    let fail = |action: &'static str| {
        move |source: git2::Error| Error::Git {
            action,
            path: dir.to_path_buf(),
            source: Box::new(source),
        }
    };
    let mut options = RepositoryInitOptions::new();
    // No sample hooks copied from the system's git templates: a new project needs none.
    options.initial_head("main").external_template(false);
    let repo =
        Repository::init_opts(dir, &options).map_err(fail("cannot create the repository"))?;
    let signature = match repo.signature() {
        Ok(signature) => signature,
        Err(_) => Signature::now(&fallback.name, &fallback.email)
            .map_err(fail("cannot build a commit signature"))?,
    };
    let io_fail = |action: &'static str| {
        move |source: std::io::Error| Error::Git {
            action,
            path: dir.to_path_buf(),
            source: Box::new(source),
        }
    };
    let mut store = Store::new(repo.path());
    let tree_id =
        write_tree(&mut store, &Folder::of(plan)).map_err(io_fail("cannot write the tree"))?;
    let when = signature.when();
    let person = objects::signature_line(
        signature.name().unwrap_or_default(),
        signature.email().unwrap_or_default(),
        when.seconds(),
        when.offset_minutes(),
    );
    let commit_id = store
        .write(
            Kind::Commit,
            &objects::root_commit(&tree_id, &person, message),
        )
        .map_err(io_fail("cannot write the commit"))?;
    let oid = |id: &Id| Oid::from_bytes(id).expect("20 bytes");
    let tree = repo
        .find_tree(oid(&tree_id))
        .map_err(fail("cannot read the tree back"))?;
    let mut index = repo.index().map_err(fail("cannot open the index"))?;
    index
        .read_tree(&tree)
        .and_then(|()| index.write())
        .map_err(fail("cannot write the index"))?;
    let first_line = message.lines().next().unwrap_or_default();
    repo.reference(
        "refs/heads/main",
        oid(&commit_id),
        false,
        &format!("commit (initial): {first_line}"),
    )
    .map_err(fail("cannot make the first commit"))?;
    Ok(format!(
        "{} <{}>",
        signature.name().unwrap_or("?"),
        signature.email().unwrap_or("?")
    ))
}

/// The plan as nested folders: name → file (bytes, executable) or subfolder.
#[derive(Default)]
struct Folder<'a> {
    files: BTreeMap<&'a str, (&'a [u8], bool)>,
    folders: BTreeMap<&'a str, Folder<'a>>,
}

impl<'a> Folder<'a> {
    fn of(plan: &'a Plan) -> Self {
        let mut root = Folder::default();
        for (path, file) in &plan.files {
            let mut parts: Vec<&str> = path.as_str().split('/').collect();
            let name = parts.pop().expect("a path has a last component");
            let folder = parts.into_iter().fold(&mut root, |folder, part| {
                folder.folders.entry(part).or_default()
            });
            folder.files.insert(name, (&file.contents, file.executable));
        }
        root
    }
}

fn write_tree(store: &mut Store, folder: &Folder) -> std::io::Result<Id> {
    let mut entries = Vec::with_capacity(folder.files.len() + folder.folders.len());
    for (name, (bytes, executable)) in &folder.files {
        let mode = if *executable {
            Mode::Executable
        } else {
            Mode::File
        };
        entries.push(Entry {
            name,
            mode,
            id: store.write(Kind::Blob, bytes)?,
        });
    }
    for (name, sub) in &folder.folders {
        entries.push(Entry {
            name,
            mode: Mode::Folder,
            id: write_tree(store, sub)?,
        });
    }
    store.tree(&mut entries)
}
