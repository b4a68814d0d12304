//! `dayone new` refusing bad input: each case checks the exit code, the message, and that
//! the work folder is exactly as it was.

use std::path::Path;

use crate::support::{TestEnv, entries, write_fixture_template};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Run a failing `dayone new` and check its exit code, message, and that the work folder is
/// exactly as it was.
fn refused(env: &TestEnv, args: &[&str], code: i32, message: &str) {
    let before = entries(&env.work());
    let output = env.dayone(args).output().unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in\n{err}"
    );
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(
        entries(&env.work()),
        before,
        "{args:?} left something behind"
    );
}

#[test]
fn bad_package_names_are_refused_with_the_rule() {
    let env = TestEnv::new();
    for (name, why) in [
        ("MyPkg", "use lowercase letters, digits and '_' only"),
        ("my-pkg", "use lowercase letters, digits and '_' only"),
        ("1pkg", "do not start with a digit"),
        ("lambda", "is a Python keyword"),
    ] {
        let set = format!("package_name={name}");
        refused(
            &env,
            &["new", "p", "--yes", "--set", &set],
            2,
            &format!("--set package_name: the value `{name}`"),
        );
        refused(&env, &["new", "p", "--yes", "--set", &set], 2, why);
    }
}

#[test]
fn bad_set_flags_are_refused() {
    let env = TestEnv::new();
    refused(
        &env,
        &["new", "p", "--yes", "--set", "colour=red"],
        2,
        "no variable `colour`; known variables: project_name,",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--set", "api=perhaps"],
        2,
        "--set api: the value `perhaps` is not a bool; use true or false",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--set", "license=GPL"],
        2,
        "`GPL` is not one of: MIT, BSD-3-Clause, Apache-2.0, none",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--set", "api"],
        2,
        "--set `api` has no `=`",
    );
    refused(
        &env,
        &[
            "new",
            "p",
            "--yes",
            "--set",
            "api=false",
            "--set",
            "cloud_run=true",
        ],
        2,
        "--set cloud_run=true: `cloud_run` is only used when `api`, which is false",
    );
    refused(
        &env,
        &["new", "Bad Name", "--yes"],
        2,
        "variable `project_name`: the default `Bad Name` is invalid",
    );
}

#[test]
fn bad_answers_files_are_refused() {
    let env = TestEnv::new();
    env.write("broken.toml", "[answers]\nlicense = \"MIT\"\napi = \n");
    refused(
        &env,
        &["new", "p", "--answers", "broken.toml"],
        2,
        "broken.toml: invalid TOML at line 3, column 7",
    );
    env.write(
        "other.toml",
        "[dayone]\ntemplate = \"fixture\"\n[answers]\n",
    );
    refused(
        &env,
        &["new", "p", "--template", "mlops", "--answers", "other.toml"],
        2,
        "these answers are for template `fixture`, but the template in use is `mlops`",
    );
    refused(
        &env,
        &["new", "p", "--answers", "other.toml"],
        2,
        "other.toml was made with template `fixture`, which is not built in; pass its folder with --template PATH",
    );
    env.write("typed.toml", "[answers]\napi = \"yes\"\n");
    refused(
        &env,
        &["new", "p", "--answers", "typed.toml"],
        2,
        "typed.toml: [answers] api: the value `\"yes\"` is not a bool value",
    );
    env.write("unknown.toml", "[answers]\ncolour = \"red\"\n");
    refused(
        &env,
        &["new", "p", "--answers", "unknown.toml"],
        2,
        "[answers] has `colour`, which template `mlops` does not declare",
    );
    refused(
        &env,
        &["new", "p", "--answers", "missing.toml"],
        2,
        "missing.toml does not exist",
    );
    std::fs::write(env.work().join("binary.toml"), [b'a', 0xff, 0xfe]).unwrap();
    refused(
        &env,
        &["new", "p", "--answers", "binary.toml"],
        2,
        "binary.toml: not UTF-8 text (invalid byte at offset 1)",
    );
}

#[test]
fn bad_templates_are_refused() {
    let env = TestEnv::new();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "nope"],
        2,
        "no built-in template is called `nope` and no folder `nope` exists; built-in templates: mlops",
    );
    std::fs::create_dir_all(env.work().join("empty-tpl")).unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "empty-tpl"],
        2,
        "empty-tpl is not a template folder: it has neither template.toml nor cookiecutter.json",
    );

    env.write(
        "malformed/template.toml",
        "[template]\nname = \"m\"\nversion = \"1.0.0\"\nflavour = 3\n",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--template", "malformed"],
        2,
        "malformed/template.toml: invalid TOML at line 4, column 1: unknown field `flavour`",
    );

    let tpl = write_fixture_template(&env, "undefined");
    std::fs::write(
        tpl.join("project/README.md"),
        "# {{ name }}\n\nBy {{ author }}\n",
    )
    .unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "undefined"],
        2,
        "template `fixture`, file README.md: line 3: `author` is not defined",
    );

    let tpl = write_fixture_template(&env, "typo");
    std::fs::write(tpl.join("project/README.md"), "{% if apii %}x{% endif %}\n").unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "typo"],
        2,
        "line 1: the condition uses `apii`, which is not a template variable",
    );

    let tpl = write_fixture_template(&env, "escape");
    std::fs::write(tpl.join("project/{{ package }}.txt"), "x").unwrap();
    refused(
        &env,
        &[
            "new",
            "p",
            "--yes",
            "--set",
            "package=..",
            "--template",
            "escape",
        ],
        2,
        "which contains `.` or `..`; it must stay inside the destination",
    );

    let tpl = write_fixture_template(&env, "manifest-problems");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    let broken = manifest
        .replace("default = \"plain\"", "default = \"spicy\"")
        .replace("when = \"api\"\n", "when = \"later\"\n");
    std::fs::write(tpl.join("template.toml"), broken).unwrap();
    for problem in [
        "manifest-problems/template.toml: 3 problems in the template manifest:",
        "  - variable `port`: `when = \"later\"`: `later` is not defined (no template variable has that name); a variable's expressions may only use variables declared above it\n",
        "  - variable `flavour`: the default `spicy` is not one of: plain, fancy\n",
        "  - [[files.rules]] #1: `when = \"later\"`: `later` is not defined",
    ] {
        refused(
            &env,
            &["new", "p", "--yes", "--template", "manifest-problems"],
            2,
            problem,
        );
    }
}

#[test]
fn bad_destinations_are_refused() {
    let env = TestEnv::new();
    env.write("a-file", "x");
    refused(
        &env,
        &["new", "a-file", "--yes"],
        2,
        "a-file already exists and is not a folder",
    );
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_destination_is_an_environment_error() {
    // /proc refuses new entries even for root, so this works whoever runs the tests.
    let env = TestEnv::new();
    let output = env
        .dayone(["new", "/proc/dayone-test-project", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write in /proc"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new("/proc/dayone-test-project").exists());
}

#[test]
fn no_terminal_and_no_default_names_every_missing_flag() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "needs");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    std::fs::write(
        tpl.join("template.toml"),
        manifest
            .replace("default = \"demo\"\n", "")
            .replace("default = \"8000\"\n", ""),
    )
    .unwrap();
    refused(
        &env,
        &["new", "--yes", "--template", "needs", "--set", "api=true"],
        2,
        "no answer for name, port: the template gives no default, so --yes cannot take one; pass --set name=… --set port=…",
    );
}

#[test]
fn template_paths_into_git_are_refused() {
    let env = TestEnv::new();
    write_fixture_template(&env, "gitpath");
    env.write("gitpath/project/.git/hooks/post-checkout", "#!/bin/sh\n");
    refused(
        &env,
        &["new", "p", "--yes", "--template", "gitpath"],
        2,
        "writes into `.git`, which belongs to git",
    );
}

#[test]
fn a_destination_below_a_file_is_bad_input() {
    let env = TestEnv::new();
    env.write("a-file", "x");
    refused(
        &env,
        &["new", "a-file/sub", "--yes"],
        2,
        "a-file already exists and is not a folder",
    );
}

#[test]
fn a_template_for_a_newer_dayone_says_so_before_its_unknown_keys() {
    let env = TestEnv::new();
    env.write(
        "future/template.toml",
        "[template]\nname = \"future\"\nversion = \"1.0.0\"\nmin_dayone_version = \"99.0.0\"\nshiny_new_key = true\n",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--template", "future"],
        2,
        "template `future` needs dayone 99.0.0 or newer; this is dayone 0.1.0",
    );
}

#[test]
fn a_path_like_name_is_a_folder_even_when_a_builtin_has_that_name() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.work().join("mlops")).unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "./mlops"],
        2,
        "./mlops is not a template folder: it has neither template.toml nor cookiecutter.json",
    );
}

#[test]
fn a_syntax_error_names_the_right_file() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "syntax");
    std::fs::create_dir_all(tpl.join("project/reports")).unwrap();
    std::fs::write(
        tpl.join("project/reports/README.md"),
        "fine\n{% if api %}\nnever closed\n",
    )
    .unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "syntax"],
        2,
        "template `fixture`, file reports/README.md:",
    );
}

#[cfg(unix)]
#[test]
fn force_does_not_write_through_a_symlinked_folder() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "tpl");
    std::fs::create_dir_all(env.work().join("outside")).unwrap();
    std::fs::create_dir_all(env.work().join("p")).unwrap();
    std::os::unix::fs::symlink(env.work().join("outside"), env.work().join("p/src")).unwrap();
    let args = [
        "new",
        "p",
        "--yes",
        "--no-git",
        "--force",
        "--template",
        tpl.to_str().unwrap(),
    ];
    refused(
        &env,
        &args,
        2,
        "p/src is a symbolic link; --force does not write through links",
    );
    assert!(entries(&env.work().join("outside")).is_empty());
    assert_eq!(entries(&env.work().join("p")), ["src"]);
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_a_template_are_refused() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "linked");
    std::os::unix::fs::symlink("/etc/hostname", tpl.join("project/hostname")).unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "linked"],
        2,
        "is a symbolic link; a template holds plain files only",
    );
}

#[cfg(unix)]
#[test]
fn file_names_that_cannot_round_trip_are_refused_naming_the_template_file() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "odd");
    std::fs::write(tpl.join("project/line\nbreak.txt"), "x").unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "odd"],
        2,
        "file line\nbreak.txt: renders to the path `line\nbreak.txt` which holds a control character",
    );
    std::fs::remove_file(tpl.join("project/line\nbreak.txt")).unwrap();
    std::fs::write(tpl.join("project/AUX.md"), "x").unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "odd"],
        2,
        "which is a name Windows reserves for devices",
    );
    std::fs::remove_file(tpl.join("project/AUX.md")).unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(tpl.join("project").join(latin1), "x").unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "odd"],
        2,
        "has a name that is not UTF-8",
    );
    std::fs::remove_file(tpl.join("project").join(latin1)).unwrap();
    refused(
        &env,
        &[
            "new",
            "p",
            "--yes",
            "--template",
            "odd",
            "--set",
            "package=a\tb",
        ],
        2,
        "renders to the path `src/a\tb/__init__.py` which holds a control character",
    );
}

#[test]
fn answers_files_from_a_newer_dayone_and_folders_are_bad_input() {
    let env = TestEnv::new();
    env.write(
        "future.toml",
        "[dayone]\nversion = \"99.0.0\"\ntemplate = \"mlops\"\n[answers]\n",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--answers", "future.toml"],
        2,
        "future.toml was written by dayone 99.0.0, newer than this dayone",
    );
    std::fs::create_dir_all(env.work().join("folder")).unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--answers", "folder"],
        2,
        "folder is a folder; pass a file",
    );
    let output = env
        .dayone(["new", "p", "--yes"])
        .env("DAYONE_CONFIG", env.work().join("nowhere.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("nowhere.toml does not exist; DAYONE_CONFIG names the user config file"),
        "{}",
        stderr(&output)
    );
    assert!(!env.work().join("p").exists());
}

#[test]
fn a_template_cannot_read_the_environment_or_git_secrets_or_drive_the_terminal() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "env");
    std::fs::write(
        tpl.join("project/README.md"),
        "{{ get_env(name=\"HOME\") }}\n",
    )
    .unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "env"],
        2,
        "template `fixture`, file README.md:",
    );
    let tpl = write_fixture_template(&env, "git-secret");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    std::fs::write(
        tpl.join("template.toml"),
        manifest.replace(
            "name = \"flavour\"\nprompt = \"Flavour\"\n",
            "name = \"flavour\"\nprompt = \"Flavour\"\ngit_config = \"credential.helper\"\n",
        ),
    )
    .unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "git-secret"],
        2,
        "`git_config = \"credential.helper\"`: a template may read only user.name and user.email from git config",
    );
    let tpl = write_fixture_template(&env, "escapes");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    std::fs::write(
        tpl.join("template.toml"),
        manifest.replace(
            "next_steps = \"Now: cd {{ name }}\"",
            "next_steps = \"\\u001b]0;owned\\u0007 done\"",
        ),
    )
    .unwrap();
    refused(
        &env,
        &["new", "p", "--yes", "--template", "escapes"],
        2,
        "[template] next_steps: holds a control character",
    );
    // An answer that holds escapes is printed without them.
    let tpl = write_fixture_template(&env, "answer");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    std::fs::write(
        tpl.join("template.toml"),
        manifest.replace(
            "next_steps = \"Now: cd {{ name }}\"",
            "next_steps = \"Port: {{ port }}\"",
        ),
    )
    .unwrap();
    let output = env
        .dayone(["new", "p", "--yes", "--no-git", "--template", "answer"])
        .args(["--set", "api=true", "--set", "port=80\u{1b}[2J80"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("Port: 80[2J80") && !text.contains('\u{1b}'),
        "{text:?}"
    );
    // Nor do error messages carry an answer's escapes to the terminal.
    let output = env
        .dayone([
            "new",
            "q",
            "--yes",
            "--template",
            "answer",
            "--set",
            "package=x\u{1b}[2Jy",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains('\u{1b}'), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn answers_and_templates_that_are_not_what_they_should_be_are_named() {
    let env = TestEnv::new();
    let fifo = env.work().join("answers.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A pipe would block the read forever: it is refused before it is opened.
    refused(
        &env,
        &["new", "p", "--yes", "--answers", "answers.fifo"],
        2,
        "answers.fifo is not a regular file",
    );
    env.write("plain.txt", "x");
    refused(
        &env,
        &["new", "p", "--yes", "--template", "plain.txt"],
        2,
        "plain.txt is a file; a template is a folder with template.toml and project/ in it",
    );
    refused(
        &env,
        &["new", "p", "--yes", "--template", "./nowhere"],
        2,
        "./nowhere does not exist; pass a template folder, a git URL, or the name of a built-in template",
    );
}
