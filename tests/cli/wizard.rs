//! The interactive wizard, driven through a pseudo-terminal: the only tests that need one.

#![cfg(unix)]

use rexpect::session::{PtySession, spawn_command};

use crate::support::{TestEnv, write_fixture_template};

const DOWN: &str = "\x1b[B";

fn wizard(env: &TestEnv, dir: &str) -> PtySession {
    let template = write_fixture_template(env, "tpl");
    let mut cmd = env.std_command(["new", dir, "--no-git", "--template"]);
    cmd.arg(template).env("TERM", "xterm");
    spawn_command(cmd, Some(20_000)).expect("spawn dayone under a pty")
}

fn answers(env: &TestEnv, dir: &str) -> String {
    std::fs::read_to_string(env.work().join(dir).join(".dayone.toml")).unwrap()
}

#[test]
fn asks_in_order_with_derived_defaults_and_conditional_question() {
    let env = TestEnv::new();
    let mut p = wizard(&env, "out");
    p.exp_string("Project name").unwrap();
    p.send_line("shiny-app").unwrap();
    p.exp_string("Package").unwrap();
    p.exp_string("shiny_app").unwrap(); // the default derived from the answer above
    p.send_line("").unwrap();
    p.exp_string("Add an API?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("API port").unwrap();
    p.send_line("9000").unwrap();
    p.exp_string("Flavour").unwrap();
    p.send(DOWN).unwrap();
    p.send_line("").unwrap();
    p.exp_string("Write the project with these answers?")
        .unwrap();
    p.send_line("y").unwrap();
    p.exp_string("Created out from template fixture").unwrap();
    p.exp_eof().unwrap();
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains(
            "name = \"shiny-app\"\npackage = \"shiny_app\"\napi = true\nport = \"9000\"\nflavour = \"fancy\""
        ),
        "{recorded}"
    );
    assert_eq!(
        std::fs::read_to_string(env.work().join("out/src/shiny_app/api.py")).unwrap(),
        "PORT = 9000\n"
    );
}

#[test]
fn an_invalid_answer_is_asked_again_with_the_rule() {
    let env = TestEnv::new();
    let mut p = wizard(&env, "out");
    p.exp_string("Project name").unwrap();
    p.send_line("Not Valid").unwrap();
    p.exp_string("lowercase letters, digits and '-'").unwrap();
    p.send_line("valid-now").unwrap();
    p.exp_string("Package").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Add an API?").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("Flavour").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Write the project with these answers?")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_eof().unwrap();
    assert!(answers(&env, "out").contains("name = \"valid-now\""));
}

#[test]
fn a_false_condition_skips_the_question() {
    let env = TestEnv::new();
    let mut p = wizard(&env, "out");
    p.exp_string("Project name").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Package").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Add an API?").unwrap();
    p.send_line("n").unwrap();
    let between = p.exp_string("Flavour").unwrap();
    assert!(
        !between.contains("API port"),
        "the port question was shown: {between}"
    );
    p.send_line("").unwrap();
    p.exp_string("Write the project with these answers?")
        .unwrap();
    p.send_line("y").unwrap();
    p.exp_eof().unwrap();
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains("api = false\nport = \"8000\""),
        "skipped question takes its default: {recorded}"
    );
    assert!(!env.work().join("out/src/demo/api.py").exists());
}

/// The wizard's frame: how many questions, the counter, and the summary before writing.
#[test]
fn the_wizard_counts_its_questions_and_asks_before_writing() {
    let env = TestEnv::new();
    let mut p = wizard(&env, "out");
    p.exp_string("Template fixture 1.2.3: 4 question(s)")
        .unwrap();
    p.exp_string("[1/4] Project name").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[2/4] Package").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[3/4] Add an API?").unwrap();
    p.send_line("y").unwrap();
    // The API's port is a question now that there is an API.
    p.exp_string("[4/5] API port").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[5/5] Flavour").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Your answers:").unwrap();
    p.exp_string("port     8000").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("cancelled; nothing was written").unwrap();
    p.exp_eof().unwrap();
    assert!(!env.work().join("out").exists());
}

/// Ctrl-C at any kind of prompt gives the cursor back, says so in one line, writes nothing and
/// ends with 130.
#[test]
fn ctrl_c_at_each_kind_of_prompt_cancels_cleanly() {
    for steps in [&[][..], &["", ""][..], &["", "", "y", ""][..]] {
        let env = TestEnv::new();
        let mut p = wizard(&env, "out");
        for step in steps {
            p.exp_string("] ").unwrap();
            p.send_line(step).unwrap();
        }
        p.exp_string("] ").unwrap();
        p.send_control('c').unwrap();
        let rest = p.exp_eof().unwrap();
        assert!(
            rest.contains("cancelled; nothing was written"),
            "{steps:?}: {rest}"
        );
        assert!(
            rest.contains("\x1b[?25h"),
            "{steps:?}: the cursor is shown again: {rest:?}"
        );
        let status = p.process().wait().unwrap();
        assert!(
            matches!(status, rexpect::process::WaitStatus::Exited(_, 130)),
            "{steps:?}: {status:?}"
        );
        assert_eq!(crate::support::entries(&env.work()), ["tpl"]);
    }
}

/// Whether to ask is decided by stdin and stderr, where the wizard draws: a piped stdout still
/// gets the wizard; a redirected stderr gets no wizard, and no silent defaults either.
#[test]
fn the_wizard_follows_stdin_and_stderr_not_stdout() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    let dayone = assert_cmd::cargo::cargo_bin("dayone");
    let script = format!(
        "{} new out --no-git --template {} > stdout.log",
        dayone.display(),
        template.display()
    );
    let mut cmd = env.std_command(["--version"]);
    cmd.env("TERM", "xterm");
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(&script)
        .current_dir(env.work())
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let mut p = spawn_command(sh, Some(20_000)).unwrap();
    p.exp_string("[1/4] Project name").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    let script = format!(
        "{} new out --no-git --template {} 2> stderr.log",
        dayone.display(),
        template.display()
    );
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(&script)
        .current_dir(env.work())
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let mut p = spawn_command(sh, Some(20_000)).unwrap();
    p.exp_eof().unwrap();
    let log = std::fs::read_to_string(env.work().join("stderr.log")).unwrap();
    assert!(
        log.contains("there is no terminal to ask name, package, api, flavour; pass --yes"),
        "{log}"
    );
    assert!(!env.work().join("out").exists());
}
