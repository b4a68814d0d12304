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
