//! Continuous integration: workflows that test (with a matrix and a cache) and lint, and
//! those triggered by data or the model registry.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, shorten};
use crate::check::workflow::{Job, Step, Workflow};

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

pub(super) fn runs<'a>(
    wf: &'a Workflow,
    pattern: &'a Regex,
) -> impl Iterator<Item = (&'a Job, &'a str)> + 'a {
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
}
