//! Third-party code copied into a project (a library pasted into `src/`, a `third_party/`
//! folder): not the group's work, so never evidence for an item.
//!
//! A folder below the top is taken for copied code when two of these signs hold (a name
//! such as `third_party/` counts as two): its own licence file (`LICENSE`, `COPYING`,
//! `NOTICE`); its own packaging (`setup.py`, `setup.cfg`, `pyproject.toml`); upstream headers
//! (a copyright or licence line at the top of its Python files); more Python code than the
//! rest of the project. One sign alone is common in a group's own code and is not enough.

use std::collections::BTreeMap;

use crate::check::filename::file_name;

/// Folder names that hold other people's code.
const VENDOR_NAMES: &[&str] = &[
    "vendor",
    "vendored",
    "_vendor",
    "third_party",
    "third-party",
    "thirdparty",
    "external",
    "extern",
];
const PACKAGING: &[&str] = &["setup.py", "setup.cfg", "pyproject.toml"];

/// A folder of copied code, why it was taken for one, and how many files it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vendored {
    pub folder: String,
    pub signs: Vec<&'static str>,
    pub files: usize,
}

impl Vendored {
    pub fn note(&self) -> String {
        format!(
            "{} looks like copied third-party code ({}): its {} not counted as the group's work",
            self.folder,
            self.signs.join(", "),
            crate::check::plural::count(self.files, "file is", "files are")
        )
    }

    pub fn holds(&self, path: &str) -> bool {
        path.starts_with(&self.folder)
    }
}

/// The folders of copied code among `files` (relative path → text if read), outermost only.
pub fn find(files: &BTreeMap<String, Option<String>>) -> Vec<Vendored> {
    let mut signs: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    let mut add = |folder: &str, sign: &'static str| {
        let entry = signs.entry(format!("{folder}/")).or_default();
        if !entry.contains(&sign) {
            entry.push(sign);
        }
    };
    for path in files.keys() {
        let Some((folder, _)) = path.rsplit_once('/') else {
            continue;
        };
        let name = file_name(path).to_ascii_lowercase();
        if ["license", "licence", "copying", "notice"]
            .iter()
            .any(|n| name.starts_with(n))
        {
            add(folder, "its own licence file");
        }
        if PACKAGING.contains(&name.as_str()) {
            add(folder, "its own packaging");
        }
        for ancestor in ancestors(folder) {
            if VENDOR_NAMES.contains(&file_name(ancestor)) {
                add(ancestor, "a folder for third-party code");
            }
        }
    }
    let mut found: Vec<Vendored> = Vec::new();
    for (folder, mut signs) in signs {
        if found.iter().any(|v| folder.starts_with(&v.folder)) {
            continue;
        }
        let weight = |signs: &[&str]| {
            signs.len() + usize::from(signs.contains(&"a folder for third-party code"))
        };
        // Headers and size only add to a licence or packaging of the folder's own.
        let below = || files.iter().filter(|(p, _)| p.starts_with(&folder));
        let own = signs
            .iter()
            .any(|s| *s == "its own licence file" || *s == "its own packaging");
        if own
            && below().any(|(p, t)| p.ends_with(".py") && t.as_deref().is_some_and(upstream_header))
        {
            signs.push("upstream copyright headers");
        }
        if own && weight(&signs) == 1 && outweighs_the_rest(files, &folder) {
            signs.push("more code than the rest of the project");
        }
        if weight(&signs) >= 2 {
            let files = files.keys().filter(|p| p.starts_with(&folder)).count();
            found.push(Vendored {
                folder,
                signs,
                files,
            });
        }
    }
    found
}

/// `a/b/c`, `a/b`, `a`: the folder and every folder above it.
fn ancestors(folder: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(folder), |f| f.rsplit_once('/').map(|(up, _)| up))
}

/// A copyright or licence line in the first lines of a file, as upstream projects put there.
fn upstream_header(text: &str) -> bool {
    text.lines().take(15).any(|line| {
        let line = line.trim_start_matches(['#', ' ', '"', '\'']);
        line.starts_with("Copyright")
            || line.starts_with("SPDX-License-Identifier")
            || line.starts_with("Licensed under")
    })
}

/// True when `folder` holds more lines of Python than the rest of the project together.
fn outweighs_the_rest(files: &BTreeMap<String, Option<String>>, folder: &str) -> bool {
    let (mut inside, mut outside) = (0, 0);
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".py")) {
        let lines = text.as_deref().map_or(0, |t| t.lines().count());
        if path.starts_with(folder) {
            inside += lines;
        } else {
            outside += lines;
        }
    }
    inside > outside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, Option<String>> {
        entries
            .iter()
            .map(|(p, t)| (p.to_string(), Some(t.to_string())))
            .collect()
    }

    #[test]
    fn two_signs_make_copied_code_and_one_does_not() {
        let header = "# Copyright (c) 2022 The Upstream Authors.\n# Licensed under the MIT license.\nx = 1\n";
        let found = find(&files(&[
            ("src/pkg/train.py", "import torch\nx = 1\ny = 2\n"),
            ("src/pkg/lib/LICENSE", "MIT"),
            ("src/pkg/lib/setup.py", "setup()"),
            ("src/pkg/lib/core/ops.py", header),
            ("src/own/LICENSE", "MIT"),
            ("src/own/model.py", "x = 1\n"),
            ("third_party/tool.py", "x = 1\n"),
        ]));
        let folders: Vec<(&str, &[&str])> = found
            .iter()
            .map(|v| (v.folder.as_str(), v.signs.as_slice()))
            .collect();
        assert_eq!(
            folders,
            [
                (
                    "src/pkg/lib/",
                    &[
                        "its own licence file",
                        "its own packaging",
                        "upstream copyright headers"
                    ][..]
                ),
                ("third_party/", &["a folder for third-party code"][..]),
            ]
        );
        assert_eq!(found[0].files, 3);
        assert_eq!(
            found[0].note(),
            "src/pkg/lib/ looks like copied third-party code (its own licence file, its own packaging, upstream copyright headers): its 3 files are not counted as the group's work"
        );
    }

    #[test]
    fn a_licence_beside_more_code_than_the_rest_is_copied_code() {
        let big = "x = 1\n".repeat(50);
        let found = find(&files(&[
            ("src/pkg/train.py", "x = 1\n"),
            ("src/pkg/big/LICENSE", "BSD"),
            ("src/pkg/big/ops.py", &big),
        ]));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].signs,
            [
                "its own licence file",
                "more code than the rest of the project"
            ]
        );
    }
}
