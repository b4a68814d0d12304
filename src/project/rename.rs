//! Renames, found the way git finds them: a file that left one path and arrived at another with
//! at least half of its lines the same. The template can move a file (between the base and the
//! new render), and so can the group (between the base and the work tree); either way the other
//! side's changes follow the file to its new path.

use std::collections::{BTreeSet, HashMap};

use crate::error::Result;
use crate::plan::{Contents, Plan, RelPath};

/// How alike two files must be for a move to count as a rename (git's default).
const THRESHOLD: f64 = 0.5;

/// A file that moved: from `from` (a path of the base) to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub from: RelPath,
    pub to: RelPath,
}

/// The template's renames (base → theirs) and the group's (base → ours), one to one.
#[derive(Debug, Default)]
pub struct Renames {
    pub template: Vec<Rename>,
    pub group: Vec<Rename>,
}

impl Renames {
    pub fn find(base: &Plan, ours: &Plan, theirs: &Plan) -> Result<Self> {
        let gone_from_theirs = base.paths().filter(|p| !theirs.files.contains_key(p));
        let new_in_theirs = theirs.paths().filter(|p| !base.files.contains_key(p));
        let template = pair(base, gone_from_theirs, theirs, new_in_theirs)?;
        let gone_from_ours = base.paths().filter(|p| !ours.files.contains_key(p));
        let new_in_ours = ours
            .paths()
            .filter(|p| !base.files.contains_key(p) && !theirs.files.contains_key(p));
        let group = pair(base, gone_from_ours, ours, new_in_ours)?;
        Ok(Self { template, group })
    }
}

/// Each path that left `old` matched with the most alike path that arrived in `new`.
fn pair<'a>(
    old: &Plan,
    left: impl Iterator<Item = &'a RelPath>,
    new: &Plan,
    arrived: impl Iterator<Item = &'a RelPath>,
) -> Result<Vec<Rename>> {
    let arrived: Vec<&RelPath> = arrived.collect();
    let mut taken = BTreeSet::new();
    let mut found = Vec::new();
    for from in left {
        let before = &old.files[from].contents;
        let mut best: Option<(f64, &RelPath)> = None;
        for to in arrived.iter().copied().filter(|t| !taken.contains(*t)) {
            let score = similarity(before, &new.files[to].contents)?;
            if score >= THRESHOLD && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, to));
            }
        }
        if let Some((_, to)) = best {
            taken.insert(to.clone());
            found.push(Rename {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    Ok(found)
}

/// The share of lines two texts have in common (as a multiset), over the longer one; binary
/// files are alike only when equal.
fn similarity(a: &Contents, b: &Contents) -> Result<f64> {
    let (a, b) = (a.read()?, b.read()?);
    if a == b {
        return Ok(1.0);
    }
    let (Ok(a), Ok(b)) = (std::str::from_utf8(&a), std::str::from_utf8(&b)) else {
        return Ok(0.0);
    };
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for line in a.lines() {
        *counts.entry(line).or_default() += 1;
    }
    let mut common = 0usize;
    for line in b.lines() {
        if let Some(n) = counts.get_mut(line).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    let longest = a.lines().count().max(b.lines().count()).max(1);
    Ok(common as f64 / longest as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PlannedFile;

    fn plan(files: &[(&str, &str)]) -> Plan {
        let mut plan = Plan::default();
        for (path, text) in files {
            let parts: Vec<String> = path.split('/').map(String::from).collect();
            plan.files.insert(
                RelPath::from_components(&parts).unwrap(),
                PlannedFile {
                    contents: text.as_bytes().to_vec().into(),
                    executable: false,
                },
            );
        }
        plan
    }

    #[test]
    fn a_move_with_most_lines_kept_is_a_rename_and_unlike_files_are_not() {
        let body = "a\nb\nc\nd\n";
        let base = plan(&[("old.py", body), ("gone.py", "x\ny\n")]);
        let theirs = plan(&[("new.py", "a\nb\nc\nchanged\n"), ("other.py", "p\nq\n")]);
        let ours = plan(&[("old.py", body), ("gone.py", "x\ny\n")]);
        let found = Renames::find(&base, &ours, &theirs).unwrap();
        assert_eq!(found.template.len(), 1);
        assert_eq!(found.template[0].from.as_str(), "old.py");
        assert_eq!(found.template[0].to.as_str(), "new.py");
        assert!(found.group.is_empty());
    }

    #[test]
    fn the_groups_moves_are_found_against_the_work_tree() {
        let base = plan(&[("src/model.py", "one\ntwo\nthree\n")]);
        let ours = plan(&[("src/net.py", "one\ntwo\nthree\nmine\n")]);
        let theirs = plan(&[("src/model.py", "one\ntwo\nthree\n")]);
        let found = Renames::find(&base, &ours, &theirs).unwrap();
        assert_eq!(found.group[0].to.as_str(), "src/net.py");
    }
}
