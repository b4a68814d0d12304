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
    let mut cutter = Cutter {
        chars: source.chars().collect(),
        i: 0,
        physical: 1,
        start: 1,
        indent: 0,
        at_start: true,
        depth: 0,
        code: String::new(),
        text: String::new(),
        lines: Vec::new(),
    };
    cutter.run();
    cutter.lines
}

/// The state of one pass over the source.
struct Cutter {
    chars: Vec<char>,
    i: usize,
    /// The physical line `i` is on, and the one the current logical line started on.
    physical: usize,
    start: usize,
    indent: usize,
    /// Still in the leading whitespace of a line.
    at_start: bool,
    /// Open brackets: a newline inside them does not end the logical line.
    depth: usize,
    code: String,
    text: String,
    lines: Vec<Logical>,
}

impl Cutter {
    fn run(&mut self) {
        while let Some(&c) = self.chars.get(self.i) {
            if self.at_start {
                if c == ' ' || c == '\t' {
                    self.indent += if c == '\t' { 8 } else { 1 };
                    self.i += 1;
                    continue;
                }
                self.at_start = false;
                self.start = self.physical;
            }
            if !self.special(c) {
                self.code.push(c);
                self.text.push(c);
                self.i += 1;
            }
        }
        self.flush();
    }

    /// Handle a character with a meaning of its own; false when it is plain code.
    fn special(&mut self, c: char) -> bool {
        let next = self.chars.get(self.i + 1).copied();
        match c {
            '#' => {
                while self.chars.get(self.i).is_some_and(|&c| c != '\n') {
                    self.i += 1;
                }
            }
            '"' | '\'' => self.string(c),
            '(' | '[' | '{' => {
                self.depth += 1;
                return false;
            }
            ')' | ']' | '}' => {
                self.depth = self.depth.saturating_sub(1);
                return false;
            }
            '\\' if next == Some('\n') => {
                self.physical += 1;
                self.i += 2;
                self.code.push(' ');
                self.text.push(' ');
            }
            ';' if self.depth == 0 => {
                self.flush();
                self.i += 1;
                self.start = self.physical;
                while self.chars.get(self.i) == Some(&' ') {
                    self.i += 1;
                }
            }
            '\n' => {
                self.physical += 1;
                self.i += 1;
                if self.depth == 0 {
                    self.flush();
                    self.at_start = true;
                    self.indent = 0;
                } else {
                    self.code.push(' ');
                    self.text.push(' ');
                }
            }
            '\r' => self.i += 1,
            _ => return false,
        }
        true
    }

    /// A string literal opening with `quote` at `i`: blanked in `code`, kept in `text`.
    fn string(&mut self, quote: char) {
        let chars = &self.chars;
        let tripled =
            |at: usize| chars.get(at) == Some(&quote) && chars.get(at + 1) == Some(&quote);
        let triple = tripled(self.i + 1);
        let width = if triple { 3 } else { 1 };
        let quotes: String = std::iter::repeat_n(quote, width).collect();
        self.code.push_str(&quotes);
        self.text.push_str(&quotes);
        self.i += width;
        while let Some(&s) = self.chars.get(self.i) {
            if s == '\\' {
                self.text.push(s);
                if let Some(&next) = self.chars.get(self.i + 1) {
                    self.text.push(next);
                    if next == '\n' {
                        self.physical += 1;
                    }
                }
                self.i += 2;
                continue;
            }
            let chars = &self.chars;
            let closes = s == quote
                && (!triple
                    || chars.get(self.i + 1) == Some(&quote)
                        && chars.get(self.i + 2) == Some(&quote));
            if closes {
                break;
            }
            if s == '\n' {
                if !triple {
                    break;
                }
                self.physical += 1;
            }
            self.text.push(s);
            self.i += 1;
        }
        if self.chars.get(self.i) == Some(&quote) {
            self.code.push_str(&quotes);
            self.text.push_str(&quotes);
            self.i += width;
        }
    }

    fn flush(&mut self) {
        if !self.code.trim().is_empty() {
            self.lines.push(Logical {
                line: self.start,
                indent: self.indent,
                code: self.code.trim_end().to_string(),
                text: self.text.trim_end().to_string(),
            });
        }
        self.code.clear();
        self.text.clear();
    }
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
