//! Templates from git repositories, as a group would name them, over local bare repositories
//! (`file://`, and smart HTTP on 127.0.0.1 when `python3` is there): never the network. The
//! template is the update tests' fixture, committed at version 1 and 2 in a folder `tpl/` of
//! a repository whose top is not a template.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{TestEnv, entries, tree};
use crate::update::{commit_all, git, stderr, write_template};

/// A repository holding the fixture template in `tpl/`: a working copy `upstream/` and the
/// bare `origin.git` it is pushed to, which serves contents on demand (a partial fetch).
struct Origin {
    upstream: PathBuf,
    bare: PathBuf,
}

impl Origin {
    /// Version 1, committed on `main` and tagged `v1`.
    fn new(env: &TestEnv) -> Self {
        let upstream = env.work().join("upstream");
        write_template(env, "upstream/tpl", 1);
        env.write(
            "upstream/NOT-A-TEMPLATE.md",
            "the repository's own readme\n",
        );
        git(&upstream, &["init", "-q", "-b", "main"]);
        commit_all(&upstream, "version 1");
        git(&upstream, &["tag", "v1"]);
        let bare = env.work().join("origin.git");
        git(
            &env.work(),
            &["clone", "-q", "--bare", "upstream", "origin.git"],
        );
        git(&bare, &["config", "uploadpack.allowFilter", "true"]);
        Self { upstream, bare }
    }

    /// Version 2 on `main`, tagged `v2` (an annotated tag), pushed.
    fn version_2(&self, env: &TestEnv) {
        write_template(env, "upstream/tpl", 2);
        commit_all(&self.upstream, "version 2");
        git(&self.upstream, &["tag", "-a", "v2", "-m", "two"]);
        git(
            &self.upstream,
            &["push", "-q", "--tags", "../origin.git", "main"],
        );
    }

    fn url(&self) -> String {
        file_url(&self.bare)
    }

    /// The template at `at` (`@REF`, or nothing).
    fn template(&self, at: &str) -> String {
        format!("{}{at}#tpl", self.url())
    }

    fn commit(&self, rev: &str) -> String {
        git(&self.upstream, &["rev-parse", &format!("{rev}^{{commit}}")])
            .trim()
            .to_string()
    }

    /// Take the repository away, so only the cache can answer.
    fn remove(&self) {
        std::fs::rename(&self.bare, self.bare.with_extension("gone")).unwrap();
    }

    fn restore(&self) {
        std::fs::rename(self.bare.with_extension("gone"), &self.bare).unwrap();
    }
}

fn file_url(path: &Path) -> String {
    let slashed = path.display().to_string().replace('\\', "/");
    if slashed.starts_with('/') {
        format!("file://{slashed}")
    } else {
        format!("file:///{slashed}")
    }
}

fn new(env: &TestEnv, dir: &str, template: &str, extra: &[&str]) -> Output {
    env.dayone(["new", dir, "--yes", "--template", template])
        .args(extra)
        .output()
        .unwrap()
}

fn cache(env: &TestEnv) -> PathBuf {
    env.home().join(".cache/dayone/git")
}

/// Every path in the cache but fetches under way, with file contents.
fn cache_listing(env: &TestEnv) -> Vec<(String, Vec<u8>)> {
    tree(&cache(env))
        .into_iter()
        .filter(|(path, _)| !path.contains("/tmp/"))
        .collect()
}

fn answers(project: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(project.join(".dayone.toml")).unwrap()).unwrap()
}

fn source(project: &Path) -> toml::Table {
    answers(project)["dayone"]["source"]
        .as_table()
        .unwrap()
        .clone()
}

fn without_answers_file(root: &Path) -> Vec<(String, Vec<u8>)> {
    tree(root)
        .into_iter()
        .filter(|(path, _)| path != ".dayone.toml")
        .collect()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", stderr(out));
}

fn refused(out: &Output, code: i32, says: &[&str]) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{text}");
    for part in says {
        assert!(text.contains(part), "expected {part:?} in\n{text}");
    }
}

#[test]
fn a_tag_a_branch_and_a_commit_are_fetched_and_recorded_as_resolved() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let v1 = origin.commit("v1");
    let url = origin.url();
    ok(&new(&env, "tag", &origin.template("@v1"), &[]));
    let recorded = source(&env.work().join("tag"));
    assert_eq!(recorded["kind"].as_str(), Some("git"));
    assert_eq!(recorded["url"].as_str(), Some(url.as_str()));
    assert_eq!(recorded["ref"].as_str(), Some("v1"));
    assert_eq!(recorded["commit"].as_str(), Some(v1.as_str()));
    assert_eq!(recorded["subdir"].as_str(), Some("tpl"));
    // The same render as the folder itself: the same files and the same recorded tree.
    let folder = env.work().join("upstream/tpl");
    env.dayone(["new", "folder", "--yes", "--set", "name=tag", "--template"])
        .arg(&folder)
        .assert()
        .success();
    let (tag, folder) = (env.work().join("tag"), env.work().join("folder"));
    assert_eq!(without_answers_file(&tag), without_answers_file(&folder));
    assert_eq!(
        answers(&tag)["dayone"]["render_tree"],
        answers(&folder)["dayone"]["render_tree"]
    );
    // A branch by flag, a full and an abbreviated commit id, the subfolder by flag.
    for (dir, template, extra, reference) in [
        (
            "branch",
            url.clone() + "#tpl",
            vec!["--ref", "main"],
            "main",
        ),
        (
            "full",
            origin.template(&format!("@{v1}")),
            vec![],
            v1.as_str(),
        ),
        (
            "short",
            origin.template(&format!("@{}", &v1[..9])),
            vec![],
            &v1[..9],
        ),
        (
            "flags",
            url.clone(),
            vec!["--ref", "v1", "--directory", "tpl"],
            "v1",
        ),
    ] {
        let out = new(&env, dir, &template, &extra);
        ok(&out);
        let recorded = source(&env.work().join(dir));
        assert_eq!(recorded["ref"].as_str(), Some(reference), "{dir}");
        assert_eq!(recorded["commit"].as_str(), Some(v1.as_str()), "{dir}");
        assert_eq!(recorded["subdir"].as_str(), Some("tpl"), "{dir}");
    }
    // Only the template's folder was fetched and checked out, not the repository's top.
    assert!(
        !tree(&cache(&env))
            .iter()
            .any(|(path, _)| path.ends_with("NOT-A-TEMPLATE.md"))
    );
    // `templates` shows the variables of the same template.
    let out = env
        .dayone(["templates", &origin.template("@v1")])
        .output()
        .unwrap();
    ok(&out);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("fixture 1.0.0") && shown.contains(&v1[..12]),
        "{shown}"
    );
}

#[test]
fn a_cached_tag_or_commit_needs_no_network_and_offline_says_which_and_how_old() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let v1 = origin.commit("v1");
    ok(&new(&env, "first", &origin.template("@v1"), &[]));
    ok(&new(&env, "second", &origin.template("@main"), &[]));
    origin.remove();
    let out = new(
        &env,
        "tag",
        &origin.template("@v1"),
        &["--verbose", "--set", "name=same"],
    );
    ok(&out);
    assert!(stderr(&out).contains("from the cache"), "{}", stderr(&out));
    let by_id = origin.template(&format!("@{v1}"));
    ok(&new(&env, "commit", &by_id, &["--set", "name=same"]));
    assert_eq!(
        without_answers_file(&env.work().join("tag")),
        without_answers_file(&env.work().join("commit"))
    );
    // A branch moves, so it is asked for again: the repository is gone.
    let out = new(&env, "branch", &origin.template("@main"), &[]);
    refused(
        &out,
        2,
        &["does not appear to be a git repository", &origin.url()],
    );
    assert!(!env.work().join("branch").exists());
    // --offline takes the cache's and says which commit, how old, and when it was fetched.
    let out = new(&env, "branch", &origin.template("@main"), &["--offline"]);
    ok(&out);
    let said = stderr(&out);
    assert!(
        said.contains("--offline:")
            && said.contains(&v1[..12])
            && said.contains("made just now")
            && said.contains("fetched just now"),
        "{said}"
    );
    let out = new(&env, "never", &origin.template("@v2"), &["--offline"]);
    refused(&out, 3, &["--offline", "not in the cache", "@v2"]);
    assert!(!env.work().join("never").exists());
}

#[test]
fn a_failed_fetch_leaves_the_cache_as_it_was() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    ok(&new(&env, "first", &origin.template("@main"), &[]));
    let before = cache_listing(&env);
    assert!(!before.is_empty());
    origin.remove();
    for args in [vec!["--refresh"], vec![]] {
        let out = new(&env, "again", &origin.template("@main"), &args);
        refused(&out, 2, &[&origin.url()]);
    }
    assert_eq!(cache_listing(&env), before);
    // Nothing of the failed fetches is left in the cache's workspaces.
    for (path, _) in tree(&cache(&env)) {
        assert!(!path.contains("/tmp/"), "{path}");
    }
    let out = new(&env, "again", &origin.template("@main"), &["--offline"]);
    ok(&out);
    assert_eq!(
        source(&env.work().join("again"))["commit"],
        source(&env.work().join("first"))["commit"]
    );
}

#[test]
fn bad_addresses_refs_and_folders_are_refused_and_nothing_is_written() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let url = origin.url();
    let before = entries(&env.work());
    let nowhere = file_url(&env.work().join("nowhere.git"));
    for (template, code, says) in [
        (
            origin.template("@nope"),
            2,
            vec![
                url.as_str(),
                "ref `nope`",
                "couldn't find remote ref nope",
                "git ls-remote",
            ],
        ),
        (
            nowhere.clone(),
            2,
            vec![nowhere.as_str(), "does not appear to be a git repository"],
        ),
        (
            format!("{url}@v1#missing"),
            2,
            vec!["no folder or file `missing`", "#tpl"],
        ),
        (format!("{url}@v1"), 2, vec!["is not a template", "#tpl"]),
        (
            "http://127.0.0.1:1/nothing.git".to_string(),
            3,
            vec![
                "cannot fetch http://127.0.0.1:1/nothing.git",
                "check the network",
            ],
        ),
        ("gh:owner".to_string(), 2, vec!["gh:OWNER/REPO"]),
        (format!("{url}@v1#../x"), 2, vec!["`..`"]),
        ("ftp://example.org/r".to_string(), 2, vec!["`ftp://`"]),
    ] {
        let out = new(&env, "p", &template, &[]);
        refused(&out, code, &says);
        assert_eq!(entries(&env.work()), before, "{template}");
    }
    let out = new(&env, "p", &origin.template("@v1"), &["--ref", "v2"]);
    refused(&out, 2, &["given twice"]);
    let out = env
        .dayone(["new", "p", "--yes", "--ref", "v1"])
        .output()
        .unwrap();
    refused(&out, 2, &["--ref v1", "built-in"]);
    assert_eq!(entries(&env.work()), before);
}

#[test]
fn without_git_on_path_the_cache_still_serves_and_a_fetch_says_how_to_get_git() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    ok(&new(&env, "first", &origin.template("@v1"), &[]));
    let empty = env.home().join("no-programs");
    std::fs::create_dir_all(&empty).unwrap();
    let without_git = |dir: &str, template: &str| {
        env.dayone(["new", dir, "--yes", "--template", template])
            .env("PATH", &empty)
            .output()
            .unwrap()
    };
    ok(&without_git("cached", &origin.template("@v1")));
    assert!(env.work().join("cached/.git").is_dir());
    let out = without_git("fetched", &origin.template("@main"));
    refused(
        &out,
        3,
        &["needs the `git` program", "install git", "git-scm.com"],
    );
    assert!(!env.work().join("fetched").exists());
}

#[test]
fn update_takes_a_newer_commit_and_keeps_the_groups_edits() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    ok(&new(&env, "proj", &origin.template("@v1"), &[]));
    let proj = env.work().join("proj");
    let readme = proj.join("README.md");
    let mine = std::fs::read_to_string(&readme)
        .unwrap()
        .replace("line 20\n", "line 20, as the group wrote it\n");
    std::fs::write(&readme, &mine).unwrap();
    commit_all(&proj, "mine");
    origin.version_2(&env);
    let v2 = origin.commit("v2");
    let out = env
        .dayone(["update", "proj", "--yes", "--ref", "v2"])
        .output()
        .unwrap();
    ok(&out);
    let said = stderr(&out);
    assert!(
        said.contains("--ref: ")
            && said.contains(&format!("@v1#tpl (commit {})", &origin.commit("v1")[..12]))
            && said.contains(&format!("@v2#tpl (commit {})", &v2[..12])),
        "{said}"
    );
    let merged = std::fs::read_to_string(&readme).unwrap();
    assert!(
        merged.starts_with("# proj (v2)\n") && merged.contains("line 20, as the group wrote it\n"),
        "{merged}"
    );
    assert!(proj.join("new.txt").is_file() && !proj.join("old.txt").exists());
    let recorded = source(&proj);
    assert_eq!(recorded["ref"].as_str(), Some("v2"));
    assert_eq!(recorded["commit"].as_str(), Some(v2.as_str()));
    commit_all(&proj, "update to v2");
    // The recorded commit again, from the cache: the repository is not needed.
    origin.remove();
    let out = env
        .dayone(["update", "proj", "--yes", "--json"])
        .output()
        .unwrap();
    ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["up_to_date"], true);
    assert_eq!(json["to_commit"].as_str(), Some(v2.as_str()));
    origin.restore();
    // --template URL@REF does the same for a project still at v1, and says what changed.
    ok(&new(&env, "other", &origin.template("@v1"), &[]));
    let out = env
        .dayone(["update", "other", "--yes", "--json", "--template"])
        .arg(origin.template("@v2"))
        .output()
        .unwrap();
    ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["from_commit"].as_str(),
        Some(origin.commit("v1").as_str())
    );
    assert_eq!(json["to_commit"].as_str(), Some(v2.as_str()));
    assert!(stderr(&out).contains("--template: "), "{}", stderr(&out));
}

#[test]
fn new_answers_and_a_fresh_clone_render_the_recorded_commit_not_the_branchs_newest() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let v1 = origin.commit("v1");
    ok(&new(&env, "proj", &origin.template("@main"), &[]));
    let proj = env.work().join("proj");
    origin.version_2(&env);
    // The answers file's commit, though main has moved on.
    let out = env
        .dayone([
            "new",
            "copy",
            "--yes",
            "--set",
            "name=proj",
            "--answers",
            "proj/.dayone.toml",
        ])
        .output()
        .unwrap();
    ok(&out);
    let copy = env.work().join("copy");
    assert_eq!(without_answers_file(&copy), without_answers_file(&proj));
    assert_eq!(source(&copy)["commit"].as_str(), Some(v1.as_str()));
    // A teammate's clone has no base ref and an empty cache: the recorded commit is fetched by
    // its id and rendered again as the base.
    std::fs::remove_dir_all(cache(&env)).unwrap();
    git(&env.work(), &["clone", "-q", "proj", "clone"]);
    let out = env
        .dayone(["update", "clone", "--yes", "--json"])
        .output()
        .unwrap();
    ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["base"], "rebuilt");
    assert_eq!(json["up_to_date"], true);
    // Moving the clone to v2 rebuilds the base from the recorded commit, not from v2.
    let out = env
        .dayone(["update", "clone", "--yes", "--json", "--ref", "v2"])
        .output()
        .unwrap();
    ok(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["base"], "rebuilt");
    assert_eq!(json["conflicts"], serde_json::json!([]));
    let readme = std::fs::read_to_string(env.work().join("clone/README.md")).unwrap();
    assert!(readme.starts_with("# proj (v2)\n"), "{readme}");
}

#[test]
fn fetches_of_one_url_at_once_all_succeed_and_leave_one_good_cache() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.std_command(["templates", &origin.template("@v1"), "--refresh"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        ok(&out);
    }
    for (path, _) in tree(&cache(&env)) {
        assert!(!path.contains("/tmp/"), "{path}");
    }
    origin.remove();
    ok(&new(&env, "proj", &origin.template("@v1"), &[]));
    ok(&new(
        &env,
        "offline",
        &origin.template("@v1"),
        &["--offline"],
    ));
}

/// `git http-backend` behind a small Python server on 127.0.0.1, serving `root`'s
/// repositories; the port it listens on.
struct HttpServer {
    child: std::process::Child,
    port: u16,
}

impl HttpServer {
    fn start(root: &Path) -> Option<Self> {
        use std::io::BufRead;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/git_http.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        let port = line.trim().parse().ok()?;
        Some(Self { child, port })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn smart_http_on_localhost_fetches_and_a_dead_server_leaves_the_cache_to_offline() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    let Some(mut server) = HttpServer::start(&env.work()) else {
        eprintln!(
            "skipped: no python3 to run the smart-HTTP server (tests/cli/fixtures/git_http.py)"
        );
        return;
    };
    let url = format!("http://127.0.0.1:{}/origin.git", server.port);
    ok(&new(&env, "tag", &format!("{url}@v1#tpl"), &[]));
    ok(&new(&env, "branch", &format!("{url}@main#tpl"), &[]));
    assert_eq!(
        source(&env.work().join("tag"))["url"].as_str(),
        Some(url.as_str())
    );
    assert_eq!(
        without_answers_file(&env.work().join("tag")),
        without_answers_file(&env.work().join("branch"))
            .into_iter()
            .map(|(p, b)| (
                p,
                String::from_utf8(b)
                    .unwrap()
                    .replace("branch", "tag")
                    .into_bytes()
            ))
            .collect::<Vec<_>>()
    );
    server.stop();
    let before = cache_listing(&env);
    let out = new(&env, "down", &format!("{url}@main#tpl"), &["--refresh"]);
    refused(&out, 3, &["cannot fetch", &url, "--offline"]);
    assert_eq!(cache_listing(&env), before);
    ok(&new(
        &env,
        "down",
        &format!("{url}@main#tpl"),
        &["--offline"],
    ));
    ok(&new(&env, "cached", &format!("{url}@v1#tpl"), &[]));
    drop(origin);
}

/// A report the graders' tool reads, with a first line that marks it as the course's copy.
fn course_report(env: &TestEnv, marker: &str) -> String {
    let scratch = env.home().join("scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    env.dayone(["new", "r", "--yes", "--quiet", "--no-git"])
        .current_dir(&scratch)
        .assert()
        .success();
    let skeleton = std::fs::read_to_string(scratch.join("r/reports/README.md")).unwrap();
    format!("<!-- the course's report, {marker} -->\n{skeleton}")
}

/// The course's repository: `reports/README.md` at `marker`, pushed to `course.git`.
fn course_repository(env: &TestEnv, marker: &str) -> String {
    let upstream = env.work().join("course");
    let first = !upstream.exists();
    env.write("course/reports/README.md", course_report(env, marker));
    if first {
        git(&upstream, &["init", "-q", "-b", "main"]);
    }
    commit_all(&upstream, marker);
    if first {
        git(
            &env.work(),
            &["clone", "-q", "--bare", "course", "course.git"],
        );
    } else {
        git(&upstream, &["push", "-q", "../course.git", "main"]);
    }
    format!(
        "{}#reports/README.md",
        file_url(&env.work().join("course.git"))
    )
}

fn report_fetch(env: &TestEnv, project: &str, args: &[&str]) -> Output {
    env.dayone(["report", "fetch", project])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn report_fetch_puts_the_courses_report_in_place_pinned_and_update_leaves_it_alone() {
    let env = TestEnv::new();
    let from = course_repository(&env, "first");
    env.dayone(["new", "proj", "--yes", "--quiet"])
        .assert()
        .success();
    let proj = env.work().join("proj");
    let skeleton = std::fs::read_to_string(proj.join("reports/README.md")).unwrap();
    assert!(skeleton.contains("not the course's report"), "{skeleton}");
    let out = report_fetch(&env, "proj", &["--from", &from]);
    ok(&out);
    let report = std::fs::read_to_string(proj.join("reports/README.md")).unwrap();
    assert!(
        report.starts_with("<!-- the course's report, first -->"),
        "{report}"
    );
    let pinned = answers(&proj)["dayone"]["report"]
        .as_table()
        .unwrap()
        .clone();
    let commit = git(&env.work().join("course"), &["rev-parse", "HEAD"]);
    assert_eq!(pinned["commit"].as_str(), Some(commit.trim()));
    assert_eq!(pinned["path"].as_str(), Some("reports/README.md"));
    // The graders' tool reads it; a second fetch has nothing to do, from the cache.
    let checked = env.dayone(["report", "check", "proj"]).output().unwrap();
    assert_ne!(checked.status.code(), Some(2), "{}", stderr(&checked));
    std::fs::rename(
        env.work().join("course.git"),
        env.work().join("course.gone"),
    )
    .unwrap();
    let out = report_fetch(&env, "proj", &[]);
    ok(&out);
    assert!(stderr(&out).contains("nothing to do"), "{}", stderr(&out));
    std::fs::rename(
        env.work().join("course.gone"),
        env.work().join("course.git"),
    )
    .unwrap();
    commit_all(&proj, "the course's report");
    // An update merges the template, not its skeleton into the course's report, and keeps the
    // record without calling it the group's edit.
    let out = env
        .dayone(["update", "proj", "--yes", "--set", "api=false"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(
        std::fs::read_to_string(proj.join("reports/README.md")).unwrap(),
        report
    );
    let status = git(&proj, &["status", "--porcelain"]);
    assert!(
        !status.contains("reports/README.md") && !status.contains("UU"),
        "{status}"
    );
    assert_eq!(answers(&proj)["dayone"]["report"].as_table(), Some(&pinned));
    commit_all(&proj, "api off");
    // --refresh takes the course's newer commit over a report nobody wrote in.
    course_repository(&env, "second");
    ok(&report_fetch(&env, "proj", &["--refresh"]));
    let report = std::fs::read_to_string(proj.join("reports/README.md")).unwrap();
    assert!(
        report.starts_with("<!-- the course's report, second -->"),
        "{report}"
    );
}

#[test]
fn report_fetch_refuses_a_report_the_group_wrote_in_unless_forced() {
    let env = TestEnv::new();
    let from = course_repository(&env, "first");
    env.dayone(["new", "proj", "--yes", "--quiet"])
        .assert()
        .success();
    let proj = env.work().join("proj");
    let report = proj.join("reports/README.md");
    let written = std::fs::read_to_string(&report).unwrap() + "\nOur own words.\n";
    std::fs::write(&report, &written).unwrap();
    let recorded = std::fs::read(proj.join(".dayone.toml")).unwrap();
    let out = report_fetch(&env, "proj", &["--from", &from]);
    refused(&out, 2, &["the group's writing", "--force"]);
    assert_eq!(std::fs::read_to_string(&report).unwrap(), written);
    assert_eq!(std::fs::read(proj.join(".dayone.toml")).unwrap(), recorded);
    ok(&report_fetch(&env, "proj", &["--from", &from, "--force"]));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .starts_with("<!-- the course's report")
    );
}

#[test]
fn report_fetch_offline_without_a_copy_keeps_dayones_skeleton_and_says_so() {
    let env = TestEnv::new();
    env.dayone(["new", "proj", "--yes", "--quiet"])
        .assert()
        .success();
    let proj = env.work().join("proj");
    let before = tree(&proj);
    // The course's own address (never reached: --offline), and a local one not fetched yet.
    let local = course_repository(&env, "first");
    for args in [vec!["--offline"], vec!["--offline", "--from", &local]] {
        let out = report_fetch(&env, "proj", &args);
        refused(
            &out,
            3,
            &[
                "not fetched",
                "dayone's own skeleton",
                "not the course's file",
                "not in the cache",
            ],
        );
        assert_eq!(tree(&proj), before);
    }
    let out = report_fetch(&env, "proj", &["--offline"]);
    assert!(
        stderr(&out).contains("gh:SkafteNicki/dtu_mlops"),
        "{}",
        stderr(&out)
    );
    let out = report_fetch(&env, "proj", &["--from", "gh:o/r"]);
    refused(&out, 2, &["#PATH"]);
}

#[test]
fn ref_and_directory_on_a_project_not_from_git_are_refused() {
    let env = TestEnv::new();
    let folder = write_template(&env, "tpl", 1);
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&folder)
        .assert()
        .success();
    let before = tree(&env.work().join("proj"));
    for flags in [["--ref", "v2"], ["--directory", "t"]] {
        let out = env
            .dayone(["update", "proj", "--yes"])
            .args(flags)
            .output()
            .unwrap();
        refused(
            &out,
            2,
            &[
                &flags.join(" "),
                "the folder ../tpl",
                "not one from git",
                "--template URL",
            ],
        );
    }
    assert_eq!(tree(&env.work().join("proj")), before);
}

/// A fetch killed while it works leaves its workspace in `tmp/` and nothing else: the cache
/// keeps what it had, and the next run fetches as if nothing happened.
#[cfg(unix)]
#[test]
fn a_fetch_killed_midway_damages_nothing() {
    let env = TestEnv::new();
    let origin = Origin::new(&env);
    ok(&new(&env, "first", &origin.template("@v1"), &[]));
    let mut before = cache_listing(&env);
    let mut killed = false;
    for attempt in 0..20 {
        let mut child = env
            .std_command(["templates", &origin.template("@main"), "--refresh"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill it once its workspace exists, before the snapshot is renamed into place.
        let underway = loop {
            let working = walkdir::WalkDir::new(cache(&env))
                .into_iter()
                .filter_map(Result::ok)
                .any(|e| e.path().to_string_lossy().contains("/tmp/fetch-"));
            if working {
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
        };
        let _ = child.kill();
        let _ = child.wait();
        if underway && cache_listing(&env) == before {
            killed = true;
            break;
        }
        // It finished first: start again from the cache as it was.
        assert!(
            attempt < 19,
            "every fetch finished before it could be killed"
        );
        std::fs::remove_dir_all(cache(&env)).unwrap();
        ok(&new(
            &env,
            &format!("again{attempt}"),
            &origin.template("@v1"),
            &[],
        ));
        before = cache_listing(&env);
    }
    assert!(killed);
    ok(&new(&env, "after", &origin.template("@main"), &[]));
    ok(&new(&env, "tag", &origin.template("@v1"), &["--offline"]));
}
