//! What the next run does with what others left: journals it must not trust, a lock another run
//! holds, names that are not UTF-8, a dry run that must not clean up. (Faults at every step of a
//! run are injected in-process: `src/commands/faults.rs`.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{TestEnv, entries, tree, write_fixture_template};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `dayone ARGS… --template TPL`, run to its end.
fn run_with<S: AsRef<std::ffi::OsStr>>(
    env: &TestEnv,
    args: &[S],
    tpl: &Path,
) -> std::process::Output {
    env.dayone(args)
        .arg("--template")
        .arg(tpl)
        .output()
        .unwrap()
}

/// A project made from the fixture template, as `proj/`; returns the template folder.
fn project(env: &TestEnv) -> PathBuf {
    let tpl = write_fixture_template(env, "tpl");
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&tpl)
        .assert()
        .success();
    tpl
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::tempfile().unwrap();
    probe.metadata().unwrap().uid() == 0
}

/// The reproducer: another user plants a journal in a shared sticky folder naming a
/// victim folder as its staging folder; `dayone new` there deletes nothing.
#[test]
fn a_journal_planted_in_a_shared_folder_deletes_nothing() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "tpl");
    let shared = env.work().join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o1777);
    env.write("victim/keep", "mine\n");
    let victim = env.work().join("victim");
    let journal = shared.join(".dayone-staging-CCCCCC.journal");
    std::fs::write(
        &journal,
        format!(
            "destination = \"{}\"\nkind = \"new\"\nstage = \"{}\"\ntarget = \"proj\"\n",
            shared.join("proj").display(),
            victim.display()
        ),
    )
    .unwrap();
    if is_root() {
        // As another user would have written it.
        std::os::unix::fs::chown(&journal, Some(65534), Some(65534)).unwrap();
    }
    let out = run_with(&env, &["new", "shared/proj", "--yes"], &tpl);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(entries(&victim), ["keep"]);
    assert!(
        journal.exists(),
        "a journal that is not trusted is left alone"
    );
    assert!(
        stderr(&out).contains("anyone may write in that folder"),
        "{}",
        stderr(&out)
    );
}

/// A journal in the project itself, as if committed by someone, names paths outside it every
/// way it can: absolute, with `..`, through a symbolic link. The next run follows none of them.
#[test]
fn a_journal_inside_the_project_cannot_lead_out_of_it() {
    let env = TestEnv::new();
    let tpl = project(&env);
    let proj = env.work().join("proj");
    env.write("victim/keep", "mine\n");
    let victim = env.work().join("victim");
    std::os::unix::fs::symlink(&victim, proj.join("link")).unwrap();
    let name = ".dayone-staging-EEEEEE";
    let journal = format!(
        "kind = \"in-place\"\nstage = \"{victim}\"\ndestination = \"{victim}\"\n\
         creates = [\"../victim\", \"{victim}\", \"link\"]\n\
         guarded = [\"{victim}/keep\", \"../victim/keep\", \"link/keep\"]\n\
         [[changes]]\npath = \"../victim/keep\"\nhad_file = false\nwrites = true\n\
         [[changes]]\npath = \"{victim}/keep\"\nhad_file = false\nwrites = true\n\
         [[changes]]\npath = \"link/keep\"\nhad_file = false\nwrites = true\n",
        victim = victim.display()
    );
    env.write(format!("proj/{name}.journal"), journal);
    env.write(format!("proj/{name}.journal.moving"), "");
    // An empty staging folder: every file it "moved" counts as the run's own.
    std::fs::create_dir(proj.join(name)).unwrap();
    let before = tree(&proj);
    let out = run_with(&env, &["update", "proj"], &tpl);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("had begun to change"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(victim.join("keep")).unwrap(),
        "mine\n"
    );
    assert!(proj.join("link").symlink_metadata().is_ok());
    let after: Vec<_> = tree(&proj)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".dayone-staging-"))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".dayone-staging-"))
        .collect();
    assert_eq!(after, before);
    assert!(!entries(&proj).iter().any(|e| e.starts_with(".dayone-")));
}

/// A folder name that is not UTF-8 above the destination once made every run panic (exit 101)
/// and leave an empty journal.
#[test]
fn a_folder_name_that_is_not_utf8_above_the_project_is_fine() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "tpl");
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9");
    std::fs::create_dir(env.work().join(odd)).unwrap();
    let dest = Path::new(odd).join("proj");
    let out = env
        .dayone([
            "new".as_ref(),
            dest.as_os_str(),
            "--yes".as_ref(),
            "--template".as_ref(),
        ])
        .arg(&tpl)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.work().join(&dest).join(".dayone.toml").is_file());
    assert_eq!(entries(&env.work().join(odd)), ["proj"]);
    let out = env
        .dayone(["update".as_ref(), dest.as_os_str(), "--template".as_ref()])
        .arg(&tpl)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
}

/// Hold the lock a run for `dest` would take, as a run with this pid and command would.
fn hold_lock(path: &Path, holder: &str) -> std::fs::File {
    let mut file = std::fs::File::create(path).unwrap();
    file.lock().unwrap();
    file.write_all(holder.as_bytes()).unwrap();
    file
}

#[test]
fn a_second_run_waits_for_the_first_then_names_it() {
    let env = TestEnv::new();
    let tpl = project(&env);
    let proj = env.work().join("proj");
    let lock = hold_lock(&proj.join(".dayone-lock"), "pid 4242: dayone update proj\n");
    let before = tree(&proj);
    for args in [
        vec!["update", "proj", "--yes"],
        vec!["add", "api", "--project", "proj", "--yes"],
        vec!["new", "proj", "--yes", "--force"],
    ] {
        let start = Instant::now();
        let out = run_with(&env, &args, &tpl);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            start.elapsed() >= Duration::from_millis(1500),
            "{args:?} waited"
        );
        assert!(
            stderr(&out).contains("is in use by another dayone run (pid 4242: dayone update proj)"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(tree(&proj), before);
    drop(lock);
    std::fs::remove_file(proj.join(".dayone-lock")).unwrap();
    env.dayone(["update", "proj", "--template"])
        .arg(&tpl)
        .assert()
        .success();
}

#[test]
fn new_into_a_folder_another_run_just_made_names_that_run() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "tpl");
    let lock_path = env.work().join(".dayone-lock-proj");
    let lock = hold_lock(&lock_path, "pid 4242: dayone new proj\n");
    let proj = env.work().join("proj");
    let other = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        std::fs::create_dir(&proj).unwrap();
        std::fs::write(proj.join("README.md"), "made by the other run\n").unwrap();
        std::fs::remove_file(&lock_path).unwrap();
        drop(lock);
    });
    let out = run_with(&env, &["new", "proj", "--yes"], &tpl);
    other.join().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("was just made by another dayone run (pid 4242: dayone new proj)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(entries(&env.work().join("proj")), ["README.md"]);
}

/// Ctrl-C while waiting for the lock: nothing is written, and a stderr that is not a terminal
/// gets no escape sequence for the cursor.
#[test]
fn ctrl_c_while_waiting_for_the_lock_writes_nothing() {
    let env = TestEnv::new();
    let tpl = project(&env);
    let proj = env.work().join("proj");
    let _lock = hold_lock(&proj.join(".dayone-lock"), "pid 4242: dayone update proj\n");
    let before = entries(&proj);
    let child = env
        .std_command(["update", "proj", "--yes", "--template"])
        .arg(&tpl)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
    assert!(stderr(&out).contains("cancelled"), "{}", stderr(&out));
    assert_eq!(entries(&proj), before);
}

/// A dry run writes nothing, not even the cleaning up of a killed run: it says what a real run
/// would do first.
#[test]
fn a_dry_run_says_what_it_would_recover_and_recovers_nothing() {
    let env = TestEnv::new();
    let tpl = project(&env);
    let proj = env.work().join("proj");
    // What a run killed while preparing an update leaves, and one killed making `proj2`.
    env.write(
        "proj/.dayone-staging-AAAAAA.journal",
        "kind = \"in-place\"\n",
    );
    env.write("proj/.dayone-staging-AAAAAA/README.md", "staged\n");
    env.write(
        ".dayone-staging-BBBBBB.journal",
        "kind = \"new\"\ntarget = \"proj2\"\n",
    );
    env.write(".dayone-staging-BBBBBB/README.md", "staged\n");
    let work = env.work();
    let before = (entries(&proj), entries(&work));
    for args in [
        vec!["update", "proj", "--dry-run"],
        vec!["new", "proj2", "--yes", "--dry-run"],
    ] {
        let out = run_with(&env, &args, &tpl);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("a real run would first"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!((entries(&proj), entries(&work)), before, "{args:?}");
    }
    let out = run_with(&env, &["update", "proj"], &tpl);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "an interrupted dayone run had not yet changed {}; removed what it had prepared",
            proj.display()
        )),
        "{}",
        stderr(&out)
    );
    assert!(!entries(&proj).iter().any(|e| e.starts_with(".dayone-")));
}
