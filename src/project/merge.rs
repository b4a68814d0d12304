//! The three-way merge of `dayone update`: the stored base render, the project as it is on disk
//! (ours) and the new render (theirs), file by file, as git merges, renames included. The text
//! merge itself is handed in, and nothing here writes the disk.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::plan::{Plan, PlannedFile, RelPath};
use crate::project::rename::Renames;

/// What the update does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Unchanged,
    Updated,
    Added,
    Removed,
    Conflict,
}

/// One file's result: what goes on disk, and for a conflict the three versions git's index
/// records (stages 1, 2 and 3: base, ours, theirs).
#[derive(Debug)]
pub struct FileMerge {
    pub outcome: Outcome,
    /// The new contents, or `None` to remove the file; `Unchanged` leaves the disk alone.
    pub write: Option<PlannedFile>,
    pub stages: Option<[Option<PlannedFile>; 3]>,
    /// The path this file had in the base, when one side moved it here.
    pub from: Option<RelPath>,
}

/// A text merge as the caller's engine gives it: merged bytes, clean or with markers.
pub struct Text {
    pub clean: bool,
    pub bytes: Vec<u8>,
}

/// Merges three texts (base, ours, theirs), as git's engine does.
pub type TextMerger<'a> = &'a dyn Fn(&[u8], &[u8], &[u8]) -> Result<Text>;

/// Every path of base, ours or theirs with what happens to it.
pub type MergePlan = BTreeMap<RelPath, FileMerge>;

/// Merge file by file. `ours` holds the project's current files at the paths of `base` and
/// `theirs` (missing ones are deleted or never made), and any other tracked files, where the
/// group may have moved one. `text` merges three texts. A file moved by one side takes the other
/// side's changes along to its new path (see [`Renames`]).
pub fn merge(base: &Plan, ours: &Plan, theirs: &Plan, text: TextMerger) -> Result<MergePlan> {
    let renames = Renames::find(base, ours, theirs)?;
    let mut out = MergePlan::new();
    let mut moved: BTreeSet<&RelPath> = BTreeSet::new();
    for rename in &renames.template {
        // The group may have moved the same file somewhere else: its copy is there.
        let group_move = renames.group.iter().find(|g| g.from == rename.from);
        let ours_at = group_move.map_or(&rename.from, |g| &g.to);
        let mut arrived = merge_one(
            base.files.get(&rename.from),
            ours.files.get(ours_at),
            theirs.files.get(&rename.to),
            text,
        )?;
        if arrived.outcome == Outcome::Unchanged {
            arrived.outcome = Outcome::Added;
        }
        arrived.from = Some(rename.from.clone());
        out.insert(rename.to.clone(), arrived);
        for old in std::iter::once(&rename.from).chain(group_move.map(|g| &g.to)) {
            out.insert(old.clone(), gone(ours.files.contains_key(old)));
            moved.insert(old);
        }
        moved.insert(&rename.to);
    }
    let group_only: Vec<_> = renames
        .group
        .iter()
        .filter(|g| !moved.contains(&g.from))
        .collect();
    for rename in group_only {
        let mut followed = merge_one(
            base.files.get(&rename.from),
            ours.files.get(&rename.to),
            theirs.files.get(&rename.from),
            text,
        )?;
        followed.from = Some(rename.from.clone());
        out.insert(rename.to.clone(), followed);
        // Not made again at the old path: the group moved it away on purpose.
        out.insert(rename.from.clone(), gone(false));
        moved.insert(&rename.from);
    }
    let paths: BTreeSet<&RelPath> = base.paths().chain(theirs.paths()).collect();
    for path in paths.into_iter().filter(|p| !moved.contains(p)) {
        let (b, o, t) = (
            base.files.get(path),
            ours.files.get(path),
            theirs.files.get(path),
        );
        out.insert(path.clone(), merge_one(b, o, t, text)?);
    }
    Ok(out)
}

/// The old path of a moved file: removed when a file is still there, else left alone.
fn gone(on_disk: bool) -> FileMerge {
    FileMerge {
        outcome: if on_disk {
            Outcome::Removed
        } else {
            Outcome::Unchanged
        },
        write: None,
        stages: None,
        from: None,
    }
}

/// Whether two versions of a file are the same (contents and mode), reading a template's
/// copied file if it has to.
pub fn same(a: Option<&PlannedFile>, b: Option<&PlannedFile>) -> Result<bool> {
    Ok(match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.executable == b.executable && a.contents.same_as(&b.contents)?,
        _ => false,
    })
}

fn merge_one(
    b: Option<&PlannedFile>,
    o: Option<&PlannedFile>,
    t: Option<&PlannedFile>,
    text: TextMerger,
) -> Result<FileMerge> {
    let done = |outcome, write: Option<&PlannedFile>| FileMerge {
        outcome,
        write: write.cloned(),
        stages: None,
        from: None,
    };
    // The template did not change it, or the project already has the new version.
    if same(t, b)? || same(o, t)? {
        return Ok(done(Outcome::Unchanged, o));
    }
    // The group did not change it: take the new version (or its removal).
    if same(o, b)? {
        let outcome = match (o, t) {
            (_, None) => Outcome::Removed,
            (None, Some(_)) => Outcome::Added,
            (Some(_), Some(_)) => Outcome::Updated,
        };
        return Ok(done(outcome, t));
    }
    let stages = [b.cloned(), o.cloned(), t.cloned()];
    let conflict = |write: Option<&PlannedFile>| FileMerge {
        outcome: Outcome::Conflict,
        write: write.cloned(),
        stages: Some(stages.clone()),
        from: None,
    };
    match (o, t) {
        // Changed on both sides (or added on both): merge the texts; binary files keep ours.
        (Some(ours), Some(theirs)) => {
            let empty = PlannedFile {
                contents: Vec::new().into(),
                executable: ours.executable,
            };
            let base = b.unwrap_or(&empty);
            let bytes = [&base.contents, &ours.contents, &theirs.contents]
                .map(|c| c.read().map(|b| b.into_owned()));
            let [base_bytes, our_bytes, their_bytes] = bytes;
            let (base_bytes, our_bytes, their_bytes) = (base_bytes?, our_bytes?, their_bytes?);
            if !(is_text(&base_bytes) && is_text(&our_bytes) && is_text(&their_bytes)) {
                return Ok(conflict(Some(ours)));
            }
            let merged = text(&base_bytes, &our_bytes, &their_bytes)?;
            // A mode change on one side only is kept; on both, the group's wins.
            let executable = if ours.executable == base.executable {
                theirs.executable
            } else {
                ours.executable
            };
            let file = PlannedFile {
                contents: merged.bytes.into(),
                executable,
            };
            if merged.clean {
                Ok(done(Outcome::Updated, Some(&file)))
            } else {
                Ok(conflict(Some(&file)))
            }
        }
        // Removed by the group, changed by the template: git leaves the new version there.
        (None, Some(theirs)) => Ok(conflict(Some(theirs))),
        // Changed by the group, removed by the template: the group's file stays.
        (Some(ours), None) => Ok(conflict(Some(ours))),
        (None, None) => Ok(done(Outcome::Unchanged, None)),
    }
}

/// Text as git decides it for merging: no NUL byte in the first 8,000 bytes.
fn is_text(bytes: &[u8]) -> bool {
    !bytes.iter().take(8000).any(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> PlannedFile {
        PlannedFile {
            contents: text.as_bytes().to_vec().into(),
            executable: false,
        }
    }

    fn plan(files: &[(&str, &str)]) -> Plan {
        let mut plan = Plan::default();
        for (path, text) in files {
            let parts: Vec<String> = path.split('/').map(String::from).collect();
            plan.files
                .insert(RelPath::from_components(&parts).unwrap(), file(text));
        }
        plan
    }

    /// Stands in for git's merge: clean only when one side equals the base.
    fn text(base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Text> {
        let (clean, bytes) = if ours == base {
            (true, theirs.to_vec())
        } else if theirs == base {
            (true, ours.to_vec())
        } else {
            (
                false,
                [b"<<<".as_slice(), ours, b"===", theirs, b">>>"].concat(),
            )
        };
        Ok(Text { clean, bytes })
    }

    fn outcomes(base: &Plan, ours: &Plan, theirs: &Plan) -> Vec<(String, Outcome)> {
        merge(base, ours, theirs, &text)
            .unwrap()
            .into_iter()
            .map(|(path, m)| (path.to_string(), m.outcome))
            .collect()
    }

    #[test]
    fn each_case_is_decided_as_git_would() {
        let base = plan(&[
            ("same", "s"),
            ("template-changed", "a"),
            ("group-changed", "a"),
            ("both-changed", "a"),
            ("template-removed", "a"),
            ("removed-but-changed", "a"),
            ("group-removed", "a"),
            ("group-removed-template-changed", "a"),
        ]);
        let ours = plan(&[
            ("same", "s"),
            ("template-changed", "a"),
            ("group-changed", "mine"),
            ("both-changed", "mine"),
            ("template-removed", "a"),
            ("removed-but-changed", "mine"),
            ("both-added", "mine"),
        ]);
        let theirs = plan(&[
            ("same", "s"),
            ("template-changed", "new"),
            ("group-changed", "a"),
            ("both-changed", "new"),
            ("group-removed", "a"),
            ("group-removed-template-changed", "new"),
            ("both-added", "new"),
            ("template-added", "new"),
        ]);
        let got = outcomes(&base, &ours, &theirs);
        let want = [
            ("both-added", Outcome::Conflict),
            ("both-changed", Outcome::Conflict),
            ("group-changed", Outcome::Unchanged),
            ("group-removed", Outcome::Unchanged),
            ("group-removed-template-changed", Outcome::Conflict),
            ("removed-but-changed", Outcome::Conflict),
            ("same", Outcome::Unchanged),
            ("template-added", Outcome::Added),
            ("template-changed", Outcome::Updated),
            ("template-removed", Outcome::Removed),
        ];
        let want: Vec<(String, Outcome)> = want.iter().map(|(p, o)| (p.to_string(), *o)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn conflicts_keep_three_stages_and_binary_files_get_no_markers() {
        let base = plan(&[("t", "a"), ("b", "a\0")]);
        let ours = plan(&[("t", "mine"), ("b", "mine\0")]);
        let theirs = plan(&[("t", "new"), ("b", "new\0")]);
        let merged = merge(&base, &ours, &theirs, &text).unwrap();
        let text_file = merged.values().last().unwrap();
        assert_eq!(
            &*text_file.write.as_ref().unwrap().contents.read().unwrap(),
            b"<<<mine===new>>>"
        );
        let stages = text_file.stages.as_ref().unwrap();
        assert!(stages.iter().all(Option::is_some));
        let binary = merged.values().next().unwrap();
        assert_eq!(binary.outcome, Outcome::Conflict);
        assert_eq!(
            &*binary.write.as_ref().unwrap().contents.read().unwrap(),
            b"mine\0"
        );
    }

    #[test]
    fn a_mode_change_on_one_side_is_kept() {
        let base = plan(&[("run.sh", "a\nb\n")]);
        let mut ours = plan(&[("run.sh", "a\nb\nmine\n")]);
        ours.files.values_mut().for_each(|f| f.executable = true);
        let theirs = plan(&[("run.sh", "a\nb\n")]);
        let merged = merge(&base, &ours, &theirs, &text).unwrap();
        assert_eq!(merged.values().next().unwrap().outcome, Outcome::Unchanged);
        let theirs = plan(&[("run.sh", "new\nb\n")]);
        let merged = merge(&base, &ours, &theirs, &text).unwrap();
        let file = merged.values().next().unwrap();
        assert!(file.write.as_ref().unwrap().executable);
    }
}
