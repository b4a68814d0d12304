//! A cookiecutter template ported to dayone's format, as docs/templates.md describes: what its
//! post-generation hook did (validate the package name, drop files by answer, pick the uv or
//! pip version of a file and rename it) said in template.toml instead.

use crate::support::{TestEnv, entries, tree};

const MANIFEST: &str = r#"[template]
name = "ported"
version = "1.0.0"
directory_variable = "repo_name"
next_steps = "cd {{ repo_name }} && {% if deps_manager == 'uv' %}uv sync{% else %}pip install -e .{% endif %}"

[[variables]]
name = "repo_name"
prompt = "Repository name"
type = "string"
default = "repo"

[[variables]]
name = "project_name"
prompt = "Python package name"
type = "string"
default = "{{ repo_name | snake_case }}"
validate = { regex = "^[a-z_][a-z0-9_]*$", message = "a lowercase Python name", deny = ["class", "import"], deny_message = "is a Python keyword" }

[[variables]]
name = "deps_manager"
prompt = "Dependency manager"
type = "choice"
choices = ["uv", "pip"]
default = "uv"

[[variables]]
name = "agents"
prompt = "Add AGENTS.md?"
type = "bool"
default = true

[[files.rules]]
when = "agents"
paths = ["AGENTS_*.md"]

[[files.variants]]
variable = "deps_manager"
"#;

fn ported(env: &TestEnv) {
    env.write("ported/template.toml", MANIFEST);
    for (path, text) in [
        ("README_uv.md", "# {{ repo_name }}\n\nuv sync\n"),
        ("README_pip.md", "# {{ repo_name }}\n\npip install -e .\n"),
        ("AGENTS_uv.md", "Use uv.\n"),
        ("AGENTS_pip.md", "Use pip.\n"),
        ("requirements_pip.txt", "torch\n"),
        (
            "src/{{ project_name }}/__init__.py",
            "\"\"\"{{ project_name }}.\"\"\"\n",
        ),
        (".github/workflows/tests_uv.yaml", "run: uv run pytest\n"),
    ] {
        env.write(format!("ported/project/{path}"), text);
    }
}

#[test]
fn variants_rules_and_validation_replace_the_hook() {
    let env = TestEnv::new();
    ported(&env);
    let output = env
        .dayone(["new", "--template", "ported", "--yes", "--no-git"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("cd repo && uv sync"), "{err}");
    let files: Vec<String> = tree(&env.work().join("repo"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        files,
        [
            ".dayone.toml",
            ".github/workflows/tests.yaml",
            "AGENTS.md",
            "README.md",
            "src/repo/__init__.py"
        ]
    );
    let output = env
        .dayone([
            "new",
            "pip",
            "--template",
            "ported",
            "--yes",
            "--no-git",
            "--set",
            "deps_manager=pip",
            "--set",
            "agents=false",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pip = env.work().join("pip");
    assert_eq!(
        entries(&pip),
        [".dayone.toml", "README.md", "requirements.txt", "src"]
    );
    assert_eq!(
        std::fs::read_to_string(pip.join("README.md")).unwrap(),
        "# pip\n\npip install -e .\n"
    );
    let output = env
        .dayone([
            "new",
            "bad",
            "--template",
            "ported",
            "--yes",
            "--set",
            "project_name=class",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`class` is a Python keyword"));
}

#[test]
fn a_variant_rule_needs_a_choice_variable() {
    let env = TestEnv::new();
    ported(&env);
    let manifest = MANIFEST.replace("variable = \"deps_manager\"", "variable = \"agents\"");
    env.write("ported/template.toml", manifest);
    let output = env
        .dayone(["new", "--template", "ported", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(
            "[[files.variants]] #1: `agents` is a bool variable; variants need a choice variable"
        ),
        "{err}"
    );
}
