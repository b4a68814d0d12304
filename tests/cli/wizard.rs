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
    p.exp_eof().unwrap();
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains("api = false\nport = \"8000\""),
        "skipped question takes its default: {recorded}"
    );
    assert!(!env.work().join("out/src/demo/api.py").exists());
}
