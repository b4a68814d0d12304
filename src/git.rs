//! The new project's git repository, through libgit2: no git executable needed, and the
//! user's configuration is only ever read.

use std::path::Path;

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature};

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

/// `git init -b main`, stage the plan's files, and make one commit. The author comes from git
/// config when it has one, else from `fallback`. Returns the author used.
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
    options.initial_head("main");
    let repo =
        Repository::init_opts(dir, &options).map_err(fail("cannot create the repository"))?;
    let mut index = repo.index().map_err(fail("cannot open the index"))?;
    index
        .add_all(
            plan.paths().map(|p| p.as_str()),
            IndexAddOption::FORCE,
            None,
        )
        .map_err(fail("cannot stage the project's files"))?;
    index.write().map_err(fail("cannot write the index"))?;
    let tree_id = index.write_tree().map_err(fail("cannot write the tree"))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(fail("cannot read the tree back"))?;
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
