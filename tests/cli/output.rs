//! Where output goes and what happens when it cannot: a failed write to stdout is exit 3 with
//! a message, a reader that goes away (`| head`) ends the run quietly.

use std::io::Read;
use std::process::Stdio;

use crate::support::TestEnv;

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_environment_error_for_every_kind_of_output() {
    let env = TestEnv::new();
    env.dayone(["new", "p", "--yes", "--quiet", "--no-git"])
        .assert()
        .success();
    for args in [
        &["completions", "bash"][..],
        &["--help"],
        &["--version"],
        &["templates"],
        &["templates", "mlops", "--json"],
        &["report", "html", "p"],
        &["check", "p"],
        &["new", "q", "--yes", "--dry-run"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = env.std_command(args).stdout(full).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains("error: cannot write to standard output")
                && err.contains("No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    let env = TestEnv::new();
    for args in [&["completions", "bash"][..], &["--help"]] {
        let mut child = env
            .std_command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then hang up, as `| head -c1` does.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// Every subcommand: its result on stdout, its messages on stderr; `--json` alone on stdout.
#[test]
fn results_go_to_stdout_and_messages_to_stderr() {
    let env = TestEnv::new();
    let out = env.dayone(["new", "p", "--yes"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "new prints only messages"
    );
    let messages = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "Created p from template mlops",
        "Next steps",
        "--yes: took the defaults for",
    ] {
        assert!(messages.contains(expected), "{expected}: {messages}");
    }
    let dry = env
        .dayone(["new", "q", "--yes", "--dry-run"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&dry.stdout).contains("Would write"));
    for args in [
        &["check", "p", "--json"][..],
        &["report", "check", "p", "--json"],
        &["templates", "--json"],
        &["templates", "mlops", "--json"],
        &[
            "update",
            "p",
            "--json",
            "--allow-dirty",
            "--set",
            "api=false",
        ],
    ] {
        let out = env.dayone(args).output().unwrap();
        let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out.stdout);
        assert!(
            parsed.is_ok(),
            "{args:?}: stdout is JSON only: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        // update's document gains its schema from its own change; the others carry theirs.
        if args[0] != "update" {
            assert_eq!(
                parsed.unwrap()["schema"],
                1,
                "{args:?}: one document with a schema"
            );
        }
    }
    let page = env.work().join("page.html");
    let out = env
        .dayone(["report", "html", "p", "-o"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));
    let text = env.dayone(["check", "p"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("Week 1"));
}

/// `--color` decides per stream; `always` wins over NO_COLOR, and a pipe gets none by default.
#[test]
fn colour_is_decided_by_the_flag_and_then_per_stream() {
    let env = TestEnv::new();
    env.dayone(["new", "p", "--yes", "--quiet", "--no-git"])
        .assert()
        .success();
    let escape = |args: &[&str]| {
        let out = env.dayone(args).output().unwrap();
        (out.stdout.contains(&0x1b), out.stderr.contains(&0x1b))
    };
    assert_eq!(escape(&["check", "p"]), (false, false));
    assert!(escape(&["check", "p", "--color", "always"]).0);
    assert_eq!(escape(&["--color", "never", "check", "p"]), (false, false));
    let forced = env
        .dayone(["check", "p"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        forced.stdout.contains(&0x1b),
        "CLICOLOR_FORCE colours a pipe"
    );
}

#[test]
fn a_typo_in_a_subcommand_gets_a_suggestion_and_the_man_page_prints() {
    let env = TestEnv::new();
    let out = env.dayone(["chek"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a similar subcommand exists: 'check'"));
    let man = env.dayone(["man"]).output().unwrap();
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.starts_with(".ie") && page.contains(".SH NAME") && page.contains("dayone"));
    let help = env.dayone(["new", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for part in ["Examples:", "Exit codes:", "DAYONE_CONFIG", "NO_COLOR"] {
        assert!(text.contains(part), "{part} in new --help");
    }
}

/// A transposed subcommand (`nwe`) gets a tip too, not only one clap finds similar.
#[test]
fn a_swapped_letter_in_a_subcommand_gets_a_suggestion() {
    let env = TestEnv::new();
    let out = env.dayone(["nwe"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a similar subcommand exists: 'new'"), "{err}");
}

/// Every command's help has examples and the exit codes (with update's conflicts), and the
/// manual page holds every command itself instead of naming pages that do not exist.
#[test]
fn every_help_page_has_examples_and_exit_codes_and_the_man_page_is_whole() {
    let env = TestEnv::new();
    for args in [
        &["report", "--help"][..],
        &["report", "check", "--help"],
        &["report", "html", "--help"],
        &["man", "--help"],
        &["update", "--help"],
    ] {
        let out = env.dayone(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for part in ["Examples:", "Exit codes:", "left conflicts"] {
            assert!(text.contains(part), "{part} in {args:?}:\n{text}");
        }
    }
    let man = env.dayone(["man"]).output().unwrap();
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        !page.contains("(1)"),
        "no references to other pages:\n{page}"
    );
    for part in [
        ".SS \"dayone new\"",
        ".SS \"dayone report check\"",
        ".SH EXIT STATUS",
        "dayone report html -o report.html",
    ] {
        assert!(page.contains(part), "{part} in the man page");
    }
}

/// `-q` and `-v` are global: before or after the subcommand, and for `report check` too.
#[test]
fn quiet_and_verbose_go_anywhere_on_the_line() {
    let env = TestEnv::new();
    env.dayone(["new", "p", "--yes", "--no-git"])
        .assert()
        .success();
    let quiet = env.dayone(["-q", "check", "p"]).output().unwrap();
    assert!(
        quiet.status.success(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
    let quiet = env.dayone(["report", "check", "-q", "p"]).output().unwrap();
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
    let verbose = env
        .dayone(["-v", "new", "v", "--yes", "--no-git"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&verbose.stderr).contains("wrote README.md"));
}
