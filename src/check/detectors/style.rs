//! Code style: a linter or formatter the group configured or runs, and pre-commit hooks.

use std::sync::LazyLock;

use regex::Regex;

use super::ci::runs;
use super::{Context, Detection, Evidence, is_workflow_path, shorten};
use crate::check::{leftovers, plural};

/// A style linter or formatter run: what enforces a style, as opposed to configuring one.
static STYLE_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\bruff\s+(check|format)\b|\bruff\s+\.|\bflake8\b|\bpylint\b|\bblack\b|\bisort\b|\bpycodestyle\b|\bautopep8\b|\bpre-commit\s+run\b")
        .expect("valid regex")
});

/// pre-commit hooks that lint or format Python.
const STYLE_HOOKS: &[&str] = &[
    "ruff",
    "ruff-check",
    "ruff-format",
    "black",
    "flake8",
    "isort",
    "pylint",
    "autopep8",
];

/// True when a `[tool.<linter>]` table (or its `lint` part) chooses more than a template
/// does: a setting other than line length, and a rule selection other than the course's.
fn chosen_settings(tool: &toml::Value) -> bool {
    let Some(table) = tool.as_table() else {
        return false;
    };
    table.iter().any(|(key, value)| match key.as_str() {
        key if leftovers::BARE_LINTER_SETTINGS.contains(&key) => false,
        "lint" => chosen_settings(value),
        "select" => {
            let codes: Vec<&str> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(toml::Value::as_str)
                .collect();
            !leftovers::is_course_ruff_select(&codes)
        }
        _ => true,
    })
}

/// A linter configured in a file, and whether it chooses rules of its own: `(evidence, chosen)`.
fn linter_configs(cx: &Context) -> Vec<(Evidence, bool)> {
    let mut found = Vec::new();
    if let Some(py) = cx.toml("pyproject.toml") {
        for tool in ["ruff", "black", "flake8", "pylint", "isort"] {
            if let Some(config) = py.get("tool").and_then(|t| t.get(tool)) {
                let mut detail = format!("[tool.{tool}] is configured");
                if let Some(length) = config.get("line-length").and_then(toml::Value::as_integer) {
                    detail.push_str(&format!(" (line length {length})"));
                }
                // black and isort have no rules to choose: configuring them is choosing them.
                let chosen = matches!(tool, "black" | "isort") || chosen_settings(config);
                found.push((Evidence::new("pyproject.toml", detail), chosen));
            }
        }
    }
    for (path, section) in [
        ("ruff.toml", None),
        (".ruff.toml", None),
        (".flake8", Some("[flake8]")),
        (".pylintrc", None),
        ("setup.cfg", Some("[flake8]")),
        ("tox.ini", Some("[flake8]")),
    ] {
        let Some(text) = cx.project.text(path) else {
            continue;
        };
        if section.is_some_and(|s| !text.contains(s)) {
            continue;
        }
        let chosen = text.lines().map(str::trim).any(|line| {
            let key = line.split(['=', ':']).next().unwrap_or("").trim();
            line.contains(['=', ':'])
                && !key.starts_with(['#', ';', '['])
                && !leftovers::BARE_LINTER_SETTINGS.contains(&key)
        });
        found.push((Evidence::new(path, "linter configuration"), chosen));
    }
    found
}

/// Where the group runs a linter or formatter: a workflow step, a pre-commit hook, or a
/// task, script or documented command the group wrote.
fn linter_runs(cx: &Context) -> Vec<Evidence> {
    let mut found: Vec<Evidence> = cx
        .workflows
        .iter()
        .filter_map(|wf| {
            let (job, line) = runs(wf, &STYLE_RUN).next()?;
            Some(Evidence::new(
                &wf.path,
                format!("job `{}` runs `{}`", job.id, shorten(line, 60)),
            ))
        })
        .collect();
    let hooks: Vec<String> = pre_commit_hooks(cx)
        .into_iter()
        .filter(|id| STYLE_HOOKS.contains(&id.as_str()))
        .collect();
    if !hooks.is_empty() {
        found.push(Evidence::new(
            PRE_COMMIT,
            format!("pre-commit runs {}", hooks.join(", ")),
        ));
    }
    let local = cx
        .commands_matching(&STYLE_RUN)
        .into_iter()
        .filter(|e| !is_workflow_path(&e.path))
        .chain(cx.documented_matching(&STYLE_RUN));
    found.extend(local.filter(|e| cx.group_wrote(e)));
    found
}

pub fn code_style(cx: &Context) -> Detection {
    let configs = linter_configs(cx);
    let runs = linter_runs(cx);
    let chosen = configs.iter().any(|(_, chosen)| *chosen);
    let configs: Vec<Evidence> = configs.into_iter().map(|(e, _)| e).collect();
    if chosen || !runs.is_empty() {
        return Detection::Done(configs.into_iter().chain(runs).collect());
    }
    if !configs.is_empty() {
        return Detection::Open {
            hint: "the linter is configured with a line length only, as project templates leave it: choose its rules, or run it (a CI step, a pre-commit hook or a task)".into(),
            partial: configs,
        };
    }
    Detection::open(
        "configure a linter and formatter, e.g. [tool.ruff] in pyproject.toml, and keep `ruff check` clean",
    )
}

const PRE_COMMIT: &str = ".pre-commit-config.yaml";

/// The ids of the hooks in `.pre-commit-config.yaml`, with the repository each comes from.
fn pre_commit_repos(cx: &Context) -> Vec<(String, Vec<String>)> {
    cx.project
        .text(PRE_COMMIT)
        .and_then(|t| serde_yaml_ng::from_str::<serde_yaml_ng::Value>(t).ok())
        .and_then(|doc| doc.get("repos")?.as_sequence().cloned())
        .into_iter()
        .flatten()
        .map(|repo| {
            let url = repo
                .get("repo")
                .and_then(|r| r.as_str())
                .unwrap_or_default()
                .to_string();
            let hooks = repo
                .get("hooks")
                .and_then(|h| h.as_sequence().cloned())
                .into_iter()
                .flatten()
                .filter_map(|hook| hook.get("id")?.as_str().map(str::to_string))
                .collect();
            (url, hooks)
        })
        .collect()
}

fn pre_commit_hooks(cx: &Context) -> Vec<String> {
    pre_commit_repos(cx)
        .into_iter()
        .flat_map(|(_, hooks)| hooks)
        .collect()
}

pub fn pre_commit(cx: &Context) -> Detection {
    let repos = pre_commit_repos(cx);
    let hooks: Vec<String> = repos.iter().flat_map(|(_, h)| h.iter().cloned()).collect();
    if hooks.is_empty() {
        return Detection::open(
            "add .pre-commit-config.yaml with a few hooks (ruff, end-of-file fixer) and run `pre-commit install`",
        );
    }
    let found = Evidence::new(
        PRE_COMMIT,
        format!(
            "{}: {}",
            plural::count(hooks.len(), "hook", "hooks"),
            shorten(&hooks.join(", "), 80)
        ),
    );
    if leftovers::is_sample_pre_commit(&repos) {
        return Detection::Open {
            hint: "the hooks are still pre-commit's sample config, as the project template left it: add the hooks the project needs (ruff, say) and run `pre-commit install`".into(),
            partial: vec![found],
        };
    }
    Detection::Done(vec![found])
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    /// A template's linter block (a line length, the course's rule selection) and
    /// pre-commit's sample config, never changed, are not the group's.
    #[test]
    fn a_templates_linter_block_and_the_sample_pre_commit_config_are_leftovers() {
        let bare = ("pyproject.toml", "[tool.ruff]\nline-length = 120\n");
        let course = (
            "pyproject.toml",
            "[tool.ruff]\nline-length = 120\n\n[tool.ruff.lint]\nselect = [\"I\", \"N\", \"E\", \"W\", ]\n",
        );
        let ccds = (
            "tox.ini",
            "[flake8]\nmax-line-length = 79\nmax-complexity = 10\n",
        );
        for config in [bare, course, ccds] {
            match run("code_style", &[config]) {
                Detection::Open { hint, partial } => {
                    assert!(hint.contains("line length only"), "{hint}");
                    assert_eq!(partial[0].path, config.0);
                }
                other => panic!("{config:?}: {other:?}"),
            }
        }
        // Running the linter is what enforces the style.
        let workflow = (
            ".github/workflows/lint.yaml",
            "on: push\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv run ruff check .\n",
        );
        assert!(is_done("code_style", &[bare, workflow]));
        let hook = (
            ".pre-commit-config.yaml",
            "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black\n",
        );
        assert!(is_done("code_style", &[ccds, hook]));
        let task = ("tasks.py", "c.run(\"ruff format src tests\")\n");
        assert!(is_done("code_style", &[bare, task]));
        // cookiecutter-data-science's own `make lint` is part of its template.
        let makefile = (
            "Makefile",
            "lint:\n\tflake8 src\n\nsync_data_to_s3:\n\taws s3 sync data/ s3://$(BUCKET)/data/\n",
        );
        assert!(!is_done("code_style", &[ccds, makefile]));

        let sample = "repos:\n-   repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v3.2.0\n    hooks:\n    -   id: trailing-whitespace\n    -   id: end-of-file-fixer\n    -   id: check-yaml\n    -   id: check-added-large-files\n";
        match run("pre_commit", &[(".pre-commit-config.yaml", sample)]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("sample config"), "{hint}");
                assert_eq!(
                    partial[0].detail,
                    "4 hooks: trailing-whitespace, end-of-file-fixer, check-yaml, check-added-large-files"
                );
            }
            other => panic!("{other:?}"),
        }
        let chosen = format!(
            "{sample}-   repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n    -   id: ruff\n"
        );
        assert!(is_done(
            "pre_commit",
            &[(".pre-commit-config.yaml", chosen.as_str())]
        ));
    }

    #[test]
    fn pre_commit_and_code_style() {
        let config = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n      - id: ruff\n      - id: ruff-format\n";
        match run("pre_commit", &[(".pre-commit-config.yaml", config)]) {
            Detection::Done(ev) => assert_eq!(ev[0].detail, "2 hooks: ruff, ruff-format"),
            other => panic!("{other:?}"),
        }
        assert!(!is_done(
            "pre_commit",
            &[(".pre-commit-config.yaml", "repos: []\n")]
        ));
        assert!(is_done(
            "code_style",
            &[(
                "pyproject.toml",
                "[tool.ruff]\nline-length = 120\n\n[tool.ruff.lint]\nselect = [\"E\", \"F\", \"B\"]\n"
            )]
        ));
        assert!(is_done(
            "code_style",
            &[(
                "setup.cfg",
                "[flake8]\nmax-line-length = 100\nextend-ignore = E203\n"
            )]
        ));
        assert!(!is_done(
            "code_style",
            &[("setup.cfg", "[metadata]\nname = x\n")]
        ));
    }
}
