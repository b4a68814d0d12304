use super::*;

/// A project's pyproject, as a group might have it after `dayone new` and a few changes.
const PYPROJECT: &str = r#"[project]
name = "Leaf_Doctor"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "torch>=2.3",
    "numpy >= 1.26, <3",
    "fastapi[standard]>=0.115",
    "pywin32; sys_platform == 'win32'",
]

[project.optional-dependencies]
wandb = ["wandb>=0.18"]

[dependency-groups]
dev = ["pytest>=8", "ruff", { include-group = "docs" }]
docs = ["mkdocs-material>=9.5"]

[tool.uv.sources]
torch = { index = "pytorch-cpu" }
"#;

/// The lock `uv lock` writes for [`PYPROJECT`] (other packages shortened).
const LOCK: &str = r#"version = 1
revision = 2
requires-python = ">=3.12"

[[package]]
name = "fastapi"
version = "0.115.6"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "pydantic" },
]
wheels = [
    { url = "https://files.pythonhosted.org/packages/fastapi-0.115.6-py3-none-any.whl", hash = "sha256:00", size = 94794 },
]

[package.optional-dependencies]
standard = [
    { name = "uvicorn", extra = ["standard"] },
]

[[package]]
name = "leaf-doctor"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "fastapi", extra = ["standard"] },
    { name = "numpy" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "torch" },
]

[package.optional-dependencies]
wandb = [
    { name = "wandb" },
]

[package.dev-dependencies]
dev = [
    { name = "mkdocs-material" },
    { name = "pytest" },
    { name = "ruff" },
]
docs = [
    { name = "mkdocs-material" },
]

[package.metadata]
requires-dist = [
    { name = "fastapi", extras = ["standard"], specifier = ">=0.115" },
    { name = "numpy", specifier = ">=1.26,<3" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "torch", specifier = ">=2.3", index = "https://download.pytorch.org/whl/cpu" },
    { name = "wandb", marker = "extra == 'wandb'", specifier = ">=0.18" },
]
provides-extras = ["wandb"]

[package.metadata.requires-dev]
dev = [
    { name = "mkdocs-material", specifier = ">=9.5" },
    { name = "pytest", specifier = ">=8" },
    { name = "ruff" },
]
docs = [{ name = "mkdocs-material", specifier = ">=9.5" }]

[[package]]
name = "numpy"
version = "2.2.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/numpy-2.2.1.tar.gz", hash = "sha256:00", size = 20225497 }
"#;

fn check(pyproject: &str, lock: &str) -> Option<Vec<String>> {
    stale(&toml::from_str(pyproject).unwrap(), lock)
}

#[test]
fn the_lock_uv_writes_for_the_pyproject_is_not_stale() {
    assert_eq!(check(PYPROJECT, LOCK), None);
    // Spaces and the order of clauses are the writer's, not a change.
    let respaced = PYPROJECT.replace("\"numpy >= 1.26, <3\"", "\"NumPy<3 , >=1.26\"");
    assert_eq!(check(&respaced, LOCK), None);
}

#[test]
fn a_requirement_added_removed_or_changed_makes_the_lock_stale() {
    let added = PYPROJECT.replace(
        "\"torch>=2.3\",",
        "\"torch>=2.3\",\n    \"hydra-core>=1.3\",",
    );
    assert_eq!(
        check(&added, LOCK),
        Some(vec!["hydra-core>=1.3 is not locked".to_string()])
    );
    let removed = PYPROJECT.replace("    \"pywin32; sys_platform == 'win32'\",\n", "");
    assert_eq!(
        check(&removed, LOCK),
        Some(vec![
            "pywin32 is locked but no longer asked for".to_string()
        ])
    );
    let changed = PYPROJECT.replace("\"pytest>=8\"", "\"pytest>=8.3\"");
    assert_eq!(
        check(&changed, LOCK),
        Some(vec![
            "pytest>=8.3 (group dev) is not locked".to_string(),
            "pytest>=8 (group dev) is locked but no longer asked for".to_string(),
        ])
    );
    let extra = PYPROJECT.replace("wandb = [\"wandb>=0.18\"]", "tracking = [\"wandb>=0.18\"]");
    let found = check(&extra, LOCK).unwrap();
    assert!(
        found.contains(&"wandb>=0.18 (extra tracking) is not locked".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_new_lowest_python_makes_the_lock_stale() {
    let newer = PYPROJECT.replace(
        "requires-python = \">=3.12\"",
        "requires-python = \">=3.13\"",
    );
    assert_eq!(
        check(&newer, LOCK),
        Some(vec![
            "requires-python is `>=3.13`, the lock was made for `>=3.12`".to_string()
        ])
    );
}

#[test]
fn a_lock_without_the_projects_record_cannot_be_judged() {
    let other = LOCK.replace("name = \"leaf-doctor\"", "name = \"someone-else\"");
    assert_eq!(check(PYPROJECT, &other), None);
    let old_format = LOCK.replace("[package.metadata", "[package.not-metadata");
    assert_eq!(check(PYPROJECT, &old_format), None);
    assert_eq!(check("[tool.ruff]\n", LOCK), None);
}

#[test]
fn uvs_older_dev_dependencies_are_the_dev_group() {
    let legacy = PYPROJECT
        .replace("dev = [\"pytest>=8\", \"ruff\", { include-group = \"docs\" }]\n", "")
        .replace(
            "[tool.uv.sources]",
            "[tool.uv]\ndev-dependencies = [\"pytest>=8\", \"ruff\", \"mkdocs-material>=9.5\"]\n\n[tool.uv.sources]",
        );
    assert_eq!(check(&legacy, LOCK), None);
}

#[test]
fn pep508_lines_and_markers_are_read_as_uv_reads_them() {
    let req = parse_pep508(
        "Foo.Bar [Socks , cli] (>=1.0, <2) ; python_version < '3.13'",
        "".into(),
    )
    .unwrap();
    assert_eq!(req.name, "foo-bar");
    assert_eq!(req.extras, ["cli", "socks"]);
    assert_eq!(req.specifier, "<2,>=1.0");
    let url = parse_pep508("pkg @ https://example.org/pkg.whl", "".into()).unwrap();
    assert_eq!((url.name.as_str(), url.specifier.as_str()), ("pkg", ""));
    assert_eq!(extra_of("extra == 'test'"), Some("test".into()));
    assert_eq!(
        extra_of("sys_platform == 'linux' and extra == \"GPU_x\""),
        Some("gpu-x".into())
    );
    assert_eq!(extra_of("sys_platform == 'linux'"), None);
}
