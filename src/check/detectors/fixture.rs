//! Build a [`Project`] from in-memory files for detector tests.

use super::{Context, Detection, detect};
use crate::check::project::{GitInfo, Project};

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
    let bytes = file.contents.read().expect("embedded");
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
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
