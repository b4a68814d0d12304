//! The one file that names the `tera` crate (Tera 2): dayone's filters, the context built from
//! a [`RenderInput`], strict names (every name a template reads must be an answer or `dayone`,
//! checked over Tera's own parse before rendering, with the file and line in the error), and
//! `${{ … }}` (GitHub Actions) kept literal.

use std::cell::RefCell;
use std::sync::LazyLock;

use regex::Regex;
use tera::{Context, Kwargs, State, Tera};

use crate::render::RenderInput;

/// Does this text need the engine at all? Plain files skip parsing entirely.
pub(super) fn needs_rendering(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// The name single pieces of text are parsed under.
const ONE_OFF: &str = "__dayone_one_off";

thread_local! {
    /// The engine for single pieces of text. Each call replaces the one template it holds, so
    /// nothing of one call is seen by the next.
    static ENGINE: RefCell<Tera> = RefCell::new(engine());
}

/// Render a piece of template text; `what` names it in errors.
pub fn render_text(what: &str, text: &str, input: &RenderInput) -> Result<String, String> {
    if !needs_rendering(text) {
        return Ok(text.to_string());
    }
    let text = protect_actions(text);
    ENGINE.with_borrow_mut(|tera| {
        tera.add_raw_template(ONE_OFF, &text)
            .map_err(|err| describe(&err, what, &text))?;
        check_names(tera, ONE_OFF, &text, input)?;
        tera.render(ONE_OFF, &context(input))
            .map_err(|err| describe(&err, what, &text))
    })
}

/// Evaluate an expression to a bool; anything but `true`/`false` is an error.
pub fn eval_bool(expr: &str, input: &RenderInput) -> Result<bool, String> {
    match render_text("expression", &format!("{{{{ {expr} }}}}"), input)?.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("evaluates to `{other}`, not true or false")),
    }
}

/// Render many named files with one engine of their own. The error names the failing file.
pub fn render_files(
    files: &[(&str, &str)],
    input: &RenderInput,
) -> Result<Vec<String>, (String, String)> {
    let protected: Vec<(&str, String)> = files
        .iter()
        .map(|(name, text)| (*name, protect_actions(text).into_owned()))
        .collect();
    let failed = |name: &str, message: String| (name.to_string(), message);
    let mut tera = engine();
    // All at once: Tera re-links every template it holds after each add.
    if tera
        .add_raw_templates(protected.iter().map(|(n, t)| (*n, t.as_str())))
        .is_err()
    {
        return Err(first_syntax_error(&protected));
    }
    for (name, text) in &protected {
        check_names(&tera, name, text, input).map_err(|message| failed(name, message))?;
    }
    let context = context(input);
    protected
        .iter()
        .map(|(name, text)| {
            tera.render(name, &context)
                .map_err(|err| failed(name, describe(&err, name, text)))
        })
        .collect()
}

/// The first file of a batch that does not parse on its own, with its error.
fn first_syntax_error(files: &[(&str, String)]) -> (String, String) {
    let mut scratch = engine();
    files
        .iter()
        .find_map(|(name, text)| {
            let err = scratch.add_raw_template(name, text).err()?;
            Some((name.to_string(), describe(&err, name, text)))
        })
        .unwrap_or_else(|| (String::new(), "the templates do not parse together".into()))
}

/// A Tera instance with dayone's filters and no autoescaping.
fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::<&'static str>::new());
    tera.register_filter("snake_case", |text: &str, _: Kwargs, _: &State| {
        heck::ToSnakeCase::to_snake_case(text)
    });
    tera.register_filter("kebab_case", |text: &str, _: Kwargs, _: &State| {
        heck::ToKebabCase::to_kebab_case(text)
    });
    tera.register_filter("pascal_case", |text: &str, _: Kwargs, _: &State| {
        heck::ToPascalCase::to_pascal_case(text)
    });
    tera
}

/// The one place a context is built: every answer by name, and `dayone`.
fn context(input: &RenderInput) -> Context {
    let mut context = Context::new();
    for (name, value) in input.answers.iter() {
        context.insert(name.to_string(), value);
    }
    context.insert("dayone", input.dayone);
    context
}

/// Every name the template `name` reads (Tera's parse leaves out loop variables and `set`
/// names) must be an answer or `dayone`. Tera treats an unknown name in a condition or a
/// comparison as false, which would silently drop a branch with a typo in it.
fn check_names(tera: &Tera, name: &str, text: &str, input: &RenderInput) -> Result<(), String> {
    let read = tera
        .get_template_variables(name)
        .expect("the template was just added");
    let mut unknown: Vec<(usize, bool, &str)> = read
        .into_iter()
        .filter(|var| *var != "dayone" && input.answers.get(var).is_none())
        .map(|var| {
            let (line, in_condition) = first_use(text, var).unwrap_or((1, false));
            (line, in_condition, var)
        })
        .collect();
    unknown.sort_unstable();
    let Some(&(line, in_condition, var)) = unknown.first() else {
        return Ok(());
    };
    let message = if in_condition {
        format!("the condition uses `{var}`, which is not a template variable")
    } else {
        format!("`{var}` is not defined (no template variable has that name)")
    };
    Err(at_line(text, line, message))
}

/// The first line on which `var` is read inside a tag, and whether that tag is an `if`/`elif`.
fn first_use(text: &str, var: &str) -> Option<(usize, bool)> {
    static CONDITION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\{%-?\s*(?:if|elif)\b").unwrap());
    // Raw blocks are plain text; blank them but keep their newlines so line numbers stay right.
    let text = RAW.replace_all(text, |c: &regex::Captures| {
        c[0].replace(|ch| ch != '\n', " ")
    });
    let pattern = format!(r"(?s)(\{{\{{|\{{%)[^}}]*?\b{}\b", regex::escape(var));
    let found = Regex::new(&pattern).ok()?.find(&text)?;
    let line = text[..found.start()].matches('\n').count() + 1;
    Some((line, CONDITION.is_match(found.as_str())))
}

/// A `{% raw %}…{% endraw %}` block, whitespace control included.
static RAW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").unwrap());

/// Tera sees `${{` as text followed by an expression; rewrite it into an expression that
/// prints `${{` so workflow files can be written plainly.
fn protect_actions(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("${{") {
        return text.into();
    }
    let protect = |part: &str| part.replace("${{", "{{ \"${{\" }}");
    if !text.contains("raw") {
        return protect(text).into();
    }
    // Inside `{% raw %}` Tera prints text as it is, so the rewrite would show up there.
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = 0;
    for raw in RAW.find_iter(text) {
        out += &protect(&text[rest..raw.start()]);
        out += raw.as_str();
        rest = raw.end();
    }
    out += &protect(&text[rest..]);
    out.into()
}

/// Prefix the line for text of more than one line (a one-line expression needs none).
fn at_line(text: &str, line: usize, message: String) -> String {
    if text.contains('\n') {
        format!("line {line}: {message}")
    } else {
        message
    }
}

/// Tera's report of a syntax or rendering error as one line: where, then what.
fn describe(err: &tera::Error, what: &str, text: &str) -> String {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let message = report.message().trim_end_matches('.').to_string();
            at_line(text, report.span().start_line, message)
        }
        _ => err.to_string().replace(ONE_OFF, what),
    }
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

    fn with_input<T>(f: impl FnOnce(&RenderInput) -> T) -> T {
        let (answers, dayone) = (answers(), DayoneVars::for_questions());
        f(&RenderInput {
            answers: &answers,
            dayone: &dayone,
            language: &crate::render::Language::Tera,
        })
    }

    fn render(text: &str) -> Result<String, String> {
        with_input(|input| render_text("f.py", text, input))
    }

    fn eval(expr: &str) -> Result<bool, String> {
        with_input(|input| eval_bool(expr, input))
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
        assert!(err.contains("`directory` is not defined"), "{err}");
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
    fn whitespace_control_loops_and_set_names_render() {
        let text = "{%- if api %}\n  on\n{%- endif %}\n{% set run = \"uv run \" %}{{ run }}x\n\
                    {% for c in name | split(pat=\" \") %}[{{ c }}{{ loop.index }}]{% endfor %}";
        assert_eq!(render(text).unwrap(), "\n  on\nuv run x\n[My1][Project2]");
    }

    #[test]
    fn a_batch_names_the_file_with_the_syntax_error() {
        with_input(|input| {
            let files = [
                ("README.md", "fine {{ name }}"),
                ("reports/README.md", "fine\n{% if api %}\nnever closed\n"),
            ];
            let (name, _) = render_files(&files, input).unwrap_err();
            assert_eq!(name, "reports/README.md");
            let ok = render_files(&files[..1], input).unwrap();
            assert_eq!(ok, ["fine My Project"]);
        });
    }

    #[test]
    fn tests_calls_keyword_arguments_and_raw_blocks_are_not_variables() {
        let text = "{% if name is starting_with(pat=\"a\") %}{% endif %}\n\
                    {% if api is not odd %}{% endif %}\n\
                    {% if range(end=2) %}{% endif %}\n\
                    {% if name | truncate(length=3) == 'abc' %}{% endif %}\n\
                    {% raw %}{% if nonsense %}{% endraw %}\n\
                    {% if\n   nmae %}{% endif %}";
        let (_, err) = with_input(|input| render_files(&[("t", text)], input)).unwrap_err();
        assert_eq!(
            err,
            "line 6: the condition uses `nmae`, which is not a template variable"
        );
    }

    #[test]
    fn typo_in_condition_is_found() {
        let text = "{% if api %}\n{% for x in [1] %}{% if x %}{% endif %}{% endfor %}\n\
                    {%- elif trainin == 'x' | lower %}{% endif %}";
        let (_, err) = with_input(|input| render_files(&[("t", text)], input)).unwrap_err();
        assert_eq!(
            err,
            "line 3: the condition uses `trainin`, which is not a template variable"
        );
    }
}
