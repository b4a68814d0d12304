//! The one Tera instance of a run: dayone's filters, the `dayone.*` values, strict rendering
//! with the file and line named on error, and `${{ … }}` (GitHub Actions) kept literal.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use tera::{Context, Tera};

use crate::template::hoist;

pub struct Engine {
    tera: Tera,
    /// Exposed as `dayone.git`: whether `dayone new` creates a repository for this project.
    git: bool,
    /// Exposed as `dayone.directory`: the destination as the user typed it.
    directory: String,
    /// Plain text moved out of files before parsing, rendered back in by index.
    texts: Vec<String>,
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

/// A `{% raw %}…{% endraw %}` block, whitespace control included.
static RAW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").unwrap());

/// Does this text need Tera at all? Plain files skip parsing entirely.
pub fn has_tags(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    pub fn new() -> Self {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.register_filter("snake_case", case_filter(heck::ToSnakeCase::to_snake_case));
        tera.register_filter("kebab_case", case_filter(heck::ToKebabCase::to_kebab_case));
        tera.register_filter(
            "pascal_case",
            case_filter(heck::ToPascalCase::to_pascal_case),
        );
        Self {
            tera,
            git: false,
            directory: ".".to_string(),
            texts: Vec::new(),
        }
    }

    /// Tell templates (as `dayone.git`) whether the project gets a git repository, and (as
    /// `dayone.directory`) where it goes.
    pub fn set_destination(&mut self, directory: &std::path::Path, git: bool) {
        self.directory = directory.display().to_string();
        self.git = git;
    }

    /// A context holding only dayone's own values: `dayone.version`, `dayone.year`,
    /// `dayone.git` and `dayone.directory`.
    pub fn base_context(&self) -> Context {
        let mut context = Context::new();
        let own = serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "year": current_year().to_string(),
            "git": self.git,
            "directory": self.directory,
        });
        context.insert("dayone", &own);
        context
    }

    /// Render a piece of template text; `what` names it in errors.
    pub fn render_text(
        &mut self,
        what: &str,
        text: &str,
        context: &Context,
    ) -> Result<String, String> {
        if !has_tags(text) {
            return Ok(text.to_string());
        }
        let text = protect_actions(text);
        self.tera
            .render_str(&text, context)
            .map_err(|err| describe(&err, what, &text))
    }

    /// Evaluate an expression to a bool; anything but `true`/`false` is an error.
    pub fn eval_bool(&mut self, expr: &str, context: &Context) -> Result<bool, String> {
        match self
            .render_text("expression", &format!("{{{{ {expr} }}}}"), context)?
            .as_str()
        {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("evaluates to `{other}`, not true or false")),
        }
    }

    /// Add many files as named templates in one step (Tera rebuilds its inheritance index on
    /// every add, so adding one by one is quadratic). Long plain runs are hoisted out first
    /// (see [`hoist`]); on a syntax error the files are parsed again as written, so the error
    /// points at the author's own line and column.
    pub fn add_files(&mut self, files: &[(String, &str)]) -> Result<(), (String, String)> {
        let protected: Vec<(String, String)> = files
            .iter()
            .map(|(name, text)| (name.clone(), protect_actions(text).into_owned()))
            .collect();
        let hoisted: Vec<(&str, String)> = protected
            .iter()
            .map(|(name, text)| {
                let short = hoist::hoist(text, &mut self.texts).unwrap_or_else(|| text.clone());
                (name.as_str(), short)
            })
            .collect();
        if self
            .tera
            .add_raw_templates(hoisted.iter().map(|(n, t)| (*n, t.as_str())))
            .is_ok()
        {
            return Ok(());
        }
        let err = Tera::default()
            .add_raw_templates(protected.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .expect_err("the hoisted text failed to parse, so the original does too");
        // Tera names the failing template in quotes: match the whole quoted name, so an error
        // in `reports/README.md` is not blamed on `README.md`.
        let message = err.to_string();
        let name = files
            .iter()
            .map(|(n, _)| n)
            .find(|n| message.contains(&format!("'{n}'")))
            .cloned()
            .unwrap_or_default();
        let text = protected
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, t)| t.as_str());
        Err((name.clone(), describe(&err, &name, text)))
    }

    /// The context files are rendered with: `context` plus the text hoisted out of them.
    pub fn file_context(&self, context: &Context) -> Context {
        let mut full = context.clone();
        full.insert(hoist::KEY, &self.texts);
        full
    }

    /// Render a file added with [`Engine::add_files`]; `source` is its text, to locate errors.
    pub fn render_file(
        &self,
        name: &str,
        source: &str,
        context: &Context,
    ) -> Result<String, String> {
        self.tera
            .render(name, context)
            .map_err(|err| describe(&err, name, source))
    }

    /// Identifiers tested in `{% if %}`/`{% elif %}` tags that are not known variables. Tera
    /// treats an unknown name there as false, which would silently drop a typo'd branch.
    pub fn unknown_condition_names(text: &str, known: &BTreeSet<String>) -> Vec<(usize, String)> {
        static TAG: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*(?:if|elif)\s+(.*?)-?%\}").unwrap());
        static LOCAL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\{%-?\s*(?:for\s+(\w+)(?:\s*,\s*(\w+))?\s+in|set(?:_global)?\s+(\w+))")
                .unwrap()
        });
        static STRINGS: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#""[^"]*"|'[^']*'|`[^`]*`"#).unwrap());
        static IDENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z_][\w.]*").unwrap());
        const WORDS: &[&str] = &[
            "and", "or", "not", "in", "is", "true", "false", "True", "False", "loop",
        ];
        // Raw blocks are plain text; keep their newlines so line numbers stay right.
        let text = RAW.replace_all(text, |c: &regex::Captures| {
            c[0].replace(|ch| ch != '\n', "")
        });
        let locals: BTreeSet<&str> = LOCAL
            .captures_iter(&text)
            .flat_map(|c| [c.get(1), c.get(2), c.get(3)])
            .flatten()
            .map(|m| m.as_str())
            .collect();
        let mut unknown = Vec::new();
        for tag in TAG.captures_iter(&text) {
            let expr = STRINGS.replace_all(&tag[1], "\"\"");
            let line = text[..tag.get(0).unwrap().start()].matches('\n').count() + 1;
            for found in IDENT.find_iter(&expr) {
                let root = found.as_str().split('.').next().unwrap_or_default();
                let before: Vec<&str> = expr[..found.start()].split_whitespace().collect();
                let after = expr[found.end()..].trim_start();
                let is_test = matches!(before.as_slice(), [.., "is"] | [.., "is", "not"]);
                let is_filter = expr[..found.start()].trim_end().ends_with('|');
                let is_call = after.starts_with('(');
                let is_keyword_argument = after.starts_with('=') && !after.starts_with("==");
                let preceded_by_digit =
                    expr[..found.start()].ends_with(|c: char| c.is_ascii_digit());
                if is_test || is_filter || is_call || is_keyword_argument || preceded_by_digit {
                    continue;
                }
                if !known.contains(root)
                    && !locals.contains(root)
                    && !WORDS.contains(&root)
                    && root != "dayone"
                {
                    unknown.push((line, root.to_string()));
                }
            }
        }
        unknown
    }
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

/// The current UTC year, from the system clock (no date crate needed for one number).
fn current_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Civil-from-days (Howard Hinnant's algorithm), year only.
    let days = secs.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(engine: &Engine) -> Context {
        let mut c = engine.base_context();
        c.insert("name", &"My Project");
        c.insert("api", &true);
        c
    }

    #[test]
    fn github_expressions_survive() {
        let mut engine = Engine::new();
        let c = ctx(&engine);
        let out = engine
            .render_text("wf", "os: ${{ matrix.os }} for {{ name | kebab_case }}", &c)
            .unwrap();
        assert_eq!(out, "os: ${{ matrix.os }} for my-project");
    }

    #[test]
    fn undefined_variable_names_the_line() {
        let mut engine = Engine::new();
        let c = ctx(&engine);
        let err = engine
            .render_text("f.py", "a\nb {{ name }}\nc {{ nmae }}\n", &c)
            .unwrap_err();
        assert!(err.starts_with("line 3: `nmae` is not defined"), "{err}");
    }

    #[test]
    fn expressions_are_booleans() {
        let mut engine = Engine::new();
        let c = ctx(&engine);
        assert_eq!(engine.eval_bool("api and name != 'x'", &c), Ok(true));
        assert!(
            engine
                .eval_bool("name", &c)
                .unwrap_err()
                .contains("not true or false")
        );
        assert!(
            engine
                .eval_bool("later == 'x'", &c)
                .unwrap_err()
                .contains("`later`")
        );
    }

    #[test]
    fn tests_calls_keyword_arguments_and_raw_blocks_are_not_variables() {
        let known: BTreeSet<String> = ["name", "api"].map(String::from).into();
        let text = "{% if name is starting_with(\"a\") %}{% endif %}\n\
                    {% if api is not odd %}{% endif %}\n\
                    {% if get_env(name=\"HOME\", default=\"x\") %}{% endif %}\n\
                    {% if name | truncate(length=3) == 'abc' %}{% endif %}\n\
                    {% raw %}{% if nonsense %}{% endraw %}\n\
                    {% if\n   nmae %}{% endif %}";
        assert_eq!(
            Engine::unknown_condition_names(text, &known),
            vec![(6, "nmae".to_string())]
        );
    }

    #[test]
    fn actions_expressions_inside_raw_blocks_stay_as_written() {
        let mut engine = Engine::new();
        let c = ctx(&engine);
        let out = engine
            .render_text(
                "wf",
                "a ${{ x }} {% raw %}b ${{ y }} {{ z }}{% endraw %} {{ name }}",
                &c,
            )
            .unwrap();
        assert_eq!(out, "a ${{ x }} b ${{ y }} {{ z }} My Project");
    }

    #[test]
    fn typo_in_condition_is_found() {
        let known: BTreeSet<String> = ["api", "training"].map(String::from).into();
        let text = "{% if api %}\n{% for x in items %}{% if x %}{% endif %}{% endfor %}\n{%- elif trainin == 'x' | lower %}{% endif %}";
        assert_eq!(
            Engine::unknown_condition_names(text, &known),
            vec![(3, "trainin".to_string())]
        );
    }

    #[test]
    fn year_is_plausible() {
        assert!((2024..2200).contains(&current_year()));
    }
}
