//! `dayone update --abort`: drop an update the group has not committed. Every path whose index
//! entry differs from HEAD (what the update staged, conflicts included) goes back to HEAD in
//! the index and the work tree, as `git reset --merge` would; changes git has not been told
//! about elsewhere stay. The base ref goes back to the render HEAD's `.dayone.toml` records.

use std::path::Path;

use serde::Serialize;

use super::Outcome;
use crate::error::{Error, Result};
use crate::git::{self, Repo};
use crate::plan::RelPath;
use crate::printer::Printer;
use crate::project::{self, Project, base, merge};
use crate::write;

pub fn run(root: &Path, json: bool, printer: &Printer) -> Result<Outcome> {
    let _lock = super::claim(root, false, printer)?;
    Project::open(root)?;
    let repo = Repo::at(root)?.ok_or_else(|| Error::AbortWithoutGit {
        path: root.to_path_buf(),
    })?;
    let answers = project::answers_path();
    let renders = repo.base_renders(&answers)?;
    let target = repo
        .file_at_head(&answers)?
        .and_then(|bytes| base::read_record(&bytes))
        .and_then(|head| base::newest_recording(&renders, &head));
    let staged = repo.staged_since_head()?;
    // The base moves back only to a render HEAD records; the newest one needs no move.
    let base = target
        .filter(|&i| i > 0)
        .map(|i| renders[i].commit.as_str());
    if staged.is_empty() && base.is_none() {
        return Err(Error::NothingToAbort {
            path: root.to_path_buf(),
            base: git::BASE_REF,
        });
    }
    let disk = project::read_files(root, staged.iter().map(|(path, _)| path))?;
    let mut changes = Vec::new();
    for (path, head) in &staged {
        if !merge::same(head.as_ref(), disk.files.get(path))? {
            changes.push(write::Change {
                path,
                file: head.as_ref(),
            });
        }
    }
    let paths: Vec<RelPath> = staged.iter().map(|(path, _)| path.clone()).collect();
    write::apply_changes(root, &changes, git::GUARDED, |_| {
        repo.reset_index(&paths)?;
        match base {
            Some(commit) => repo.set_base(commit, "dayone: update --abort"),
            None => Ok(()),
        }
    })?;
    let report = Report {
        schema: super::update::JSON_SCHEMA,
        aborted: true,
        restored: paths.iter().map(ToString::to_string).collect(),
        base: base.map(str::to_string),
    };
    if json {
        let text = serde_json::to_string_pretty(&report).expect("plain values serialise");
        printer.data(format!("{text}\n"));
        return Ok(Outcome::Clean);
    }
    for path in &report.restored {
        printer.line(format!("  restored  {path}"));
    }
    printer.info(format!(
        "Aborted the update: {} path(s) back as in HEAD.",
        report.restored.len()
    ));
    match (base, target) {
        (Some(commit), _) => printer.info(format!(
            "{} is back at the render HEAD's .dayone.toml records ({}).",
            git::BASE_REF,
            commit.get(..12).unwrap_or(commit)
        )),
        (None, None) => printer.warn(format!(
            "{} holds no render that HEAD's .dayone.toml records; the next update renders the \
             recorded template again instead",
            git::BASE_REF
        )),
        (None, Some(_)) => {}
    }
    Ok(Outcome::Clean)
}

/// What `update --abort --json` prints.
#[derive(Serialize)]
struct Report {
    schema: u32,
    aborted: bool,
    /// The paths put back as HEAD has them (or removed, where HEAD has none).
    restored: Vec<String>,
    /// The commit the base ref went back to, when it moved.
    base: Option<String>,
}
