//! A cookiecutter template's hooks (`hooks/pre_gen_project.py` and the like): dayone lists
//! them and never runs them unless asked (`--run-hooks`); then each is rendered with the
//! answers, shown, and run in the rendered project, as cookiecutter runs it.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::render::{RenderInput, render_text};
use crate::template::source::read_utf8;

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

/// The hooks that run for a new project, in order: `pre_gen_project` and `post_gen_project`
/// (`pre_prompt` would change `cookiecutter.json` before the questions; dayone never runs it).
pub fn runnable(hooks: &[String]) -> Vec<&String> {
    hooks.iter().filter(|path| !is_pre_prompt(path)).collect()
}

pub fn is_pre_prompt(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem) == HOOK_NAMES[0]
}

/// Run the hooks `paths` of the template at `root` in the project folder `project`, each
/// rendered with the answers, its text shown first (`show`), its output on stderr. A `.py`
/// hook runs with Python (`python3`, else `python`); any other is run as a program.
pub fn run(
    root: &Path,
    paths: &[&String],
    input: &RenderInput,
    project: &Path,
    show: &dyn Fn(&str, &str),
) -> Result<()> {
    let scratch = tempfile::tempdir()?;
    for path in paths {
        let text = read_utf8(&root.join(path))?;
        let rendered = render_text(path, &text, input).map_err(|message| Error::Render {
            template: root.display().to_string(),
            file: (*path).clone(),
            message,
        })?;
        show(path, &rendered);
        let name = path.rsplit('/').next().unwrap_or(path);
        let script = scratch.path().join(name);
        fs_err::write(&script, &rendered)?;
        let mut command = if name.ends_with(".py") {
            let mut command = Command::new(python()?);
            command.arg(&script);
            command
        } else {
            make_executable(&script)?;
            Command::new(&script)
        };
        let status = command
            .current_dir(project)
            .stdin(Stdio::null())
            .stdout(std::io::stderr())
            .status()
            .map_err(|source| Error::HookDidNotStart {
                hook: (*path).clone(),
                source,
            })?;
        if !status.success() {
            return Err(Error::HookFailed {
                hook: (*path).clone(),
                status: status.to_string(),
            });
        }
    }
    Ok(())
}

/// The Python on PATH: `python3`, else `python`.
fn python() -> Result<&'static str> {
    for name in ["python3", "python"] {
        let found = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return Ok(name);
        }
    }
    Err(Error::NoPython)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs_err::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}
