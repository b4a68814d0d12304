//! A cookiecutter template's hooks (`hooks/pre_gen_project.py` and the like): dayone lists
//! them and never runs them unless asked (`--run-hooks`); then each is rendered with the
//! answers, shown, and run in the rendered project, as cookiecutter runs it.

use std::path::Path;

use crate::error::Result;

/// The folder cookiecutter looks for hooks in.
pub const HOOKS_DIR: &str = "hooks";
/// The hooks cookiecutter knows, in the order it runs them.
pub const HOOK_NAMES: [&str; 3] = ["pre_prompt", "pre_gen_project", "post_gen_project"];

/// The hook scripts of the template at `root`, as `hooks/NAME.EXT`, in the order they run.
pub fn find(root: &Path) -> Result<Vec<String>> {
    let dir = root.join(HOOKS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    for entry in fs_err::read_dir(&dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            continue;
        };
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        if name.ends_with('~') || !entry.path().is_file() {
            continue;
        }
        if let Some(order) = HOOK_NAMES.iter().position(|h| *h == stem) {
            found.push((order, format!("{HOOKS_DIR}/{name}")));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
}
