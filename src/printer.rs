//! All user-facing output goes through here: verbosity and colour are decided once.

use std::io::{IsTerminal, Write};

use console::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone)]
pub struct Printer {
    level: Level,
    color: bool,
}

impl Printer {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty.
    pub fn new(level: Level) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = !no_color && std::io::stderr().is_terminal();
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self { level, color }
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// A line of normal output on stdout.
    pub fn info(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            let _ = writeln!(std::io::stdout(), "{}", line.as_ref());
        }
    }

    /// A line shown only with --verbose.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.level >= Level::Verbose {
            let _ = writeln!(std::io::stdout(), "{}", line.as_ref());
        }
    }

    /// Output that is the command's result (JSON, HTML, completions): printed even with --quiet.
    pub fn data(&self, text: impl AsRef<str>) {
        let _ = write!(std::io::stdout(), "{}", text.as_ref());
    }

    /// A warning on stderr, shown unless --quiet.
    pub fn warn(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            let label = self.paint(Style::new().yellow().bold(), "warning:");
            let _ = writeln!(std::io::stderr(), "{label} {}", line.as_ref());
        }
    }

    /// An error and its cause chain on stderr; always shown.
    pub fn error(&self, err: &dyn std::error::Error) {
        let mut out = std::io::stderr().lock();
        let label = self.paint(Style::new().red().bold(), "error:");
        let _ = writeln!(out, "{label} {err}");
        let mut source = err.source();
        while let Some(cause) = source {
            let _ = writeln!(out, "  caused by: {cause}");
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
