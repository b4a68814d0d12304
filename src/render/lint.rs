//! What can be found wrong in template text before it is rendered: names tested in `{% if %}`
//! that are not variables. The engine treats an unknown name there as false, which would
//! silently drop a branch with a typo in it.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

/// A `{% raw %}…{% endraw %}` block, whitespace control included.
pub(super) static RAW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").unwrap());

/// Identifiers tested in `{% if %}`/`{% elif %}` tags that are not in `known` (nor loop
/// variables, `set` names or `dayone`), with their 1-based line.
pub fn unknown_condition_names(text: &str, known: &BTreeSet<&str>) -> Vec<(usize, String)> {
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
            if is_not_a_variable(&expr, found.start(), found.end()) {
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

/// Is the identifier at `start..end` of `expr` a test, filter, function or keyword argument?
fn is_not_a_variable(expr: &str, start: usize, end: usize) -> bool {
    let before: Vec<&str> = expr[..start].split_whitespace().collect();
    let after = expr[end..].trim_start();
    let is_test = matches!(before.as_slice(), [.., "is"] | [.., "is", "not"]);
    let is_filter = expr[..start].trim_end().ends_with('|');
    let is_call = after.starts_with('(');
    let is_keyword_argument = after.starts_with('=') && !after.starts_with("==");
    let preceded_by_digit = expr[..start].ends_with(|c: char| c.is_ascii_digit());
    is_test || is_filter || is_call || is_keyword_argument || preceded_by_digit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_calls_keyword_arguments_and_raw_blocks_are_not_variables() {
        let known: BTreeSet<&str> = ["name", "api"].into();
        let text = "{% if name is starting_with(\"a\") %}{% endif %}\n\
                    {% if api is not odd %}{% endif %}\n\
                    {% if get_env(name=\"HOME\", default=\"x\") %}{% endif %}\n\
                    {% if name | truncate(length=3) == 'abc' %}{% endif %}\n\
                    {% raw %}{% if nonsense %}{% endraw %}\n\
                    {% if\n   nmae %}{% endif %}";
        assert_eq!(
            unknown_condition_names(text, &known),
            vec![(6, "nmae".to_string())]
        );
    }

    #[test]
    fn typo_in_condition_is_found() {
        let known: BTreeSet<&str> = ["api", "training"].into();
        let text = "{% if api %}\n{% for x in items %}{% if x %}{% endif %}{% endfor %}\n{%- elif trainin == 'x' | lower %}{% endif %}";
        assert_eq!(
            unknown_condition_names(text, &known),
            vec![(3, "trainin".to_string())]
        );
    }
}
