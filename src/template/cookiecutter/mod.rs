//! A cookiecutter template: a folder with `cookiecutter.json` and a project folder named like
//! `{{ cookiecutter.project_slug }}`, read into a [`Manifest`] whose language is Jinja, so the
//! same questions, answers and plan serve it; `plan.rs` renders it as cookiecutter does, and
//! `hooks.rs` lists its hooks and, only when asked, runs them.

mod context;
pub mod hooks;
pub mod plan;

use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use sha1::{Digest, Sha1};

use super::manifest::{Files, Manifest, Meta};
use super::reference::GitLocation;
use super::source::{Source, read_utf8};
use super::{Format, Template};
use crate::error::{Error, Result};
use crate::render::{KNOWN_EXTENSIONS, Language, extension_known};
use crate::value::VarType;

/// The file that makes a folder a cookiecutter template.
pub const CONTEXT_FILE: &str = "cookiecutter.json";
/// The folder beside the project folder that `{% include %}` and `{% import %}` also search.
const LIBRARY_DIR: &str = "templates";

/// What rendering a cookiecutter template needs besides its manifest.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The template's folder.
    pub root: std::path::PathBuf,
    /// The project folder's name as written, e.g. `{{ cookiecutter.repo_name }}`.
    pub tree: String,
    /// `_copy_without_render`: fnmatch patterns over paths inside the project folder.
    pub copy_without_render: Vec<String>,
    /// `_new_lines`: the line ending of every rendered file, instead of the file's own.
    pub new_lines: Option<String>,
    /// The hook scripts, as paths inside the template (`hooks/post_gen_project.py`).
    pub hooks: Vec<String>,
}

/// The cookiecutter template in the folder `root`.
pub fn load(root: &Path) -> Result<Template> {
    let path = root.join(CONTEXT_FILE);
    let file = path.display().to_string();
    let text = read_utf8(&path)?;
    let entries: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| Error::json(&file, &err))?;
    let Some(entries) = entries.as_object() else {
        return Err(Error::Manifest {
            file,
            problems: vec!["cookiecutter.json must be a JSON object of variables".into()],
        });
    };
    let mut problems = Vec::new();
    let mut context = context::read(entries, &mut problems);
    if let Some(name) = context.extensions.iter().find(|e| !extension_known(e)) {
        return Err(Error::UnknownExtension {
            file,
            name: name.clone(),
            known: KNOWN_EXTENSIONS.join(", "),
        });
    }
    if let Err(problem) = context.jinja.check_settings() {
        problems.push(format!("`_jinja2_env_vars`: {problem}"));
    }
    let tree = project_folder(root, &context.jinja)?;
    let source = Source::Folder(root.to_path_buf());
    context.jinja.library = library(&source)?;
    let shown = root.display().to_string();
    for (name, value) in [
        ("_template", shown.clone().into()),
        ("_repo_dir", shown.into()),
        ("_checkout", serde_json::Value::Null),
    ] {
        context.jinja.constants.insert(name.into(), value);
    }
    let name = std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "cookiecutter".into());
    let directory_variable = single_variable(&tree).filter(|name| {
        context
            .variables
            .iter()
            .any(|v| v.name == *name && v.var_type == VarType::String)
    });
    let manifest = Manifest {
        template: Meta {
            name,
            description: String::new(),
            version: format!("0.0.0+{}", fingerprint(&source, &text, &tree)?),
            min_dayone_version: None,
            directory_variable,
            next_steps: None,
        },
        variables: context.variables,
        files: Files::default(),
        language: Language::Jinja(Arc::new(context.jinja)),
    };
    problems.extend(manifest.validate());
    if !problems.is_empty() {
        return Err(Error::Manifest { file, problems });
    }
    let layout = Layout {
        root: root.to_path_buf(),
        tree,
        copy_without_render: context.copy_without_render,
        new_lines: context.new_lines,
        hooks: hooks::find(root)?,
    };
    Ok(Template {
        manifest,
        source,
        fetched: None,
        format: Format::Cookiecutter(layout),
    })
}

/// A cookiecutter template fetched from git is named after its repository (or the subfolder it
/// lives in), as cookiecutter names what it cloned, not after the cache's folder; its
/// `_template` is the address as typed and `_checkout` the ref, as cookiecutter sets them.
pub fn fetched_from(template: &mut Template, location: &GitLocation) {
    if !matches!(template.format, Format::Cookiecutter(_)) {
        return;
    }
    let repository = location.url.trim_end_matches('/');
    let repository = repository.rsplit(['/', ':']).next().unwrap_or(repository);
    let name = location
        .subdir
        .as_deref()
        .and_then(|dir| dir.rsplit('/').next())
        .unwrap_or_else(|| repository.trim_end_matches(".git"));
    template.manifest.template.name = name.to_string();
    if let Language::Jinja(setup) = &mut template.manifest.language {
        let constants = &mut Arc::make_mut(setup).constants;
        constants.insert("_template".into(), location.url.clone().into());
        let checkout = location
            .reference
            .clone()
            .map_or(serde_json::Value::Null, Into::into);
        constants.insert("_checkout".into(), checkout);
    }
}

/// The project folder: the first (by name) whose name holds `cookiecutter` inside the
/// variable delimiters, as cookiecutter looks for it.
fn project_folder(root: &Path, jinja: &crate::render::Jinja) -> Result<String> {
    let (open, close) = jinja
        .settings
        .variable
        .clone()
        .unwrap_or(("{{".into(), "}}".into()));
    let mut names: Vec<String> = fs_err::read_dir(root)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().to_str().map(String::from))
        .filter(|name| {
            name.contains("cookiecutter") && name.contains(&open) && name.contains(&close)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .next()
        .ok_or_else(|| Error::NoCookiecutterFolder {
            path: root.to_path_buf(),
        })
}

/// `NAME` when the project folder is named `{{ cookiecutter.NAME }}` and nothing else: the
/// question whose answer names the project, which `dayone new DIR` then defaults to DIR.
fn single_variable(tree: &str) -> Option<String> {
    static SINGLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\{\{\s*cookiecutter\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$").unwrap()
    });
    SINGLE.captures(tree).map(|c| c[1].to_string())
}

/// The texts of the `templates/` folder beside the project folder, by path.
fn library(source: &Source) -> Result<std::collections::BTreeMap<String, String>> {
    let mut library = std::collections::BTreeMap::new();
    if !source.has_folder(LIBRARY_DIR) {
        return Ok(library);
    }
    for file in source.files_of(LIBRARY_DIR)? {
        if let Ok(text) = String::from_utf8(file.contents.read()?.into_owned()) {
            library.insert(file.path, text);
        }
    }
    Ok(library)
}

/// A short digest of what the template renders from (`cookiecutter.json`, the project
/// folder, the `templates/` folder): cookiecutter templates have no version, and a changed
/// template must not pass for the one a project recorded.
fn fingerprint(source: &Source, context: &str, tree: &str) -> Result<String> {
    let mut hash = Sha1::new();
    hash.update(context.as_bytes());
    for folder in [tree, LIBRARY_DIR] {
        if !source.has_folder(folder) {
            continue;
        }
        for file in source.files_of(folder)? {
            hash.update([0]);
            hash.update(format!("{folder}/{}", file.path).as_bytes());
            hash.update([0, u8::from(file.executable)]);
            hash.update(file.contents.read()?);
        }
    }
    Ok(hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_folder_named_by_one_variable_names_the_project() {
        use super::single_variable;
        assert_eq!(
            single_variable("{{ cookiecutter.repo_name }}").as_deref(),
            Some("repo_name")
        );
        assert_eq!(
            single_variable("{{cookiecutter.slug}}").as_deref(),
            Some("slug")
        );
        assert_eq!(
            single_variable("{{ cookiecutter.a }}-{{ cookiecutter.b }}"),
            None
        );
        assert_eq!(single_variable("{{ cookiecutter.name.lower() }}"), None);
    }
}
