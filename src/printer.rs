//! All user-facing output goes through here. The command's result (text, JSON, HTML, scripts)
//! goes to stdout; messages (what was done, warnings, errors) go to stderr. Verbosity is
//! decided once, colour once per stream, and a failed write to stdout is kept so the run can
//! end with it (a closed pipe only stops output).

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

/// `--color`: `auto` decides per stream from the environment and whether it is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to colour one stream. `--color always|never` wins; then `NO_COLOR` (set and not
/// empty) turns colour off, `CLICOLOR_FORCE` (set and not `0`) on, `CLICOLOR=0` or
/// `TERM=dumb` off; otherwise a terminal gets colour.
pub fn wants_color(
    choice: ColorChoice,
    is_terminal: bool,
    var: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto if set("CLICOLOR").as_deref() == Some("0") => false,
        ColorChoice::Auto if set("TERM").as_deref() == Some("dumb") => false,
        ColorChoice::Auto => is_terminal,
    }
}

/// `text` fitted to `width` columns, line by line: a long line wraps under its own indent and
/// two more; an indented command whose `# comment` does not fit keeps the command whole on its
/// line (so it can be copied) and puts the comment, wrapped, under it.
pub fn fit(text: &str, width: usize) -> String {
    let width = width.max(30);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if textwrap::core::display_width(line) < width {
            out.push_str(line);
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let deeper = format!("{indent}  ");
        if !indent.is_empty()
            && let Some((command, comment)) = line.split_once(" # ")
        {
            out.push_str(command.trim_end());
            // Each line of the comment stays a comment, so the block can still be pasted.
            let comment = format!("{deeper}# {}", comment.trim());
            let hash = format!("{deeper}# ");
            let options = textwrap::Options::new(width - 1).subsequent_indent(&hash);
            for part in textwrap::wrap(&comment, options) {
                out.push('\n');
                out.push_str(&part);
            }
            continue;
        }
        let options = textwrap::Options::new(width - 1)
            .initial_indent(indent)
            .subsequent_indent(&deeper);
        out.push_str(&textwrap::fill(line.trim_start(), options));
    }
    out
}

#[derive(Debug)]
pub struct Printer {
    level: Level,
    color_out: bool,
    color_err: bool,
    /// The terminal's width for each stream that is one; text to a pipe or file is not wrapped.
    width_out: Option<usize>,
    width_err: Option<usize>,
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
    pub fn new(level: Level, choice: ColorChoice) -> Self {
        let var = |name: &str| std::env::var(name).ok();
        let color_out = wants_color(choice, std::io::stdout().is_terminal(), var);
        let color_err = wants_color(choice, std::io::stderr().is_terminal(), var);
        // Asking first lets console switch a Windows terminal to ANSI sequences.
        let _ = (console::colors_enabled(), console::colors_enabled_stderr());
        console::set_colors_enabled(color_out);
        console::set_colors_enabled_stderr(color_err);
        let width = |term: console::Term| term.size_checked().map(|(_, cols)| usize::from(cols));
        Self {
            level,
            color_out,
            color_err,
            width_out: width(console::Term::stdout()),
            width_err: width(console::Term::stderr()),
            stdout: RefCell::new(Stdout::Open),
        }
    }

    /// `text` for stdout: wrapped to its terminal, as it is for a pipe or file.
    fn for_out<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self.width_out {
            Some(width) => fit(text, width).into(),
            None => text.into(),
        }
    }

    /// `text` for stderr: wrapped to its terminal, as it is for a pipe or file.
    fn for_err<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self.width_err {
            Some(width) => fit(text, width).into(),
            None => text.into(),
        }
    }

    /// A printer that writes nothing, for tests that run commands in-process.
    #[cfg(test)]
    pub fn silent() -> Self {
        Self {
            level: Level::Quiet,
            color_out: false,
            color_err: false,
            width_out: None,
            width_err: None,
            stdout: RefCell::new(Stdout::Closed),
        }
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// Whether messages on stderr (and the wizard) are coloured.
    pub fn stderr_color(&self) -> bool {
        self.color_err
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

    /// A line of the command's result, on stdout, wrapped to a terminal.
    pub fn line(&self, text: impl AsRef<str>) {
        self.out(&format!("{}\n", self.for_out(text.as_ref())));
    }

    /// The command's result as it is (JSON, HTML, a script), on stdout.
    pub fn data(&self, text: impl AsRef<str>) {
        self.out(text.as_ref());
    }

    /// A message on stderr: what was done, what to do next. Not shown with --quiet.
    pub fn info(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            let _ = writeln!(std::io::stderr(), "{}", self.for_err(line.as_ref()));
        }
    }

    /// A message on stderr shown only with --verbose.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.level >= Level::Verbose {
            let _ = writeln!(std::io::stderr(), "{}", line.as_ref());
        }
    }

    /// A warning on stderr, shown unless --quiet.
    pub fn warn(&self, line: impl AsRef<str>) {
        if self.level >= Level::Normal {
            let text = format!("warning: {}", printable(line.as_ref()));
            let text = self.for_err(&text);
            let label = self.paint_err(Style::new().yellow().bold(), "warning:");
            let _ = writeln!(std::io::stderr(), "{label}{}", &text["warning:".len()..]);
        }
    }

    /// An error and its cause chain on stderr; always shown.
    pub fn error(&self, err: &dyn std::error::Error) {
        let mut out = std::io::stderr().lock();
        let label = self.paint_err(Style::new().red().bold(), "error:");
        // Messages quote answers and template text: nothing in them may drive the terminal.
        let text = format!("error: {}", printable(&err.to_string()));
        let _ = writeln!(out, "{label}{}", &self.for_err(&text)["error:".len()..]);
        let mut source = err.source();
        while let Some(cause) = source {
            let text = format!("  caused by: {}", printable(&cause.to_string()));
            let _ = writeln!(out, "{}", self.for_err(&text));
            source = cause.source();
        }
    }

    /// Style text that goes to stdout, when stdout is coloured.
    pub fn paint(&self, style: Style, text: &str) -> String {
        paint_if(self.color_out, style, text)
    }

    /// Style text that goes to stderr, when stderr is coloured.
    pub fn paint_err(&self, style: Style, text: &str) -> String {
        paint_if(self.color_err, style, text)
    }
}

fn paint_if(on: bool, style: Style, text: &str) -> String {
    if on {
        style.force_styling(true).apply_to(text).to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn colour_follows_the_flag_then_the_conventions_then_the_terminal() {
        use ColorChoice::*;
        assert!(wants_color(Auto, true, with(&[])));
        assert!(!wants_color(Auto, false, with(&[])));
        assert!(!wants_color(Auto, true, with(&[("NO_COLOR", "1")])));
        assert!(wants_color(Auto, true, with(&[("NO_COLOR", "")])));
        assert!(wants_color(Auto, false, with(&[("CLICOLOR_FORCE", "1")])));
        assert!(!wants_color(Auto, false, with(&[("CLICOLOR_FORCE", "0")])));
        assert!(!wants_color(
            Auto,
            false,
            with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!wants_color(Auto, true, with(&[("CLICOLOR", "0")])));
        assert!(!wants_color(Auto, true, with(&[("TERM", "dumb")])));
        assert!(wants_color(Always, false, with(&[("NO_COLOR", "1")])));
        assert!(!wants_color(Never, true, with(&[("CLICOLOR_FORCE", "1")])));
    }

    #[test]
    fn long_lines_wrap_under_their_indent_and_commands_stay_whole() {
        let text = "Created leaf-doctor from template mlops 0.2.0 (built-in): 33 files.\n  \
                    uv sync                       # install the project and its dev tools; this writes uv.lock\nshort";
        assert_eq!(
            fit(text, 40),
            "Created leaf-doctor from template mlops\n  0.2.0 (built-in): 33 files.\n  uv sync\n    \
             # install the project and its dev\n    # tools; this writes uv.lock\nshort"
        );
        assert_eq!(fit("fits", 40), "fits");
    }

    #[test]
    fn control_characters_are_taken_out_of_printed_text() {
        assert_eq!(printable("a\u{1b}]0;x\u{7}b\n\tc"), "a]0;xb\n\tc");
        assert!(matches!(printable("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
