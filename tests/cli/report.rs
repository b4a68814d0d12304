//! `dayone report check|html` run for real: on the built-in skeleton, on a report in the
//! shape of the course's own file, and on files that are not reports at all.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::TestEnv;

/// The skeleton as `dayone new` renders it for project `demo-project`.
pub fn skeleton() -> String {
    let env = TestEnv::new();
    env.dayone(["new", "demo-project", "--yes", "--no-git", "--quiet"])
        .assert()
        .success();
    std::fs::read_to_string(env.work().join("demo-project/reports/README.md")).unwrap()
}

/// Write `text` as project `demo`'s report and return `report check --json` on it.
fn checked_json(env: &TestEnv, text: &str) -> Value {
    env.write("demo/reports/README.md", text);
    let output = env
        .dayone(["report", "check", "demo", "--json"])
        .output()
        .unwrap();
    json_of(&output.stdout)
}

/// `report check PROJECT --json` on a report with findings: it exits 1; its JSON.
fn findings_json(env: &TestEnv, project: &str) -> Value {
    let out = env
        .dayone(["report", "check", project, "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    json_of(&out)
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("report check --json prints JSON")
}

fn limit(question: &Value, key: &str) -> Option<usize> {
    question[key].as_u64().map(|n| n as usize)
}

/// An answer that meets a question's limits exactly at their lower edge (at least one
/// word); image links count as words, as the graders count them.
fn fitting(question: &Value) -> String {
    let images = limit(question, "min_images").unwrap_or(0);
    let words = limit(question, "min_words").unwrap_or(1).max(1);
    let mut tokens = vec!["word".to_string(); words.saturating_sub(images).max(1)];
    tokens.extend((0..images).map(|_| "![plot](figures/plot.png)".to_string()));
    tokens.join(" ")
}

#[test]
fn a_fresh_report_reads_as_unanswered_in_one_summary_line() {
    let env = TestEnv::new();
    env.write("demo/reports/README.md", skeleton());
    let assert = env.dayone(["report", "check", "demo"]).assert().code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  Q")).collect();
    assert_eq!(rows.len(), 31, "{stdout}");
    for row in &rows {
        // Six words fit questions 1, 2, 3 and 28, but a placeholder is not an answer.
        assert!(row.ends_with(" placeholder"), "{row}");
    }
    assert!(!stdout.contains(" ok"), "{stdout}");
    assert!(
        !stdout.contains('!'),
        "no finding per placeholder: {stdout}"
    );
    assert!(
        stdout.ends_with(
            "\n0/31 questions answered, 0/31 pass\n\
             31 answers are still the placeholder (questions 1–31): write each answer in place of its `--- question N fill here ---` line\n\
             The course's checker would pass 4/31: it counts only words and images, so an answer with findings, the placeholder or nothing passes it wherever the counts fit. dayone passes only what is written and has nothing to fix.\n"
        ),
        "{stdout}"
    );

    let json = findings_json(&env, "demo");
    let questions = json["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 31);
    assert_eq!(
        (&json["total"], &json["answered"], &json["passed"]),
        (&31.into(), &0.into(), &0.into())
    );
    for (i, q) in questions.iter().enumerate() {
        assert_eq!(q["number"], i + 1);
        assert_eq!(q["words"], 6);
        assert_eq!(q["answer"], "placeholder", "question {}", i + 1);
        assert_eq!(q["ok"], false, "question {}", i + 1);
        assert_eq!(q["findings"], Value::Array(vec![]), "question {}", i + 1);
    }
}

#[test]
fn the_skeleton_states_the_same_limits_the_checker_enforces() {
    let env = TestEnv::new();
    let text = skeleton();
    let json = checked_json(&env, &text);
    let blocks: Vec<&str> = text.split("### Question ").skip(1).collect();
    assert_eq!(blocks.len(), 31);
    for (q, block) in json["questions"].as_array().unwrap().iter().zip(blocks) {
        let stated_words = match (limit(q, "min_words"), limit(q, "max_words")) {
            (Some(min), Some(max)) => {
                Some(format!("Recommended answer length: {min}-{max} words."))
            }
            _ => None,
        };
        let stated_images = match (limit(q, "min_images"), limit(q, "max_images")) {
            (Some(1), Some(1)) => Some("Include exactly 1 image".to_string()),
            (Some(min), Some(max)) => Some(format!("Include {min}-{max} images")),
            _ => None,
        };
        assert_eq!(
            block.contains("Recommended answer length"),
            stated_words.is_some(),
            "{block}"
        );
        assert_eq!(
            block.contains("> Include"),
            stated_images.is_some(),
            "{block}"
        );
        for stated in stated_words.iter().chain(&stated_images) {
            assert!(
                block.contains(stated.as_str()),
                "question {}: `{stated}` missing",
                q["number"]
            );
        }
    }
}

#[test]
fn filling_every_skeleton_answer_within_its_limits_passes() {
    let env = TestEnv::new();
    let text = skeleton();
    let json = checked_json(&env, &text);
    let mut filled = text;
    for q in json["questions"].as_array().unwrap() {
        let placeholder = format!("--- question {} fill here ---", q["number"]);
        filled = filled.replace(&placeholder, &fitting(q));
    }
    env.write("demo/reports/README.md", filled);
    env.write("demo/reports/figures/plot.png", b"\x89PNG\r\n\x1a\n");
    env.dayone(["report", "check", "demo"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "31/31 questions answered, 31/31 pass\n",
        ))
        .stdout(predicate::str::contains(
            "  Q14  200 words (200–300)   1 image  (1–3)       ok\n",
        ));
}

/// A report shaped like the course's own file: its introduction mentions the placeholder and
/// an image link in code, the checklist comes first, each question quotes an example.
pub fn course_shaped(answer: impl Fn(usize) -> String) -> String {
    let mut out = String::from(
        "# Exam template for the course\n\nOnly replace text written with three dashes on both sides, like\n\n```--- question 1 fill here ---```\n\n\
         Images go in the figures folder, shown with `![my_image](figures/<image>.<extension>)`.\n\n\
         ## Overall project checklist\n\n### Week 1\n\n* [x] Create a git repository (M5)\n* [ ] Use profiling (M12)\n\n### Extra\n\n* [ ] Uploaded all your code to GitHub\n\n",
    );
    let sections = [
        (1, "Group information"),
        (4, "Coding environment"),
        (7, "Version control"),
        (12, "Running code and tracking experiments"),
        (17, "Working in the cloud"),
        (23, "Deployment"),
        (27, "Overall discussion of project"),
    ];
    for n in 1..=31 {
        if let Some((_, title)) = sections.iter().find(|(first, _)| *first == n) {
            out.push_str(&format!("## {title}\n\n"));
            if n > 1 {
                out.push_str("> What this section asks about,\n> on two quoted lines.\n\n");
            }
        }
        out.push_str(&format!(
            "### Question {n}\n\n> **Question text {n}?**\n>\n> Example:\n> *We used ... because ...*\n>\n> Answer:\n\n{}\n\n",
            answer(n)
        ));
    }
    out
}

#[test]
fn a_course_shaped_report_gets_the_graders_counts_and_the_findings_behind_them() {
    let env = TestEnv::new();
    let fence = "```bash\n# install\npip install -e .\n```";
    let text = course_shaped(|n| match n {
        1 => "42".to_string(),
        2 => "s111111, s222222, s333333".to_string(),
        // A code fence with a one-hash comment and a URL: all raw tokens count.
        4 => format!(
            "{}\n\n{fence}\n\nSee https://example.org/setup.",
            vec!["dep"; 100].join(" ")
        ),
        // A heading inside the answer: the graders stop before it.
        11 => format!(
            "{}\n\n### Caching\n\n{}",
            vec!["ci"; 120].join(" "),
            vec!["more"; 150].join(" ")
        ),
        14 => format!(
            "{} ![wandb](figures/wandb.png) <img src=\"figures/sweep.png\">",
            vec!["tracked"; 199].join(" ")
        ),
        19 => "![bucket](figures/bucket.png)".to_string(),
        n => format!("--- question {n} fill here ---"),
    });
    env.write("project/reports/README.md", &text);
    env.write("project/reports/figures/wandb.png", b"png");
    let json = findings_json(&env, "project");
    let q = |n: usize| json["questions"][n - 1].clone();
    let kinds = |n: usize| -> Vec<String> {
        q(n)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        (q(1)["words"].clone(), q(1)["ok"].clone()),
        (1.into(), true.into())
    );
    assert_eq!(q(2)["words"], 3);
    assert_eq!(q(4)["words"], 100 + 8 + 2);
    assert_eq!(q(4)["ok"], true);
    assert_eq!(q(11)["words"], 120);
    assert_eq!(q(11)["ok"], false);
    assert_eq!(kinds(11), ["cut_at_heading"]);
    assert_eq!(q(14)["words"], 199 + 1 + 2);
    assert_eq!(q(14)["images"], 1);
    assert_eq!(kinds(14), ["html_image"]);
    assert_eq!(q(19)["images"], 1);
    assert_eq!(kinds(19), ["missing_image"]);
    for n in 1..=31 {
        let answer = match n {
            1 | 2 | 4 | 11 | 14 | 19 => "written",
            _ => "placeholder",
        };
        assert_eq!(q(n)["answer"], answer, "question {n}");
        if answer == "placeholder" || n <= 4 {
            assert!(kinds(n).is_empty(), "question {n}: {:?}", kinds(n));
        }
    }
    let line = text.lines().position(|l| l == "### Caching").unwrap() + 1;
    assert_eq!(q(11)["findings"][0]["line"], line);
    // Questions 1, 2 and 4 (14 and 19 have findings); the placeholders of 3 and 28 fit 0–200
    // words but are not answers. The course's checker passes all seven and 11 as well.
    assert_eq!(json["passed"], 3);
    assert_eq!(json["schema"], 1);
    assert_eq!(json["answered"], 6);
}

#[test]
fn text_output_shows_each_question_its_findings_and_the_summary() {
    let env = TestEnv::new();
    env.write(
        "reports/README.md",
        course_shaped(|n| {
            if n == 19 {
                "![gone](figures/gone.png)".into()
            } else {
                "word ".repeat(150)
            }
        }),
    );
    let assert = env.dayone(["report", "check"]).assert().code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("  Q7   150 words (50–100)    0 images             too long by 50 words\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  Q19    1 word              1 image  (1–2)       1 finding to fix\n      ! reports/README.md:"
        ),
        "{stdout}"
    );
    assert!(
        stdout.starts_with("reports/README.md\n\nGroup information\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`figures/gone.png` does not exist under reports/"),
        "{stdout}"
    );
    assert!(stdout.contains("\nDeployment\n"), "{stdout}");
    assert!(
        stdout.ends_with(
            "\n31/31 questions answered, 22/31 pass\n1 finding to fix: the lines marked !\n\
             The course's checker would pass 23/31: it counts only words and images, so an answer with findings, the placeholder or nothing passes it wherever the counts fit. dayone passes only what is written and has nothing to fix.\n"
        ),
        "{stdout}"
    );
}

#[test]
fn the_reports_folder_and_the_file_itself_are_accepted() {
    let env = TestEnv::new();
    env.write("p/reports/README.md", course_shaped(|_| "word ".repeat(60)));
    for path in ["p", "p/reports", "p/reports/README.md"] {
        env.dayone(["report", "check", path, "--json"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("\"total\": 31"));
    }
}

#[test]
fn what_is_not_a_report_exits_2_naming_the_file_and_the_problem() {
    let env = TestEnv::new();
    env.dayone(["report", "check", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: nowhere does not exist"));
    env.write("empty-project/README.md", "# Not the report\n");
    env.dayone(["report", "check", "empty-project"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no report in empty-project: expected empty-project/reports/README.md",
        ));
    env.write("bytes/reports/README.md", b"# Report\n\nAnswer: caf\xe9\n");
    env.dayone(["report", "check", "bytes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bytes/reports/README.md is not UTF-8 text (invalid byte at offset 21)",
        ));
    env.write("plain/reports/README.md", "");
    env.dayone(["report", "check", "plain"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not a report the graders' tool can read: it has no `Answer:` line",
        ));
    let thirty_two = format!("{}\n### Appendix\n", course_shaped(|_| "word".into()));
    env.write("long/reports/README.md", thirty_two);
    env.dayone(["report", "check", "long"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "finds 32 answers and needs exactly 31",
        ))
        .stderr(predicate::str::contains(
            "`### Appendix` comes after the last `Answer:`",
        ));
}

/// A report whose images work on a case-insensitive or Windows machine but not on the
/// graders' Linux one, and one whose image is a link to a file outside the project.
#[cfg(unix)]
#[test]
fn image_links_are_looked_up_as_the_graders_linux_tool_does() {
    let env = TestEnv::new();
    let text = course_shaped(|n| match n {
        19 => "![case](figures/Plot.png)".into(),
        20 => "![slashes](figures\\plot.png)".into(),
        21 => "![leak](figures/leak.png)".into(),
        _ => "word".into(),
    });
    env.write("p/reports/README.md", &text);
    env.write("p/reports/figures/plot.png", b"png");
    let secret = env.write("private/id_rsa.png", b"top secret");
    std::os::unix::fs::symlink(&secret, env.work().join("p/reports/figures/leak.png")).unwrap();

    let json = findings_json(&env, "p");
    let finding = |n: usize| json["questions"][n - 1]["findings"][0].clone();
    let says = |n: usize, text: &str| {
        let message = finding(n)["message"].as_str().unwrap().to_string();
        assert!(message.contains(text), "question {n}: {message}");
    };
    assert_eq!(finding(19)["kind"], "missing_image");
    says(
        19,
        "the file is `figures/plot.png`, and the graders' Linux tool tells upper and lower case apart",
    );
    assert_eq!(finding(20)["kind"], "missing_image");
    says(
        20,
        "Linux reads `\\` as part of a file name, not as a folder separator; write `figures/plot.png`",
    );
    assert_eq!(finding(21)["kind"], "image_outside_project");

    let assert = env
        .dayone(["report", "html", "p", "-o", "page.html"])
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr
            .matches("warning: p/reports/README.md: line ")
            .count(),
        3,
        "{stderr}"
    );
    assert!(
        stderr.contains("`figures/leak.png` is a symbolic link to "),
        "{stderr}"
    );
    let page = std::fs::read_to_string(env.work().join("page.html")).unwrap();
    assert!(!page.contains("base64,"), "nothing may be embedded: {page}");
}

/// A placeholder left below written text in many answers: each question's line says it has a
/// finding to fix, and the finding is printed once for all of them, with every line.
#[test]
fn a_finding_repeated_in_many_answers_is_printed_once() {
    let env = TestEnv::new();
    env.write(
        "reports/README.md",
        course_shaped(|n| format!("{}\n\n--- question {n} fill here ---", "word ".repeat(60))),
    );
    let assert = env.dayone(["report", "check"]).assert().code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout.matches("is still here").count(),
        1,
        "one line for the repeated finding:\n{stdout}"
    );
    assert!(
        stdout.contains("! the same finding in 31 answers (questions 1–31; lines "),
        "{stdout}"
    );
    assert!(
        stdout.contains("e.g. reports/README.md:"),
        "the place as path:line for editors: {stdout}"
    );
}
