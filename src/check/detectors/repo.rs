//! Repository-level items: git, the environment and dependencies, the course layout, DVC.

use toml::Value;

use super::{Context, Detection, Evidence};
use crate::check::project::file_name;
use crate::check::{ini, plural};

/// The item asks for a repository on GitHub (the course reads it there), so a local `.git`
/// alone is partial evidence.
pub fn git_repository(cx: &Context) -> Detection {
    let Some(git) = &cx.project.git else {
        return Detection::open(
            "run `git init` in the project, commit the code and push it to a new GitHub repository",
        );
    };
    let detail = match git.remotes.first() {
        Some((name, url)) => format!("a git repository with the remote `{name}` → {url}"),
        None => "a git repository (no remote yet)".to_string(),
    };
    Detection::all_of(vec![
        (vec![Evidence::new(&git.location, detail)], ""),
        (
            github_remotes(cx),
            "create the repository on GitHub and add it as a remote: `git remote add origin git@github.com:<owner>/<repo>.git`, then `git push -u origin main`",
        ),
    ])
}

/// Evidence for each git remote on github.com.
pub fn github_remotes(cx: &Context) -> Vec<Evidence> {
    let Some(git) = &cx.project.git else {
        return Vec::new();
    };
    git.remotes
        .iter()
        .filter(|(_, url)| url.contains("github.com"))
        .map(|(name, url)| {
            Evidence::new(
                format!("{}/config", git.location),
                format!("the remote `{name}` is on GitHub: {url}"),
            )
        })
        .collect()
}

pub fn github_remote(cx: &Context) -> Detection {
    if cx.project.git.is_none() {
        return Detection::open("create a git repository, add a GitHub remote and push to it");
    }
    Detection::from_evidence(
        github_remotes(cx),
        "add a GitHub remote (`git remote add origin …`) and push every branch the graders read",
    )
}

/// Parse `pyproject.toml` if there is one that is valid.
fn pyproject(cx: &Context) -> Option<Value> {
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

const REQUIREMENTS: &[&str] = &["requirements.txt"];
const DEV_REQUIREMENTS: &[&str] = &[
    "requirements_dev.txt",
    "requirements-dev.txt",
    "requirements_test.txt",
    "requirements-test.txt",
];

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
    for path in REQUIREMENTS {
        let n = cx.project.text(path).map_or(0, requirement_count);
        if n > 0 {
            found.push(Evidence::new(
                *path,
                plural::count(n, "requirement", "requirements"),
            ));
        }
    }
    found
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
    for path in DEV_REQUIREMENTS {
        let n = cx.project.text(path).map_or(0, requirement_count);
        if n > 0 {
            found.push(Evidence::new(
                *path,
                plural::count(n, "development requirement", "development requirements"),
            ));
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
    for path in [
        "environment.yml",
        "environment.yaml",
        "conda.yaml",
        "conda.yml",
    ] {
        if cx
            .project
            .text(path)
            .is_some_and(|t| t.contains("dependencies:"))
        {
            locks.push(Evidence::new(path, "conda environment definition"));
        }
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
    Detection::from_evidence(
        locks,
        "create a project environment and commit its definition (`uv sync` writes uv.lock; or a conda environment.yml; or .python-version with requirements.txt)",
    )
}

pub fn project_layout(cx: &Context) -> Detection {
    let p = cx.project;
    if let Some(text) = p.text(".dayone.toml") {
        // `[dayone] template = "…"` is what `dayone new` writes.
        let template = toml::from_str::<Value>(text).ok().and_then(|v| {
            let name = v.get("dayone").and_then(|d| d.get("template"))?;
            name.as_str().map(str::to_string)
        });
        let detail = match template {
            Some(name) => format!("generated by dayone from the template `{name}`"),
            None => "generated by dayone".to_string(),
        };
        return Detection::Done(vec![Evidence::new(".dayone.toml", detail)]);
    }
    let packages: Vec<&str> = p
        .paths()
        .filter(|path| file_name(path) == "__init__.py")
        .filter(|path| {
            let depth = path.matches('/').count();
            (path.starts_with("src/") && depth == 2) || (!path.starts_with("tests/") && depth == 1)
        })
        .collect();
    let mut parts = vec![(
        packages
            .iter()
            .take(1)
            .map(|init| {
                let dir = init.trim_end_matches("/__init__.py");
                Evidence::new(format!("{dir}/"), "the Python package")
            })
            .collect::<Vec<_>>(),
        "put the code in a package under src/ (src/<package>/__init__.py), as the course template does",
    )];
    parts.push((
        p.has_dir("tests")
            .then(|| Evidence::new("tests/", "the test folder"))
            .into_iter()
            .collect(),
        "add a tests/ folder",
    ));
    parts.push((
        p.exists(crate::report::PATH)
            .then(|| Evidence::new(crate::report::PATH, "the exam report"))
            .into_iter()
            .collect(),
        "add the exam report at reports/README.md",
    ));
    Detection::all_of(parts)
}

/// What a `.dvc` pointer file tracks (`outs[].path`).
fn dvc_outs(text: &str) -> Vec<String> {
    let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
        return Vec::new();
    };
    doc.get("outs")
        .and_then(|o| o.as_sequence())
        .into_iter()
        .flatten()
        .filter_map(|out| out.get("path")?.as_str().map(str::to_string))
        .collect()
}

pub fn data_version_control(cx: &Context) -> Detection {
    let p = cx.project;
    let config = p.has_dir(".dvc").then(|| {
        let remotes = p.text(".dvc/config").map(ini::remotes).unwrap_or_default();
        let detail = match remotes.first() {
            Some((name, url)) => format!("DVC is set up, with the remote `{name}` → {url}"),
            None => "DVC is set up (no remote yet)".to_string(),
        };
        Evidence::new(".dvc/", detail)
    });
    Detection::all_of(vec![
        (
            config.into_iter().collect(),
            "run `dvc init` and commit the .dvc/ folder",
        ),
        (
            tracked_data(cx),
            "track the data with `dvc add data/…` and commit the .dvc file it writes",
        ),
    ])
}

/// What DVC tracks: each `.dvc` pointer file with `outs`, and each `dvc.yaml` with stages.
pub fn tracked_data(cx: &Context) -> Vec<Evidence> {
    let p = cx.project;
    let mut tracked = Vec::new();
    for (path, text) in p.texts(|path| path.ends_with(".dvc") && !path.starts_with(".dvc/")) {
        let outs = dvc_outs(text);
        if !outs.is_empty() {
            tracked.push(Evidence::new(path, format!("tracks {}", outs.join(", "))));
        }
    }
    for (path, text) in p.texts(|path| file_name(path) == "dvc.yaml") {
        if let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
            let stages = doc
                .get("stages")
                .and_then(|s| s.as_mapping())
                .map_or(0, |m| m.len());
            if stages > 0 {
                tracked.push(Evidence::new(
                    path,
                    format!(
                        "a DVC pipeline with {}",
                        plural::count(stages, "stage", "stages")
                    ),
                ));
            }
        }
    }
    tracked
}

/// "Store the data in a bucket": a `gs://` remote and something DVC tracks to push there.
pub fn gcs_data_remote(cx: &Context) -> Detection {
    let buckets = cx
        .project
        .text(".dvc/config")
        .map(ini::remotes)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, url)| url.starts_with("gs://"))
        .map(|(name, url)| {
            Evidence::new(
                ".dvc/config",
                format!("the DVC remote `{name}` is the bucket {url}"),
            )
        })
        .collect();
    Detection::all_of(vec![
        (
            buckets,
            "point a DVC remote at a GCP bucket: `dvc remote add -d storage gs://<bucket>` and `dvc push`",
        ),
        (
            tracked_data(cx),
            "track the data with `dvc add data/…`, commit the .dvc file and `dvc push` it to the bucket",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{is_done, project_with_git, run};
    use super::super::{Context, Detection, detect};
    use crate::check::project::GitInfo;

    #[test]
    fn git_and_github_come_from_the_repository_config() {
        let git = GitInfo {
            location: ".git".into(),
            remotes: vec![("origin".into(), "git@github.com:team/proj.git".into())],
        };
        let project = project_with_git(&[], git);
        let cx = Context::new(&project);
        assert!(matches!(
            detect("git_repository", &cx),
            Some(Detection::Done(_))
        ));
        assert!(matches!(
            detect("github_remote", &cx),
            Some(Detection::Done(_))
        ));

        let gitlab = GitInfo {
            location: ".git".into(),
            remotes: vec![("origin".into(), "https://gitlab.com/team/proj.git".into())],
        };
        let project = project_with_git(&[], gitlab);
        let cx = Context::new(&project);
        assert!(matches!(
            detect("github_remote", &cx),
            Some(Detection::Open { .. })
        ));
        assert!(!is_done("git_repository", &[]));

        // A repository nobody has put on GitHub yet is only partly there.
        let local = GitInfo {
            location: ".git".into(),
            remotes: vec![],
        };
        let project = project_with_git(&[], local);
        match detect("git_repository", &Context::new(&project)) {
            Some(Detection::Open { hint, partial }) => {
                assert!(hint.contains("git remote add origin"), "{hint}");
                assert_eq!(partial[0].detail, "a git repository (no remote yet)");
            }
            other => panic!("{other:?}"),
        }
    }

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

    #[test]
    fn layout_from_dayone_answers_or_the_course_folders() {
        match run(
            "project_layout",
            &[(
                ".dayone.toml",
                "[dayone]\ntemplate = \"mlops\"\n\n[answers]\napi = true\n",
            )],
        ) {
            Detection::Done(ev) => assert!(ev[0].detail.contains("`mlops`"), "{ev:?}"),
            other => panic!("{other:?}"),
        }
        let course = [
            ("src/pkg/__init__.py", ""),
            ("tests/test_data.py", ""),
            ("reports/README.md", "# Report"),
        ];
        assert!(is_done("project_layout", &course));
        assert!(!is_done("project_layout", &course[..2]));
        assert!(!is_done(
            "project_layout",
            &[
                ("src/pkg/deep/__init__.py", ""),
                ("tests/x.py", ""),
                ("reports/README.md", "")
            ]
        ));
    }

    #[test]
    fn dvc_needs_config_and_tracked_data() {
        let config =
            "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket-data\n";
        let pointer = "outs:\n- md5: abc.dir\n  path: data\n";
        assert!(is_done(
            "data_version_control",
            &[(".dvc/config", config), ("data.dvc", pointer)]
        ));
        assert!(!is_done("data_version_control", &[(".dvc/config", config)]));
        assert!(!is_done("data_version_control", &[("data.dvc", pointer)]));
        assert!(is_done(
            "data_version_control",
            &[
                (".dvc/config", ""),
                ("dvc.yaml", "stages:\n  prepare:\n    cmd: python x.py\n")
            ]
        ));
        // Storing the data in the bucket needs data to store: a remote alone is partial.
        assert!(!is_done("gcs_data_remote", &[(".dvc/config", config)]));
        assert!(is_done(
            "gcs_data_remote",
            &[(".dvc/config", config), ("data.dvc", pointer)]
        ));
        let local = "['remote \"local\"']\n    url = /tmp/dvcstore\n";
        assert!(!is_done(
            "gcs_data_remote",
            &[(".dvc/config", local), ("data.dvc", pointer)]
        ));
    }
}
