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
    p.exp_string("What now?").unwrap();
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
    p.exp_string("What now?").unwrap();
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
    p.exp_string("What now?").unwrap();
    p.send_line("").unwrap();
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
    p.exp_string("Template fixture 1.2.3: 4 questions").unwrap();
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
    p.exp_string("API port      8000").unwrap();
    p.exp_string("What now?").unwrap();
    p.send(&format!("{DOWN}{DOWN}")).unwrap();
    p.send_line("").unwrap();
    let said = p.exp_eof().unwrap();
    assert!(!env.work().join("out").exists());
    let status = p.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "a deliberate cancel is no interrupt: {status:?}"
    );
    assert!(
        said.contains("Nothing written. Your answers are in out.answers.toml")
            && said.contains("dayone new out --template"),
        "{said}"
    );
    // The command it names picks the answers up: nothing left to ask, so no terminal is needed.
    let template = env.work().join("tpl");
    env.dayone([
        "new",
        "out",
        "--no-git",
        "--answers",
        "out.answers.toml",
        "--template",
    ])
    .arg(&template)
    .assert()
    .success();
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains("api = true\nport = \"8000\""),
        "{recorded}"
    );
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
        let at = rest.find("cancelled; nothing was written").unwrap();
        // Showing the cursor again draws nothing, and may land at the start of the line
        // either before or after the message, depending on which prompt was being drawn.
        let line = rest[rest[..at].rfind('\n').unwrap() + 1..at].replace("\x1b[?25h", "");
        assert!(
            line.is_empty() || line == "error: ",
            "{steps:?}: the message starts its own line: {rest:?}"
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

/// The built-in template's wizard in a terminal `cols` wide and tall enough to keep every
/// row, driven by `keys` (each sent once `after` has been drawn); the screen at the end.
fn mlops_screen(env: &TestEnv, cols: u16, keys: &[(&str, &str)], extra: &[&str]) -> String {
    let dayone = assert_cmd::cargo::cargo_bin("dayone");
    let mut args = "new out --no-git".to_string();
    for arg in extra {
        args += &format!(" {arg}");
    }
    let script = format!(
        "stty cols {cols} rows 400 && exec {} {args}",
        dayone.display()
    );
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c").arg(&script).current_dir(env.work());
    let template = env.std_command(["--version"]);
    sh.envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    let mut p = spawn_command(sh, Some(30_000)).unwrap();
    let mut seen = String::new();
    for (after, key) in keys {
        seen += &p.exp_string(after).unwrap();
        seen += after;
        p.send(key).unwrap();
    }
    seen += &p.exp_eof().unwrap();
    let mut screen = vt100::Parser::new(
        std::num::NonZero::new(400).unwrap(),
        std::num::NonZero::new(cols).unwrap(),
        0,
    );
    // rexpect hands each byte over as one char; the terminal wants the bytes.
    let bytes: Vec<u8> = seen.chars().map(|c| c as u32 as u8).collect();
    screen.process(&bytes);
    screen.screen().contents()
}

/// Enter at each of `n` questions and at the review.
fn defaults(n: usize) -> Vec<(String, &'static str)> {
    let mut keys: Vec<(String, &str)> = (1..=n).map(|i| (format!("[{i}/{n}]"), "\n")).collect();
    keys.push(("What now?".into(), "\n"));
    keys
}

fn refs<'a>(keys: &'a [(String, &'static str)]) -> Vec<(&'a str, &'a str)> {
    keys.iter().map(|(a, k)| (a.as_str(), *k)).collect()
}

/// At 60 columns (a split editor terminal) and 110, every answered question leaves exactly one
/// `✔ [n/N]` line and nothing half-drawn; yes/no hints appear once; the starters are one
/// question; the review names questions, not variables, and leaves out what has no effect.
#[test]
fn the_wizard_leaves_one_whole_line_per_question_at_60_and_110_columns() {
    for cols in [60, 110] {
        let env = TestEnv::new();
        let screen = mlops_screen(&env, cols, &refs(&defaults(20)), &[]);
        let rows: Vec<&str> = screen.lines().collect();
        for n in 1..=20 {
            let answered = rows
                .iter()
                .filter(|r| r.starts_with(&format!("✔ [{n}/20] ")))
                .count();
            assert_eq!(answered, 1, "{cols} columns, question {n}:\n{screen}");
        }
        let live = rows.iter().filter(|r| r.starts_with("? ")).count();
        assert_eq!(
            live, 0,
            "{cols} columns: a prompt was left behind:\n{screen}"
        );
        assert!(!screen.contains("(y/n) (y/n)"), "{screen}");
        assert!(screen.contains("Add any of them now?"), "{screen}");
        let review = &screen[screen.find("Your answers:").unwrap()..];
        assert!(
            review.contains("Project name") && !review.contains("project_name"),
            "{review}"
        );
        assert!(
            !review.contains("GCS bucket") && !review.contains("GCP region"),
            "questions that do not apply are not reviewed: {review}"
        );
        assert!(env.work().join("out/.dayone.toml").exists(), "{screen}");
    }
}

/// Yes at the starters' question, then two ticked: each starter keeps its own answer.
#[test]
fn the_starters_are_one_question_then_a_choice_of_them() {
    let env = TestEnv::new();
    let mut keys = defaults(20);
    keys.truncate(19);
    keys.push(("Add any of them now?".into(), "y\n"));
    keys.push(("Which starters?".into(), " \x1b[B \n"));
    // A Cloud Run deployment needs a region: one more question.
    keys.push(("[21/21] GCP region".into(), "\n"));
    keys.push(("What now?".into(), "\n"));
    let screen = mlops_screen(&env, 80, &refs(&keys), &["--set", "vertex=false"]);
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains("registry_workflow = true\ncloud_run = true\nvertex = false"),
        "{recorded}\n{screen}"
    );
    assert!(recorded.contains("profiling = false"), "{recorded}");
    assert_eq!(recorded.matches("cloud_run =").count(), 1, "{recorded}");
    assert!(
        !screen.contains("vertex  Add"),
        "a starter given by --set is not offered: {screen}"
    );
    assert!(
        screen.contains("Starters for later checklist items · registry_workflow, cloud_run"),
        "{screen}"
    );
}

/// "Change some answers" asks the chosen questions again, the earlier answer as default, and
/// keeps the rest.
#[test]
fn the_review_can_send_questions_back() {
    let env = TestEnv::new();
    let mut p = wizard(&env, "out");
    p.exp_string("Project name").unwrap();
    p.send_line("first-name").unwrap();
    for _ in 0..3 {
        p.exp_string("] ").unwrap();
        p.send_line("").unwrap();
    }
    p.exp_string("What now?").unwrap();
    p.send(DOWN).unwrap();
    p.send_line("").unwrap();
    p.exp_string("Which answers?").unwrap();
    p.send(" ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("(first-name)").unwrap();
    p.send_line("second-name").unwrap();
    p.exp_string("What now?").unwrap();
    p.send_line("").unwrap();
    p.exp_eof().unwrap();
    let recorded = answers(&env, "out");
    assert!(
        recorded.contains("name = \"second-name\"\npackage = \"first_name\""),
        "only the chosen question changed: {recorded}"
    );
}

/// `dayone ARGS` on a terminal `cols` wide; the screen at the end.
fn screen_of(env: &TestEnv, cols: u16, args: &str) -> String {
    let dayone = assert_cmd::cargo::cargo_bin("dayone");
    mlops_like_screen(env, cols, &format!("{} {args}", dayone.display()))
}

fn mlops_like_screen(env: &TestEnv, cols: u16, command: &str) -> String {
    let script = format!("stty cols {cols} rows 400 && exec {command}");
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c").arg(&script).current_dir(env.work());
    let template = env.std_command(["--version"]);
    sh.envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let mut p = spawn_command(sh, Some(30_000)).unwrap();
    let seen = p.exp_eof().unwrap();
    let bytes: Vec<u8> = seen.chars().map(|c| c as u32 as u8).collect();
    let mut screen = vt100::Parser::new(
        std::num::NonZero::new(400).unwrap(),
        std::num::NonZero::new(cols).unwrap(),
        0,
    );
    screen.process(&bytes);
    screen.screen().contents()
}

/// On a terminal, messages and `check` wrap to its width: no line fills the last column (the
/// terminal would break it anywhere), commands stay whole, findings say path:line.
#[test]
fn messages_and_check_wrap_to_the_terminal() {
    let env = TestEnv::new();
    let created = screen_of(&env, 60, "new p --yes");
    let check = screen_of(&env, 60, "check p");
    for screen in [&created, &check] {
        let full: Vec<&str> = screen.lines().filter(|l| l.chars().count() >= 60).collect();
        assert!(
            full.is_empty(),
            "rows that fill the terminal: {full:#?}\n{screen}"
        );
    }
    assert!(
        created.contains("\n  uv sync\n    # install the project"),
        "{created}"
    );
    assert!(
        created.contains("warning: git has no user.name"),
        "{created}"
    );
    // The same output to a pipe is left as it is.
    let piped = env.dayone(["check", "p"]).output().unwrap();
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(piped.lines().any(|l| l.chars().count() > 100), "{piped}");
}
