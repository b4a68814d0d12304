//! Every failure dayone reports, as data. Each variant names the file, flag or variable
//! involved and maps to one exit code; `main` prints the message and its cause chain once.

use std::path::PathBuf;

/// Exit code for bad input: arguments, answers, manifest, destination conflict.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a failing environment: I/O, permissions, git.
pub const EXIT_ENVIRONMENT: u8 = 3;
/// Exit code after Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
pub const EXIT_INTERRUPTED: u8 = 130;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- bad input (exit 2) -------------------------------------------------------------
    #[error("{0}")]
    Usage(String),

    #[error(
        "no built-in template is called `{name}` and no folder `{name}` exists; built-in templates: {known}"
    )]
    UnknownTemplate { name: String, known: String },

    #[error("{path} is not a template folder: it has no template.toml")]
    NotATemplate { path: PathBuf },

    #[error("{file}: invalid TOML at line {line}, column {column}: {message}")]
    Toml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}: {} problem(s) in the template manifest:\n{}", problems.len(), problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Manifest { file: String, problems: Vec<String> },

    #[error("template `{template}` needs dayone {required} or newer; this is dayone {current}")]
    TooOld {
        template: String,
        required: String,
        current: String,
    },

    #[error("{source_name}: {message}")]
    Answer {
        source_name: String,
        message: String,
    },

    #[error(
        "{file}: these answers are for template `{found}`, but the template in use is `{expected}`; pass --template {found} or use a matching answers file"
    )]
    AnswersForOtherTemplate {
        file: String,
        found: String,
        expected: String,
    },

    #[error("no answer for {}; there is no terminal to ask, so pass {}", missing.join(", "), missing.iter().map(|m| format!("--set {m}=…")).collect::<Vec<_>>().join(" "))]
    MissingAnswers { missing: Vec<String> },

    #[error("template `{template}`, file {file}: {message}")]
    Render {
        template: String,
        file: String,
        message: String,
    },

    #[error("{path} already exists and is not a folder; choose another destination")]
    DestinationIsFile { path: PathBuf },

    #[error(
        "{path} is not empty; choose an empty or new folder, or pass --force to write the template's files over it (nothing else is touched)"
    )]
    DestinationNotEmpty { path: PathBuf },

    // ---- report (issue 4): bad input (exit 2) --------------------------------------------
    #[error("{path} does not exist; {expected}")]
    PathMissing {
        path: PathBuf,
        /// What the command takes instead, e.g. "pass a project folder".
        expected: &'static str,
    },

    #[error(
        "no report in {path}: expected {expected}; pass a project folder, its reports/ folder or the report file"
    )]
    NoReport { path: PathBuf, expected: PathBuf },

    #[error("{path} is not UTF-8 text (invalid byte at offset {offset}); save the report as UTF-8")]
    ReportNotUtf8 { path: PathBuf, offset: usize },

    #[error("{path} is not a report the graders' tool can read: {problem}")]
    NotAReport { path: PathBuf, problem: String },

    // ---- check (issue 5): bad input (exit 2) ---------------------------------------------
    #[error("{file}: {} problem(s) in the checklist data:\n{}", problems.len(), problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Checklist { file: String, problems: Vec<String> },

    #[error(
        "{path} is not a project folder: {reason}; a project has at least one of .git, .dayone.toml, pyproject.toml, setup.py, setup.cfg, requirements.txt, environment.yml, src/ or reports/README.md"
    )]
    NotAProject { path: PathBuf, reason: String },

    // ---- environment (exit 3) -----------------------------------------------------------
    #[error(transparent)]
    Io(#[from] std::io::Error),

    #[error("git: {action} in {path}")]
    Git {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: git2::Error,
    },

    #[error("interrupted; nothing was written")]
    Interrupted,
}

impl Error {
    /// A TOML error as data: the file, 1-based line and column, and toml's own message.
    pub fn toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let offset = err.span().map_or(0, |span| span.start).min(text.len());
        let before = &text[..offset];
        Error::Toml {
            file: file.to_string(),
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message: err.message().trim().to_string(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io(_) | Error::Git { .. } => EXIT_ENVIRONMENT,
            Error::Interrupted => EXIT_INTERRUPTED,
            _ => EXIT_BAD_INPUT,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
