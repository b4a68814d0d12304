//! Templates: where they come from (built in, a folder, or a git repository fetched into the
//! cache), their manifest, and rendering one with its answers into a [`crate::plan::Plan`]. A
//! template is in dayone's own format (`template.toml`, Tera) or cookiecutter's
//! (`cookiecutter.json`, Jinja), read into the same manifest (`cookiecutter/`).

pub mod cookiecutter;
pub mod fetch;
pub mod manifest;
pub mod plan;
pub mod reference;
pub mod source;
pub mod variable;
pub mod version;

use std::path::Path;

use crate::error::{Error, Result, short};
use crate::render::{RenderInput, render_text};
use fetch::{Fetched, Policy};
use manifest::Manifest;
use reference::{Extras, GitLocation, TemplateRef, looks_like_path};
use source::Source;

/// The manifest's file name, at the top of a template folder.
pub const MANIFEST_FILE: &str = "template.toml";
/// The folder beside the manifest that holds the tree to render.
pub const TREE_DIR: &str = "project";

pub struct Template {
    pub manifest: Manifest,
    pub source: Source,
    /// For a template from git: the commit, and whether it came from the network or the cache.
    pub fetched: Option<Fetched>,
    pub format: Format,
}

/// Which format the template is written in, with what rendering it needs beyond the manifest.
pub enum Format {
    /// `template.toml` and a `project/` folder.
    Dayone,
    /// `cookiecutter.json` and a folder named like `{{ cookiecutter.project_slug }}`.
    Cookiecutter(cookiecutter::Layout),
}

impl Template {
    /// A built-in template by name, else a template folder at that path (never a git URL:
    /// for what the user typed, see [`Template::locate`]).
    pub fn find(name_or_path: &str) -> Result<Self> {
        match TemplateRef::classify(name_or_path, Extras::default())? {
            TemplateRef::Git(_) => Err(Error::TemplateAddress {
                given: name_or_path.to_string(),
                problem: "a git URL is not taken here".to_string(),
            }),
            other => Self::open(other, Policy::default()),
        }
    }

    /// What the user typed for a template, with `--ref` and `--directory`; a git repository is
    /// fetched (or taken from the cache) as `policy` says.
    pub fn locate(given: &str, extras: Extras, policy: Policy) -> Result<Self> {
        Self::open(TemplateRef::classify(given, extras)?, policy)
    }

    /// A classified template.
    pub fn open(reference: TemplateRef, policy: Policy) -> Result<Self> {
        match reference {
            TemplateRef::Builtin(name) => Self::builtin(&name),
            TemplateRef::Folder(path) => {
                if path.is_file() {
                    return Err(Error::TemplateIsAFile { path });
                }
                if path.is_dir() {
                    return Self::folder(&path);
                }
                let given = path.to_string_lossy();
                if looks_like_path(&given) {
                    return Err(Error::PathMissing {
                        path,
                        expected: "pass a template folder, a git URL, or the name of a built-in template (`dayone templates` lists them)",
                    });
                }
                Err(Error::UnknownTemplate {
                    name: given.into_owned(),
                    known: Source::builtin_names().join(", "),
                })
            }
            TemplateRef::Git(location) => Self::git(&location, None, policy),
        }
    }

    /// The template in a git repository at `location`: at `pinned` (a full commit id) when
    /// given, else at the commit its ref names.
    pub fn git(location: &GitLocation, pinned: Option<&str>, policy: Policy) -> Result<Self> {
        let fetched = fetch::fetch(location, pinned, policy)?;
        let mut template = match Self::folder(&fetched.path()) {
            Err(Error::NotATemplate { .. } | Error::TemplateIsAFile { .. }) => {
                return Err(Error::NotATemplateInRepository {
                    location: location.display(),
                    commit: fetched.commit.clone(),
                    top: location
                        .subdir
                        .as_ref()
                        .map_or_else(|| "its top".to_string(), |s| format!("#{s}")),
                    found: fetch::folders_in(fetched.tree()),
                });
            }
            other => other?,
        };
        cookiecutter::fetched_from(&mut template, location);
        template.fetched = Some(fetched);
        Ok(template)
    }

    /// The built-in template `name`; never a folder.
    pub fn builtin(name: &str) -> Result<Self> {
        match Source::builtin(name) {
            Some(source) => Self::load(source),
            None => Err(Error::UnknownTemplate {
                name: name.to_string(),
                known: Source::builtin_names().join(", "),
            }),
        }
    }

    /// The template folder at `path`: dayone's format when it has `template.toml`, else
    /// cookiecutter's when it has `cookiecutter.json`.
    pub fn folder(path: &Path) -> Result<Self> {
        if !path.join(MANIFEST_FILE).is_file() {
            if path.join(cookiecutter::CONTEXT_FILE).is_file() {
                return cookiecutter::load(path);
            }
            return Err(Error::NotATemplate {
                path: path.to_path_buf(),
            });
        }
        Self::load(Source::Folder(path.to_path_buf()))
    }

    fn load(source: Source) -> Result<Self> {
        let (file, text) = source.manifest_text()?;
        // Built-in manifests are validated by the test suite, not on every run.
        let manifest = match source {
            Source::Builtin(_) => Manifest::read(&file, &text)?,
            Source::Folder(_) => Manifest::load(&file, &text)?,
        };
        let missing: Vec<String> = manifest
            .files
            .layers
            .iter()
            .filter(|layer| !source.has_folder(&layer.folder))
            .map(|layer| format!("[[files.layers]] folder `{}` does not exist", layer.folder))
            .collect();
        if !missing.is_empty() {
            return Err(Error::Manifest {
                file,
                problems: missing,
            });
        }
        Ok(Self {
            manifest,
            source,
            fetched: None,
            format: Format::Dayone,
        })
    }

    pub fn name(&self) -> &str {
        &self.manifest.template.name
    }

    /// The hook scripts a cookiecutter template has (dayone's format has none).
    pub fn hooks(&self) -> &[String] {
        match &self.format {
            Format::Cookiecutter(layout) => &layout.hooks,
            Format::Dayone => &[],
        }
    }

    /// The project folder's name the answers give, when `dayone new` gets no DIR: the
    /// manifest's `directory_variable`, or a cookiecutter template's project folder rendered.
    pub fn directory(&self, input: &RenderInput) -> Result<Option<String>> {
        let named = match (&self.manifest.template.directory_variable, &self.format) {
            (Some(var), _) => input.answers.get(var).map(ToString::to_string),
            (None, Format::Cookiecutter(layout)) => Some(
                render_text(&layout.tree, &layout.tree, input).map_err(|message| {
                    Error::Render {
                        template: self.name().to_string(),
                        file: layout.tree.clone(),
                        message,
                    }
                })?,
            ),
            (None, Format::Dayone) => None,
        };
        Ok(named.filter(|name| !name.is_empty()))
    }

    /// Where the template came from, for messages: `built-in`, its folder, or its repository
    /// and commit.
    pub fn origin(&self) -> String {
        if let Some(fetched) = &self.fetched {
            return format!(
                "{} at commit {}",
                fetched.location.display(),
                short(&fetched.commit)
            );
        }
        match &self.source {
            Source::Builtin(_) => "built-in".to_string(),
            Source::Folder(path) => path.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use sha1::{Digest, Sha1};

    use super::*;

    /// The content hash of a built-in template: its manifest and every file of its tree and
    /// of its layers.
    fn content_hash(name: &str) -> String {
        let template = Template::find(name).unwrap();
        let mut hash = Sha1::new();
        hash.update(template.source.manifest_text().unwrap().1.as_bytes());
        let folders = std::iter::once(TREE_DIR.to_string()).chain(
            template
                .manifest
                .files
                .layers
                .iter()
                .map(|l| l.folder.clone()),
        );
        for folder in folders {
            for file in template.source.files_of(&folder).unwrap() {
                hash.update(format!("{folder}/{}", file.path).as_bytes());
                hash.update([0]);
                hash.update(file.contents.read().unwrap());
                hash.update([0]);
            }
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `dayone update` merges from the render a project was made with, so a template that
    /// changed must say so by its version: each version's content is recorded once.
    #[test]
    fn a_built_in_template_that_changed_has_a_new_version() {
        let recorded: toml::Table =
            toml::from_str(include_str!("../../template/versions.toml")).unwrap();
        for name in Source::builtin_names() {
            let template = Template::find(name).unwrap();
            let version = &template.manifest.template.version;
            let hash = content_hash(name);
            let known = recorded.get(name).and_then(toml::Value::as_table);
            let at_version = known
                .and_then(|t| t.get(version))
                .and_then(toml::Value::as_str);
            assert_eq!(
                at_version,
                Some(hash.as_str()),
                "template `{name}` {version} is not the content recorded for that version in \
                 template/versions.toml. If you changed the template, raise `version` in its \
                 template.toml and record\n[{name}]\n\"NEW.VERSION\" = \"{hash}\""
            );
            let versions_of_this_content = known
                .into_iter()
                .flat_map(|t| t.values())
                .filter(|v| v.as_str() == Some(hash.as_str()))
                .count();
            assert_eq!(versions_of_this_content, 1, "one version per content");
        }
    }

    #[test]
    fn every_built_in_manifest_validates_without_problems() {
        for name in Source::builtin_names() {
            let (file, text) = Source::builtin(name).unwrap().manifest_text().unwrap();
            let manifest = Manifest::read(&file, &text).unwrap();
            assert_eq!(manifest.validate(), Vec::<String>::new(), "{file}");
        }
    }
}
