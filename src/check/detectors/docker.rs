//! Container items: Dockerfiles, image builds and build triggers.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, is_workflow_path, shorten, tasks};
use crate::check::filename::file_name;
use crate::check::workflow::Step;

pub fn is_dockerfile(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let documentation = [".md", ".txt", ".rst"]
        .iter()
        .any(|ext| name.ends_with(ext));
    !documentation
        && (name == "dockerfile"
            || name.starts_with("dockerfile.")
            || name.ends_with(".dockerfile"))
}

/// The instructions of a Dockerfile: `(KEYWORD, arguments)`, continuation lines joined,
/// comments and blank lines dropped.
pub fn instructions(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        current.push_str(trimmed);
        let (keyword, args) = current
            .split_once(char::is_whitespace)
            .unwrap_or((&current, ""));
        found.push((keyword.to_ascii_uppercase(), args.trim().to_string()));
        current.clear();
    }
    found
}

pub fn dockerfiles(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    let mut partial = Vec::new();
    for (path, text) in cx.project.texts(is_dockerfile) {
        let instructions = instructions(text);
        let base = instructions
            .iter()
            .find(|(k, _)| k == "FROM")
            .map(|(_, args)| {
                args.split_whitespace()
                    .find(|a| !a.starts_with("--"))
                    .unwrap_or_default()
                    .to_string()
            });
        let start = instructions
            .iter()
            .rev()
            .find(|(k, _)| k == "ENTRYPOINT" || k == "CMD")
            .map(|(k, args)| format!("; {k} {}", shorten(args, 50)))
            .unwrap_or_default();
        match base {
            Some(base) => evidence.push(Evidence::new(path, format!("FROM {base}{start}"))),
            None => partial.push(Evidence::new(path, "has no FROM instruction")),
        }
    }
    if evidence.is_empty() {
        return Detection::Open {
            hint: "write a Dockerfile per entry point (e.g. dockerfiles/train.dockerfile, dockerfiles/api.dockerfile)".into(),
            partial,
        };
    }
    Detection::Done(evidence)
}

static DOCKER_BUILD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bdocker\s+(image\s+|buildx\s+)?build\b|\bdocker[\s-]compose\s+(build|up\s+--build)",
    )
    .expect("valid regex")
});

static DOCKER_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\bdocker\s+(container\s+)?run\b|\bdocker[\s-]compose\s+up\b")
        .expect("valid regex")
});

/// Command lines of the group's machines matching `pattern`: tasks, Makefiles, scripts and
/// the commands of the README and docs, not workflows or Cloud Build (they run elsewhere).
fn local_commands(cx: &Context, pattern: &Regex) -> Vec<Evidence> {
    cx.commands_matching(pattern)
        .into_iter()
        .filter(|e| !is_workflow_path(&e.path) && !file_name(&e.path).starts_with("cloudbuild"))
        .chain(cx.documented_matching(pattern))
        .collect()
}

/// Building and trying the images happens on the group's machines. A build the group wrote
/// down itself (a task, Makefile target, script or guide of its own), or a local build
/// together with a `docker run` of the group's, shows it; a template's build task alone does
/// not, and neither does a build in CI or Cloud Build.
pub fn docker_build(cx: &Context) -> Detection {
    let builds = local_commands(cx, &DOCKER_BUILD);
    let runs = local_commands(cx, &DOCKER_RUN);
    let own_builds: Vec<Evidence> = builds
        .iter()
        .filter(|e| cx.group_wrote(e))
        .cloned()
        .collect();
    let own_runs: Vec<Evidence> = runs.into_iter().filter(|e| cx.group_wrote(e)).collect();
    if !own_builds.is_empty() {
        return Detection::Done(own_builds.into_iter().chain(own_runs).collect());
    }
    if !builds.is_empty() && !own_runs.is_empty() {
        return Detection::Done(builds.into_iter().chain(own_runs).collect());
    }
    let mut partial = builds;
    for wf in &cx.workflows {
        if let Some((job, _)) = wf
            .steps()
            .find(|(_, s)| s.action() == Some("docker/build-push-action"))
        {
            partial.push(Evidence::new(
                &wf.path,
                format!(
                    "job `{}` builds an image (docker/build-push-action)",
                    job.id
                ),
            ));
        }
    }
    let hint = if partial.is_empty() {
        "build each image locally and start it once: write the `docker build` and `docker run` commands in a task, script or the README, then tick the box"
    } else {
        "the build found is the template's or runs in CI: build each image on your machine, start it once, and keep those commands (`docker build`, `docker run`) in a task, script or the README"
    };
    Detection::Manual {
        hint: hint.to_string(),
        partial,
    }
}

static BUILD_SUBMIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"gcloud\s+builds\s+submit").expect("valid regex"));

static TRIGGER_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"gcloud\s+(beta\s+)?builds\s+triggers\s+(create|import)").expect("valid regex")
});

/// A Cloud Build trigger kept in the repository: the command that creates it, an exported
/// trigger (`github:` or `triggerTemplate:` beside `filename:`/`build:`), or Terraform.
fn cloud_build_triggers(cx: &Context) -> Vec<Evidence> {
    let mut found = cx.commands_matching(&TRIGGER_COMMAND);
    for (path, text) in cx
        .project
        .texts(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".tf"))
    {
        if path.ends_with(".tf") {
            if text.contains("\"google_cloudbuild_trigger\"") {
                found.push(Evidence::new(path, "a Cloud Build trigger in Terraform"));
            }
            continue;
        }
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
            continue;
        };
        let source = doc.get("github").or_else(|| doc.get("triggerTemplate"));
        if source.is_some() && (doc.get("filename").is_some() || doc.get("build").is_some()) {
            found.push(Evidence::new(path, "a Cloud Build trigger definition"));
        }
    }
    found
}

/// The report question that shows the Cloud Build history (the course's number).
const BUILD_HISTORY_QUESTION: usize = 21;

/// A Cloud Build file's image builds, and whether it pushes what it builds (an `images:`
/// list, a `docker push` step or a build with `--push`): `(builds, pushes)`.
fn cloud_builds(cx: &Context) -> (Vec<Evidence>, bool) {
    let mut builds = Vec::new();
    let mut pushes = false;
    for command in &cx.commands {
        if !file_name(&command.path).starts_with("cloudbuild") {
            continue;
        }
        if DOCKER_BUILD.is_match(&command.text) {
            builds.push(Evidence::new(
                &command.path,
                format!(
                    "Cloud Build builds an image (`{}`)",
                    shorten(&command.text, 60)
                ),
            ));
            pushes |= command.text.contains("--push");
        }
        pushes |= DOCKER_PUSH.is_match(&command.text);
    }
    builds.dedup_by(|a, b| a.path == b.path);
    pushes |= builds.iter().any(|b| {
        cx.project
            .text(&b.path)
            .is_some_and(|t| t.lines().any(|l| l.trim_end() == "images:"))
    });
    (builds, pushes)
}

static DOCKER_PUSH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)\bdocker\s+(image\s+)?push\b").expect("valid regex"));

/// What the report shows of a trigger that lives in GCP: its answers saying a trigger builds
/// the images, and the build history it shows (not the course's example figure).
fn trigger_in_report(cx: &Context) -> (Vec<Evidence>, Vec<Evidence>) {
    let mut shown = cx.report.says("image-build-trigger");
    let mut partial = Vec::new();
    for figure in cx.report.figures(BUILD_HISTORY_QUESTION) {
        let Some(path) = super::docs::from_report(&figure.target).filter(|p| cx.project.exists(p))
        else {
            continue;
        };
        let report = crate::report::PATH;
        match cx.course_figure(&path) {
            Some(example) => partial.push(Evidence::at(
                report,
                figure.line,
                format!("the build history answer (question {BUILD_HISTORY_QUESTION}) shows {path}, which is {}, not the group's", example.shows),
            )),
            None => shown.push(Evidence::at(
                report,
                figure.line,
                format!("the build history answer (question {BUILD_HISTORY_QUESTION}) shows {path}"),
            )),
        }
    }
    (shown, partial)
}

/// A workflow step that builds images: a build action, a `docker build` or `gcloud builds
/// submit`, or a task that runs one (`invoke docker-build`).
fn builds_images(cx: &Context, step: &Step) -> bool {
    if step.action() == Some("docker/build-push-action") {
        return true;
    }
    let builds = |line: &str| DOCKER_BUILD.is_match(line) || BUILD_SUBMIT.is_match(line);
    step.run.as_deref().is_some_and(|run| {
        run.lines().any(|line| {
            builds(line)
                || tasks::called(cx, line)
                    .iter()
                    .any(|command| builds(&command.text))
        })
    })
}

/// Images built by a trigger: a workflow on push, pull request or release that builds them,
/// or a Cloud Build file together with its trigger: kept in the repository, or, as the
/// trigger lives in GCP, a file that builds and pushes the images together with the report
/// saying (or showing in its build history) that a trigger runs it. A Cloud Build file alone
/// is partial.
pub fn image_build_trigger(cx: &Context) -> Detection {
    let (builds, pushes) = cloud_builds(cx);
    let mut evidence = Vec::new();
    let mut partial = builds.clone();
    if !builds.is_empty() {
        let triggers = cloud_build_triggers(cx);
        let (reported, examples) = trigger_in_report(cx);
        partial.extend(examples);
        if !triggers.is_empty() {
            evidence.extend(builds.iter().cloned());
            evidence.extend(triggers);
        } else if pushes && !reported.is_empty() {
            evidence.extend(builds.iter().cloned());
            evidence.extend(reported);
        }
    }
    for wf in &cx.workflows {
        let events = ["push", "pull_request", "release"];
        if events.iter().all(|e| wf.trigger(e).is_none()) {
            continue;
        }
        if let Some((job, _)) = wf.steps().find(|(_, s)| builds_images(cx, s)) {
            evidence.push(Evidence::new(
                &wf.path,
                format!("on {}, job `{}` builds the image", wf.events(), job.id),
            ));
        }
    }
    if !evidence.is_empty() {
        return Detection::Done(evidence);
    }
    Detection::Open {
        hint: if builds.is_empty() {
            "build the images automatically: a cloudbuild.yaml with a Cloud Build trigger, or a workflow on push that builds them"
        } else if pushes {
            "connect the Cloud Build file to a trigger and say so in the report (question 21 shows the build history), or keep the trigger's command (`gcloud builds triggers create github --build-config=cloudbuild.yaml …`) in a task or script"
        } else {
            "push the images the Cloud Build file builds (an `images:` list), connect it to a trigger (`gcloud builds triggers create github --build-config=cloudbuild.yaml …`) and keep that command in a task or script"
        }
        .into(),
        partial,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};
    use super::instructions;

    #[test]
    fn dockerfile_instructions_join_continuations() {
        let text = "# base\nFROM --platform=linux/amd64 python:3.12-slim AS base\nRUN apt-get update && \\\n    apt-get install -y gcc\nENTRYPOINT [\"python\", \"-m\", \"pkg.train\"]\n";
        let parsed = instructions(text);
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[1].0, "RUN");
        assert!(parsed[1].1.contains("apt-get install"));
    }

    #[test]
    fn dockerfiles_need_a_from() {
        let file = (
            "dockerfiles/train.dockerfile",
            "FROM python:3.12-slim\nENTRYPOINT [\"python\"]\n",
        );
        match run("dockerfiles", &[file]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "FROM python:3.12-slim; ENTRYPOINT [\"python\"]"
            ),
            other => panic!("{other:?}"),
        }
        assert!(!is_done("dockerfiles", &[("Dockerfile", "# TODO\n")]));
        assert!(!is_done(
            "dockerfiles",
            &[("docs/dockerfile.md", "FROM x\n")]
        ));
    }

    /// A build the group wrote down for its own machine (a task, a Makefile target, a script,
    /// a guide in docs/) shows the images were built locally; a template's task does not,
    /// and a build in CI or Cloud Build is not local.
    #[test]
    fn local_builds_the_group_wrote_are_evidence() {
        let own_task = (
            "tasks.py",
            "from invoke import task\n\n@task\ndef images(c):\n    c.run(\"docker build -f dockerfiles/api.dockerfile -t leaf-api .\")\n",
        );
        match run("docker_build", &[own_task]) {
            Detection::Done(ev) => {
                assert_eq!((ev[0].path.as_str(), ev[0].line), ("tasks.py", Some(5)))
            }
            other => panic!("{other:?}"),
        }
        let makefile = ("Makefile", "image:\n\tdocker build -t leafs .\n");
        assert!(is_done("docker_build", &[makefile]));
        let guide = (
            "docs/source/docker.md",
            "# Images\n\n```bash\ndocker build -f dockerfiles/train.dockerfile -t leafs-train .\ndocker run --rm leafs-train\n```\n",
        );
        assert!(is_done("docker_build", &[guide]));
        // The course template's build task, run by a `docker run` the group wrote.
        let template_task = (
            "tasks.py",
            "ctx.run(f\"docker build -t train:latest . -f dockerfiles/train.dockerfile --progress={progress}\")\n",
        );
        let run_script = (
            "scripts/run_train.sh",
            "docker run --rm -v $(pwd)/data:/data train:latest\n",
        );
        assert!(!is_done("docker_build", &[template_task]));
        assert!(is_done("docker_build", &[template_task, run_script]));
        // CI builds images on GitHub's machines, not the group's.
        let ci = (
            ".github/workflows/images.yaml",
            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app .\n      - run: docker run app pytest\n",
        );
        assert!(!is_done("docker_build", &[ci]));
        // dayone's own README and tasks, as generated, are the template's too.
        use super::super::fixture::{DAYONE_TOML, builtin_file};
        let readme = builtin_file("README.md");
        let tasks_py = builtin_file("tasks.py");
        let generated = [
            DAYONE_TOML,
            ("README.md", readme.as_str()),
            ("tasks.py", tasks_py.as_str()),
        ];
        assert!(!is_done("docker_build", &generated));
    }

    /// Images built on pull requests, through a task, or by a Cloud Build file whose trigger
    /// lives in GCP and which the report shows.
    #[test]
    fn image_builds_in_workflows_tasks_and_the_report() {
        let on_pr = (
            ".github/workflows/images.yaml",
            "on: pull_request\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f dockerfiles/api.dockerfile .\n",
        );
        assert!(is_done("image_build_trigger", &[on_pr]));
        let via_task = (
            ".github/workflows/images.yaml",
            "on:\n  push:\n    branches: [main]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv run invoke docker-build\n",
        );
        let task = (
            "tasks.py",
            "from invoke import task\n\n@task\ndef docker_build(c):\n    c.run(\"docker build -t api .\")\n",
        );
        assert!(is_done("image_build_trigger", &[via_task, task]));
        assert!(!is_done("image_build_trigger", &[via_task]));
        let pushing = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'europe-west1-docker.pkg.dev/$PROJECT_ID/images/api', '.']\n- name: gcr.io/cloud-builders/docker\n  args: ['push', 'europe-west1-docker.pkg.dev/$PROJECT_ID/images/api']\n",
        );
        let report = |answer: &str| {
            let mut text = String::from("# Report\n\n");
            for n in 1..=31 {
                let body = if n == 21 { answer } else { "words" };
                text.push_str(&format!("### Question {n}\n\n> Answer:\n\n{body}\n\n"));
            }
            text
        };
        let says =
            report("A Cloud Build trigger on the main branch builds both images on every push.");
        assert!(is_done(
            "image_build_trigger",
            &[pushing, ("reports/README.md", says.as_str())]
        ));
        assert!(!is_done("image_build_trigger", &[pushing]));
        let denies = report("We never got the trigger to work, so the images are built by hand.");
        assert!(!is_done(
            "image_build_trigger",
            &[pushing, ("reports/README.md", denies.as_str())]
        ));
        let history = report("![build history](figures/build_history.png)");
        assert!(is_done(
            "image_build_trigger",
            &[
                pushing,
                ("reports/README.md", history.as_str()),
                ("reports/figures/build_history.png", "")
            ]
        ));
        // Building without pushing delivers nothing to a trigger's registry.
        let build_only = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'img', '.']\n",
        );
        assert!(!is_done(
            "image_build_trigger",
            &[build_only, ("reports/README.md", says.as_str())]
        ));
    }

    #[test]
    fn builds_and_triggers() {
        let tasks = (
            "tasks.py",
            "c.run(f\"docker build -t train:latest . -f dockerfiles/train.dockerfile\")\n",
        );
        // The course template's own build task is not a build anyone ran: manual, shown.
        match run("docker_build", &[tasks]) {
            Detection::Manual { hint, partial } => {
                assert!(hint.contains("template's"), "{hint}");
                assert_eq!(partial[0].path, "tasks.py");
            }
            other => panic!("{other:?}"),
        }
        match run(
            "docker_build",
            &[("tasks.py", "c.run('python -m pkg.train')\n")],
        ) {
            Detection::Manual { partial, .. } => assert!(partial.is_empty()),
            other => panic!("{other:?}"),
        }
        let cloudbuild = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'img', '.']\n",
        );
        // The trigger lives in GCP: a Cloud Build file alone does not show one.
        match run("image_build_trigger", &[cloudbuild]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("gcloud builds triggers create"), "{hint}");
                assert_eq!(partial[0].path, "cloudbuild.yaml");
            }
            other => panic!("{other:?}"),
        }
        let trigger_task = (
            "tasks.py",
            "c.run('gcloud builds triggers create github --repo-name=p --branch-pattern=^main$ --build-config=cloudbuild.yaml')\n",
        );
        assert!(is_done("image_build_trigger", &[cloudbuild, trigger_task]));
        let exported = (
            "infra/trigger.yaml",
            "name: build-images\ngithub:\n  owner: team\n  name: proj\n  push:\n    branch: ^main$\nfilename: cloudbuild.yaml\n",
        );
        assert!(is_done("image_build_trigger", &[cloudbuild, exported]));
        let terraform = (
            "infra/main.tf",
            "resource \"google_cloudbuild_trigger\" \"images\" {\n  filename = \"cloudbuild.yaml\"\n}\n",
        );
        assert!(is_done("image_build_trigger", &[cloudbuild, terraform]));
        match run("docker_build", &[cloudbuild]) {
            Detection::Manual { partial, .. } => assert!(partial.is_empty(), "{partial:?}"),
            other => panic!("{other:?}"),
        }
        let manual = (
            ".github/workflows/b.yaml",
            "on: workflow_dispatch\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build .\n",
        );
        assert!(!is_done("image_build_trigger", &[manual]));
    }
}
