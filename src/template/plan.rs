//! Render a template with its answers into an in-memory [`Plan`]: every output path and its
//! bytes, plus the source paths left out by conditions. Nothing touches the disk here.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::answers::ANSWERS_FILE;
use crate::answers::AnswersFile;
use crate::error::{Error, Result};
use crate::questions::Answers;
use crate::template::Template;
use crate::template::engine::{Engine, has_tags};

#[derive(Debug)]
pub struct PlannedFile {
    /// Relative to the destination, `/`-separated, already checked to stay inside it.
    pub path: String,
    pub contents: Vec<u8>,
    pub executable: bool,
}

#[derive(Debug)]
pub struct Plan {
    /// Sorted by path.
    pub files: Vec<PlannedFile>,
    /// Template source paths whose conditions were false.
    pub skipped: Vec<String>,
}

pub fn build(template: &Template, engine: &mut Engine, answers: &Answers) -> Result<Plan> {
    let manifest = &template.manifest;
    let name = manifest.template.name.clone();
    let render_error = |file: &str, message: String| Error::Render {
        template: name.clone(),
        file: file.to_string(),
        message,
    };

    let mut context = engine.base_context();
    for (key, value) in answers {
        context.insert(key, value);
    }
    let mut off_rules = Vec::new();
    for rule in &manifest.files.rules {
        if !engine
            .eval_bool(&rule.when, &context)
            .map_err(|m| render_error("template.toml", m))?
        {
            off_rules.extend(rule.paths.iter().cloned());
        }
    }
    let left_out = glob_set(&off_rules)?;
    let excluded = glob_set(&manifest.files.exclude)?;
    let verbatim = glob_set(&manifest.files.verbatim)?;
    let known: BTreeSet<String> = answers.iter().map(|(k, _)| k.clone()).collect();

    let mut skipped = Vec::new();
    let mut planned: BTreeMap<String, PlannedFile> = BTreeMap::new();
    let mut to_render: Vec<(String, String)> = Vec::new();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for file in template.source.files()? {
        if excluded.is_match(&file.path) {
            continue;
        }
        if left_out.is_match(&file.path) {
            skipped.push(file.path.clone());
            continue;
        }
        let path =
            render_path(engine, &file.path, &context).map_err(|m| render_error(&file.path, m))?;
        if path == ANSWERS_FILE {
            return Err(render_error(
                &file.path,
                format!("{ANSWERS_FILE} is written by dayone; remove it from the template"),
            ));
        }
        let text = (!verbatim.is_match(&file.path))
            .then(|| std::str::from_utf8(&file.bytes).ok())
            .flatten();
        let contents = match text {
            Some(text) if has_tags(text) => {
                if let Some((line, word)) = Engine::unknown_condition_names(text, &known)
                    .into_iter()
                    .next()
                {
                    return Err(render_error(
                        &file.path,
                        format!(
                            "line {line}: the condition uses `{word}`, which is not a template variable"
                        ),
                    ));
                }
                to_render.push((file.path.clone(), text.to_string()));
                sources.insert(file.path.clone(), path.clone());
                Vec::new()
            }
            _ => file.bytes.to_vec(),
        };
        if planned.contains_key(&path) {
            return Err(render_error(
                &file.path,
                format!("renders to `{path}`, which another template file also renders to"),
            ));
        }
        planned.insert(
            path.clone(),
            PlannedFile {
                path,
                contents,
                executable: file.executable,
            },
        );
    }

    let batch: Vec<(String, &str)> = to_render
        .iter()
        .map(|(n, t)| (n.clone(), t.as_str()))
        .collect();
    engine
        .add_files(&batch)
        .map_err(|(file, message)| render_error(&file, message))?;
    let file_context = engine.file_context(&context);
    for (source_path, text) in &to_render {
        let rendered = engine
            .render_file(source_path, text, &file_context)
            .map_err(|m| render_error(source_path, m))?;
        planned
            .get_mut(&sources[source_path])
            .expect("planned above")
            .contents = rendered.into_bytes();
    }

    planned.insert(
        ANSWERS_FILE.to_string(),
        PlannedFile {
            path: ANSWERS_FILE.to_string(),
            contents: AnswersFile::render(manifest, answers).into_bytes(),
            executable: false,
        },
    );
    Ok(Plan {
        files: planned.into_values().collect(),
        skipped,
    })
}

/// Render each path component and refuse anything that could leave the destination.
fn render_path(
    engine: &mut Engine,
    source: &str,
    context: &tera::Context,
) -> Result<String, String> {
    let mut parts = Vec::new();
    for component in source.split('/') {
        let rendered = engine.render_text(source, component, context)?;
        let reason = if rendered.is_empty() {
            Some("has an empty component")
        } else if rendered == ".." || rendered == "." {
            Some("contains `.` or `..`")
        } else if rendered.eq_ignore_ascii_case(".git") {
            Some("writes into `.git`, which belongs to git")
        } else if rendered.contains(['/', '\\']) || rendered.contains(':') && cfg!(windows) {
            Some("puts a path separator inside one name")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(format!(
                "renders to the path `{}` which {reason}; it must stay inside the destination",
                parts
                    .iter()
                    .chain([&rendered])
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/")
            ));
        }
        parts.push(rendered);
    }
    Ok(parts.join("/"))
}

fn glob_set(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder
            .add(Glob::new(pattern).map_err(|e| Error::Usage(format!("glob `{pattern}`: {e}")))?);
    }
    builder.build().map_err(|e| Error::Usage(e.to_string()))
}
