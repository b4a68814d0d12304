//! All user-facing output goes through here: verbosity and colour are decided once, and a
//! failed write to stdout is kept so the run can end with it (a closed pipe only stops output).

use std::cell::RefCell;
use std::io::{IsTerminal, Write};

use console::Style;

/// `text` without control characters other than newline and tab: for text that comes from a
/// template or an answer, so that it cannot move the cursor, erase lines or set the title.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        text.chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug)]
pub struct Printer {
    level: Level,
    color: bool,
    stdout: RefCell<Stdout>,
}

#[derive(Debug)]
enum Stdout {
    Open,
    /// The reader went away (`| head`): nothing more is written, and that is no error.
    Closed,
    Failed(std::io::Error),
}

impl Printer {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty.
    pub fn new(level: Level) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = !no_color && std::io::stderr().is_terminal();
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self {
            level,
            color,
            stdout: RefCell::new(Stdout::Open),
        }
    }

    /// Write to stdout and flush, so a failure shows at once; after a failure nothing more is
    /// written.
    fn out(&self, text: &str) {
        let mut state = self.stdout.borrow_mut();
        if !matches!(*state, Stdout::Open) {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        if let Err(err) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            *state = if err.kind() == std::io::ErrorKind::BrokenPipe {
                Stdout::Closed
            } else {
                Stdout::Failed(err)
            };
        }
    }

    /// The error that stopped output to stdout, if one did (a closed pipe is none).
    pub fn stdout_failure(&self) -> Option<std::io::Error> {
        match std::mem::replace(&mut *self.stdout.borrow_mut(), Stdout::Open) {
            Stdout::Failed(err) => Some(err),
            _ => None,
        }
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// A line of normal output on stdout.
    pub fn info(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            self.out(&format!("{}\n", line.as_ref()));
        }
    }

    /// A line shown only with --verbose.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.level >= Level::Verbose {
            self.out(&format!("{}\n", line.as_ref()));
        }
    }

    /// Output that is the command's result (JSON, HTML, completions): printed even with --quiet.
    pub fn data(&self, text: impl AsRef<str>) {
        self.out(text.as_ref());
    }

    /// A warning on stderr, shown unless --quiet.
    pub fn warn(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            let label = self.paint(Style::new().yellow().bold(), "warning:");
            let _ = writeln!(std::io::stderr(), "{label} {}", printable(line.as_ref()));
        }
    }

    /// An error and its cause chain on stderr; always shown.
    pub fn error(&self, err: &dyn std::error::Error) {
        let mut out = std::io::stderr().lock();
        let label = self.paint(Style::new().red().bold(), "error:");
        // Messages quote answers and template text: nothing in them may drive the terminal.
        let _ = writeln!(out, "{label} {}", printable(&err.to_string()));
        let mut source = err.source();
        while let Some(cause) = source {
            let _ = writeln!(out, "  caused by: {}", printable(&cause.to_string()));
            source = cause.source();
        }
    }

    /// Apply a style when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }
}
