//! The detectors: one function per checklist concern, looked up by the name the checklist
//! data gives. Each reads the shared [`Context`] (files parsed once) and answers with
//! [`Detection`]: done with evidence, open with a hint (and any partial evidence), or manual.

mod ci;
mod docker;
mod docs;
mod pipeline;
mod repo;
mod scale;
mod serving;
mod testing;
mod tracking;

use serde::Serialize;

use std::cell::OnceCell;

use super::project::Project;
use super::python::PyFile;
use super::template_text::TemplateText;
use super::workflow::{self, Workflow};

/// The detector name of items no file can show.
pub const MANUAL: &str = "manual";

/// One piece of evidence: a file, optionally a line in it, and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub detail: String,
}

impl Evidence {
    pub fn new(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: None,
            detail: detail.into(),
        }
    }

    pub fn at(path: impl Into<String>, line: usize, detail: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            ..Self::new(path, detail)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    Done(Vec<Evidence>),
    /// Not shown by the repository. `partial` is what was found on the way, if anything.
    Open {
        hint: String,
        partial: Vec<Evidence>,
    },
    /// No file can show it; the group decides. `partial` is what files do show on the way
    /// (e.g. the task that would do it), `hint` what the group should do before ticking.
    Manual {
        hint: String,
        partial: Vec<Evidence>,
    },
}

/// What a manual item says when its detector has nothing more specific.
pub const MANUAL_HINT: &str = "no file can show this; the group decides";

impl Detection {
    /// Done when there is evidence, open with `hint` otherwise.
    pub fn from_evidence(evidence: Vec<Evidence>, hint: &str) -> Self {
        if evidence.is_empty() {
            Self::open(hint)
        } else {
            Self::Done(evidence)
        }
    }

    /// A manual item with the general hint and nothing found.
    pub fn manual() -> Self {
        Self::Manual {
            hint: MANUAL_HINT.to_string(),
            partial: Vec::new(),
        }
    }

    pub fn open(hint: &str) -> Self {
        Self::Open {
            hint: hint.to_string(),
            partial: Vec::new(),
        }
    }

    /// Done when every part has evidence; otherwise open with the hint of the first missing
    /// part and the evidence of the parts that were found.
    pub fn all_of(parts: Vec<(Vec<Evidence>, &str)>) -> Self {
        let mut evidence = Vec::new();
        let mut missing = None;
        for (found, hint) in parts {
            if found.is_empty() {
                missing.get_or_insert(hint);
            }
            evidence.extend(found);
        }
        match missing {
            None => Self::Done(evidence),
            Some(hint) => Self::Open {
                hint: hint.to_string(),
                partial: evidence,
            },
        }
    }
}

/// A command line written in the repository: a workflow `run:` line, a line of `tasks.py`,
/// a Makefile or justfile, a shell script, or a Cloud Build step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub path: String,
    pub line: Option<usize>,
    pub text: String,
}

/// Everything detectors read, parsed once.
pub struct Context<'a> {
    pub project: &'a Project,
    pub python: Vec<(&'a str, PyFile)>,
    pub workflows: Vec<Workflow>,
    pub commands: Vec<CommandLine>,
    /// Files that could not be parsed, with why; shown to the user as notes.
    pub notes: Vec<String>,
    /// The built-in template the project was made from, read when a detector first asks.
    template: OnceCell<Option<TemplateText>>,
}

impl<'a> Context<'a> {
    pub fn new(project: &'a Project) -> Self {
        let mut notes = Vec::new();
        let python = project
            .python_files()
            .map(|(path, text)| (path, PyFile::parse(text)))
            .collect();
        let mut workflows = Vec::new();
        for (path, text) in project.texts(is_workflow_path) {
            match Workflow::parse(path, text) {
                Ok(wf) => workflows.push(wf),
                Err(err) => notes.push(format!("{path}: not a readable workflow: {err}")),
            }
        }
        let mut commands = Vec::new();
        for wf in &workflows {
            for (_, step) in wf.steps() {
                for text in step.run.iter().flat_map(|r| r.lines()) {
                    push_command(&mut commands, &wf.path, None, text);
                }
            }
        }
        for (path, text) in project.texts(is_script_path) {
            for (index, text) in text.lines().enumerate() {
                push_command(&mut commands, path, Some(index + 1), text);
            }
        }
        for (path, text) in project.texts(is_cloudbuild_path) {
            match workflow::parse_cloudbuild(text) {
                Ok(steps) => {
                    for step in steps {
                        push_command(&mut commands, path, None, &step.command);
                    }
                }
                Err(err) => notes.push(format!("{path}: not a readable Cloud Build file: {err}")),
            }
        }
        Self {
            project,
            python,
            workflows,
            commands,
            notes,
            template: OnceCell::new(),
        }
    }

    /// True when the file at `path` is still the text of the built-in template the project
    /// was made from (see [`TemplateText`]); false for projects dayone did not make.
    pub fn is_template_text(&self, path: &str) -> bool {
        let Some(text) = self.project.text(path) else {
            return false;
        };
        self.template
            .get_or_init(|| TemplateText::of(self.project))
            .as_ref()
            .is_some_and(|template| template.is_untouched(path, text))
    }

    /// A TOML file of the project, parsed; `None` when missing or invalid.
    pub fn toml(&self, path: &str) -> Option<toml::Value> {
        toml::from_str(self.project.text(path)?).ok()
    }

    /// The parsed Python files in `scope`.
    pub fn files(&self, scope: Scope) -> impl Iterator<Item = (&'a str, &PyFile)> {
        self.python
            .iter()
            .filter(move |(path, _)| scope.contains(path))
            .map(|(path, py)| (*path, py))
    }

    /// Command lines matching `pattern`, as evidence.
    pub fn commands_matching(&self, pattern: &regex::Regex) -> Vec<Evidence> {
        self.commands
            .iter()
            .filter(|c| pattern.is_match(&c.text))
            .map(|c| {
                let detail = format!("runs `{}`", shorten(&c.text, 90));
                match c.line {
                    Some(line) => Evidence::at(&c.path, line, detail),
                    None => Evidence::new(&c.path, detail),
                }
            })
            .collect()
    }

    /// Every Python file in `scope` that refers to one of `names` (dotted), as evidence saying
    /// `what` it shows. One piece of evidence per file: the first name found.
    pub fn python_referring(&self, scope: Scope, names: &[&str], what: &str) -> Vec<Evidence> {
        self.python
            .iter()
            .filter(|(path, _)| scope.contains(path))
            .filter_map(|(path, py)| {
                names.iter().find_map(|name| {
                    py.refers_to(name)
                        .map(|line| Evidence::at(*path, line, format!("{what} (`{name}`)")))
                })
            })
            .collect()
    }
}

/// Which Python files a search covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Any Python file that is not a test: the package, scripts, tasks, notebooks exported as `.py`.
    Code,
    /// The project's own code: `src/` or a package folder, not tests, tasks or docs.
    Source,
    Tests,
}

impl Scope {
    pub fn contains(self, path: &str) -> bool {
        match self {
            Scope::Code => !is_test_path(path),
            Scope::Source => is_source_path(path),
            Scope::Tests => is_test_path(path),
        }
    }
}

fn push_command(commands: &mut Vec<CommandLine>, path: &str, line: Option<usize>, text: &str) {
    let text = text.trim();
    if !text.is_empty() && !text.starts_with('#') {
        commands.push(CommandLine {
            path: path.to_string(),
            line,
            text: text.to_string(),
        });
    }
}

/// Shorten a line for display.
/// Evidence for every class in `py` with a base class whose name ends with one of `suffixes`.
pub fn classes_deriving<'a>(
    path: &'a str,
    py: &'a crate::check::python::PyFile,
    suffixes: &'a [&str],
) -> impl Iterator<Item = Evidence> + 'a {
    py.classes
        .iter()
        .filter(|c| {
            c.bases
                .iter()
                .any(|b| suffixes.iter().any(|s| b.ends_with(s)))
        })
        .map(move |c| {
            Evidence::at(
                path,
                c.line,
                format!("class {}({})", c.name, c.bases.join(", ")),
            )
        })
}

pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

pub fn is_workflow_path(path: &str) -> bool {
    path.starts_with(".github/workflows/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

fn is_cloudbuild_path(path: &str) -> bool {
    let name = super::project::file_name(path);
    name.starts_with("cloudbuild") && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

fn is_script_path(path: &str) -> bool {
    let name = super::project::file_name(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "tasks.py" | "noxfile.py" | "makefile" | "justfile" | "procfile"
    ) || name.ends_with(".sh")
}

pub fn is_test_path(path: &str) -> bool {
    let name = super::project::file_name(path);
    path.starts_with("tests/")
        || path.contains("/tests/")
        || name.starts_with("test_")
        || name.ends_with("_test.py")
}

fn is_source_path(path: &str) -> bool {
    if is_test_path(path) || !path.ends_with(".py") {
        return false;
    }
    match path.split_once('/') {
        // A script at the top is the group's code unless it is tooling.
        None => !matches!(
            path,
            "tasks.py" | "noxfile.py" | "setup.py" | "conftest.py" | "locustfile.py"
        ),
        Some((top, _)) => !matches!(
            top,
            "docs" | "scripts" | "notebooks" | "tests" | "configs" | ".github" | ".devcontainer"
        ),
    }
}

type Detector = fn(&Context) -> Detection;

/// Every detector by the name the checklist uses.
const DETECTORS: &[(&str, Detector)] = &[
    ("git_repository", repo::git_repository),
    ("github_remote", repo::github_remote),
    ("environment", repo::environment),
    ("project_layout", repo::project_layout),
    ("dependencies", repo::dependencies),
    ("data_version_control", repo::data_version_control),
    ("gcs_data_remote", repo::gcs_data_remote),
    ("data_module", pipeline::data_module),
    ("model_and_training", pipeline::model_and_training),
    ("typing_and_docs", pipeline::typing_and_docs),
    ("cli_and_tasks", pipeline::cli_and_tasks),
    ("experiment_configs", tracking::experiment_configs),
    ("hydra", tracking::hydra),
    ("profiling", tracking::profiling),
    ("logging", tracking::logging),
    ("wandb", tracking::wandb),
    ("hyperparameter_sweep", tracking::hyperparameter_sweep),
    ("lightning", tracking::lightning),
    ("distributed_data_loading", scale::distributed_data_loading),
    ("distributed_training", scale::distributed_training),
    ("model_optimization", scale::model_optimization),
    ("code_style", ci::code_style),
    ("ci_tests", ci::ci_tests),
    ("ci_matrix_cache", ci::ci_matrix_cache),
    ("ci_lint", ci::ci_lint),
    ("pre_commit", ci::pre_commit),
    ("ci_data_trigger", ci::ci_data_trigger),
    ("ci_registry_trigger", ci::ci_registry_trigger),
    ("tests_data", testing::tests_data),
    ("tests_model", testing::tests_model),
    ("coverage", testing::coverage),
    ("api_tests", testing::api_tests),
    ("load_test", testing::load_test),
    ("dockerfiles", docker::dockerfiles),
    ("docker_build", docker::docker_build),
    ("image_build_trigger", docker::image_build_trigger),
    ("cloud_training", docker::cloud_training),
    ("cloud_deploy", docker::cloud_deploy),
    ("fastapi_app", serving::fastapi_app),
    ("specialized_serving", serving::specialized_serving),
    ("frontend", serving::frontend),
    ("drift_check", serving::drift_check),
    ("collect_io_data", serving::collect_io_data),
    ("drift_api", serving::drift_api),
    ("api_metrics", serving::api_metrics),
    ("cloud_monitoring", serving::cloud_monitoring),
    ("cloud_alerts", serving::cloud_alerts),
    ("docs", docs::docs),
    ("docs_published", docs::docs_published),
    ("architecture_diagram", docs::architecture_diagram),
];

/// True when the checklist may name `detector`.
pub fn is_known(detector: &str) -> bool {
    detector == MANUAL || DETECTORS.iter().any(|(name, _)| *name == detector)
}

/// Run the named detector; `None` for an unknown name (the checklist loader rejects those).
pub fn detect(detector: &str, context: &Context) -> Option<Detection> {
    if detector == MANUAL {
        return Some(Detection::manual());
    }
    DETECTORS
        .iter()
        .find(|(name, _)| *name == detector)
        .map(|(_, run)| run(context))
}

#[cfg(test)]
pub(crate) mod fixture {
    //! Build a [`Project`] from in-memory files for detector tests.
    use super::*;
    use crate::check::project::GitInfo;

    pub fn project(files: &[(&str, &str)]) -> Project {
        Project::from_entries(
            "/fixture".into(),
            files
                .iter()
                .map(|(path, text)| (path.to_string(), Some(text.to_string()))),
            None,
        )
    }

    pub fn project_with_git(files: &[(&str, &str)], git: GitInfo) -> Project {
        let mut project = project(files);
        project.git = Some(git);
        project
    }

    /// What `dayone new` records for a project of the built-in template.
    pub const DAYONE_TOML: (&str, &str) = (".dayone.toml", "[dayone]\ntemplate = \"mlops\"\n");

    /// The built-in template's file at `path` (its tree path, tags and all), roughly as it
    /// renders: `{{ … }}` becomes `pkg`, lines that only hold a `{% … %}` tag are dropped.
    pub fn builtin_file(path: &str) -> String {
        let files = crate::template::source::Source::builtin("mlops")
            .expect("the built-in template")
            .files()
            .expect("embedded files");
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path} in the built-in template"));
        let text = std::str::from_utf8(&file.bytes).expect("UTF-8");
        let tag = regex::Regex::new(r"\{\{[^}]*\}\}").expect("valid regex");
        text.lines()
            .filter(|l| !l.trim_start().starts_with("{%"))
            .map(|l| format!("{}\n", tag.replace_all(l, "pkg")))
            .collect()
    }

    /// A repository whose `origin` is on GitHub.
    pub fn on_github() -> GitInfo {
        GitInfo {
            location: ".git".into(),
            remotes: vec![("origin".into(), "git@github.com:team/proj.git".into())],
        }
    }

    /// Run one detector on `files`.
    pub fn run(detector: &str, files: &[(&str, &str)]) -> Detection {
        run_in(&project(files), detector)
    }

    /// Run one detector on a project.
    pub fn run_in(project: &Project, detector: &str) -> Detection {
        let context = Context::new(project);
        detect(detector, &context).expect("known detector")
    }

    pub fn is_done(detector: &str, files: &[(&str, &str)]) -> bool {
        matches!(run(detector, files), Detection::Done(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_detector_is_used_by_the_checklist() {
        let list = crate::check::checklist::Checklist::embedded().unwrap();
        for (name, _) in DETECTORS {
            assert!(
                list.items.iter().any(|item| item.detector == *name),
                "detector {name} is never used"
            );
        }
    }

    #[test]
    fn all_of_reports_the_first_missing_part_and_keeps_partial_evidence() {
        let found = vec![Evidence::new("a", "x")];
        let detection = Detection::all_of(vec![
            (found.clone(), "one"),
            (vec![], "two"),
            (vec![], "three"),
        ]);
        assert_eq!(
            detection,
            Detection::Open {
                hint: "two".into(),
                partial: found
            }
        );
    }

    #[test]
    fn unreadable_workflows_become_notes_not_evidence() {
        let project = fixture::project(&[(".github/workflows/broken.yaml", "on: [push\njobs:\n")]);
        let cx = Context::new(&project);
        assert!(cx.workflows.is_empty());
        assert_eq!(cx.notes.len(), 1);
        assert!(cx.notes[0].starts_with(".github/workflows/broken.yaml: not a readable workflow"));
    }

    #[test]
    fn commands_come_from_workflows_tasks_scripts_and_cloud_build() {
        let project = fixture::project(&[
            (
                ".github/workflows/t.yaml",
                "on: push\njobs:\n  t:\n    steps:\n      - run: |\n          make test\n          # a comment\n",
            ),
            ("tasks.py", "c.run('pytest')\n"),
            ("scripts/deploy.sh", "gcloud run deploy api\n"),
            (
                "cloudbuild.yaml",
                "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '.']\n",
            ),
            ("src/pkg/cli.py", "os.system('rm -rf /')\n"),
        ]);
        let cx = Context::new(&project);
        let commands: Vec<_> = cx
            .commands
            .iter()
            .map(|c| (c.path.as_str(), c.line, c.text.as_str()))
            .collect();
        assert_eq!(
            commands,
            [
                (".github/workflows/t.yaml", None, "make test"),
                ("scripts/deploy.sh", Some(1), "gcloud run deploy api"),
                ("tasks.py", Some(1), "c.run('pytest')"),
                ("cloudbuild.yaml", None, "docker build ."),
            ]
        );
    }

    #[test]
    fn source_and_test_paths_are_told_apart() {
        assert!(is_source_path("src/pkg/train.py"));
        assert!(is_source_path("pkg/train.py"));
        assert!(!is_source_path("tests/test_train.py"));
        assert!(!is_source_path("tasks.py"));
        assert!(is_source_path("train.py"));
        assert!(!is_source_path("docs/conf.py"));
        assert!(is_test_path("src/pkg/tests/test_x.py"));
    }
}
