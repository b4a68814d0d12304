//! Jinja2 as cookiecutter runs it, on minijinja (the only files that name it): strict
//! undefined names, no auto-escaping, trailing newlines kept, values printed as Python prints
//! them (`True`, `None`), Python's string methods (`.lower()`, `.replace(…)`), cookiecutter's
//! extensions (`extensions.rs`), and the answers under `cookiecutter.*` beside the template's
//! private entries, with the template's entries as written under `_cookiecutter.*`.

mod extensions;
mod python;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Kwargs, Rest};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};
use regex::Regex;

use crate::render::RenderInput;

/// How a cookiecutter template's Jinja is set up, read from its `cookiecutter.json`.
#[derive(Debug, Clone, Default)]
pub struct Jinja {
    /// Seen under `cookiecutter.` beside the answers: the template's private (`_`) entries.
    pub constants: serde_json::Map<String, serde_json::Value>,
    /// `_cookiecutter`: the template's public entries as written.
    pub original: serde_json::Map<String, serde_json::Value>,
    /// From `_jinja2_env_vars`.
    pub settings: Settings,
    /// What `{% include %}`, `{% import %}` and `{% extends %}` may name beside the files
    /// rendered together: cookiecutter's `templates/` folder, by path.
    pub library: BTreeMap<String, String>,
}

/// The `_jinja2_env_vars` a template may set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub trim_blocks: bool,
    pub lstrip_blocks: bool,
    pub block: Option<(String, String)>,
    pub variable: Option<(String, String)>,
    pub comment: Option<(String, String)>,
    pub line_statement_prefix: Option<String>,
    pub line_comment_prefix: Option<String>,
}

/// The Jinja extensions a `cookiecutter.json` may list in `_extensions`: cookiecutter's own
/// (always on), `jinja2_time`'s `{% now %}`, and the Jinja2 ones minijinja has built in.
pub const KNOWN_EXTENSIONS: &[&str] = &[
    "cookiecutter.extensions.JsonifyExtension",
    "cookiecutter.extensions.RandomStringExtension",
    "cookiecutter.extensions.SlugifyExtension",
    "cookiecutter.extensions.TimeExtension",
    "cookiecutter.extensions.UUIDExtension",
    "jinja2_time.TimeExtension",
    "jinja2.ext.do",
    "jinja2.ext.loopcontrols",
];

pub fn extension_known(name: &str) -> bool {
    KNOWN_EXTENSIONS.contains(&name)
}

impl Jinja {
    /// Does this text hold any of the template's delimiters?
    pub fn needs_rendering(&self, text: &str) -> bool {
        let s = &self.settings;
        let opening = |pair: &Option<(String, String)>, default: &'static str| {
            pair.as_ref()
                .map_or(default.to_string(), |(open, _)| open.clone())
        };
        [
            opening(&s.variable, "{{"),
            opening(&s.block, "{%"),
            opening(&s.comment, "{#"),
        ]
        .iter()
        .any(|open| text.contains(open.as_str()))
            || s.line_statement_prefix.is_some()
    }

    /// Check the settings by building them; the message says what is wrong.
    pub fn check_settings(&self) -> Result<(), String> {
        self.syntax().map(|_| ()).map_err(|e| describe(&e, ""))
    }

    fn syntax(&self) -> Result<SyntaxConfig, Error> {
        let s = &self.settings;
        let mut builder = SyntaxConfig::builder();
        builder
            .trim_blocks(s.trim_blocks)
            .lstrip_blocks(s.lstrip_blocks)
            .keep_trailing_newline(true);
        if let Some((open, close)) = &s.block {
            builder.block_delimiters(open.clone(), close.clone());
        }
        if let Some((open, close)) = &s.variable {
            builder.variable_delimiters(open.clone(), close.clone());
        }
        if let Some((open, close)) = &s.comment {
            builder.comment_delimiters(open.clone(), close.clone());
        }
        if let Some(prefix) = &s.line_statement_prefix {
            builder.line_statement_prefix(prefix.clone());
        }
        if let Some(prefix) = &s.line_comment_prefix {
            builder.line_comment_prefix(prefix.clone());
        }
        builder.build()
    }

    fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        // Errors still mark the failing expression; debug mode would copy every source.
        env.set_debug(false);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // Checked when the template was loaded.
        env.set_syntax(self.syntax().unwrap_or_default());
        env.set_formatter(|out, _, value| {
            if value.is_undefined() {
                return Err(Error::from(ErrorKind::UndefinedError));
            }
            out.write_str(&python::str_of(value))
                .map_err(|_| Error::from(ErrorKind::WriteFailure))
        });
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        minijinja_contrib::add_to_environment(&mut env);
        env.add_filter("string", |value: Value| python::str_of(&value));
        // Jinja2 takes these filters' arguments by position too; minijinja by name only.
        positional(
            &mut env,
            "truncate",
            minijinja_contrib::filters::truncate,
            &["length", "killwords", "end", "leeway"],
        );
        positional(
            &mut env,
            "wordwrap",
            minijinja_contrib::filters::wordwrap,
            &[
                "width",
                "break_long_words",
                "wrapstring",
                "break_on_hyphens",
            ],
        );
        positional(
            &mut env,
            "dictsort",
            minijinja::filters::dictsort,
            &["case_sensitive", "by", "reverse"],
        );
        positional(
            &mut env,
            "sort",
            minijinja::filters::sort,
            &["reverse", "case_sensitive", "attribute"],
        );
        positional(
            &mut env,
            "unique",
            minijinja::filters::unique,
            &["case_sensitive", "attribute"],
        );
        positional(
            &mut env,
            "min",
            minijinja::filters::min,
            &["case_sensitive", "attribute"],
        );
        positional(
            &mut env,
            "max",
            minijinja::filters::max,
            &["case_sensitive", "attribute"],
        );
        extensions::register(&mut env);
        let library = self.library.clone();
        env.set_loader(move |name| Ok(library.get(name).cloned()));
        env
    }

    /// The context every template sees.
    fn context(&self, input: &RenderInput) -> Value {
        let mut cookiecutter =
            serde_json::Map::with_capacity(self.constants.len() + input.answers.iter().count());
        for (name, value) in input.answers.iter() {
            let value = serde_json::to_value(value).expect("answers are plain data");
            cookiecutter.insert(name.to_string(), value);
        }
        for (name, value) in &self.constants {
            cookiecutter.insert(name.clone(), value.clone());
        }
        // Where the project goes, once it is known (files, not questions), as cookiecutter
        // gives it: the folder the project is made in.
        if let Some(parent) = input
            .dayone
            .directory
            .as_deref()
            .and_then(|dir| std::path::absolute(dir).ok())
            .and_then(|dir| dir.parent().map(|p| p.display().to_string()))
        {
            cookiecutter.insert("_output_dir".into(), parent.into());
        }
        let mut context = serde_json::Map::with_capacity(2);
        context.insert("cookiecutter".into(), cookiecutter.into());
        context.insert("_cookiecutter".into(), self.original.clone().into());
        Value::from(minijinja::value::Serde(context))
    }
}

/// Register `filter` as `name`, taking its keyword arguments `params` by position as well: the
/// filter itself goes under a hidden name, and `name` passes everything on to it by name.
fn positional<F, Rv, Args>(
    env: &mut Environment<'static>,
    name: &'static str,
    filter: F,
    params: &'static [&'static str],
) where
    F: minijinja::functions::Function<Rv, Args>,
    Rv: minijinja::value::FunctionResult,
    Args: for<'a> minijinja::value::FunctionArgs<'a>,
{
    let hidden = format!("__dayone_by_name_{name}");
    env.add_filter(hidden.clone(), filter);
    env.add_filter(
        name,
        move |state: &mut minijinja::State, value: Value, args: Rest<Value>| {
            let mut args = args.0;
            let given = match args.last() {
                Some(last) if last.is_kwargs() => args.pop(),
                _ => None,
            };
            if args.len() > params.len() {
                return Err(Error::new(
                    ErrorKind::TooManyArguments,
                    format!("{name} takes at most {} arguments", params.len()),
                ));
            }
            let mut named: Vec<(String, Value)> = params
                .iter()
                .zip(args)
                .map(|(param, arg)| (param.to_string(), arg))
                .collect();
            if let Some(given) = given {
                for key in given.try_iter()? {
                    let item = given.get_item(&key)?;
                    named.push((key.to_string(), item));
                }
            }
            let kwargs: Kwargs = named.into_iter().collect();
            state.apply_filter(&hidden, &[value, Value::from(kwargs)])
        },
    );
}

/// A `{% raw %}…{% endraw %}` block, whitespace control included.
static RAW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").unwrap());

pub fn render_text(
    setup: &Jinja,
    what: &str,
    text: &str,
    input: &RenderInput,
) -> Result<String, String> {
    if !setup.needs_rendering(text) {
        return Ok(text.to_string());
    }
    let source = extensions::rewrite_now(text, &RAW);
    setup
        .environment()
        .render_named_str(what, &source, setup.context(input))
        .map_err(|err| describe(&err, &source))
}

pub fn eval_bool(setup: &Jinja, expr: &str, input: &RenderInput) -> Result<bool, String> {
    let env = setup.environment();
    let value = env
        .compile_expression(expr)
        .and_then(|e| e.eval(setup.context(input)))
        .map_err(|err| describe(&err, expr))?;
    match value.kind() {
        minijinja::value::ValueKind::Bool => Ok(value.is_true()),
        _ => Err(format!(
            "evaluates to `{}`, not True or False",
            python::str_of(&value)
        )),
    }
}

pub fn render_files(
    setup: &Jinja,
    files: &[(&str, &str)],
    input: &RenderInput,
) -> Result<Vec<String>, (String, String)> {
    let mut env = setup.environment();
    let mut sources = BTreeMap::new();
    for (name, text) in files {
        let source = extensions::rewrite_now(text, &RAW).into_owned();
        env.add_template_owned(name.to_string(), source.clone())
            .map_err(|err| (name.to_string(), describe(&err, &source)))?;
        sources.insert(*name, source);
    }
    let context = setup.context(input);
    files
        .iter()
        .map(|(name, _)| {
            env.get_template(name)
                .and_then(|t| t.render(&context))
                .map_err(|err| (name.to_string(), describe(&err, &sources[name])))
        })
        .collect()
}

/// minijinja's error as one line: where (for text of several lines), what, and the failing
/// expression when the engine marks one.
fn describe(err: &Error, text: &str) -> String {
    let mut message = match (err.kind(), err.detail()) {
        (ErrorKind::UndefinedError, _) => "undefined value".to_string(),
        (kind, Some(detail)) => format!("{kind}: {detail}"),
        (kind, None) => kind.to_string(),
    };
    if let Some(range) = err.range()
        && let Some(code) = text.get(range)
        && !code.is_empty()
        && code.len() <= 80
        && !code.contains('\n')
    {
        message += &format!(" in `{code}`");
    }
    if let Some(inner) = std::error::Error::source(err) {
        message += &format!(" ({inner})");
    }
    match err.line() {
        Some(line) if text.contains('\n') => format!("line {line}: {message}"),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{DayoneVars, Language};
    use crate::value::{Answers, Value as Answer};

    fn render_with(setup: Jinja, text: &str) -> Result<String, String> {
        let mut answers = Answers::new();
        answers.insert("project_name", Answer::Str("My Project".into()));
        answers.insert("use_docker", Answer::Bool(true));
        answers.insert(
            "team",
            Answer::Dict(serde_json::from_str(r#"{"lead": "Ada", "size": 3}"#).unwrap()),
        );
        let dayone = DayoneVars::for_questions();
        let language = Language::Jinja(std::sync::Arc::new(setup));
        let input = RenderInput {
            answers: &answers,
            dayone: &dayone,
            language: &language,
        };
        crate::render::render_text("README.md", text, &input)
    }

    fn render(text: &str) -> Result<String, String> {
        let mut setup = Jinja::default();
        setup
            .constants
            .insert("_private".into(), serde_json::json!(["a", 1]));
        render_with(setup, text)
    }

    #[test]
    fn python_methods_values_and_positional_arguments() {
        let text = "{{ cookiecutter.project_name.lower().replace(' ', '_') }} \
                    {{ cookiecutter.use_docker }} {{ cookiecutter._private }} \
                    {{ cookiecutter.project_name | replace(' ', '-') | truncate(3, True, '', 0) }} \
                    {{ '-' * 3 }} {{ none }}\n";
        assert_eq!(
            render(text).unwrap(),
            "my_project True ['a', 1] My- --- None\n"
        );
    }

    #[test]
    fn dicts_macros_tuples_and_json() {
        let text = "{% macro row(k, v) %}{{ k }}={{ v }}{% endmacro %}\
                    {% for k, v in cookiecutter.team | dictsort %}{{ row(k, v) }};{% endfor %}\
                    {% set pair = (1, 'b') %}{{ pair[1] }} {{ cookiecutter.team | tojson }} \
                    {{ cookiecutter.team | jsonify(2) | length }}";
        assert_eq!(
            render(text).unwrap(),
            "lead=Ada;size=3;b {\"lead\": \"Ada\", \"size\": 3} 32"
        );
    }

    #[test]
    fn undefined_names_are_errors_that_name_the_line_and_expression() {
        let err = render("fine\n{{ cookiecutter.nmae }}\n").unwrap_err();
        assert_eq!(err, "line 2: undefined value in `cookiecutter.nmae`");
        let err = render("{% if cookiecutter.nope %}x{% endif %}").unwrap_err();
        assert!(err.starts_with("undefined value"), "{err}");
        assert_eq!(
            render("{{ cookiecutter.nope is defined }}").unwrap(),
            "False"
        );
    }

    #[test]
    fn cookiecutter_extensions_and_settings() {
        let text = "{{ uuid4() | length }} {{ random_ascii_string(12, punctuation=True) | length }} \
                    {% set y %}{% now 'utc', '%Y' %}{% endset %}{{ y | length }} \
                    {{ cookiecutter.project_name | slugify(separator='_') }}";
        assert_eq!(render(text).unwrap(), "36 12 4 my_project");
        let setup = Jinja {
            settings: Settings {
                trim_blocks: true,
                lstrip_blocks: true,
                ..Settings::default()
            },
            ..Jinja::default()
        };
        let text = "a\n    {% if cookiecutter.use_docker %}\nb\n    {% endif %}\nc\n";
        assert_eq!(render_with(setup, text).unwrap(), "a\nb\nc\n");
        let unknown = render("{% now 'Europe/Paris' %}").unwrap_err();
        assert!(unknown.contains("Europe/Paris"), "{unknown}");
    }
}
