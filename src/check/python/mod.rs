//! A light reader of Python source: logical lines, imports, definitions and references.
//!
//! What it handles: comments; string literals of every quote style (their contents are
//! blanked in `code`, so a word inside a string or docstring never counts as a call); lines
//! joined inside brackets or by a trailing backslash; statements split on `;`; `import a.b`,
//! `import a.b as c`, `from a import b as c`, parenthesised multi-line `from` imports and
//! relative imports; `def`/`async def` signatures (type hints, docstrings); class bases.
//!
//! Its limits, on purpose: it does not evaluate anything, so names bound by assignment
//! (`w = wandb; w.log()`), `importlib`, `exec` or star imports are not followed; f-string
//! expressions count as string contents; a reference is found by name, so a local variable
//! that shadows an imported module can give a false positive. That is good enough to tell
//! whether a project uses a library, which is all the checklist needs.

mod lexer;

pub use lexer::Logical;
use lexer::logical_lines;

/// A name an import statement binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The name usable in the module (`np` for `import numpy as np`).
    pub name: String,
    /// What the name stands for (`numpy`; `a` for `import a.b`).
    pub target: String,
    /// The full dotted path the statement imports (`a.b` for `import a.b`).
    pub imported: String,
    pub line: usize,
}

/// A `def` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub line: usize,
    pub annotated: bool,
    pub docstring: bool,
    /// Statements in the body that do work (see [`Logical::does_work`]); 0 for a stub.
    pub body_statements: usize,
}

/// A `class` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub name: String,
    pub bases: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct PyFile {
    pub lines: Vec<Logical>,
    pub bindings: Vec<Binding>,
    pub functions: Vec<Function>,
    pub classes: Vec<Class>,
    /// All code, one logical line per text line: one substring search over it rules out
    /// most words before any line is looked at.
    all_code: String,
}

impl PyFile {
    pub fn parse(source: &str) -> Self {
        let lines = logical_lines(source.strip_prefix('\u{feff}').unwrap_or(source));
        let all_code = lines
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut file = PyFile {
            lines,
            all_code,
            ..Self::default()
        };
        for (index, logical) in file.lines.iter().enumerate() {
            let code = logical.code.trim();
            if let Some(rest) = code.strip_prefix("import ") {
                file.bindings.extend(parse_import(rest, logical.line));
            } else if let Some(rest) = code.strip_prefix("from ") {
                file.bindings.extend(parse_from(rest, logical.line));
            } else if let Some(function) = parse_def(code, logical.line) {
                let docstring = file
                    .lines
                    .get(index + 1)
                    .is_some_and(|next| next.indent > logical.indent && next.is_string_only());
                let body_statements = file.lines[index + 1..]
                    .iter()
                    .take_while(|next| next.indent > logical.indent)
                    .filter(|next| next.does_work())
                    .count();
                file.functions.push(Function {
                    docstring,
                    body_statements,
                    ..function
                });
            } else if let Some(class) = parse_class(code, logical.line) {
                file.classes.push(class);
            }
        }
        file
    }

    /// The first line that imports or uses the dotted name `dotted` (a module, or a name in
    /// one): `refers_to("torch.onnx.export")` finds `torch.onnx.export(`, `from torch import
    /// onnx` + `onnx.export(`, and `from torch.onnx import export`.
    pub fn refers_to(&self, dotted: &str) -> Option<usize> {
        let mut first: Option<usize> = None;
        let mut note = |line: usize| first = Some(first.map_or(line, |f| f.min(line)));
        for binding in &self.bindings {
            if covers(dotted, &binding.imported) {
                note(binding.line);
                continue;
            }
            let Some(rest) = dotted
                .strip_prefix(binding.target.as_str())
                .and_then(|r| r.strip_prefix('.'))
            else {
                continue;
            };
            let needle = format!("{}.{rest}", binding.name);
            if let Some(line) = self.find_word(&needle) {
                note(line);
            }
        }
        first
    }

    /// The first of `names` the file refers to (see [`refers_to`](Self::refers_to)), with
    /// the line it does so on.
    pub fn first_reference<'n>(&self, names: &[&'n str]) -> Option<(&'n str, usize)> {
        names
            .iter()
            .find_map(|name| self.refers_to(name).map(|line| (*name, line)))
    }

    /// True when any import names `module` or something inside it.
    pub fn imports(&self, module: &str) -> bool {
        self.bindings.iter().any(|b| covers(module, &b.imported))
    }

    /// True when the code (strings blanked, comments dropped) contains `needle` anywhere.
    pub fn code_contains(&self, needle: &str) -> bool {
        self.all_code.contains(needle)
    }

    /// The first line whose code (strings blanked, comments dropped) contains `needle`.
    pub fn line_containing(&self, needle: &str) -> Option<usize> {
        if !self.all_code.contains(needle) {
            return None;
        }
        self.lines
            .iter()
            .find(|l| l.code.contains(needle))
            .map(|l| l.line)
    }

    /// The first non-import line whose code contains `word` with identifier boundaries.
    pub fn find_word(&self, word: &str) -> Option<usize> {
        if !self.all_code.contains(word) {
            return None;
        }
        self.lines
            .iter()
            .filter(|l| !is_import(&l.code))
            .find(|l| contains_word(&l.code, word))
            .map(|l| l.line)
    }

    /// Calls of `callee` (a dotted name as written), with the line and the argument text
    /// (strings kept, so `strategy="ddp"` can be read).
    pub fn calls<'a>(&'a self, callee: &'a str) -> impl Iterator<Item = (usize, String)> + 'a {
        let present = self.all_code.contains(callee);
        self.lines
            .iter()
            .filter(move |l| present && contains_word(&l.code, callee))
            .flat_map(move |l| {
                word_positions(&l.text, callee)
                    .filter_map(|at| {
                        let after = l.text[at + callee.len()..].trim_start();
                        after
                            .strip_prefix('(')
                            .map(|args| (l.line, balanced_prefix(args)))
                    })
                    .collect::<Vec<_>>()
            })
    }

    /// The names under which `dotted` can be called here: `wandb.log` with `import wandb as
    /// wb` gives `wb.log`; with `from wandb import log as l` it gives `l`.
    pub fn local_names(&self, dotted: &str) -> Vec<String> {
        let mut names = Vec::new();
        for binding in &self.bindings {
            if binding.target == dotted {
                names.push(binding.name.clone());
            } else if let Some(rest) = dotted
                .strip_prefix(binding.target.as_str())
                .and_then(|r| r.strip_prefix('.'))
            {
                names.push(format!("{}.{rest}", binding.name));
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

/// True when `imported` is `dotted` or lies inside it.
fn covers(dotted: &str, imported: &str) -> bool {
    imported == dotted
        || imported
            .strip_prefix(dotted)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn is_import(code: &str) -> bool {
    let code = code.trim_start();
    code.starts_with("import ") || code.starts_with("from ")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_positions<'a>(code: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    code.match_indices(word).filter_map(move |(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        let clean_before = before.is_none_or(|c| !is_ident(c) && c != '.');
        let clean_after = after.is_none_or(|c| !is_ident(c));
        (clean_before && clean_after).then_some(at)
    })
}

pub fn contains_word(code: &str, word: &str) -> bool {
    word_positions(code, word).next().is_some()
}

/// The text up to the bracket that closes an already opened one.
fn balanced_prefix(text: &str) -> String {
    let mut depth = 1usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return text[..at].to_string();
                }
            }
            _ => {}
        }
    }
    text.to_string()
}

/// Split a top-level, comma-separated list.
pub fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

fn parse_import(rest: &str, line: usize) -> Vec<Binding> {
    split_top_level(rest)
        .into_iter()
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let module = words.next()?.to_string();
            match (words.next(), words.next()) {
                (Some("as"), Some(alias)) => Some(Binding {
                    name: alias.to_string(),
                    target: module.clone(),
                    imported: module,
                    line,
                }),
                _ => {
                    let top = module.split('.').next().unwrap_or(&module).to_string();
                    Some(Binding {
                        name: top.clone(),
                        target: top,
                        imported: module,
                        line,
                    })
                }
            }
        })
        .collect()
}

fn parse_from(rest: &str, line: usize) -> Vec<Binding> {
    let Some((module, names)) = rest.split_once(" import ") else {
        return Vec::new();
    };
    let module = module.trim();
    let names = names.trim().trim_start_matches('(').trim_end_matches(')');
    split_top_level(names)
        .into_iter()
        .filter(|part| !part.is_empty() && part != "*")
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let name = words.next()?;
            let alias = match (words.next(), words.next()) {
                (Some("as"), Some(alias)) => alias,
                _ => name,
            };
            let full = if module.ends_with('.') {
                format!("{module}{name}")
            } else {
                format!("{module}.{name}")
            };
            Some(Binding {
                name: alias.to_string(),
                target: full.clone(),
                imported: full,
                line,
            })
        })
        .collect()
}

fn parse_def(code: &str, line: usize) -> Option<Function> {
    let rest = code
        .strip_prefix("async def ")
        .or_else(|| code.strip_prefix("def "))?;
    let (name, after) = rest.split_once('(')?;
    let params = balanced_prefix(after);
    let tail = &after[params.len()..];
    let annotated = tail.contains("->") || split_top_level(&params).iter().any(|p| p.contains(':'));
    Some(Function {
        name: name.trim().to_string(),
        line,
        annotated,
        docstring: false,
        body_statements: 0,
    })
}

fn parse_class(code: &str, line: usize) -> Option<Class> {
    let rest = code.strip_prefix("class ")?;
    let end = rest.find(['(', ':']).unwrap_or(rest.len());
    let name = rest[..end].trim().to_string();
    let bases = rest[end..]
        .strip_prefix('(')
        .map(|args| split_top_level(&balanced_prefix(args)))
        .unwrap_or_default()
        .into_iter()
        .filter(|b| !b.contains('='))
        .collect();
    Some(Class { name, bases, line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_of_every_shape_are_bound() {
        let file = PyFile::parse(
            "import os, numpy as np\nimport torch.nn.functional\nfrom wandb import (\n    init,  # start\n    log as wlog,\n)\nfrom . import data\nfrom .model import Net\n",
        );
        let names: Vec<_> = file
            .bindings
            .iter()
            .map(|b| (b.name.as_str(), b.target.as_str(), b.line))
            .collect();
        assert_eq!(
            names,
            [
                ("os", "os", 1),
                ("np", "numpy", 1),
                ("torch", "torch", 2),
                ("init", "wandb.init", 3),
                ("wlog", "wandb.log", 3),
                ("data", ".data", 7),
                ("Net", ".model.Net", 8),
            ]
        );
        assert!(file.imports("torch.nn"));
        assert!(file.imports("wandb"));
        assert!(!file.imports("torch.optim"));
    }

    #[test]
    fn references_follow_aliases_and_ignore_strings_and_comments() {
        let source = r#"
import wandb as wb
import torch
"""Calls wandb.log( in a docstring do not count, nor torch.compile."""
# torch.compile(model) in a comment does not count
print("torch.compile(model)")
wb.log({"loss": 1.0})
"#;
        let file = PyFile::parse(source);
        assert_eq!(file.refers_to("wandb.log"), Some(7));
        assert_eq!(file.refers_to("wandb"), Some(2));
        assert_eq!(file.refers_to("torch.compile"), None);
        assert_eq!(file.local_names("wandb.log"), ["wb.log"]);
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_import() {
        let file = PyFile::parse("\u{feff}import wandb\n");
        assert!(file.imports("wandb"));
    }

    #[test]
    fn from_imports_count_as_references() {
        let file = PyFile::parse("from torch.profiler import profile\n");
        assert_eq!(file.refers_to("torch.profiler"), Some(1));
        assert_eq!(file.refers_to("torch.profiler.profile"), Some(1));
        assert_eq!(file.refers_to("torch"), Some(1));
        assert_eq!(file.refers_to("torch.onnx"), None);
    }

    #[test]
    fn functions_report_type_hints_and_docstrings() {
        let source = "def a(x: int,\n      y=2) -> int:\n    \"\"\"Add.\"\"\"\n    return x\n\nasync def b(x):\n    return x\n\nclass C(nn.Module, metaclass=M):\n    def c(self) -> None:\n        '''Doc.'''\n";
        let file = PyFile::parse(source);
        let summary: Vec<_> = file
            .functions
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.line,
                    f.annotated,
                    f.docstring,
                    f.body_statements,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("a", 1, true, true, 1),
                ("b", 6, false, false, 1),
                ("c", 10, true, true, 0)
            ]
        );
        assert_eq!(file.classes[0].name, "C");
        assert_eq!(file.classes[0].bases, ["nn.Module"]);
    }

    #[test]
    fn calls_return_their_arguments_across_lines() {
        let file = PyFile::parse(
            "loader = DataLoader(\n    ds,\n    num_workers=4,  # many\n)\nx = MyDataLoader(ds)\n",
        );
        let calls: Vec<_> = file.calls("DataLoader").collect();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].0, 1);
        assert!(calls[0].1.contains("num_workers=4"));
    }
}
