//! Container items: Dockerfiles, image builds and build triggers.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, shorten};
use crate::check::filename::file_name;

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

/// Building and trying the images happens on the group's machines and leaves no file, so
/// the item is manual; the build commands found are shown, so the group knows what to run.
pub fn docker_build(cx: &Context) -> Detection {
    // Cloud Build runs remotely; this item is about building on the group's machines.
    let mut evidence: Vec<Evidence> = cx
        .commands_matching(&DOCKER_BUILD)
        .into_iter()
        .filter(|e| !file_name(&e.path).starts_with("cloudbuild"))
        .collect();
    for wf in &cx.workflows {
        if let Some((job, _)) = wf
            .steps()
            .find(|(_, s)| s.action() == Some("docker/build-push-action"))
        {
            evidence.push(Evidence::new(
                &wf.path,
                format!(
                    "job `{}` builds an image (docker/build-push-action)",
                    job.id
                ),
            ));
        }
    }
    let hint = if evidence.is_empty() {
        "no file can show a local build: add a task that runs `docker build -f dockerfiles/<name>.dockerfile .`, build each image, start it once, then tick the box"
    } else {
        "no file can show a local build: run the build found here, start each image once, then tick the box"
    };
    Detection::Manual {
        hint: hint.to_string(),
        partial: evidence,
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

/// Images built by a trigger: a workflow on push or release that builds them, or a Cloud Build
/// file together with a trigger kept in the repository. A Cloud Build file alone is partial:
/// its trigger lives in GCP, which no file shows.
pub fn image_build_trigger(cx: &Context) -> Detection {
    let mut builds = Vec::new();
    for command in &cx.commands {
        let name = file_name(&command.path);
        if name.starts_with("cloudbuild") && DOCKER_BUILD.is_match(&command.text) {
            builds.push(Evidence::new(
                &command.path,
                format!(
                    "Cloud Build builds an image (`{}`)",
                    shorten(&command.text, 60)
                ),
            ));
        }
    }
    builds.dedup_by(|a, b| a.path == b.path);
    let mut evidence = Vec::new();
    let triggers = cloud_build_triggers(cx);
    if !builds.is_empty() && !triggers.is_empty() {
        evidence.extend(builds.iter().cloned());
        evidence.extend(triggers);
    }
    for wf in &cx.workflows {
        if wf.trigger("push").is_none() && wf.trigger("release").is_none() {
            continue;
        }
        let step = wf.steps().find(|(_, s)| {
            s.action() == Some("docker/build-push-action")
                || s.run
                    .as_deref()
                    .is_some_and(|r| DOCKER_BUILD.is_match(r) || BUILD_SUBMIT.is_match(r))
        });
        if let Some((job, _)) = step {
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
        } else {
            "connect the Cloud Build file to a trigger (`gcloud builds triggers create github --build-config=cloudbuild.yaml …`) and keep that command in a task or script"
        }
        .into(),
        partial: builds,
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

    #[test]
    fn builds_and_triggers() {
        let tasks = (
            "tasks.py",
            "c.run(f\"docker build -t train:latest . -f dockerfiles/train.dockerfile\")\n",
        );
        // A local build leaves no file: manual, with the build command shown.
        match run("docker_build", &[tasks]) {
            Detection::Manual { hint, partial } => {
                assert!(hint.contains("no file can show"), "{hint}");
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
