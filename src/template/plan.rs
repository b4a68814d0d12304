//! Render a template with a [`RenderInput`] into a [`Plan`]: every output path and its bytes,
//! plus the source paths left out by conditions (a cookiecutter template is rendered by its
//! own rules, in `cookiecutter/plan.rs`). A pure function of its inputs: nothing here
//! touches the destination.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::plan::{Contents, Plan, PlannedFile, RelPath};
use crate::render::{Language, RenderInput};
use crate::render::{eval_bool, needs_rendering, render_files, render_text};
use crate::template::source::SourceFile;
use crate::template::{Format, Template, cookiecutter};

pub fn build(template: &Template, input: &RenderInput) -> Result<Plan> {
    if let Format::Cookiecutter(layout) = &template.format {
        return cookiecutter::plan::build(template, layout, input);
    }
    let render_error = |file: &str, message: String| Error::Render {
        template: template.name().to_string(),
        file: file.to_string(),
        message,
    };
    let selection =
        Selection::new(template, input).map_err(|m| render_error("template.toml", m))?;

    let mut plan = Plan::default();
    // Files to render: (source path, text, output path); their bytes are filled in below.
    let mut to_render: Vec<(String, String, RelPath)> = Vec::new();
    for file in layered_files(template, input)? {
        if selection.excluded.is_match(&file.path) {
            continue;
        }
        if selection.left_out.is_match(&file.path) {
            plan.skipped.push(file.path);
            continue;
        }
        let Some(named) = variant_name(template, input, &file.path) else {
            plan.skipped.push(file.path);
            continue;
        };
        let path = render_path(&named, input).map_err(|m| render_error(&file.path, m))?;
        if plan.files.contains_key(&path) {
            return Err(render_error(
                &file.path,
                format!("renders to `{path}`, which another template file also renders to"),
            ));
        }
        let SourceFile {
            path: source,
            contents,
            executable,
        } = file;
        let contents = match template_text(&source, &contents, &selection, input.language)? {
            Some(text) => {
                to_render.push((source, text, path.clone()));
                Contents::Bytes(Cow::Borrowed(&[][..]))
            }
            None => contents,
        };
        plan.files.insert(
            path,
            PlannedFile {
                contents,
                executable,
            },
        );
    }

    let batch: Vec<(&str, &str)> = to_render
        .iter()
        .map(|(source, text, _)| (source.as_str(), text.as_str()))
        .collect();
    let rendered = render_files(&batch, input).map_err(|(file, m)| render_error(&file, m))?;
    for ((_, _, path), text) in to_render.iter().zip(rendered) {
        plan.files.get_mut(path).expect("planned above").contents = text.into_bytes().into();
    }
    Ok(plan)
}

/// The file's text when it is a template to render: not `verbatim`, UTF-8, with tags. Anything
/// else is copied as it is, and a folder template's copied file is not kept in memory.
fn template_text(
    source: &str,
    contents: &Contents,
    selection: &Selection,
    language: &Language,
) -> Result<Option<String>> {
    if selection.verbatim.is_match(source) {
        return Ok(None);
    }
    let bytes = contents.read()?;
    Ok(std::str::from_utf8(&bytes)
        .ok()
        .filter(|text| needs_rendering(text, language))
        .map(String::from))
}

/// The tree's files with every active layer laid over it, in order; a layer's file replaces the
/// one at the same path. Paths stay relative to their folder, so rules and globs apply alike.
fn layered_files(template: &Template, input: &RenderInput) -> Result<Vec<SourceFile>> {
    let render_error = |message: String| Error::Render {
        template: template.name().to_string(),
        file: "template.toml".to_string(),
        message,
    };
    let mut files: std::collections::BTreeMap<String, SourceFile> = template
        .source
        .files()?
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    for layer in &template.manifest.files.layers {
        if eval_bool(&layer.when, input).map_err(render_error)? {
            for file in template.source.files_of(&layer.folder)? {
                files.insert(file.path.clone(), file);
            }
        }
    }
    Ok(files.into_values().collect())
}

/// The path a file is written under after the manifest's `[[files.variants]]`: a file named
/// for one of a choice's values (`README_uv.md` for `uv`) takes the plain name (`README.md`)
/// when that value is the answer, and is left out (`None`) for any other answer.
fn variant_name(template: &Template, input: &RenderInput, source: &str) -> Option<String> {
    let (folder, name) = source
        .rsplit_once('/')
        .map_or(("", source), |(f, n)| (f, n));
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    for rule in &template.manifest.files.variants {
        let Some(var) = template.manifest.variable(&rule.variable) else {
            continue;
        };
        let answer = input.answers.get(&rule.variable).map(ToString::to_string);
        for choice in &var.choices {
            let Some(plain) = stem.strip_suffix(&format!("{}{choice}", rule.separator)) else {
                continue;
            };
            if answer.as_deref() != Some(choice.as_str()) || plain.is_empty() {
                return None;
            }
            let slash = if folder.is_empty() { "" } else { "/" };
            return Some(format!("{folder}{slash}{plain}{ext}"));
        }
    }
    Some(source.to_string())
}

/// Which source paths the manifest's `[files]` rules select, for one set of answers.
struct Selection {
    /// Never copied.
    excluded: GlobSet,
    /// Left out because a rule's condition is false.
    left_out: GlobSet,
    /// Copied byte for byte.
    verbatim: GlobSet,
}

impl Selection {
    fn new(template: &Template, input: &RenderInput) -> Result<Self, String> {
        let files = &template.manifest.files;
        let mut off = Vec::new();
        for rule in &files.rules {
            if !eval_bool(&rule.when, input)? {
                off.extend(rule.paths.iter().cloned());
            }
        }
        Ok(Self {
            excluded: glob_set(&files.exclude)?,
            left_out: glob_set(&off)?,
            verbatim: glob_set(&files.verbatim)?,
        })
    }
}

/// Render each path component and refuse anything that could leave the destination.
fn render_path(source: &str, input: &RenderInput) -> Result<RelPath, String> {
    let parts = source
        .split('/')
        .map(|component| render_text(source, component, input))
        .collect::<Result<Vec<_>, _>>()?;
    RelPath::from_components(&parts).map_err(|reason| {
        let shown: Vec<&str> = parts.iter().map(String::as_str).collect();
        format!(
            "renders to the path `{}` which {reason}; it must stay inside the destination",
            shown.join("/")
        )
    })
}

/// The manifest's globs were checked when it was loaded, so an error here names the glob only.
fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern).map_err(|e| format!("glob `{pattern}`: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}
