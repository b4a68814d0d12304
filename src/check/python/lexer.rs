//! Cut Python source into logical lines: comments dropped, string contents blanked in a
//! `code` copy, lines joined inside brackets or after a backslash, statements split on `;`.

/// One logical line of Python.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logical {
    /// 1-based physical line where it starts.
    pub line: usize,
    pub indent: usize,
    /// The code with comments removed and string contents blanked (`"…"` becomes `""`).
    pub code: String,
    /// The code with comments removed and strings kept.
    pub text: String,
}

impl Logical {
    /// A statement that does work: not an import, decorator, docstring, `pass`, `...` or
    /// the header of a `def`/`class`.
    pub fn does_work(&self) -> bool {
        let code = self.code.trim();
        let header = code.ends_with(':')
            && (code.starts_with("def ")
                || code.starts_with("async def ")
                || code.starts_with("class "));
        !(code.starts_with("import ")
            || code.starts_with("from ")
            || code.starts_with('@')
            || code == "pass"
            || code == "..."
            || header
            || self.is_string_only())
    }

    /// A statement that is only a string literal, like a docstring.
    pub fn is_string_only(&self) -> bool {
        let code = self
            .code
            .trim_start_matches(|c: char| "rbfuRBFU".contains(c));
        !code.is_empty() && code.chars().all(|c| c == '"' || c == '\'')
    }
}

/// Cut source into logical lines: comments dropped, brackets and backslashes joined.
pub(super) fn logical_lines(source: &str) -> Vec<Logical> {
    let chars: Vec<char> = source.chars().collect();
    let mut lines = Vec::new();
    let mut code = String::new();
    let mut text = String::new();
    let mut physical = 1usize;
    let mut start = 1usize;
    let mut indent = 0usize;
    let mut at_start = true;
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut flush = |code: &mut String, text: &mut String, start: usize, indent: usize| {
        if !code.trim().is_empty() {
            lines.push(Logical {
                line: start,
                indent,
                code: code.trim_end().to_string(),
                text: text.trim_end().to_string(),
            });
        }
        code.clear();
        text.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        if at_start {
            if c == ' ' || c == '\t' {
                indent += if c == '\t' { 8 } else { 1 };
                i += 1;
                continue;
            }
            at_start = false;
            start = physical;
        }
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '"' | '\'' => {
                let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
                let width = if triple { 3 } else { 1 };
                let quotes: String = std::iter::repeat_n(c, width).collect();
                code.push_str(&quotes);
                text.push_str(&quotes);
                i += width;
                while i < chars.len() {
                    let s = chars[i];
                    if s == '\\' {
                        text.push(s);
                        if let Some(&next) = chars.get(i + 1) {
                            text.push(next);
                            if next == '\n' {
                                physical += 1;
                            }
                        }
                        i += 2;
                        continue;
                    }
                    if s == c
                        && (!triple
                            || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c)))
                    {
                        break;
                    }
                    if s == '\n' {
                        if !triple {
                            break;
                        }
                        physical += 1;
                    }
                    text.push(s);
                    i += 1;
                }
                if i < chars.len() && chars[i] == c {
                    code.push_str(&quotes);
                    text.push_str(&quotes);
                    i += width;
                }
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '\\' if chars.get(i + 1) == Some(&'\n') => {
                physical += 1;
                i += 2;
                code.push(' ');
                text.push(' ');
                continue;
            }
            ';' if depth == 0 => {
                flush(&mut code, &mut text, start, indent);
                i += 1;
                start = physical;
                while chars.get(i) == Some(&' ') {
                    i += 1;
                }
                continue;
            }
            '\n' => {
                physical += 1;
                i += 1;
                if depth == 0 {
                    flush(&mut code, &mut text, start, indent);
                    at_start = true;
                    indent = 0;
                } else {
                    code.push(' ');
                    text.push(' ');
                }
                continue;
            }
            '\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        code.push(c);
        text.push(c);
        i += 1;
    }
    flush(&mut code, &mut text, start, indent);
    lines
}

#[cfg(test)]
mod tests {
    use super::logical_lines;

    #[test]
    fn semicolons_and_backslashes_split_and_join_statements() {
        let lines = logical_lines("import os; import sys\nx = 1 + \\\n    2\ny = 'a;b'\n");
        let codes: Vec<_> = lines.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(
            codes,
            ["import os", "import sys", "x = 1 +      2", "y = ''"]
        );
        assert_eq!(lines[3].text, "y = 'a;b'");
        assert_eq!(lines[3].line, 4);
    }

    #[test]
    fn triple_quoted_strings_span_lines_and_keep_the_count() {
        let lines = logical_lines("x = \"\"\"a\n# not a comment\nb\"\"\"\ny = 1  # comment\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].code, "x = \"\"\"\"\"\"");
        assert!(lines[0].text.contains("# not a comment"));
        assert_eq!(lines[1].line, 4);
        assert_eq!(lines[1].code, "y = 1");
    }
}
