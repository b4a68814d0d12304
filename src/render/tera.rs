//! The one file that names the `tera` crate: dayone's filters, the context built from a
//! [`RenderInput`], strict rendering with the file and line named on error, and `${{ … }}`
//! (GitHub Actions) kept literal. Every call builds its own engine, so nothing carries over.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use tera::{Context, Tera};

use super::hoist;
use super::lint::RAW;
use crate::render::RenderInput;

/// Does this text need the engine at all? Plain files skip parsing entirely.
pub fn needs_rendering(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// Render a piece of template text; `what` names it in errors.
pub fn render_text(what: &str, text: &str, input: &RenderInput) -> Result<String, String> {
    if !needs_rendering(text) {
        return Ok(text.to_string());
    }
    let text = protect_actions(text);
    engine()
        .render_str(&text, &context(input))
        .map_err(|err| describe(&err, what, &text))
}

/// Evaluate an expression to a bool; anything but `true`/`false` is an error.
pub fn eval_bool(expr: &str, input: &RenderInput) -> Result<bool, String> {
    match render_text("expression", &format!("{{{{ {expr} }}}}"), input)?.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("evaluates to `{other}`, not true or false")),
    }
}

/// Render many named files in one engine (adding templates one by one is quadratic in Tera).
/// Long plain runs are hoisted out first (see [`hoist`]); on a syntax error the files are parsed
/// again as written, so the error points at the author's own line and column. The error names
/// the failing file.
pub fn render_files(
    files: &[(&str, &str)],
    input: &RenderInput,
) -> Result<Vec<String>, (String, String)> {
    let protected: Vec<(&str, String)> = files
        .iter()
        .map(|(name, text)| (*name, protect_actions(text).into_owned()))
        .collect();
    let mut store = Vec::new();
    let hoisted: Vec<(&str, String)> = protected
        .iter()
        .map(|(name, text)| {
            let short = hoist::hoist(text, &mut store).unwrap_or_else(|| text.clone());
            (*name, short)
        })
        .collect();
    let mut tera = engine();
    if let Err(err) = tera.add_raw_templates(hoisted.iter().map(|(n, t)| (*n, t.as_str()))) {
        return Err(syntax_error(&err, &protected));
    }
    let mut full = context(input);
    full.insert(hoist::KEY, &store);
    protected
        .iter()
        .map(|(name, text)| {
            tera.render(name, &full)
                .map_err(|err| (name.to_string(), describe(&err, name, text)))
        })
        .collect()
}

/// The failing file of a batch and its error, found by parsing the original texts again.
fn syntax_error(hoisted_error: &tera::Error, files: &[(&str, String)]) -> (String, String) {
    let err = Tera::default()
        .add_raw_templates(files.iter().map(|(n, t)| (*n, t.as_str())))
        .err();
    let err = err.as_ref().unwrap_or(hoisted_error);
    // Tera names the failing template in quotes: match the whole quoted name, so an error in
    // `reports/README.md` is not blamed on `README.md`.
    let message = err.to_string();
    let (name, text) = files
        .iter()
        .find(|(n, _)| message.contains(&format!("'{n}'")))
        .map_or(("", ""), |(n, t)| (*n, t.as_str()));
    (name.to_string(), describe(err, name, text))
}

/// A Tera instance with dayone's filters and no autoescaping.
fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![]);
    tera.register_filter("snake_case", case_filter(heck::ToSnakeCase::to_snake_case));
    tera.register_filter("kebab_case", case_filter(heck::ToKebabCase::to_kebab_case));
    tera.register_filter(
        "pascal_case",
        case_filter(heck::ToPascalCase::to_pascal_case),
    );
    tera
}

/// The one place a context is built: every answer by name, and `dayone`.
fn context(input: &RenderInput) -> Context {
    let mut context = Context::new();
    for (name, value) in input.answers.iter() {
        context.insert(name, value);
    }
    context.insert("dayone", input.dayone);
    context
}

/// Tera sees `${{` as text followed by an expression; rewrite it into an expression that
/// prints `${{` so workflow files can be written plainly.
fn protect_actions(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("${{") {
        return text.into();
    }
    // Inside `{% raw %}` Tera prints text as it is, so the rewrite would show up there.
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = 0;
    for raw in RAW.find_iter(text) {
        out += &text[rest..raw.start()].replace("${{", "{{ \"${{\" }}");
        out += raw.as_str();
        rest = raw.end();
    }
    out += &text[rest..].replace("${{", "{{ \"${{\" }}");
    out.into()
}

fn case_filter(
    convert: fn(&str) -> String,
) -> impl Fn(&tera::Value, &HashMap<String, tera::Value>) -> tera::Result<tera::Value> + Send + Sync
{
    move |value, _| match value.as_str() {
        Some(text) => Ok(tera::Value::String(convert(text))),
        None => Err(tera::Error::msg(format!("expected a string, got {value}"))),
    }
}

/// Tera's top-level message is generic ("Failed to render …"); the useful part is in the
/// cause chain. Flatten it and, for an unknown variable, add the line that uses it.
fn describe(err: &tera::Error, what: &str, text: &str) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        let msg = e.to_string();
        if !msg.starts_with("Failed to render") && !msg.starts_with("Failed to parse") {
            parts.push(msg.replace("'__tera_one_off'", &format!("'{what}'")));
        } else if msg.starts_with("Failed to parse") && e.source().is_none() {
            parts.push(msg);
        }
        current = e.source();
    }
    let mut message = parts.join(": ");
    static UNDEFINED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"Variable `([^`]+)` not found").unwrap());
    if let Some(name) = UNDEFINED.captures(&message).map(|c| c[1].to_string()) {
        let root = name.split(['.', '[']).next().unwrap_or(&name).to_string();
        message = format!("`{name}` is not defined (no template variable has that name)");
        if let Some(line) = line_using(text, &root).filter(|_| text.contains('\n')) {
            message = format!("line {line}: {message}");
        }
    }
    message
}

/// The first line where `name` appears inside a `{{ }}` or `{% %}` tag.
fn line_using(text: &str, name: &str) -> Option<usize> {
    let word = Regex::new(&format!(r"(\{{\{{|\{{%)[^}}]*\b{}\b", regex::escape(name))).ok()?;
    let found = word.find(text)?;
    Some(text[..found.start()].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::DayoneVars;
    use crate::value::{Answers, Value};

    fn answers() -> Answers {
        let mut answers = Answers::new();
        answers.insert("name", Value::Str("My Project".into()));
        answers.insert("api", Value::Bool(true));
        answers
    }

    fn render(text: &str) -> Result<String, String> {
        let (answers, dayone) = (answers(), DayoneVars::for_questions());
        render_text(
            "f.py",
            text,
            &RenderInput {
                answers: &answers,
                dayone: &dayone,
            },
        )
    }

    fn eval(expr: &str) -> Result<bool, String> {
        let (answers, dayone) = (answers(), DayoneVars::for_questions());
        eval_bool(
            expr,
            &RenderInput {
                answers: &answers,
                dayone: &dayone,
            },
        )
    }

    #[test]
    fn github_expressions_survive() {
        let out = render("os: ${{ matrix.os }} for {{ name | kebab_case }}").unwrap();
        assert_eq!(out, "os: ${{ matrix.os }} for my-project");
    }

    #[test]
    fn undefined_variable_names_the_line() {
        let err = render("a\nb {{ name }}\nc {{ nmae }}\n").unwrap_err();
        assert!(err.starts_with("line 3: `nmae` is not defined"), "{err}");
    }

    #[test]
    fn the_folder_is_not_known_to_questions() {
        let err = render("{{ dayone.directory }}").unwrap_err();
        assert!(err.contains("`dayone.directory` is not defined"), "{err}");
    }

    #[test]
    fn expressions_are_booleans() {
        assert_eq!(eval("api and name != 'x'"), Ok(true));
        assert!(eval("name").unwrap_err().contains("not true or false"));
        assert!(eval("later == 'x'").unwrap_err().contains("`later`"));
    }

    #[test]
    fn actions_expressions_inside_raw_blocks_stay_as_written() {
        let out = render("a ${{ x }} {% raw %}b ${{ y }} {{ z }}{% endraw %} {{ name }}").unwrap();
        assert_eq!(out, "a ${{ x }} b ${{ y }} {{ z }} My Project");
    }

    #[test]
    fn a_batch_names_the_file_with_the_syntax_error() {
        let (answers, dayone) = (answers(), DayoneVars::for_questions());
        let input = RenderInput {
            answers: &answers,
            dayone: &dayone,
        };
        let files = [
            ("README.md", "fine {{ name }}"),
            ("reports/README.md", "fine\n{% if api %}\nnever closed\n"),
        ];
        let (name, _) = render_files(&files, &input).unwrap_err();
        assert_eq!(name, "reports/README.md");
        let ok = render_files(&files[..1], &input).unwrap();
        assert_eq!(ok, ["fine My Project"]);
    }
}
