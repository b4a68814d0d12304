//! The only file that names `git2`: the new project's repository and reading `git config`, with
//! no git executable. The first commit is built from the in-memory plan (blobs from the rendered
//! bytes, trees from a tree builder), and the user's configuration is only ever read.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{FileMode, Oid, Repository, RepositoryInitOptions, Signature};

use crate::error::{Error, Result};
use crate::plan::Plan;

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
    let tree_id = write_tree(&repo, &Folder::of(plan)).map_err(fail("cannot write the tree"))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(fail("cannot read the tree back"))?;
    let mut index = repo.index().map_err(fail("cannot open the index"))?;
    index
        .read_tree(&tree)
        .and_then(|()| index.write())
        .map_err(fail("cannot write the index"))?;
    let signature = match repo.signature() {
        Ok(signature) => signature,
        Err(_) => Signature::now(&fallback.name, &fallback.email)
            .map_err(fail("cannot build a commit signature"))?,
    };
    repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])
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

fn write_tree(repo: &Repository, folder: &Folder) -> Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(None)?;
    for (name, (bytes, executable)) in &folder.files {
        let mode = if *executable {
            FileMode::BlobExecutable
        } else {
            FileMode::Blob
        };
        builder.insert(name, repo.blob(bytes)?, mode.into())?;
    }
    for (name, sub) in &folder.folders {
        builder.insert(name, write_tree(repo, sub)?, FileMode::Tree.into())?;
    }
    builder.write()
}
