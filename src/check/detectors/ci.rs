//! Continuous integration and code-quality items: linters, workflows (tests, matrix and
//! cache, lint, data and registry triggers) and pre-commit.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, shorten};
use crate::check::workflow::{Job, Step, Workflow};
use crate::check::{leftovers, plural};

static TEST_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bpytest\b|\bcoverage\s+run\b|\binvoke\s+test|\binv\s+test|\bmake\s+test|\btox\b|\bnox\b|\bunittest\b")
        .expect("valid regex")
});
static LINT_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bruff\b|\bflake8\b|\bpylint\b|\bblack\b|\bpre-commit\s+run\b|\bmypy\b|\binvoke\s+lint",
    )
    .expect("valid regex")
});

fn runs<'a>(wf: &'a Workflow, pattern: &'a Regex) -> impl Iterator<Item = (&'a Job, &'a str)> + 'a {
    wf.steps().filter_map(move |(job, step)| {
        step.run
            .as_deref()
            .and_then(|run| run.lines().find(|line| pattern.is_match(line)))
            .map(|line| (job, line.trim()))
    })
}

fn on_code_change(wf: &Workflow) -> bool {
    wf.trigger("push").is_some() || wf.trigger("pull_request").is_some()
}

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
        .filter(|e| !super::is_workflow_path(&e.path))
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

pub fn ci_tests(cx: &Context) -> Detection {
    let mut partial = Vec::new();
    let mut evidence = Vec::new();
    for wf in &cx.workflows {
        if !on_code_change(wf) {
            continue;
        }
        match runs(wf, &TEST_RUN).next() {
            Some((job, line)) => evidence.push(Evidence::new(
                &wf.path,
                format!(
                    "on {}; job `{}` runs `{}`",
                    wf.events(),
                    job.id,
                    shorten(line, 60)
                ),
            )),
            None => partial.push(Evidence::new(
                &wf.path,
                format!("on {}, but runs no tests", wf.events()),
            )),
        }
    }
    if evidence.is_empty() {
        Detection::Open {
            hint: "add a workflow in .github/workflows/ that runs pytest on push and pull_request"
                .into(),
            partial,
        }
    } else {
        Detection::Done(evidence)
    }
}

/// How a step turns dependency caching on, if it does.
fn cache_of(step: &Step) -> Option<String> {
    let action = step.action()?;
    let on = |key: &str| {
        step.with_value(key)
            .is_some_and(|v| !v.is_empty() && v != "false")
    };
    match action {
        "actions/cache" | "actions/cache/restore" => Some("actions/cache".into()),
        "astral-sh/setup-uv" if on("enable-cache") => {
            Some("astral-sh/setup-uv with enable-cache".into())
        }
        "actions/setup-python" if on("cache") => Some(format!(
            "actions/setup-python with cache: {}",
            step.with_value("cache").unwrap_or_default()
        )),
        "conda-incubator/setup-miniconda" if on("use-only-tar-bz2") || on("cache-environment") => {
            Some("setup-miniconda caching".into())
        }
        "mamba-org/setup-micromamba" if on("cache-environment") => {
            Some("setup-micromamba cache-environment".into())
        }
        _ => None,
    }
}

/// The matrix dimensions over operating systems, Python or PyTorch versions.
fn test_dimensions(job: &Job) -> Vec<(&str, usize)> {
    job.matrix
        .iter()
        .filter(|(key, values)| {
            let key = key.to_ascii_lowercase();
            key.contains("os")
                || key.contains("python")
                || key.contains("torch")
                || values
                    .iter()
                    .any(|v| v.contains("ubuntu") || v.contains("windows") || v.contains("macos"))
        })
        .map(|(key, values)| (key.as_str(), values.len()))
        .collect()
}

pub fn ci_matrix_cache(cx: &Context) -> Detection {
    let mut partial = Vec::new();
    for wf in &cx.workflows {
        for job in &wf.jobs {
            let dims = test_dimensions(job);
            let combinations: usize = dims.iter().map(|(_, n)| *n).product();
            let cache = job.steps.iter().find_map(cache_of);
            let matrix_text = dims.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(" × ");
            let counts = dims
                .iter()
                .map(|(_, n)| n.to_string())
                .collect::<Vec<_>>()
                .join(" × ");
            match (dims.is_empty() || combinations < 2, cache) {
                (false, Some(cache)) => {
                    return Detection::Done(vec![Evidence::new(
                        &wf.path,
                        format!(
                            "job `{}`: matrix {matrix_text} ({counts}), cache: {cache}",
                            job.id
                        ),
                    )]);
                }
                (false, None) => partial.push(Evidence::new(
                    &wf.path,
                    format!(
                        "job `{}` has a matrix {matrix_text} ({counts}) but no dependency cache",
                        job.id
                    ),
                )),
                (true, Some(cache)) => partial.push(Evidence::new(
                    &wf.path,
                    format!(
                        "job `{}` caches ({cache}) but tests a single OS/Python combination",
                        job.id
                    ),
                )),
                (true, None) => {}
            }
        }
    }
    Detection::Open {
        hint: "in one CI job, add strategy.matrix over os and python-version and turn on caching (setup-uv enable-cache, setup-python cache, or actions/cache)".into(),
        partial,
    }
}

pub fn ci_lint(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    for wf in &cx.workflows {
        if let Some((job, line)) = runs(wf, &LINT_RUN).next() {
            evidence.push(Evidence::new(
                &wf.path,
                format!("job `{}` runs `{}`", job.id, shorten(line, 60)),
            ));
        } else if let Some((job, step)) = wf.steps().find(|(_, s)| {
            s.action().is_some_and(|a| {
                a.contains("ruff-action") || a == "pre-commit/action" || a.contains("flake8")
            })
        }) {
            evidence.push(Evidence::new(
                &wf.path,
                format!(
                    "job `{}` uses {}",
                    job.id,
                    step.action().unwrap_or_default()
                ),
            ));
        }
    }
    Detection::from_evidence(
        evidence,
        "add a CI job that runs `ruff check` and `ruff format --check` (or pre-commit)",
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

fn covers_data(pattern: &str) -> bool {
    let p = pattern.trim_start_matches('!');
    !pattern.starts_with('!')
        && (p.contains("data")
            || p.ends_with(".dvc")
            || p.contains("dvc.lock")
            || p.contains("dvc.yaml"))
}

pub fn ci_data_trigger(cx: &Context) -> Detection {
    let evidence = cx
        .workflows
        .iter()
        .flat_map(|wf| {
            wf.triggers.iter().filter_map(move |t| {
                let data: Vec<&str> = t
                    .paths
                    .iter()
                    .map(String::as_str)
                    .filter(|p| covers_data(p))
                    .collect();
                (!data.is_empty()).then(|| {
                    Evidence::new(&wf.path, format!("on {} of {}", t.event, data.join(", ")))
                })
            })
        })
        .collect();
    Detection::from_evidence(
        evidence,
        "add a workflow whose push/pull_request trigger has `paths:` covering the data (e.g. '**/*.dvc', 'data/**')",
    )
}

pub fn ci_registry_trigger(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    for wf in &cx.workflows {
        if let Some(t) = wf.trigger("repository_dispatch") {
            let types = if t.types.is_empty() {
                "any type".to_string()
            } else {
                t.types.join(", ")
            };
            evidence.push(Evidence::new(
                &wf.path,
                format!("on repository_dispatch ({types}), e.g. from a model-registry webhook"),
            ));
        }
        for t in &wf.triggers {
            let models: Vec<&str> = t
                .paths
                .iter()
                .map(String::as_str)
                .filter(|p| p.contains("models/") || p.contains("registry"))
                .collect();
            if !models.is_empty() {
                evidence.push(Evidence::new(
                    &wf.path,
                    format!("on {} of {}", t.event, models.join(", ")),
                ));
            }
        }
    }
    Detection::from_evidence(
        evidence,
        "add a workflow triggered by repository_dispatch from your model registry's webhook (e.g. W&B automations)",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    fn workflow(body: &str) -> (&'static str, String) {
        (".github/workflows/tests.yaml", body.to_string())
    }

    fn done(detector: &str, body: &str) -> bool {
        let (path, text) = workflow(body);
        is_done(detector, &[(path, text.as_str())])
    }

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

    const MATRIX_CACHE: &str = "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest, windows-latest]\n        python-version: ['3.12']\n    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: true\n      - run: uv run pytest\n      - run: uv run ruff check .\n";

    #[test]
    fn tests_matrix_cache_and_lint_in_one_workflow() {
        assert!(done("ci_tests", MATRIX_CACHE));
        assert!(done("ci_matrix_cache", MATRIX_CACHE));
        assert!(done("ci_lint", MATRIX_CACHE));
    }

    #[test]
    fn a_matrix_without_a_cache_is_a_near_miss() {
        let no_cache = MATRIX_CACHE.replace("        with:\n          enable-cache: true\n", "");
        match run(
            "ci_matrix_cache",
            &[(".github/workflows/tests.yaml", &no_cache)],
        ) {
            Detection::Open { partial, .. } => assert!(
                partial[0].detail.contains("no dependency cache"),
                "{partial:?}"
            ),
            other => panic!("{other:?}"),
        }
        let single = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          cache: pip\n      - run: pytest\n";
        assert!(!done("ci_matrix_cache", single));
        assert!(done("ci_tests", single));
        assert!(!done("ci_lint", single));
    }

    #[test]
    fn a_workflow_that_runs_no_tests_is_not_ci_for_tests() {
        let build = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n";
        assert!(!done("ci_tests", build));
        let manual_only = "on: workflow_dispatch\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n";
        assert!(!done("ci_tests", manual_only));
    }

    #[test]
    fn data_and_registry_triggers() {
        let data = "on:\n  push:\n    paths: ['**/*.dvc', 'src/**']\njobs: {}\n";
        assert!(done("ci_data_trigger", data));
        assert!(!done(
            "ci_data_trigger",
            "on:\n  push:\n    paths: ['src/**']\njobs: {}\n"
        ));
        assert!(!done("ci_data_trigger", "on: push\njobs: {}\n"));
        assert!(done(
            "ci_registry_trigger",
            "on:\n  repository_dispatch:\n    types: [staged_model]\njobs: {}\n"
        ));
        assert!(!done(
            "ci_registry_trigger",
            "on: [push, workflow_dispatch]\njobs: {}\n"
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
