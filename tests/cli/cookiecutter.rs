//! Cookiecutter templates: the conformance suite (every case of tests/cookiecutter/ rendered by
//! dayone, byte for byte what cookiecutter wrote, as `scripts/cookiecutter_conformance.py`
//! recorded it), and what dayone refuses.

use std::path::{Path, PathBuf};

use crate::support::{TestEnv, entries, tree};

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cookiecutter")
}

/// `--set` flags for a case's `set.json`.
fn set_flags(case: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(case.join("set.json")) else {
        return Vec::new();
    };
    let answers: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    answers
        .iter()
        .flat_map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            ["--set".to_string(), format!("{key}={value}")]
        })
        .collect()
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_path: &Path) -> bool {
    false
}

#[test]
fn every_case_renders_as_cookiecutter_rendered_it() {
    let mut names: Vec<String> = entries(&cases())
        .into_iter()
        .filter(|name| cases().join(name).join("template").is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "the suite has its cases: {names:?}");
    for name in names {
        let case = cases().join(&name);
        let env = TestEnv::new();
        // No DIR: the project folder is named by the answers, as cookiecutter names it (a DIR
        // would also become the default of the variable that names the folder).
        let mut args = vec![
            "new".to_string(),
            "--template".into(),
            case.join("template").display().to_string(),
            "--yes".into(),
            "--no-git".into(),
        ];
        args.extend(set_flags(&case));
        let output = env.dayone(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: {stderr}");
        let made = entries(&env.work());
        assert_eq!(made.len(), 1, "{name}: one project folder: {made:?}");
        let out = env.work().join(&made[0]);
        let expected = tree(&case.join("expected"));
        let got: Vec<(String, Vec<u8>)> = tree(&out)
            .into_iter()
            .filter(|(path, _)| path != ".dayone.toml")
            .collect();
        let paths = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&got), paths(&expected), "{name}: the files differ");
        for ((path, bytes), (_, wanted)) in got.iter().zip(&expected) {
            assert!(
                bytes == wanted,
                "{name}: {path} differs from cookiecutter's:\n--- dayone\n{}\n--- cookiecutter\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(wanted)
            );
            assert_eq!(
                executable(&out.join(path)),
                executable(&case.join("expected").join(path)),
                "{name}: {path}'s executable bit"
            );
        }
    }
}

/// A cookiecutter template in `dir` of the work folder: `context` as its cookiecutter.json and
/// one file in its project folder.
fn template(env: &TestEnv, dir: &str, context: &str, file: &str) -> PathBuf {
    env.write(format!("{dir}/cookiecutter.json"), context);
    env.write(format!("{dir}/{{{{cookiecutter.name}}}}/README.md"), file);
    env.work().join(dir)
}

/// The run fails with exit 2, says `message`, and leaves the work folder as it was.
fn refused(env: &TestEnv, args: &[&str], message: &str) {
    let before = entries(&env.work());
    let output = env.dayone(args).output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in\n{err}"
    );
    assert_eq!(
        entries(&env.work()),
        before,
        "{args:?} left something behind"
    );
}

#[test]
fn bad_templates_are_refused_with_where_and_what() {
    let env = TestEnv::new();
    template(
        &env,
        "broken",
        "{\n  \"name\": \"x\",\n  \"y\": [1,\n}\n",
        "x",
    );
    refused(
        &env,
        &["new", "--template", "broken", "--yes"],
        "broken/cookiecutter.json: invalid JSON at line 4, column 1: expected value",
    );
    template(
        &env,
        "local-ext",
        r#"{"name": "x", "_extensions": ["local_extensions.Shout"]}"#,
        "x",
    );
    refused(
        &env,
        &["new", "--template", "local-ext", "--yes"],
        "`_extensions` lists `local_extensions.Shout`, a Jinja extension dayone does not have",
    );
    template(
        &env,
        "empty",
        r#"{"name": "x", "author": "", "email": null}"#,
        "x",
    );
    refused(
        &env,
        &["new", "--template", "empty", "--yes"],
        "no answer for author, email: the template gives no default, so --yes cannot take one; pass --set author=… --set email=…",
    );
    // Given with --set, even empty, the same template renders.
    let output = env
        .dayone([
            "new",
            "--template",
            "empty",
            "--yes",
            "--no-git",
            "--set",
            "author=",
            "--set",
            "email=a@b.c",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(env.work().join("x/README.md").is_file());
}

#[test]
fn template_errors_name_the_file_line_and_expression() {
    let env = TestEnv::new();
    template(
        &env,
        "typo",
        r#"{"name": "x"}"#,
        "# {{ cookiecutter.name }}\n\n{{ cookiecutter.nmae }}\n",
    );
    refused(
        &env,
        &["new", "--template", "typo", "--yes"],
        "file {{cookiecutter.name}}/README.md: line 3: undefined value in `cookiecutter.nmae`",
    );
    template(
        &env,
        "syntax",
        r#"{"name": "x"}"#,
        "{% if cookiecutter.name %}\nnever closed\n",
    );
    refused(
        &env,
        &["new", "--template", "syntax", "--yes"],
        "file {{cookiecutter.name}}/README.md: line 1: syntax error: unexpected end of input, expected end of block",
    );
    template(
        &env,
        "default",
        r#"{"name": "{{ cookiecutter.later }}", "later": "x"}"#,
        "x",
    );
    refused(
        &env,
        &["new", "--template", "default", "--yes"],
        "variable `name`: default: undefined value in `cookiecutter.later`",
    );
}

#[test]
fn hooks_are_listed_and_never_run_unless_asked() {
    let env = TestEnv::new();
    let dir = template(
        &env,
        "hooked",
        r#"{"name": "proj"}"#,
        "# {{ cookiecutter.name }}\n",
    );
    env.write(
        "hooked/hooks/post_gen_project.py",
        "import pathlib\npathlib.Path('MADE_BY_HOOK').write_text('{{ cookiecutter.name }}')\n",
    );
    let output = env
        .dayone(["new", "--template", "hooked", "--yes", "--no-git"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("template hooked has hooks that dayone does not run: hooks/post_gen_project.py; the project may differ from what cookiecutter makes"),
        "{err}"
    );
    assert!(!env.work().join("proj/MADE_BY_HOOK").exists());
    let listed = env.dayone(["templates", "hooked"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains(
            "Hooks (dayone runs them only with `new --run-hooks`): hooks/post_gen_project.py"
        ),
        "{listed}"
    );
    assert!(dir.join("hooks").is_dir());
}

/// A shell hook, so the test needs no Python: it is shown, runs in the new project, and what it
/// changed is a commit of its own after the untouched render.
#[cfg(unix)]
#[test]
fn run_hooks_runs_them_shown_first_and_commits_what_they_changed() {
    let env = TestEnv::new();
    template(
        &env,
        "hooked",
        r#"{"name": "proj"}"#,
        "# {{ cookiecutter.name }}\n",
    );
    let hook = env.write(
        "hooked/hooks/post_gen_project.sh",
        "#!/bin/sh\nmv README.md README_{{ cookiecutter.name }}.md\n",
    );
    assert!(hook.is_file());
    let output = env
        .dayone(["new", "--template", "hooked", "--yes", "--run-hooks"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("--run-hooks: running hooks/post_gen_project.sh in the new project:\n#!/bin/sh\nmv README.md README_proj.md"),
        "{err}"
    );
    let project = env.work().join("proj");
    assert!(project.join("README_proj.md").is_file());
    assert!(!project.join("README.md").exists());
    let log = std::process::Command::new("git")
        .args(["log", "--format=%s", "--name-status"])
        .current_dir(&project)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&log.stdout);
    assert!(
        log.starts_with("Run the template's hooks (hooks/post_gen_project.sh)\n\nR100\tREADME.md\tREADME_proj.md"),
        "{log}"
    );
    let base = std::process::Command::new("git")
        .args(["ls-tree", "--name-only", "refs/dayone/base"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&base.stdout),
        ".dayone.toml\nREADME.md\n"
    );

    env.write(
        "hooked/hooks/pre_gen_project.sh",
        "#!/bin/sh\necho refused >&2\nexit 3\n",
    );
    refused(
        &env,
        &[
            "new",
            "other",
            "--template",
            "hooked",
            "--yes",
            "--run-hooks",
        ],
        "the template's hook hooks/pre_gen_project.sh failed (exit status: 3); nothing was written",
    );
}

#[test]
fn a_replay_file_gives_the_answers_and_names_the_template() {
    let env = TestEnv::new();
    let tpl = cases().join("choices/template");
    let replay = serde_json::json!({
        "cookiecutter": {
            "repo": "my-repo", "license": "BSD-3-Clause", "manager": "pip", "agents": true,
            "docs": false, "python": "3.12", "_template": tpl.display().to_string(),
            "_output_dir": "/elsewhere"
        },
        "_cookiecutter": {"repo": "my-repo"}
    });
    env.write("replay.json", replay.to_string());
    let output = env
        .dayone(["new", "--answers", "replay.json", "--no-git"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("--answers: replay.json names the template"),
        "{err}"
    );
    let made = tree(&env.work().join("my-repo"));
    let expected = tree(&cases().join("choices/expected"));
    let made: Vec<_> = made
        .into_iter()
        .filter(|(p, _)| p != ".dayone.toml")
        .collect();
    assert_eq!(made, expected);
    env.write("bad.json", r#"{"repo": "x"}"#);
    refused(
        &env,
        &["new", "--answers", "bad.json", "--template", "choices"],
        "bad.json is not a cookiecutter replay file nor a .cruft.json",
    );
}

/// The wizard asks a cookiecutter template's questions as any template's: its names as
/// prompts, a dict typed as JSON (refused until it is an object), then the review.
#[cfg(unix)]
#[test]
fn the_wizard_asks_a_dict_as_json() {
    let env = TestEnv::new();
    let mut cmd = env.std_command(["new", "svc", "--no-git", "--template"]);
    cmd.arg(cases().join("dicts/template")).env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("[1/4] name").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[2/4] owner").unwrap();
    p.send_line("Grace").unwrap();
    p.exp_string("[3/4] ports").unwrap();
    p.exp_string(r#"{"http":"8080","metrics":"9090"}"#).unwrap();
    p.send_line("[1]").unwrap();
    p.exp_string("it is JSON, but not an object").unwrap();
    p.send_line(r#"{"http": "80"}"#).unwrap();
    // Too long for one line: the question goes above its live line.
    p.exp_string(r#"people ({"lead":"Grace""#).unwrap();
    p.exp_string("[4/4]").unwrap();
    p.send_line("").unwrap();
    p.exp_string("What now?").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Created svc").unwrap();
    p.exp_eof().unwrap();
    let recorded = std::fs::read_to_string(env.work().join("svc/.dayone.toml")).unwrap();
    assert!(
        recorded.contains("[answers.ports]\nhttp = \"80\"\n"),
        "{recorded}"
    );
    let config = std::fs::read_to_string(env.work().join("svc/config.txt")).unwrap();
    assert!(config.starts_with("http=80\n1. lead: Grace\n"), "{config}");
}

/// A cookiecutter template in a git repository: fetched, rendered as cookiecutter renders it,
/// named after the repository (not the cache's folder), and followed by `update` later.
#[test]
fn a_cookiecutter_template_from_a_git_repository_renders_and_updates() {
    let env = TestEnv::new();
    let case = cases().join("basics");
    let repository = env.work().join("leaf-template");
    copy_folder(&case.join("template"), &repository);
    let git = |dir: &Path, args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&repository, &["init", "-q", "-b", "main"]);
    git(&repository, &["add", "-A"]);
    git(&repository, &["commit", "-qm", "the template"]);
    git(&repository, &["tag", "v1"]);
    let url = format!("file://{}@v1", repository.display());
    let mut args = vec!["new".to_string(), "--template".into(), url, "--yes".into()];
    args.extend(set_flags(&case));
    let output = env.dayone(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let made: Vec<String> = entries(&env.work())
        .into_iter()
        .filter(|name| name != "leaf-template")
        .collect();
    assert_eq!(made.len(), 1, "one project folder: {made:?}");
    let out = env.work().join(&made[0]);
    let expected = tree(&case.join("expected"));
    let got: Vec<(String, Vec<u8>)> = tree(&out)
        .into_iter()
        .filter(|(path, _)| path != ".dayone.toml" && !path.starts_with(".git/"))
        .collect();
    assert_eq!(got, expected, "the files differ from cookiecutter's");
    let recorded = std::fs::read_to_string(out.join(".dayone.toml")).unwrap();
    assert!(
        recorded.contains("template = \"leaf-template\""),
        "{recorded}"
    );
    assert!(recorded.contains("kind = \"git\""), "{recorded}");
    let update = env
        .dayone(["update", out.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&update.stderr);
    assert!(update.status.success(), "{said}");
    assert!(said.contains("up to date"), "{said}");
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
