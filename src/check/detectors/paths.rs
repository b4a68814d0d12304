//! Which files of a project are which: workflows, Cloud Build files, task and script files,
//! tests, and the project's own source; [`Scope`] names a set of Python files by them.

use crate::check::filename::file_name;

/// Which Python files a search covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Any Python file that is not a test: the package, scripts, tasks, notebooks exported as `.py`.
    Code,
    /// The project's own code: `src/` or a package folder, not tests, tasks or docs.
    Source,
    Tests,
}

impl Scope {
    pub fn contains(self, path: &str) -> bool {
        match self {
            Scope::Code => !is_test_path(path),
            Scope::Source => is_source_path(path),
            Scope::Tests => is_test_path(path),
        }
    }
}

pub fn is_workflow_path(path: &str) -> bool {
    path.starts_with(".github/workflows/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

pub fn is_cloudbuild_path(path: &str) -> bool {
    let name = file_name(path);
    name.starts_with("cloudbuild") && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// Files of commands: task runners' files (also an invoke collection in a `tasks/`
/// package), Makefiles and shell scripts.
pub fn is_script_path(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "tasks.py" | "noxfile.py" | "makefile" | "justfile" | "procfile"
    ) || name.ends_with(".sh")
        || is_task_package_path(path)
}

/// A module of an invoke task collection kept as a package: `tasks/__init__.py`, `tasks/docker.py`.
pub fn is_task_package_path(path: &str) -> bool {
    path.strip_prefix("tasks/")
        .is_some_and(|rest| rest.ends_with(".py") && !rest.contains('/'))
}

pub fn is_test_path(path: &str) -> bool {
    let name = file_name(path);
    path.starts_with("tests/")
        || path.contains("/tests/")
        || name.starts_with("test_")
        || name.ends_with("_test.py")
}

fn is_source_path(path: &str) -> bool {
    if is_test_path(path) || !path.ends_with(".py") {
        return false;
    }
    match path.split_once('/') {
        // A script at the top is the group's code unless it is tooling.
        None => !matches!(
            path,
            "tasks.py" | "noxfile.py" | "setup.py" | "conftest.py" | "locustfile.py"
        ),
        Some((top, _)) => !matches!(
            top,
            "docs"
                | "scripts"
                | "notebooks"
                | "tests"
                | "configs"
                | "tasks"
                | ".github"
                | ".devcontainer"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_and_test_paths_are_told_apart() {
        assert!(is_source_path("src/pkg/train.py"));
        assert!(is_source_path("pkg/train.py"));
        assert!(!is_source_path("tests/test_train.py"));
        assert!(!is_source_path("tasks.py"));
        assert!(is_source_path("train.py"));
        assert!(!is_source_path("docs/conf.py"));
        assert!(is_test_path("src/pkg/tests/test_x.py"));
    }
}
