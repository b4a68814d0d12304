//! What every detector reads, parsed once: the project's Python files, its workflows, and
//! every command line written in the repository (workflow steps, task files, scripts, Cloud
//! Build steps).

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use super::paths::{Scope, is_cloudbuild_path, is_script_path, is_workflow_path};
use super::{Evidence, shorten};
use crate::check::course_figures::CourseFigure;
use crate::check::filename::file_name;
use crate::check::leftovers;
use crate::check::project::Project;
use crate::check::python::PyFile;
use crate::check::report_answers::ReportAnswers;
use crate::check::template_text::TemplateText;
use crate::check::workflow::{self, Workflow};
use crate::report::structure::CodeBlocks;

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
    /// Command lines in the code blocks of the README and the docs: what the group says it
    /// runs by hand (a deployment, a cloud training job), for the items that happen so.
    pub documented: Vec<CommandLine>,
    /// Files that could not be parsed, with why; shown to the user as notes.
    pub notes: Vec<String>,
    /// The answers of the group's report (none when there is no report).
    pub report: ReportAnswers,
    /// The built-in template the project was made from, read when a detector first asks.
    template: OnceCell<Option<TemplateText>>,
    /// Which images were told apart from the course's example figures: path → its index in
    /// the project's list, so each is read and hashed once.
    figures: RefCell<HashMap<String, Option<usize>>>,
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
        let mut documented = Vec::new();
        for (path, text) in project.texts(is_documentation_path) {
            let code = CodeBlocks::new(text);
            let mut start = 0;
            for (index, line) in text.split_inclusive('\n').enumerate() {
                let trimmed = line.trim();
                let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
                if code.holds_line(text, start) && !fence {
                    let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
                    push_command(&mut documented, path, Some(index + 1), command);
                }
                start += line.len();
            }
        }
        Self {
            project,
            python,
            workflows,
            commands,
            documented,
            notes,
            report: project
                .text(crate::report::PATH)
                .map(ReportAnswers::read)
                .unwrap_or_default(),
            template: OnceCell::new(),
            figures: RefCell::default(),
        }
    }

    /// True when the file at `path` is still the text of the built-in template the project
    /// was made from (see [`TemplateText`]); false for projects dayone did not make.
    pub fn is_template_text(&self, path: &str) -> bool {
        let Some(text) = self.project.text(path) else {
            return false;
        };
        self.template()
            .is_some_and(|template| template.is_untouched(path, text))
    }

    /// True when the built-in template wrote what `evidence` points at: its line, or, for
    /// evidence without a line, the whole file give or take a few lines.
    pub fn template_wrote(&self, evidence: &Evidence) -> bool {
        let (Some(template), Some(text)) = (self.template(), self.project.text(&evidence.path))
        else {
            return false;
        };
        match evidence.line {
            Some(line) => text
                .lines()
                .nth(line.saturating_sub(1))
                .is_some_and(|at| template.writes(&evidence.path, at)),
            None => template.is_untouched(&evidence.path, text),
        }
    }

    /// The course's example figure the image at `path` is, if it is one (see
    /// [`Project::course_figure`]); each image is looked at once.
    pub fn course_figure(&self, path: &str) -> Option<&CourseFigure> {
        let index = *self
            .figures
            .borrow_mut()
            .entry(path.to_string())
            .or_insert_with(|| {
                let figure = self.project.course_figure(path)?;
                self.project.course_figures.iter().position(|f| f == figure)
            });
        index.map(|i| &self.project.course_figures[i])
    }

    /// True when another template or tool wrote what `evidence` points at ([`leftovers`]): a
    /// cookiecutter-data-science Makefile as generated, or a line of the course template's tasks.
    pub fn is_leftover(&self, evidence: &Evidence) -> bool {
        let Some(text) = self.project.text(&evidence.path) else {
            return false;
        };
        if file_name(&evidence.path).eq_ignore_ascii_case("makefile")
            && leftovers::is_ccds_makefile(text)
        {
            return true;
        }
        evidence
            .line
            .and_then(|line| text.lines().nth(line.saturating_sub(1)))
            .is_some_and(leftovers::is_course_task_command)
    }

    /// True when the group wrote what `evidence` points at: neither dayone's template nor
    /// another template or tool did.
    pub fn group_wrote(&self, evidence: &Evidence) -> bool {
        !self.template_wrote(evidence) && !self.is_leftover(evidence)
    }

    fn template(&self) -> Option<&TemplateText> {
        self.template
            .get_or_init(|| TemplateText::of(self.project))
            .as_ref()
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
        matching(&self.commands, pattern, "runs")
    }

    /// Command lines of the README and docs matching `pattern`, as evidence.
    pub fn documented_matching(&self, pattern: &regex::Regex) -> Vec<Evidence> {
        matching(&self.documented, pattern, "documents running")
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

fn matching(commands: &[CommandLine], pattern: &regex::Regex, verb: &str) -> Vec<Evidence> {
    commands
        .iter()
        .filter(|c| pattern.is_match(&c.text))
        .map(|c| {
            let detail = format!("{verb} `{}`", shorten(&c.text, 90));
            match c.line {
                Some(line) => Evidence::at(&c.path, line, detail),
                None => Evidence::new(&c.path, detail),
            }
        })
        .collect()
}

/// Markdown at the top of the project or in `docs/`: where groups write down commands.
fn is_documentation_path(path: &str) -> bool {
    path.ends_with(".md") && (!path.contains('/') || path.starts_with("docs/"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::detectors::fixture;

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
}
