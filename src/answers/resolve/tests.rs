use super::*;
use crate::prompt::{Defaults, NoTerminal};

const MANIFEST: &str = r#"
[template]
name = "t"
version = "1.0.0"
directory_variable = "project"

[[variables]]
name = "project"
prompt = "Project"
type = "string"
default = "demo"
validate = { regex = "^[a-z-]+$", message = "lowercase and '-' only" }

[[variables]]
name = "package"
prompt = "Package"
type = "string"
default = "{{ project | snake_case }}"

[[variables]]
name = "api"
prompt = "API?"
type = "bool"
default = true

[[variables]]
name = "port"
prompt = "Port"
type = "string"
when = "api"

[[variables]]
name = "author"
prompt = "Author"
type = "string"
git_config = "user.name"
default = "Someone"
"#;

/// Answers questions from a script and records what was asked, with which default, where
/// it came from, the counter, and which choices were offered.
#[derive(Default)]
struct Scripted {
    replies: Vec<&'static str>,
    asked: Vec<(String, Option<String>)>,
    offered: Vec<Vec<String>>,
    counters: Vec<(usize, usize)>,
    sources: Vec<Option<String>>,
}

impl Prompter for Scripted {
    fn counts(&self) -> bool {
        true
    }

    fn ask(&mut self, q: &Question) -> Result<Reply> {
        if !q.choices.is_empty() {
            self.offered.push(q.choices.to_vec());
        }
        self.asked
            .push((q.var.name.clone(), q.default.map(ToString::to_string)));
        self.counters.push((q.number, q.total));
        self.sources.push(q.default_from.map(String::from));
        let reply = self.replies.remove(0);
        let text = if reply.is_empty() {
            q.default.map(ToString::to_string).unwrap_or_default()
        } else {
            reply.to_string()
        };
        Ok(Reply::Given(
            q.var.var_type.parse(&text, &q.var.choices).unwrap(),
        ))
    }
}

fn run(given: &Given, prompter: &mut dyn Prompter) -> Result<BTreeMap<String, String>> {
    let manifest = Manifest::load("t", MANIFEST).unwrap();
    let resolution = resolve(&manifest, given, prompter)?;
    Ok(resolution
        .answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

fn given_set(pairs: &[(&str, &str)]) -> Given {
    Given {
        set: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Given::default()
    }
}

#[test]
fn without_terminal_a_question_without_default_names_the_flag() {
    let err = run(&Given::default(), &mut Defaults).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no answer for port: the template gives no default, so --yes cannot take one; pass --set port=…"
    );
}

#[test]
fn false_condition_skips_the_question() {
    let answers = run(&given_set(&[("api", "false")]), &mut Defaults).unwrap();
    assert_eq!(answers["port"], "");
    assert_eq!(answers["package"], "demo");
}

#[test]
fn precedence_set_over_file_over_config_over_git_over_default() {
    let table = |pairs: &[(&str, &str)]| -> RawAnswers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), toml::Value::String(v.to_string())))
            .collect()
    };
    let mut given = given_set(&[("port", "1"), ("project", "from-set")]);
    given.file = Some((
        "answers.toml".into(),
        table(&[("project", "from-file"), ("package", "pkg")]),
    ));
    given.config = Some((
        "config.toml".into(),
        table(&[("package", "nope"), ("author", "Config Person")]),
    ));
    given.git.insert("user.name".into(), "Git Person".into());
    let answers = run(&given, &mut Defaults).unwrap();
    assert_eq!(answers["project"], "from-set");
    assert_eq!(answers["package"], "pkg");
    assert_eq!(answers["author"], "Config Person");
    given.config = None;
    assert_eq!(run(&given, &mut Defaults).unwrap()["author"], "Git Person");
}

#[test]
fn derived_default_and_directory_hint() {
    let mut given = given_set(&[("port", "8000")]);
    given.directory_hint = Some("my-thing".into());
    let answers = run(&given, &mut Defaults).unwrap();
    assert_eq!(
        (answers["project"].as_str(), answers["package"].as_str()),
        ("my-thing", "my_thing")
    );
}

#[test]
fn invalid_default_from_directory_names_the_variable() {
    let mut given = given_set(&[("port", "8000")]);
    given.directory_hint = Some("My Thing".into());
    let err = run(&given, &mut Defaults).unwrap_err().to_string();
    assert!(
        err.contains("variable `project`") && err.contains("--set project="),
        "{err}"
    );
}

#[test]
fn bad_set_values_and_keys() {
    let err = run(&given_set(&[("api", "maybe")]), &mut Defaults)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("--set api: the value `maybe` is not a bool"),
        "{err}"
    );
    let err = run(&given_set(&[("colour", "red")]), &mut Defaults)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no variable `colour`") && err.contains("known variables: project, package"),
        "{err}"
    );
}

#[test]
fn interactive_asks_in_order_with_computed_defaults_and_skips_answered() {
    let mut prompter = Scripted {
        replies: vec!["my-app", "", "false", ""],
        ..Scripted::default()
    };
    let answers = run(&given_set(&[]), &mut prompter).unwrap();
    let asked: Vec<_> = prompter
        .asked
        .iter()
        .map(|(n, d)| format!("{n}={}", d.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        asked,
        [
            "project=demo",
            "package=my_app",
            "api=true",
            "author=Someone"
        ]
    );
    assert_eq!(answers["api"], "false");
    let mut prompter = Scripted {
        replies: vec!["", "", ""],
        ..Scripted::default()
    };
    run(
        &given_set(&[("package", "x"), ("port", "1")]),
        &mut prompter,
    )
    .unwrap();
    assert_eq!(prompter.asked.len(), 3);
}

#[test]
fn choices_fit_the_answers_before_them() {
    let manifest = Manifest::load(
        "t",
        r#"
[template]
name = "t"
version = "1.0.0"

[[variables]]
name = "kind"
prompt = "Kind"
type = "choice"
choices = ["image", "text", "graph"]
default = "image"

[[variables]]
name = "framework"
prompt = "Framework"
type = "choice"
choices = ["none", "timm", "transformers", "pyg"]
labels = { timm = "PyTorch Image Models" }
choice_when = { none = "kind != 'graph'", timm = "kind == 'image'", transformers = "kind == 'text'", pyg = "kind == 'graph'" }
default = "{% if kind == 'graph' %}pyg{% else %}none{% endif %}"
"#,
    )
    .unwrap();
    let answers = |set: &[(&str, &str)]| resolve(&manifest, &given_set(set), &mut Defaults);
    let graph = answers(&[("kind", "graph")]).unwrap();
    assert_eq!(graph.answers.get("framework").unwrap().to_string(), "pyg");
    let err = answers(&[("kind", "text"), ("framework", "timm")])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "--set framework: the value `timm` is not one of: none, transformers"
    );
    let mut prompter = Scripted {
        replies: vec!["text", ""],
        ..Scripted::default()
    };
    resolve(&manifest, &Given::default(), &mut prompter).unwrap();
    assert_eq!(
        prompter.offered,
        [vec!["image", "text", "graph"], vec!["none", "transformers"]]
    );
}

#[test]
fn without_a_terminal_and_without_yes_every_question_is_named() {
    let err = run(&given_set(&[("port", "1")]), &mut NoTerminal)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "there is no terminal to ask project, package, api, author; pass --yes to take their \
         defaults, or --set NAME=VALUE for each (`dayone templates` shows them)"
    );
}

#[test]
fn the_wizard_counts_the_questions_and_says_where_defaults_come_from() {
    let mut given = Given::default();
    given.git.insert("user.name".into(), "Git Person".into());
    let mut prompter = Scripted {
        replies: vec!["", "", "false", ""],
        ..Scripted::default()
    };
    run(&given, &mut prompter).unwrap();
    // `port` would have been asked had `api` stayed true: the total drops once it is false.
    assert_eq!(prompter.counters, [(1, 5), (2, 5), (3, 5), (4, 4)]);
    assert_eq!(
        prompter.sources.last().unwrap().as_deref(),
        Some("git config user.name")
    );
    let taken = resolve(
        &Manifest::load("t", MANIFEST).unwrap(),
        &given_set(&[("port", "1")]),
        &mut Defaults,
    )
    .unwrap()
    .defaults_taken;
    assert_eq!(taken, ["project", "package", "api", "author"]);
}

#[test]
fn a_set_for_a_question_that_does_not_apply_is_refused() {
    let err = run(
        &given_set(&[("api", "false"), ("port", "80")]),
        &mut Defaults,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "--set port=80: `port` is only used when `api`, which is false for these answers; \
         leave it out, or also set what it depends on (`dayone add` takes several features at once)"
    );
    assert_eq!(err.exit(), crate::error::Exit::BadInput);
    // Where it applies, the same --set is taken.
    let answers = run(
        &given_set(&[("api", "true"), ("port", "80")]),
        &mut Defaults,
    )
    .unwrap();
    assert_eq!(answers["port"], "80");
}

#[test]
fn a_set_that_repeats_what_a_skipped_question_takes_is_fine() {
    let answers = run(&given_set(&[("api", "false"), ("port", "")]), &mut Defaults).unwrap();
    assert_eq!(answers["port"], "");
}

/// A default made from earlier answers that fails its own rule is not offered (Enter would
/// only be refused); the wizard is told why, and `--yes` names the flag to pass.
#[test]
fn a_derived_default_that_fails_its_rule_is_not_offered() {
    let manifest = Manifest::load(
        "t",
        r#"
[template]
name = "t"
version = "1.0.0"

[[variables]]
name = "project"
prompt = "Project"
type = "string"

[[variables]]
name = "bucket"
prompt = "Bucket"
type = "string"
default = "{{ project }}-data"
validate = { regex = "^.{3,12}$", message = "use 3-12 characters" }
"#,
    )
    .unwrap();
    #[derive(Default)]
    struct Recorder {
        bucket: Option<(Option<String>, Option<String>)>,
    }
    impl Prompter for Recorder {
        fn ask(&mut self, q: &Question) -> Result<Reply> {
            if q.var.name == "project" {
                return Ok(Reply::Given(Value::Str("a-long-project".into())));
            }
            self.bucket = Some((
                q.default.map(ToString::to_string),
                q.default_refused.clone(),
            ));
            Ok(Reply::Given(Value::Str("short".into())))
        }
    }
    let mut recorder = Recorder::default();
    resolve(&manifest, &Given::default(), &mut recorder).unwrap();
    let (offered, why) = recorder.bucket.unwrap();
    assert_eq!(offered, None);
    assert_eq!(
        why.as_deref(),
        Some("No default offered: `a-long-project-data` is invalid: use 3-12 characters.")
    );
    let mut given = given_set(&[("project", "a-long-project")]);
    let err = resolve(&manifest, &given, &mut Defaults)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--set bucket="), "{err}");
    given.set.insert("project".into(), "short".into());
    assert!(resolve(&manifest, &given, &mut Defaults).is_ok());
}

/// The starters (`starter = true`) go to a prompter that asks them together; each keeps its
/// own answer, one given by --set is not offered, and one whose condition is false takes its
/// default.
#[test]
fn starters_are_asked_as_one_group_by_a_prompter_that_can() {
    let manifest = Manifest::load(
        "t",
        r#"
[template]
name = "t"
version = "1.0.0"

[[variables]]
name = "api"
prompt = "API?"
type = "bool"
default = false

[[variables]]
name = "deploy"
prompt = "Deploy?"
type = "bool"
default = false
feature = true
starter = true
serves = ["deploy"]
when = "api"

[[variables]]
name = "sweep"
prompt = "Sweep?"
type = "bool"
default = false
feature = true
starter = true
serves = ["sweep"]

[[variables]]
name = "region"
prompt = "Region"
type = "string"
default = "eu"
when = "sweep"

[[variables]]
name = "profile"
prompt = "Profile?"
type = "bool"
default = false
feature = true
starter = true
serves = ["profile"]
"#,
    )
    .unwrap();
    struct Grouping {
        offered: Vec<String>,
        asked: Vec<String>,
        counters: Vec<(usize, usize)>,
    }
    impl Prompter for Grouping {
        fn counts(&self) -> bool {
            true
        }
        fn ask(&mut self, q: &Question) -> Result<Reply> {
            self.asked.push(q.var.name.clone());
            self.counters.push((q.number, q.total));
            Ok(Reply::TakeDefault)
        }
        fn pick(&mut self, group: &crate::prompt::Group) -> Result<Option<Vec<String>>> {
            self.offered = group.vars.iter().map(|(v, _)| v.name.clone()).collect();
            self.counters.push((group.number, group.total));
            Ok(Some(vec!["sweep".into()]))
        }
    }
    let mut grouping = Grouping {
        offered: Vec::new(),
        asked: Vec::new(),
        counters: Vec::new(),
    };
    let given = given_set(&[("profile", "true")]);
    let resolution = resolve(&manifest, &given, &mut grouping).unwrap();
    let answer = |name: &str| resolution.answers.get(name).unwrap().to_string();
    assert_eq!(grouping.offered, ["sweep"], "api is off, profile was given");
    assert_eq!(grouping.asked, ["api", "region"]);
    assert_eq!(grouping.counters, [(1, 2), (2, 2), (3, 3)]);
    assert_eq!(
        (answer("deploy"), answer("sweep"), answer("profile")),
        ("false".into(), "true".into(), "true".into())
    );
    // --yes: no group, every starter takes its default as before.
    let resolution = resolve(&manifest, &given, &mut Defaults).unwrap();
    assert_eq!(resolution.answers.get("sweep"), Some(&Value::Bool(false)));
}
