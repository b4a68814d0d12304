//! The environment items: a reproducible environment, and the runtime and development
//! dependencies the code declares.

use toml::Value;

use super::{Context, Detection, Evidence};
use crate::check::filename::file_name;
use crate::check::plural;

/// Parse `pyproject.toml` if there is one that is valid.
pub fn pyproject(cx: &Context) -> Option<Value> {
    cx.toml("pyproject.toml")
}

fn lookup<'v>(value: &'v Value, dotted: &str) -> Option<&'v Value> {
    dotted.split('.').try_fold(value, |v, key| v.get(key))
}

fn array_len(value: Option<&Value>) -> usize {
    value.and_then(Value::as_array).map_or(0, Vec::len)
}

/// Requirement lines of a requirements file: not blank, not comments, not `-r`/`-c` includes.
fn requirement_count(text: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('#') && !l.starts_with("-r") && !l.starts_with("-c")
        })
        .count()
}

const REQUIREMENTS: &[&str] = &["requirements.txt", "requirements/base.txt"];
const DEV_REQUIREMENTS: &[&str] = &[
    "requirements_dev.txt",
    "requirements-dev.txt",
    "requirements_test.txt",
    "requirements-test.txt",
    "requirements_tests.txt",
    "requirements-tests.txt",
    "dev-requirements.txt",
    "test-requirements.txt",
    "requirements/dev.txt",
    "requirements/test.txt",
];
/// Development tools: listed in the one requirements file, they are the development list.
const DEV_TOOLS: &[&str] = &[
    "pytest",
    "ruff",
    "black",
    "flake8",
    "pylint",
    "mypy",
    "isort",
    "coverage",
    "pytest-cov",
    "pre-commit",
    "invoke",
];

/// The development tools a requirements file lists, by name.
fn dev_tools(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| package_name(l.split('#').next().unwrap_or("")))
        .filter_map(|name| DEV_TOOLS.iter().copied().find(|tool| *tool == name))
        .collect()
}

/// A conda environment file: `environment.yml`, `environment-gpu.yaml`, `conda.yaml`,
/// `env.yml`, at the top or one folder down (`envs/`, `conda/`).
fn is_conda_env_path(path: &str) -> bool {
    if !(path.ends_with(".yml") || path.ends_with(".yaml")) || path.matches('/').count() > 1 {
        return false;
    }
    let name = file_name(path).to_ascii_lowercase();
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    !path.starts_with('.')
        && (stem.starts_with("environment") || stem.starts_with("conda") || stem == "env")
}

/// Each conda environment file with its packages (conda's and those under `pip:`), without
/// Python and pip themselves.
fn conda_environments<'a>(cx: &Context<'a>) -> Vec<(&'a str, Vec<String>)> {
    cx.project
        .texts(is_conda_env_path)
        .filter_map(|(path, text)| {
            let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).ok()?;
            let entries = doc.get("dependencies")?.as_sequence()?;
            let mut packages = Vec::new();
            for entry in entries {
                if let Some(spec) = entry.as_str() {
                    packages.push(spec.to_string());
                } else if let Some(pip) = entry.get("pip").and_then(|p| p.as_sequence()) {
                    packages.extend(pip.iter().filter_map(|p| p.as_str().map(str::to_string)));
                }
            }
            packages.retain(|p| {
                let name = package_name(p);
                name != "python" && name != "pip"
            });
            Some((path, packages))
        })
        .collect()
}

/// The name of a requirement or conda spec: `torch` for `torch>=2.1`, `conda-forge::torch=2.1`.
fn package_name(spec: &str) -> String {
    let spec = spec.rsplit("::").next().unwrap_or(spec).trim();
    let end = spec
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(spec.len());
    spec[..end].to_ascii_lowercase().replace('_', "-")
}

fn runtime_dependencies(cx: &Context, py: Option<&Value>) -> Vec<Evidence> {
    let mut found = Vec::new();
    if let Some(py) = py {
        let n = array_len(lookup(py, "project.dependencies"));
        if n > 0 {
            found.push(Evidence::new(
                "pyproject.toml",
                format!(
                    "[project] lists {}",
                    plural::count(n, "dependency", "dependencies")
                ),
            ));
        }
        let poetry = lookup(py, "tool.poetry.dependencies")
            .and_then(Value::as_table)
            .map_or(0, |t| t.keys().filter(|k| *k != "python").count());
        if poetry > 0 {
            found.push(Evidence::new(
                "pyproject.toml",
                format!(
                    "[tool.poetry.dependencies] lists {}",
                    plural::count(poetry, "package", "packages")
                ),
            ));
        }
    }
    found.extend(requirement_files(
        cx,
        REQUIREMENTS,
        "requirement",
        "requirements",
    ));
    for (path, packages) in conda_environments(cx) {
        let tools = packages
            .iter()
            .filter(|p| DEV_TOOLS.contains(&package_name(p).as_str()))
            .count();
        if packages.len() > tools {
            found.push(Evidence::new(
                path,
                format!(
                    "the conda environment lists {}",
                    plural::count(packages.len(), "package", "packages")
                ),
            ));
        }
    }
    found
}

/// Each of `paths` that lists requirements, with how many.
fn requirement_files(cx: &Context, paths: &[&str], one: &str, many: &str) -> Vec<Evidence> {
    paths
        .iter()
        .filter_map(|path| {
            let n = cx.project.text(path).map_or(0, requirement_count);
            (n > 0).then(|| Evidence::new(*path, plural::count(n, one, many)))
        })
        .collect()
}

fn dev_dependencies(cx: &Context, py: Option<&Value>) -> Vec<Evidence> {
    let mut found = Vec::new();
    if let Some(py) = py {
        for (key, what) in [
            ("dependency-groups.dev", "[dependency-groups] dev"),
            (
                "project.optional-dependencies.dev",
                "[project.optional-dependencies] dev",
            ),
            (
                "project.optional-dependencies.test",
                "[project.optional-dependencies] test",
            ),
            ("tool.uv.dev-dependencies", "[tool.uv] dev-dependencies"),
        ] {
            let n = array_len(lookup(py, key));
            if n > 0 {
                found.push(Evidence::new(
                    "pyproject.toml",
                    format!("{what} lists {}", plural::count(n, "package", "packages")),
                ));
            }
        }
        let poetry = lookup(py, "tool.poetry.group.dev.dependencies")
            .and_then(Value::as_table)
            .map_or(0, toml::Table::len);
        if poetry > 0 {
            found.push(Evidence::new(
                "pyproject.toml",
                format!(
                    "[tool.poetry.group.dev] lists {}",
                    plural::count(poetry, "package", "packages")
                ),
            ));
        }
    }
    found.extend(requirement_files(
        cx,
        DEV_REQUIREMENTS,
        "development requirement",
        "development requirements",
    ));
    if found.is_empty() {
        for (path, packages) in conda_environments(cx) {
            let tools: Vec<String> = packages
                .iter()
                .map(|p| package_name(p))
                .filter(|name| DEV_TOOLS.contains(&name.as_str()))
                .collect();
            if !tools.is_empty() {
                found.push(Evidence::new(
                    path,
                    format!("lists the development tools too ({})", tools.join(", ")),
                ));
            }
        }
    }
    if found.is_empty() {
        for path in REQUIREMENTS {
            let tools = cx.project.text(path).map(dev_tools).unwrap_or_default();
            if !tools.is_empty() {
                found.push(Evidence::new(
                    *path,
                    format!("lists the development tools too ({})", tools.join(", ")),
                ));
            }
        }
    }
    found
}

pub fn dependencies(cx: &Context) -> Detection {
    let py = pyproject(cx);
    Detection::all_of(vec![
        (
            runtime_dependencies(cx, py.as_ref()),
            "list the packages the code imports in pyproject.toml ([project] dependencies) or requirements.txt",
        ),
        (
            dev_dependencies(cx, py.as_ref()),
            "list the development tools (pytest, ruff, …) in a dev dependency group or requirements_dev.txt",
        ),
    ])
}

pub fn environment(cx: &Context) -> Detection {
    let mut locks = Vec::new();
    for (path, what) in [
        (
            "uv.lock",
            "uv lock file: the environment is reproducible with `uv sync`",
        ),
        ("poetry.lock", "Poetry lock file"),
        ("pdm.lock", "PDM lock file"),
        ("pixi.lock", "pixi lock file"),
        ("Pipfile.lock", "Pipenv lock file"),
    ] {
        if cx.project.exists(path) {
            locks.push(Evidence::new(path, what));
        }
    }
    for (path, packages) in conda_environments(cx) {
        locks.push(Evidence::new(
            path,
            format!(
                "conda environment definition ({})",
                plural::count(packages.len(), "package", "packages")
            ),
        ));
    }
    if cx.project.exists(".devcontainer/devcontainer.json") {
        locks.push(Evidence::new(
            ".devcontainer/devcontainer.json",
            "a development container",
        ));
    }
    if let Some(version) = cx.project.text(".python-version") {
        let version = version.trim();
        let declared = runtime_dependencies(cx, pyproject(cx).as_ref());
        if !version.is_empty() && !declared.is_empty() {
            locks.push(Evidence::new(
                ".python-version",
                format!("pins Python {version}"),
            ));
            locks.extend(declared);
        }
    }
    if let Some(differences) = stale_uv_lock(cx) {
        locks.retain(|e| e.path != "uv.lock");
        let shown: Vec<&str> = differences.iter().take(3).map(String::as_str).collect();
        let more = differences.len() - shown.len();
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Detection::Open {
            hint: format!(
                "uv.lock no longer locks what pyproject.toml asks for ({}{more}): run `uv lock` and commit uv.lock; until then `uv sync --locked` (the CI) refuses it",
                shown.join("; ")
            ),
            partial: locks,
        };
    }
    Detection::from_evidence(
        locks,
        "create a project environment and commit its definition (`uv sync` writes uv.lock; or a conda environment.yml; or .python-version with requirements.txt)",
    )
}

/// How `uv.lock` differs from what `pyproject.toml` asks for, when it does.
fn stale_uv_lock(cx: &Context) -> Option<Vec<String>> {
    crate::check::uv_lock::stale(&pyproject(cx)?, cx.project.text("uv.lock")?)
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    #[test]
    fn dependencies_need_runtime_and_dev_lists() {
        let both =
            "[project]\nname='p'\ndependencies=['torch']\n[dependency-groups]\ndev=['pytest']\n";
        assert!(is_done("dependencies", &[("pyproject.toml", both)]));
        let runtime_only = "[project]\nname='p'\ndependencies=['torch']\n";
        match run("dependencies", &[("pyproject.toml", runtime_only)]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("development"), "{hint}");
                assert_eq!(partial.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(is_done(
            "dependencies",
            &[
                ("requirements.txt", "torch\n# c\n"),
                ("requirements_dev.txt", "-r requirements.txt\npytest\n")
            ]
        ));
        assert!(!is_done(
            "dependencies",
            &[
                ("requirements.txt", "# nothing yet\n"),
                ("requirements_dev.txt", "pytest\n")
            ]
        ));
        // The course's wording: a filled requirements file and a test one, or the dev tools
        // in the one file.
        assert!(is_done(
            "dependencies",
            &[
                ("requirements.txt", "torch\n"),
                ("requirements/test.txt", "pytest\n")
            ]
        ));
        match run(
            "dependencies",
            &[("requirements.txt", "torch==2.5\nPyTest>=8  # tests\nruff\n")],
        ) {
            Detection::Done(ev) => {
                assert_eq!(
                    ev[1].detail,
                    "lists the development tools too (pytest, ruff)"
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(!is_done(
            "dependencies",
            &[("requirements.txt", "torch\npytest-benchmark-plugin-x\n")]
        ));
    }

    /// A conda environment file, wherever groups keep it, is the environment and lists the
    /// dependencies (development tools among them).
    #[test]
    fn conda_environments_hold_the_environment_and_the_dependencies() {
        let env = (
            "envs/environment_gpu.yml",
            "name: leafs\nchannels: [pytorch, conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch::pytorch=2.2\n  - pip\n  - pip:\n    - timm==0.9.12\n    - pytest\n",
        );
        match run("environment", &[env]) {
            Detection::Done(ev) => {
                assert_eq!(ev[0].detail, "conda environment definition (3 packages)")
            }
            other => panic!("{other:?}"),
        }
        match run("dependencies", &[env]) {
            Detection::Done(ev) => {
                assert_eq!(ev[0].detail, "the conda environment lists 3 packages");
                assert_eq!(ev[1].detail, "lists the development tools too (pytest)");
            }
            other => panic!("{other:?}"),
        }
        let runtime_only = ("environment.yaml", "dependencies:\n  - numpy\n");
        assert!(!is_done("dependencies", &[runtime_only]));
        assert!(!is_done(
            "environment",
            &[("configs/environment.yaml", "lr: 0.1\n")]
        ));
    }

    #[test]
    fn a_uv_lock_that_no_longer_matches_pyproject_keeps_the_environment_open() {
        let pyproject = "[project]\nname = \"p\"\nrequires-python = \">=3.12\"\ndependencies = [\"torch>=2.3\", \"hydra-core>=1.3\"]\n";
        let lock = "version = 1\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"p\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\n[package.metadata]\nrequires-dist = [{ name = \"torch\", specifier = \">=2.3\" }]\n";
        let files = [
            ("pyproject.toml", pyproject),
            ("uv.lock", lock),
            (".python-version", "3.12\n"),
        ];
        match run("environment", &files) {
            Detection::Open { hint, partial } => {
                assert_eq!(
                    hint,
                    "uv.lock no longer locks what pyproject.toml asks for (hydra-core>=1.3 is not locked): run `uv lock` and commit uv.lock; until then `uv sync --locked` (the CI) refuses it"
                );
                assert!(partial.iter().all(|e| e.path != "uv.lock"), "{partial:?}");
            }
            other => panic!("{other:?}"),
        }
        let fresh = lock.replace(
            "[{ name = \"torch\", specifier = \">=2.3\" }]",
            "[{ name = \"hydra-core\", specifier = \">=1.3\" }, { name = \"torch\", specifier = \">=2.3\" }]",
        );
        assert!(is_done(
            "environment",
            &[("pyproject.toml", pyproject), ("uv.lock", &fresh)]
        ));
    }

    #[test]
    fn environment_needs_a_lock_or_pinned_python_with_requirements() {
        assert!(is_done("environment", &[("uv.lock", "")]));
        assert!(is_done(
            "environment",
            &[(
                "environment.yml",
                "name: x\ndependencies:\n  - python=3.12\n"
            )]
        ));
        assert!(is_done(
            "environment",
            &[
                (".python-version", "3.12\n"),
                ("requirements.txt", "torch\n")
            ]
        ));
        assert!(!is_done("environment", &[(".python-version", "3.12\n")]));
        assert!(is_done(
            "environment",
            &[(".devcontainer/devcontainer.json", "{}")]
        ));
        assert!(!is_done(
            "environment",
            &[("pyproject.toml", "[project]\nname='p'\n")]
        ));
    }
}
