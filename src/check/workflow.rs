//! GitHub Actions workflows and Cloud Build configs, read into the few facts detectors need:
//! triggers (with their path filters), jobs (with their matrix) and steps (`uses`, `with`,
//! `run`). Anything else in the files is ignored.

use serde_yaml_ng::Value;

/// One event a workflow listens to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trigger {
    pub event: String,
    /// `paths:` filters of a push or pull_request trigger.
    pub paths: Vec<String>,
    /// `types:` of e.g. a repository_dispatch trigger.
    pub types: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    pub name: Option<String>,
    pub uses: Option<String>,
    pub with: Vec<(String, String)>,
    pub run: Option<String>,
}

impl Step {
    pub fn with_value(&self, key: &str) -> Option<&str> {
        self.with
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The action's name without its version: `actions/cache` for `actions/cache@v4`.
    pub fn action(&self) -> Option<&str> {
        self.uses
            .as_deref()
            .map(|u| u.split('@').next().unwrap_or(u))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    /// Matrix dimensions and their values (`include` entries add their keys' values).
    pub matrix: Vec<(String, Vec<String>)>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workflow {
    pub path: String,
    pub triggers: Vec<Trigger>,
    pub jobs: Vec<Job>,
}

impl Workflow {
    /// Parse a workflow file; the error is a one-line description for the user.
    pub fn parse(path: &str, text: &str) -> Result<Self, String> {
        let doc: Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
        let Value::Mapping(map) = &doc else {
            return Err("the file is not a YAML mapping".into());
        };
        // `on` stays a string in YAML 1.2, but some writers quote or mistype it as `true`.
        let on = map
            .get("on")
            .or_else(|| map.get(Value::Bool(true)))
            .cloned()
            .unwrap_or(Value::Null);
        Ok(Self {
            path: path.to_string(),
            triggers: triggers(&on),
            jobs: map
                .get("jobs")
                .and_then(Value::as_mapping)
                .map(|jobs| {
                    jobs.iter()
                        .map(|(id, job)| parse_job(&scalar(id).unwrap_or_default(), job))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event == event)
    }

    /// The events, comma-separated, for evidence lines.
    pub fn events(&self) -> String {
        self.triggers
            .iter()
            .map(|t| t.event.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn steps(&self) -> impl Iterator<Item = (&Job, &Step)> {
        self.jobs
            .iter()
            .flat_map(|job| job.steps.iter().map(move |step| (job, step)))
    }
}

/// A YAML scalar as text.
pub fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar or a list of scalars as a list.
pub fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        Some(other) => scalar(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn triggers(on: &Value) -> Vec<Trigger> {
    let named = |event: String| Trigger {
        event,
        ..Trigger::default()
    };
    match on {
        Value::String(event) => vec![named(event.clone())],
        Value::Sequence(events) => events.iter().filter_map(scalar).map(named).collect(),
        Value::Mapping(events) => events
            .iter()
            .filter_map(|(event, config)| {
                Some(Trigger {
                    event: scalar(event)?,
                    paths: strings(config.get("paths")),
                    types: strings(config.get("types")),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_job(id: &str, job: &Value) -> Job {
    let mut matrix: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(Value::Mapping(dims)) = job.get("strategy").and_then(|s| s.get("matrix")) {
        for (key, values) in dims {
            let Some(key) = scalar(key) else { continue };
            if key == "include" {
                for entry in values.as_sequence().into_iter().flatten() {
                    for (k, v) in entry.as_mapping().into_iter().flatten() {
                        let (Some(k), Some(v)) = (scalar(k), scalar(v)) else {
                            continue;
                        };
                        match matrix.iter_mut().find(|(name, _)| *name == k) {
                            Some((_, list)) if !list.contains(&v) => list.push(v),
                            Some(_) => {}
                            None => matrix.push((k, vec![v])),
                        }
                    }
                }
            } else if key != "exclude" {
                let list = strings(Some(values));
                match matrix.iter_mut().find(|(name, _)| *name == key) {
                    Some((_, existing)) => existing.extend(list),
                    None => matrix.push((key, list)),
                }
            }
        }
    }
    let steps = job
        .get("steps")
        .and_then(Value::as_sequence)
        .map(|steps| {
            steps
                .iter()
                .map(|step| Step {
                    name: step.get("name").and_then(scalar),
                    uses: step.get("uses").and_then(scalar),
                    with: step
                        .get("with")
                        .and_then(Value::as_mapping)
                        .map(|with| {
                            with.iter()
                                .filter_map(|(k, v)| Some((scalar(k)?, scalar(v)?)))
                                .collect()
                        })
                        .unwrap_or_default(),
                    run: step.get("run").and_then(scalar),
                })
                .collect()
        })
        .unwrap_or_default();
    Job {
        id: id.to_string(),
        matrix,
        steps,
    }
}

/// One step of a Cloud Build config, as the command line it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildStep {
    /// The builder image, e.g. `gcr.io/cloud-builders/docker`.
    pub builder: String,
    /// `entrypoint` (or the builder's tool name) followed by the args.
    pub command: String,
}

/// Parse `cloudbuild.yaml`-style steps.
pub fn parse_cloudbuild(text: &str) -> Result<Vec<BuildStep>, String> {
    let doc: Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    Ok(doc
        .get("steps")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|step| {
            let builder = step.get("name").and_then(scalar)?;
            let tool = step.get("entrypoint").and_then(scalar).unwrap_or_else(|| {
                let last = builder.rsplit('/').next().unwrap_or(&builder);
                last.split(':').next().unwrap_or(last).to_string()
            });
            let args = match step.get("args") {
                Some(Value::Sequence(_)) => strings(step.get("args")).join(" "),
                Some(other) => scalar(other).unwrap_or_default(),
                None => String::new(),
            };
            let command = format!("{tool} {args}").trim().to_string();
            Some(BuildStep { builder, command })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESTS: &str = r#"
name: Tests
on:
  push:
    branches: [main]
    paths: ["data/**", "*.dvc"]
  pull_request:
  repository_dispatch:
    types: [model_staged]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        python-version: ["3.12"]
        include:
          - os: macos-latest
            python-version: "3.11"
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
        with:
          enable-cache: true
      - name: Test
        run: uv run pytest
"#;

    #[test]
    fn triggers_jobs_matrix_and_steps_are_read() {
        let wf = Workflow::parse("tests.yaml", TESTS).unwrap();
        assert_eq!(wf.events(), "push, pull_request, repository_dispatch");
        assert_eq!(wf.trigger("push").unwrap().paths, ["data/**", "*.dvc"]);
        assert_eq!(
            wf.trigger("repository_dispatch").unwrap().types,
            ["model_staged"]
        );
        let job = &wf.jobs[0];
        assert_eq!(
            job.matrix,
            [
                (
                    "os".to_string(),
                    vec![
                        "ubuntu-latest".into(),
                        "windows-latest".into(),
                        "macos-latest".into()
                    ]
                ),
                (
                    "python-version".to_string(),
                    vec!["3.12".into(), "3.11".into()]
                ),
            ]
        );
        assert_eq!(job.steps[1].action(), Some("astral-sh/setup-uv"));
        assert_eq!(job.steps[1].with_value("enable-cache"), Some("true"));
        assert_eq!(job.steps[2].run.as_deref(), Some("uv run pytest"));
    }

    #[test]
    fn short_trigger_forms_and_broken_files() {
        assert_eq!(Workflow::parse("a", "on: push\n").unwrap().events(), "push");
        assert_eq!(
            Workflow::parse("a", "on: [push, workflow_dispatch]\n")
                .unwrap()
                .events(),
            "push, workflow_dispatch"
        );
        assert!(Workflow::parse("a", "on: [push\n").is_err());
        assert!(Workflow::parse("a", "- a\n").is_err());
    }

    #[test]
    fn cloudbuild_steps_become_commands() {
        let text = "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'img', '-f', 'dockerfiles/api.dockerfile', '.']\n- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n  entrypoint: gcloud\n  args: ['run', 'deploy', 'api']\n";
        let steps = parse_cloudbuild(text).unwrap();
        assert_eq!(
            steps[0].command,
            "docker build -t img -f dockerfiles/api.dockerfile ."
        );
        assert_eq!(steps[1].command, "gcloud run deploy api");
    }
}
