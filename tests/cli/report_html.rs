//! `dayone report html` run for real, its pages read back with a small HTML reader: what a
//! grader sees (contents, counts against limits, problems marked where they stand, checklist
//! boxes), that nothing from the report can run in the grader's browser, and where the page
//! may be written.

use predicates::prelude::*;
use serde_json::Value;

use crate::dom::{self, Element};
use crate::report::{course_shaped, skeleton};
use crate::support::TestEnv;

/// Write `text` as project `p`'s report, then return its page (from stdout) and
/// `report check --json` on it.
fn page_and_check(env: &TestEnv, text: &str) -> (Element, Value) {
    env.write("p/reports/README.md", text);
    let html = env.dayone(["report", "html", "p"]).output().unwrap().stdout;
    let json = env
        .dayone(["report", "check", "p", "--json"])
        .output()
        .unwrap()
        .stdout;
    (
        dom::parse(&String::from_utf8(html).unwrap()),
        serde_json::from_slice(&json).unwrap(),
    )
}

/// Answers of every kind a grader meets: short and within the limits, too long, cut at a
/// heading, with an image, with a missing image, and the untouched placeholder.
fn mixed(n: usize) -> String {
    match n {
        1 => "42".into(),
        2 => "s111111, s222222".into(),
        4 => "dep ".repeat(100),
        7 => "long ".repeat(150),
        11 => format!(
            "{}\n\n### Caching\n\n{}",
            "ci ".repeat(120),
            "more ".repeat(150)
        ),
        14 => format!("{} ![wandb](figures/wandb.png)", "tracked ".repeat(199)),
        19 => "![gone](figures/gone.png)".into(),
        n => format!("--- question {n} fill here ---"),
    }
}

/// What the status of a question should read, from `report check --json`.
fn expected_status(q: &Value) -> String {
    let findings = q["findings"].as_array().unwrap().len();
    let state = match q["answer"].as_str().unwrap() {
        "written" if q["ok"] == true => "ok".to_string(),
        "written" if q["within_limits"] == true => "within limits".to_string(),
        "written" => {
            let n = |key: &str| q[key].as_u64().unwrap_or(0);
            let problems: Vec<String> = q["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| match p.as_str().unwrap() {
                    "too short" => words("too short by", n("min_words") - n("words")),
                    "too long" => words("too long by", n("words") - n("max_words")),
                    other => other.to_string(),
                })
                .collect();
            problems.join(", ")
        }
        other => other.to_string(),
    };
    match findings {
        0 => state,
        1 => format!("{state} · 1 finding"),
        n => format!("{state} · {n} findings"),
    }
}

fn words(what: &str, n: u64) -> String {
    format!("{what} {n} word{}", if n == 1 { "" } else { "s" })
}

#[test]
fn the_page_has_contents_with_the_graders_counts_and_a_verdict_under_each_question() {
    let env = TestEnv::new();
    env.write("p/reports/figures/wandb.png", b"png");
    let (page, json) = page_and_check(&env, &course_shaped(mixed));
    let ids: Vec<&str> = page
        .descendants()
        .iter()
        .filter_map(|e| e.attr("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    for link in page.find("a") {
        if let Some(target) = link.attr("href").and_then(|h| h.strip_prefix('#')) {
            assert!(ids.contains(&target), "#{target} leads nowhere");
        }
    }

    let rows = page.one("nav.contents").find("tr.question");
    assert_eq!(rows.len(), 31);
    for (n, (row, q)) in (1..).zip(rows.iter().zip(json["questions"].as_array().unwrap())) {
        let cells: Vec<String> = row.find("td").iter().map(|c| c.text()).collect();
        assert_eq!(cells[0], format!("Question {n}"));
        let limit = |min: &str, max: &str| match (q[min].as_u64(), q[max].as_u64()) {
            (Some(a), Some(b)) if a == b => format!(" / exactly {a}"),
            (Some(a), Some(b)) => format!(" / {a}–{b}"),
            _ => String::new(),
        };
        assert_eq!(
            cells[1],
            format!("{}{}", q["words"], limit("min_words", "max_words"))
        );
        assert_eq!(
            cells[2],
            format!("{}{}", q["images"], limit("min_images", "max_images"))
        );
        assert_eq!(cells[3], expected_status(q), "question {n}");
        assert_eq!(
            row.one("a").attr("href"),
            Some(format!("#question-{n}").as_str())
        );

        // The verdict is the element right after the question's heading, and says the same.
        let main = page.one("main");
        let siblings: Vec<&Element> = main.elements().collect();
        let at = siblings
            .iter()
            .position(|e| e.attr("id") == Some(&format!("question-{n}")))
            .unwrap_or_else(|| panic!("no heading for question {n}"));
        assert_eq!(siblings[at].name, "h3");
        let verdict = siblings[at + 1];
        assert!(verdict.has_class("verdict"), "question {n}: {verdict:?}");
        assert_eq!(verdict.one("strong.status").text(), expected_status(q));
        assert_eq!(
            verdict.find("li").len(),
            q["findings"].as_array().unwrap().len()
        );
    }
    let class_of = |n: usize| {
        let verdict = page.find("div.verdict")[n - 1];
        ["ok", "warn", "todo", "bad"]
            .into_iter()
            .find(|c| verdict.has_class(c))
            .unwrap()
    };
    assert_eq!(
        [1, 3, 7, 11, 19].map(class_of),
        ["ok", "todo", "bad", "bad", "warn"]
    );
    let totals = page.one("p.totals").text();
    assert!(
        totals.starts_with("7/31 questions answered · 4/31 pass · 7/31 within the limits (all the course's checker looks at) · 2 findings · 1 image not shown"),
        "{totals}"
    );
}

#[test]
fn problems_are_marked_where_they_stand() {
    let env = TestEnv::new();
    env.write("p/reports/figures/wandb.png", b"png");
    let (page, json) = page_and_check(&env, &course_shaped(mixed));
    let placeholders = json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["answer"] == "placeholder")
        .count();
    // The introduction's placeholder is inline code, an example, and is not marked.
    let marks = page.find("mark.placeholder");
    assert_eq!(marks.len(), placeholders);
    assert_eq!(marks[0].text(), "--- question 3 fill here ---");
    let missing = page.one("span.problem.image");
    assert!(
        missing.text().contains("figures/gone.png"),
        "{}",
        missing.text()
    );
    let embedded = page.one("img");
    assert_eq!(embedded.attr("src"), Some("data:image/png;base64,cG5n"));
    assert_eq!(embedded.attr("alt"), Some("wandb"));
}

#[test]
fn ticked_and_open_boxes_are_drawn_apart() {
    let env = TestEnv::new();
    let (page, _) = page_and_check(&env, &course_shaped(mixed));
    assert!(
        page.find("input").is_empty(),
        "no faint disabled checkboxes"
    );
    let ticked = page.find("li.task.ticked");
    let open = page.find("li.task.open");
    assert_eq!((ticked.len(), open.len()), (1, 2));
    assert_eq!(ticked[0].one("span.box").attr("aria-label"), Some("ticked"));
    assert!(ticked[0].text().contains("Create a git repository"));
    for item in open {
        assert_eq!(item.one("span.box").attr("aria-label"), Some("not ticked"));
    }
    assert!(
        page.one("p.totals")
            .text()
            .ends_with("1 of 3 checklist boxes ticked")
    );
    // The two kinds of box differ in what fills them, not only in a faint shade.
    let style = page.one("style").text();
    let rule = |selector: &str| {
        let start = style
            .find(&format!("{selector} {{"))
            .expect("a rule for the box");
        let body = &style[start..];
        body[..body.find('}').unwrap()].to_string()
    };
    let (ticked, open) = (rule(".box.ticked"), rule(".box.open"));
    assert!(ticked.contains("background: #1f7a3a") && open.contains("background: #fff"));
}

#[test]
fn a_fresh_reports_page_reads_as_unanswered() {
    let env = TestEnv::new();
    let text = skeleton();
    let (page, _) = page_and_check(&env, &text);
    assert!(
        page.one("p.totals")
            .text()
            .starts_with("0/31 questions answered · 0/31 pass · 4/31 within the limits"),
        "{}",
        page.one("p.totals").text()
    );
    let verdicts = page.find("div.verdict");
    assert_eq!(verdicts.len(), 31);
    assert!(verdicts.iter().all(|v| v.has_class("todo")));
    let ticked = text.lines().filter(|l| l.starts_with("* [x]")).count();
    let boxes = text.lines().filter(|l| l.starts_with("* [")).count();
    assert_eq!(page.find("li.task.ticked").len(), ticked);
    assert_eq!(page.find("li.task").len(), boxes);
}

#[test]
fn nothing_in_a_report_can_run_in_the_graders_browser() {
    let env = TestEnv::new();
    let hostile = course_shaped(|n| {
        match n {
        1 => "<script>alert(document.cookie)</script>".into(),
        2 => "Hi <img src=x onerror=alert(1)> and <b onclick=\"alert(2)\">bold</b>".into(),
        3 => "[click](javascript:alert(3)) [tab](<java\tscript:alert(4)>) [fine](https://example.org/)".into(),
        4 => "<iframe src=\"https://example.org\"></iframe>\n\n<a href=\"javascript:alert(5)\">a</a>".into(),
        5 => "![x](javascript:alert(6)) ![y](data:text/html,<script>alert(7)</script>)".into(),
        6 => "<form action=\"https://example.org\"><input name=q></form><base href=\"https://example.org/\">".into(),
        n => format!("--- question {n} fill here ---"),
    }
    });
    let (page, _) = page_and_check(&env, &hostile);
    for element in page.descendants() {
        assert!(
            ![
                "script", "iframe", "object", "embed", "form", "base", "link", "input"
            ]
            .contains(&element.name.as_str()),
            "<{}> on the page",
            element.name
        );
        for (name, value) in &element.attrs {
            assert!(!name.starts_with("on"), "{name}= on <{}>", element.name);
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !value.to_ascii_lowercase().contains("javascript:"),
                "{name}=\"{value}\" on <{}>",
                element.name
            );
        }
    }
    // The report's HTML is shown as text, so the grader sees what the group wrote.
    let main = page.one("main").text();
    assert!(main.contains("<script>alert(document.cookie)</script>"));
    assert!(main.contains("<img src=x onerror=alert(1)>"));
    assert_eq!(
        page.find("a")
            .iter()
            .filter(|a| a.attr("href") == Some("https://example.org/"))
            .count(),
        1
    );
    let policy = page
        .find("meta")
        .into_iter()
        .find(|m| m.attr("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|m| m.attr("content"))
        .expect("a content security policy")
        .to_string();
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
}
#[test]
fn html_keeps_the_whole_file_embeds_images_and_reports_missing_ones() {
    let env = TestEnv::new();
    let text = course_shaped(|n| match n {
        14 => "![wandb](figures/wandb.png)".into(),
        19 => "![gone](figures/gone.png)".into(),
        _ => "word".into(),
    });
    env.write("p/reports/README.md", &text);
    env.write("p/reports/figures/wandb.png", b"foo");
    let assert = env
        .dayone(["report", "html", "p", "-o", "page.html"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("warning: p/reports/README.md: line "),
        "{stderr}"
    );
    assert!(
        stderr.contains("`figures/gone.png` does not exist under reports/"),
        "{stderr}"
    );
    let page = std::fs::read_to_string(env.work().join("page.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<title>Exam template for the course</title>"));
    assert!(page.contains("src=\"data:image/png;base64,Zm9v\""));
    let page = dom::parse(&page);
    assert_eq!(page.one("h1").text(), "Exam template for the course");
    // The whole file: its first characters, and its last question.
    assert!(
        page.one("main")
            .text()
            .trim_start()
            .starts_with("Exam template for the course\nOnly replace text"),
        "{}",
        page.one("main").text()
    );
    let last = page.one("main").find("h3").into_iter().last().unwrap();
    assert_eq!(last.text(), "Question 31");
    assert!(!env.work().join(".page.html.partial").exists());

    env.write("p/reports/figures/gone.png", b"bar");
    env.dayone(["report", "html", "p"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"))
        .stdout(predicate::str::contains("data:image/png;base64,YmFy"));
}

/// `dayone ARGS…` run by `sh` after `umask 022`, the usual umask, whatever the test runner's.
#[cfg(unix)]
fn with_umask_022(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let dayone = env.std_command(args);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(dayone.get_program())
        .args(dayone.get_args())
        .current_dir(env.work())
        .env_clear();
    for (key, value) in dayone.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    sh.output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_new_page_gets_the_usual_permissions_and_an_existing_one_keeps_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.write("p/reports/README.md", course_shaped(|_| "word".into()));
    let mode = |name: &str| {
        std::fs::metadata(env.work().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let out = with_umask_022(&env, &["report", "html", "p", "-o", "page.html"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode("page.html"), 0o644);
    let private = env.write("private.html", "old");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = with_umask_022(&env, &["report", "html", "p", "-o", "private.html"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode("private.html"), 0o600);
    assert!(
        std::fs::read_to_string(&private)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

/// In `out/`: a regular file `target.html`, links to it and to nothing, a FIFO, a folder, and a
/// character device where the tests may make one (as root); the file and whether the device
/// was made.
#[cfg(unix)]
fn special_files(env: &TestEnv) -> (std::path::PathBuf, bool) {
    let target = env.write("out/target.html", "the link's target");
    std::os::unix::fs::symlink("target.html", env.work().join("out/link.html")).unwrap();
    std::os::unix::fs::symlink("nowhere.html", env.work().join("out/dangling.html")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(env.work().join("out/pipe"))
        .status()
        .unwrap();
    assert!(fifo.success());
    std::fs::create_dir(env.work().join("out/folder")).unwrap();
    // A character device, where the tests may make one (as root).
    let device = std::process::Command::new("mknod")
        .arg(env.work().join("out/null"))
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    (target, device)
}

/// What `-o` is given that is not a regular file or a new path is refused with exit 2, named,
/// and left as it was, with nothing written beside it.
#[cfg(unix)]
#[test]
fn output_that_is_not_a_regular_file_or_a_new_path_is_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    let env = TestEnv::new();
    env.write("p/reports/README.md", course_shaped(|_| "word".into()));
    let (target, device) = special_files(&env);
    let cases = [
        (
            "out/link.html",
            "is a symbolic link to out/target.html; the page is written only to a regular file or a new path, never through a link (that would replace the link): pass -o out/target.html to write to its target",
        ),
        (
            "out/dangling.html",
            "is a symbolic link to out/nowhere.html",
        ),
        (
            "out/pipe",
            "is a named pipe (FIFO); the page is written only to a regular file or a new path",
        ),
        (
            "out/folder",
            "is a folder; the page is written only to a regular file or a new path: name a file inside it, e.g. out/folder/report.html",
        ),
        (
            "missing/page.html",
            "the folder missing does not exist; create it first or choose another path",
        ),
        ("out/null", "is a character device"),
    ];
    for (output, says) in cases {
        if output == "out/null" && !device {
            continue;
        }
        env.dayone(["report", "html", "p", "-o", output])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(format!(
                "error: --output {output}: "
            )))
            .stderr(predicate::str::contains(says));
    }
    let kind = |name: &str| {
        std::fs::symlink_metadata(env.work().join("out").join(name))
            .unwrap()
            .file_type()
    };
    assert!(kind("link.html").is_symlink() && kind("dangling.html").is_symlink());
    assert!(kind("pipe").is_fifo() && kind("folder").is_dir());
    if device {
        assert!(kind("null").is_char_device());
    }
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the link's target"
    );
    assert!(!env.work().join("missing").exists());
    let mut names = crate::support::entries(&env.work().join("out"));
    names.retain(|n| n != "null");
    assert_eq!(
        names,
        [
            "dangling.html",
            "folder",
            "link.html",
            "pipe",
            "target.html"
        ]
    );
}
