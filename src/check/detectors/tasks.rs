//! Project tasks called by name: a workflow step that runs `invoke docker-build` or `make
//! image` does what the task's body does, so a detector looking for a command follows the
//! call into `tasks.py` (or a `tasks/` package), the Makefile or the justfile.

use std::sync::LazyLock;

use regex::Regex;

use super::paths::is_task_package_path;
use super::{CommandLine, Context};
use crate::check::filename::file_name;

/// A task runner called with a task: `invoke NAME`, `inv NAME`, `make NAME`, `just NAME`
/// (also behind `uv run`, `poetry run` and the like).
static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\b(invoke|inv|make|just)\s+((?:-[\w-]+\s+)*)([A-Za-z_][\w.-]*)")
        .expect("valid regex")
});

/// The command lines of the tasks that `command` calls, read from where each runner keeps its
/// tasks; none when it calls no task of the project.
pub fn called(cx: &Context, command: &str) -> Vec<CommandLine> {
    let mut found = Vec::new();
    for call in CALL.captures_iter(command) {
        let (runner, name) = (&call[1], &call[3]);
        let body = match runner {
            "make" => recipe(cx, "makefile", name),
            "just" => recipe(cx, "justfile", name),
            _ => invoke_task(cx, &name.replace('-', "_")),
        };
        found.extend(body);
    }
    found
}

/// The lines of the invoke task `function` in `tasks.py` or a `tasks/` module.
fn invoke_task(cx: &Context, function: &str) -> Vec<CommandLine> {
    let header = format!("def {function}(");
    for (path, text) in cx
        .project
        .texts(|p| p == "tasks.py" || is_task_package_path(p))
    {
        let lines: Vec<&str> = text.lines().collect();
        let Some(start) = lines
            .iter()
            .position(|l| l.trim_start().starts_with(&header))
        else {
            continue;
        };
        let indent = indent_of(lines[start]);
        return lines[start + 1..]
            .iter()
            .enumerate()
            .take_while(|(_, l)| l.trim().is_empty() || indent_of(l) > indent)
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(offset, l)| CommandLine {
                path: path.to_string(),
                line: Some(start + offset + 2),
                text: l.trim().to_string(),
            })
            .collect();
    }
    Vec::new()
}

/// The recipe lines of `target` in the top-level file named `file` (any case).
fn recipe(cx: &Context, file: &str, target: &str) -> Vec<CommandLine> {
    let Some((path, text)) = cx
        .project
        .texts(|p| !p.contains('/') && file_name(p).eq_ignore_ascii_case(file))
        .next()
    else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| {
        l.split_once(':')
            .is_some_and(|(head, _)| head.split_whitespace().any(|t| t == target))
            && !l.starts_with([' ', '\t'])
    }) else {
        return Vec::new();
    };
    lines[start + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, l)| l.starts_with([' ', '\t']) || l.trim().is_empty())
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(offset, l)| CommandLine {
            path: path.to_string(),
            line: Some(start + offset + 2),
            text: l.trim().to_string(),
        })
        .collect()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::super::Context;
    use super::super::fixture;
    use super::called;

    #[test]
    fn calls_are_followed_into_tasks_makefiles_and_justfiles() {
        let project = fixture::project(&[
            (
                "tasks/docker.py",
                "from invoke import task\n\n@task\ndef docker_build(c):\n    \"\"\"Build.\"\"\"\n    c.run(\"docker build -t api .\")\n\n@task\ndef other(c):\n    c.run(\"echo\")\n",
            ),
            (
                "Makefile",
                "image:\n\tdocker build -t app .\n\ntest:\n\tpytest\n",
            ),
        ]);
        let cx = Context::new(&project);
        let lines = |command: &str| -> Vec<(Option<usize>, String)> {
            called(&cx, command)
                .into_iter()
                .map(|c| (c.line, c.text))
                .collect()
        };
        assert_eq!(
            lines("uv run invoke docker-build"),
            [
                (Some(5), "\"\"\"Build.\"\"\"".to_string()),
                (Some(6), "c.run(\"docker build -t api .\")".to_string())
            ]
        );
        assert_eq!(
            lines("make image"),
            [(Some(2), "docker build -t app .".to_string())]
        );
        assert!(lines("make missing").is_empty());
        assert!(lines("python -m pkg.train").is_empty());
    }
}
