//! Every failure dayone reports, as data, and the one table of exit codes. Each variant names the
//! file, flag or variable involved; a cause from below (I/O, git, a value's problem) is kept as
//! the variant's source, so the printer shows it once as "caused by".

use std::path::PathBuf;

use crate::value::Problem;

/// How a run ends. The only place exit codes are decided; `--help` prints this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    Findings,
    BadInput,
    Environment,
    Interrupted,
}

impl Exit {
    pub const ALL: [Exit; 5] = [
        Exit::Success,
        Exit::Findings,
        Exit::BadInput,
        Exit::Environment,
        Exit::Interrupted,
    ];

    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Findings => 1,
            Exit::BadInput => 2,
            Exit::Environment => 3,
            // As shells report a process ended by SIGINT: 128 + 2.
            Exit::Interrupted => 130,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::Findings => {
                "findings: `report check` found answers to fix, `report html` an image it cannot show,\n       `check --strict` a ticked box without evidence, `update`/`add` left conflicts to resolve"
            }
            Exit::BadInput => {
                "bad input: arguments, answers, template manifest, destination conflict,\n     another dayone run holds the project"
            }
            Exit::Environment => {
                "the environment failed: I/O, permissions, git, the network (a fetch from git)"
            }
            Exit::Interrupted => "interrupted (Ctrl-C); nothing was left behind",
        }
    }
}

/// Which source gave an answer, as messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--set NAME=…`.
    Set { variable: String },
    /// The `[answers]` table of an answers file.
    AnswersFile { file: String, variable: String },
    /// The `[defaults]` table of the user config.
    Config { file: String, variable: String },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Set { variable } => write!(f, "--set {variable}"),
            Origin::AnswersFile { file, variable } => write!(f, "{file}: [answers] {variable}"),
            Origin::Config { file, variable } => write!(f, "{file}: [defaults] {variable}"),
        }
    }
}

/// A lock holder as a message names it: `another dayone run (pid 42: dayone update)`.
fn holder_or_unknown(holder: &str) -> String {
    if holder.is_empty() {
        "another dayone run".to_string()
    } else {
        format!("another dayone run ({holder})")
    }
}

fn bullets(problems: &[String]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- templates (exit 2) --------------------------------------------------------------
    #[error(
        "no built-in template is called `{name}` and no folder `{name}` exists; built-in templates: {known}"
    )]
    UnknownTemplate { name: String, known: String },

    #[error(
        "{file} was made with template `{name}`, which is not built in; pass its folder with --template PATH"
    )]
    RecordedTemplateNotBuiltin { file: PathBuf, name: String },

    #[error(
        "{file} records the template folder `{recorded}` ({folder}), which is not there; pass the template's folder with --template PATH (the update then records where it is)", file = file.display(), folder = folder.display()
    )]
    RecordedFolderMissing {
        file: PathBuf,
        recorded: String,
        folder: PathBuf,
    },

    #[error("template `{given}`: {problem}")]
    TemplateAddress { given: String, problem: String },

    #[error(
        "{flag}: {} records a template that is {source_text}, not one from git; pass --template URL to switch to a template from git", file.display()
    )]
    NotFromGit {
        flag: String,
        file: PathBuf,
        source_text: String,
    },

    #[error(
        "{location} (commit {commit}) has no folder or file `{subdir}`; {found}", commit = short(commit)
    )]
    SubdirMissing {
        location: String,
        commit: String,
        subdir: String,
        /// The folders that hold a template, as a sentence saying which to write.
        found: String,
    },

    #[error("{location} (commit {commit}) is not a template: it has no template.toml at {top}; {found}", commit = short(commit))]
    NotATemplateInRepository {
        location: String,
        commit: String,
        /// "its top" or "#SUBDIR".
        top: String,
        found: String,
    },

    #[error(
        "{url} has no {what}: git says: {message}; `git ls-remote {url}` lists its branches and tags"
    )]
    RefMissing {
        url: String,
        /// "ref `v9`", or "default branch (it has no commits?)".
        what: String,
        message: String,
    },

    #[error(
        "{url} is not a git repository dayone can reach: git says: {message}; check the address (and, for a private repository, that `git ls-remote {url}` works in this terminal)"
    )]
    RepositoryMissing { url: String, message: String },

    #[error("{path} is not a template folder: it has neither template.toml nor cookiecutter.json")]
    NotATemplate { path: PathBuf },

    #[error("{path} is a file; a template is a folder with template.toml and project/ in it")]
    TemplateIsAFile { path: PathBuf },

    #[error("{path} is a symbolic link; a template holds plain files only, so copy the file in")]
    TemplateSymlink { path: PathBuf },

    #[error(
        "{} has a name that is not UTF-8, which a project cannot carry to every system; rename it", path.display()
    )]
    TemplatePathNotUtf8 { path: PathBuf },

    #[error("{file}: invalid TOML at line {line}, column {column}: {message}")]
    Toml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}: invalid JSON at line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{file}: {} in the template manifest:\n{}", crate::plural::count(problems.len(), "problem", "problems"), bullets(problems))]
    Manifest { file: String, problems: Vec<String> },

    #[error(
        "{file}: `_extensions` lists `{name}`, a Jinja extension dayone does not have (it has {known}); dayone runs no Python, so port what the extension does into the template (docs/templates.md) or use cookiecutter for this template"
    )]
    UnknownExtension {
        file: String,
        name: String,
        known: String,
    },

    #[error(
        "{path} is a cookiecutter template without its project folder: none of its folders is named like `{{{{ cookiecutter.project_slug }}}}`"
    )]
    NoCookiecutterFolder { path: PathBuf },

    #[error("template `{template}` needs dayone {required} or newer; this is dayone {current}")]
    TooOld {
        template: String,
        required: String,
        current: String,
    },

    #[error("template `{template}`, file {file}: {message}")]
    Render {
        template: String,
        file: String,
        message: String,
    },

    #[error("template `{template}` does not name a project folder; give one: dayone new DIR")]
    NoDirectory { template: String },

    // ---- answers (exit 2) ----------------------------------------------------------------
    #[error("--set `{flag}` has no `=`; write --set KEY=VALUE, e.g. --set api=false")]
    SetWithoutEquals { flag: String },

    #[error("--set `{flag}` has an empty KEY; write --set KEY=VALUE")]
    SetEmptyKey { flag: String },

    #[error("--set {key} is given twice (`{first}` and `{second}`); pass each variable once")]
    SetTwice {
        key: String,
        first: String,
        second: String,
    },

    #[error("--set {key}: template `{template}` has no variable `{key}`; known variables: {known}")]
    UnknownSetKey {
        key: String,
        template: String,
        known: String,
    },

    #[error(
        "--set {key}={value}: `{key}` is only used when `{when}`, which is false for these answers; leave it out, or also set what it depends on (`dayone add` takes several features at once)"
    )]
    SetNotApplicable {
        key: String,
        value: String,
        when: String,
    },

    #[error(
        "{file}: [answers] has `{key}`, which template `{template}` does not declare; known variables: {known}"
    )]
    UnknownAnswersKey {
        file: String,
        key: String,
        template: String,
        known: String,
    },

    #[error(
        "{file} is not a cookiecutter replay file nor a .cruft.json: it has no `cookiecutter` object (nor `context.cookiecutter`); pass one of those, or a .dayone.toml"
    )]
    NotAReplay { file: String },

    #[error("{origin}: the value {problem}")]
    InvalidAnswer { origin: Origin, problem: Problem },

    #[error("variable `{variable}`: the default {problem}; pass --set {variable}=…")]
    InvalidDefault { variable: String, problem: Problem },

    #[error(
        "{file}: these answers are for template `{found}`, but the template in use is `{expected}`; pass --template {found} or use a matching answers file"
    )]
    AnswersForOtherTemplate {
        file: String,
        found: String,
        expected: String,
    },

    #[error("no answer for {}: the template gives no default, so --yes cannot take one; pass {}", missing.join(", "), missing.iter().map(|m| format!("--set {m}=…")).collect::<Vec<_>>().join(" "))]
    MissingAnswers { missing: Vec<String> },

    #[error(
        "there is no terminal to ask {}; pass --yes to take their defaults, or --set NAME=VALUE for each (`dayone templates` shows them)", questions.join(", ")
    )]
    NobodyToAsk { questions: Vec<String> },

    // ---- files and destinations (exit 2) -------------------------------------------------
    #[error("{path} does not exist; {expected}")]
    PathMissing {
        path: PathBuf,
        /// What the command takes instead, e.g. "pass a project folder".
        expected: &'static str,
    },

    #[error("{} is a folder; pass a file", path.display())]
    FolderNotFile { path: PathBuf },

    #[error("{} is not a regular file (a pipe, a socket or a device); pass a file", path.display())]
    NotARegularFile { path: PathBuf },

    #[error("{path}: not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: PathBuf, offset: usize },

    #[error("{path} already exists and is not a folder; choose another destination")]
    DestinationIsFile { path: PathBuf },

    #[error(
        "{path} is not empty; choose an empty or new folder, or pass --force to write the template's files over it (nothing else is touched)"
    )]
    DestinationNotEmpty { path: PathBuf },

    #[error(
        "{link} is a symbolic link; --force does not write through links (for {file}), so move it away and retry"
    )]
    ForceThroughLink { link: PathBuf, file: String },

    #[error(
        "{path} is a file, but the template needs a folder there (for {file}); move it away and retry"
    )]
    ForceFileInTheWay { path: PathBuf, file: String },

    #[error("{path} is a folder, but the template writes a file there; move it away and retry")]
    ForceFolderInTheWay { path: PathBuf },

    // ---- projects made by dayone (exit 2) -------------------------------------------------
    #[error(
        "{path} is not a project made by dayone: it has no .dayone.toml (or one that names no template); run dayone in the project's top folder"
    )]
    NotADayoneProject { path: PathBuf },

    #[error(
        "{} is already linked to a template: it has .dayone.toml; use `dayone update` (or remove .dayone.toml to link it again)", path.display()
    )]
    AlreadyLinked { path: PathBuf },

    #[error(
        "{file} was written by dayone {version}, newer than this dayone {current}; update dayone first"
    )]
    AnswersFromNewerDayone {
        file: PathBuf,
        version: String,
        current: String,
    },

    #[error(
        "{path} has uncommitted changes: {}; commit or stash them first, or pass --allow-dirty", files.join(", ")
    )]
    DirtyWorkTree { path: PathBuf, files: Vec<String> },

    #[error(
        "these files are not tracked by git but the update would write them: {}; move them away, commit them, or pass --allow-dirty", files.join(", ")
    )]
    UntrackedInTheWay { files: Vec<String> },

    #[error(
        "{} has no update to abort: its index matches HEAD and {base} holds the render HEAD's .dayone.toml records", path.display()
    )]
    NothingToAbort { path: PathBuf, base: &'static str },

    #[error(
        "{} has no git repository of its own, so there is no update to abort; an update without git changed the files only, so restore them from your copy", path.display()
    )]
    AbortWithoutGit { path: PathBuf },

    #[error(
        "`{name}` is not a feature of template `{template}`; features that can be added: {known}"
    )]
    UnknownFeature {
        name: String,
        template: String,
        known: String,
    },

    #[error("`{name}` is already {value} in this project; nothing to add")]
    FeatureAlreadyOn { name: String, value: String },

    #[error("`{name}` has several values ({choices}); say which: dayone add {name}=VALUE")]
    FeatureNeedsValue { name: String, choices: String },

    #[error(
        "{} is in use by {}; wait until it ends, then run this again", path.display(), holder_or_unknown(holder)
    )]
    Busy { path: PathBuf, holder: String },

    #[error(
        "{} was just made by {}, which this run waited for; choose another folder, or pass --force to write the template's files over it", path.display(), holder_or_unknown(holder)
    )]
    MadeByOtherRun { path: PathBuf, holder: String },

    // ---- report (exit 2) -----------------------------------------------------------------
    #[error(
        "no report in {path}: expected {expected}; pass a project folder, its reports/ folder or the report file"
    )]
    NoReport { path: PathBuf, expected: PathBuf },

    #[error("{path} is not UTF-8 text (invalid byte at offset {offset}); save the report as UTF-8")]
    ReportNotUtf8 { path: PathBuf, offset: usize },

    #[error("{path} is not a report the graders' tool can read: {problem}")]
    NotAReport { path: PathBuf, problem: String },

    #[error(
        "{} leads through a symbolic link to {}, outside the project; --fix-report writes only inside the project, so tick the boxes there yourself (or put the report itself in the project)", link.display(), target.display()
    )]
    ReportLinkOutside { link: PathBuf, target: PathBuf },

    #[error(
        "{} has the group's writing in it ({why}); `dayone report fetch --force` replaces it with the course's file (git keeps the old one in its history)", path.display()
    )]
    ReportWritten { path: PathBuf, why: String },

    #[error(
        "{} is laid out so that dayone cannot add the record of the course's report to it by itself; add this table to it by hand:\n{table}", file.display()
    )]
    CannotRecordReport { file: PathBuf, table: String },

    #[error("the course's report was not fetched, so {} stays as it is{kept}", path.display())]
    ReportNotFetched {
        path: PathBuf,
        /// What the project keeps, when that is dayone's own skeleton.
        kept: &'static str,
        #[source]
        source: Box<Error>,
    },

    #[error("--output {path}: {problem}")]
    OutputPath { path: PathBuf, problem: String },

    // ---- check (exit 2) ------------------------------------------------------------------
    #[error("{file}: {} in the checklist data:\n{}", crate::plural::count(problems.len(), "problem", "problems"), bullets(problems))]
    Checklist { file: String, problems: Vec<String> },

    #[error("the checklist names the detector `{name}`, which this build does not have")]
    UnknownDetector { name: String },

    #[error(
        "{path} is not a project folder: {reason}; a project has at least one of .git, .dayone.toml, pyproject.toml, setup.py, setup.cfg, requirements.txt, environment.yml, src/ or reports/README.md"
    )]
    NotAProject { path: PathBuf, reason: String },

    #[error(
        "the template's hook {hook} failed ({status}); nothing was written. Read the hook to see what it refused, or run without --run-hooks"
    )]
    HookFailed { hook: String, status: String },

    // ---- environment (exit 3) ------------------------------------------------------------
    #[error("cannot start the template's hook {hook}")]
    HookDidNotStart {
        hook: String,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "--run-hooks needs Python, and neither python3 nor python is on PATH; install Python or run without --run-hooks"
    )]
    NoPython,

    #[error(transparent)]
    Io(#[from] std::io::Error),

    #[error("cannot write in {dir}")]
    CannotWrite {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is read-only; make it writable to let dayone tick its boxes", path.display())]
    ReadOnly { path: PathBuf },

    #[error("cannot write in {} to keep other dayone runs out while this one runs", path.display())]
    CannotLock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot replace {path}")]
    CannotReplace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "fetching {location} needs the `git` program, which is not on PATH; install git (https://git-scm.com/downloads; `apt install git`, `brew install git` or `winget install Git.Git`) and run again, or download the template and pass its folder"
    )]
    GitMissing {
        location: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot fetch {location}: git says: {message}; {next}")]
    FetchFailed {
        location: String,
        message: String,
        /// What to try next: the network, credentials, or the cache.
        next: String,
    },

    #[error(
        "--offline: {location} is not in the cache ({cache}); run once without --offline to fetch it"
    )]
    NotCached { location: String, cache: PathBuf },

    #[error("git: {action} in {path}")]
    Git {
        action: &'static str,
        path: PathBuf,
        /// libgit2's own error; boxed so that only `git.rs` names the library.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("cannot write to standard output")]
    Stdout {
        #[source]
        source: std::io::Error,
    },

    #[error("interrupted; nothing was written")]
    Interrupted,

    #[error("cancelled; nothing was written")]
    Cancelled,
}

impl Error {
    /// A JSON error as data: the file, 1-based line and column, and serde_json's message
    /// without its own position.
    pub fn json(file: &str, err: &serde_json::Error) -> Self {
        let message = err.to_string();
        let message = match message.rsplit_once(" at line ") {
            Some((text, _)) => text.to_string(),
            None => message,
        };
        Error::Json {
            file: file.to_string(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }

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

    pub fn exit(&self) -> Exit {
        match self {
            Error::Io(_)
            | Error::CannotWrite { .. }
            | Error::CannotReplace { .. }
            | Error::Stdout { .. }
            | Error::ReadOnly { .. }
            | Error::CannotLock { .. }
            | Error::Git { .. }
            | Error::GitMissing { .. }
            | Error::FetchFailed { .. }
            | Error::NotCached { .. }
            | Error::HookDidNotStart { .. }
            | Error::NoPython => Exit::Environment,
            Error::Interrupted | Error::Cancelled => Exit::Interrupted,
            Error::ReportNotFetched { source, .. } => source.exit(),
            _ => Exit::BadInput,
        }
    }
}

/// A commit id as messages show it: its first 12 digits.
pub fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
