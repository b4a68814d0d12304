//! Where a project's template comes from: the source its `.dayone.toml` records, found again
//! for `update`, `add` and `new --answers`, and the source of a template in use, as it is
//! recorded (a folder relative to the project, so a clone beside the same folder finds it).

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::Project;
use crate::answers::file::{Provenance, TemplateSource};
use crate::error::{Error, Result};
use crate::template::Template;
use crate::template::fetch::Policy;
use crate::template::reference::{Extras, TemplateRef};
use crate::template::source::Source;

/// What a command says about the template of a project: `--template`, `--ref`,
/// `--directory`, and whether the network may be asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    pub template: Option<&'a str>,
    pub extras: Extras<'a>,
    pub policy: Policy,
}

/// The template a provenance records, with a folder found relative to `relative_to` (the
/// project, or the folder of an answers file) and a git source at its recorded commit; `file`
/// names the answers file in errors.
pub fn recorded(
    provenance: &Provenance,
    relative_to: &Path,
    file: &Path,
    policy: Policy,
) -> Result<Template> {
    let name = provenance.template.as_deref().unwrap_or_default();
    let source = provenance.source();
    match &source {
        TemplateSource::Builtin => Template::builtin(name).map_err(|err| match err {
            Error::UnknownTemplate { name, .. } => Error::RecordedTemplateNotBuiltin {
                file: file.to_path_buf(),
                name,
            },
            other => other,
        }),
        TemplateSource::Folder { path } => {
            let folder = relative_to.join(path);
            if !folder.is_dir() {
                return Err(Error::RecordedFolderMissing {
                    file: file.to_path_buf(),
                    recorded: path.clone(),
                    folder,
                });
            }
            Template::folder(&folder)
        }
        TemplateSource::Git { commit, .. } => {
            let location = source.location().expect("a git source has a location");
            Template::git(&location, Some(commit), policy)
        }
    }
}

/// The template for an update of `project`: `--template` when given; the recorded repository
/// at another ref or folder with `--ref` or `--directory`; else the recorded source (a git
/// source at its recorded commit). When the source is not the recorded one, a note says so.
pub fn for_project(project: &Project, wanted: &Wanted) -> Result<(Template, Option<String>)> {
    let file = project.answers_file();
    let name = project.template_name()?;
    let template = chosen(&project.provenance, &project.root, &file, wanted)?;
    if template.name() != name {
        return Err(Error::AnswersForOtherTemplate {
            file: file.display().to_string(),
            found: name.to_string(),
            expected: template.name().to_string(),
        });
    }
    let was = project.provenance.source();
    let now = source_of(&template, &project.root);
    let flag = match (wanted.template, wanted.extras.reference) {
        (Some(_), _) => "--template",
        (None, Some(_)) => "--ref",
        (None, None) => "--directory",
    };
    let note = (!same_source(&was, &now, &project.root)).then(|| {
        format!(
            "{flag}: {} recorded template {name} as {was}; this run uses {now}, and .dayone.toml records that from now on",
            file.display()
        )
    });
    Ok((template, note))
}

/// `--template` when given; the recorded repository at another ref or folder with `--ref` or
/// `--directory`; else the template `provenance` records (see [`recorded`]).
pub fn chosen(
    provenance: &Provenance,
    relative_to: &Path,
    file: &Path,
    wanted: &Wanted,
) -> Result<Template> {
    let extras = wanted.extras;
    match wanted.template {
        Some(given) => Template::locate(given, extras, wanted.policy),
        None if extras.reference.is_some() || extras.directory.is_some() => {
            recorded_elsewhere(&provenance.source(), file, extras, wanted.policy)
        }
        None => recorded(provenance, relative_to, file, wanted.policy),
    }
}

/// Whether `template` makes the render `provenance` records, as far as its source tells: a
/// template from git (or one replacing it) only at the recorded commit, others by version.
pub fn renders_recorded(template: &Template, provenance: &Provenance, root: &Path) -> bool {
    let (was, now) = (provenance.source(), source_of(template, root));
    let git = [&was, &now]
        .iter()
        .any(|s| matches!(s, TemplateSource::Git { .. }));
    provenance.template_version.as_deref() == Some(template.manifest.template.version.as_str())
        && (!git || same_source(&was, &now, root))
}

/// The recorded git repository with `--ref` (its newest commit there) or `--directory` (at
/// the recorded commit, unless `--ref` is given too).
fn recorded_elsewhere(
    source: &TemplateSource,
    file: &Path,
    extras: Extras,
    policy: Policy,
) -> Result<Template> {
    let (Some(recorded), TemplateSource::Git { commit, .. }) = (source.location(), source) else {
        let flag = match (extras.reference, extras.directory) {
            (Some(reference), _) => format!("--ref {reference}"),
            (None, directory) => format!("--directory {}", directory.unwrap_or_default()),
        };
        return Err(Error::NotFromGit {
            flag,
            file: file.to_path_buf(),
            source_text: source.to_string(),
        });
    };
    let extras = Extras {
        reference: extras.reference,
        directory: extras.directory.or(recorded.subdir.as_deref()),
    };
    let TemplateRef::Git(mut location) = TemplateRef::classify(&recorded.url, extras)? else {
        unreachable!("a recorded git URL classifies as git");
    };
    match extras.reference {
        Some(_) => Template::git(&location, None, policy),
        None => {
            location.reference = recorded.reference;
            Template::git(&location, Some(commit), policy)
        }
    }
}

/// How `.dayone.toml` records `template` for the project at `root` (which may not exist yet).
pub fn source_of(template: &Template, root: &Path) -> TemplateSource {
    if let Some(fetched) = &template.fetched {
        return TemplateSource::Git {
            url: fetched.location.url.clone(),
            reference: fetched.location.reference.clone(),
            commit: fetched.commit.clone(),
            subdir: fetched.location.subdir.clone(),
        };
    }
    match &template.source {
        Source::Builtin(_) => TemplateSource::Builtin,
        Source::Folder(folder) => TemplateSource::Folder {
            path: relative(root, folder),
        },
    }
}

/// Whether `a`, recorded for the project at `root`, and `b` name the same template source.
pub fn same_source(a: &TemplateSource, b: &TemplateSource, root: &Path) -> bool {
    match (a, b) {
        (TemplateSource::Folder { path: x }, TemplateSource::Folder { path: y }) => {
            x == y || resolved(&root.join(x)).is_some_and(|x| resolved(&root.join(y)) == Some(x))
        }
        // The ref as typed may differ (a tag, then its commit id) for the same commit.
        (
            TemplateSource::Git {
                url: u1,
                commit: c1,
                subdir: s1,
                ..
            },
            TemplateSource::Git {
                url: u2,
                commit: c2,
                subdir: s2,
                ..
            },
        ) => u1 == u2 && c1 == c2 && s1 == s2,
        _ => a == b,
    }
}

/// `folder` as seen from `root`: a `/`-separated relative path, or (when none leads there, as
/// to another drive) the absolute path.
fn relative(root: &Path, folder: &Path) -> String {
    let (Some(from), Some(to)) = (resolved(root), resolved(folder)) else {
        return slashed(&std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf()));
    };
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return slashed(&to.iter().collect::<PathBuf>());
    }
    let ups = std::iter::repeat_n(OsString::from(".."), from.len() - common);
    let downs = to[common..].iter().map(|c| c.as_os_str().to_os_string());
    let parts: Vec<String> = ups
        .chain(downs)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `path` made absolute with its existing part's links and `..` resolved; the part that does
/// not exist yet (a project about to be made) is kept as written, if it is plain names.
fn resolved(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = fs_err::canonicalize(existing) {
            return Some(rest.iter().rev().fold(real, |path, name| path.join(name)));
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_recorded_relative_to_the_project_even_before_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates/t");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        assert_eq!(
            relative(&dir.path().join("work/new/proj"), &templates),
            "../../../templates/t"
        );
        assert_eq!(relative(&templates.join("p"), &templates), "..");
        assert_eq!(relative(&templates, &templates), ".");
        let a = TemplateSource::Folder {
            path: "../templates/t".into(),
        };
        let b = TemplateSource::Folder {
            path: "../templates/./t".into(),
        };
        let root = dir.path().join("work");
        assert!(same_source(&a, &b, &root));
        assert!(!same_source(&a, &TemplateSource::Builtin, &root));
    }
}
