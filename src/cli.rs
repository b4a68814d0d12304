//! The command line, as clap sees it. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::Exit;
use crate::printer::ColorChoice;

/// Examples, then the exit-code table made from the one in `error.rs`, for a `--help` page.
fn help_after(examples: &str) -> String {
    let mut text = String::new();
    if !examples.is_empty() {
        text += &format!("Examples:\n{examples}\n\n");
    }
    text += "Exit codes:";
    for exit in Exit::ALL {
        text += &format!("\n  {:>3}  {}", exit.code(), exit.meaning());
    }
    text
}

const ENVIRONMENT: &str = "\n\nEnvironment:
  DAYONE_CONFIG   the user config file (default: config.toml in the platform config folder)
  DAYONE_CACHE    where templates fetched from git are kept (default: dayone in the platform
                  cache folder)
  NO_COLOR        set and not empty: no colour (CLICOLOR=0 and TERM=dumb too)
  CLICOLOR_FORCE  set and not 0: colour even when not on a terminal";

fn main_help() -> String {
    help_after(
        "  dayone new leaf-doctor --yes            make a project, taking every default
  dayone check                            the course checklist for this project
  dayone report check                     the exam report against its limits",
    ) + ENVIRONMENT
}

/// Start a machine-learning project that works on day one, then keep it on track.
#[derive(Debug, Parser)]
#[command(name = "dayone", version, about, after_help = main_help())]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour output: auto (on a terminal), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// How much a command says about what it does: global, so `dayone -q check` and
/// `dayone check -q` are the same.
#[derive(Debug, Clone, Copy, Args)]
pub struct Verbosity {
    /// Print only errors (and the result, when it goes to stdout).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print every file written, every piece of evidence.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project from a template.
    #[command(after_help = help_after(
        "  dayone new leaf-doctor                      ask the template's questions
  dayone new leaf-doctor --yes --set api=false  take the defaults, but no API
  dayone new --answers other/.dayone.toml copy  the same project again
  dayone new leaf-doctor --dry-run --yes      what would be written
  dayone new x --template gh:OWNER/REPO@v1#t  a template from git: tag v1, folder t"
    ) + ENVIRONMENT)]
    New(NewArgs),
    /// Bring a project up to its template's current version, keeping the group's changes
    /// (3-way merge).
    #[command(after_help = help_after(
        "  dayone update                     merge the recorded template into the project here
  dayone update --dry-run           what each file would become
  dayone update --set api=false     turn an option off (its untouched files go)
  dayone update --ref v2            a template from git at its tag v2
  dayone update --abort             drop an update that is not committed yet"
    ))]
    Update(UpdateArgs),
    /// Turn on a template feature in an existing project, e.g. `dayone add api dvc=gcs`.
    #[command(after_help = help_after(
        "  dayone add api                    the FastAPI app, its tests and Dockerfile
  dayone add dvc=gcs hydra          two at once; a choice with several values needs one
  dayone templates mlops            which features there are"
    ))]
    Add(AddArgs),
    /// Adopt a project another tool made (cookiecutter, cruft): record its template and answers
    /// in .dayone.toml and the template's render as its base, so `dayone update` works.
    #[command(after_help = help_after(
        "  dayone link ../mlops_template            answers from .cruft.json, or asked
  dayone link ../tpl --answers ~/.cookiecutter_replay/tpl.json
  dayone link ../tpl --yes --set project_name=leaf_doctor"
    ))]
    Link(LinkArgs),
    /// List the built-in templates, or show one template's variables.
    #[command(after_help = help_after(
        "  dayone templates                  the built-in templates
  dayone templates mlops --json     one template's variables, as JSON"
    ))]
    Templates(TemplatesArgs),
    /// Walk the course checklist: what the repository shows as done, what is open.
    #[command(after_help = help_after(
        "  dayone check                      the checklist for the project around this folder
  dayone check --open --week 2      what is still open in week 2
  dayone check --fix-report         tick the report's boxes that have evidence
  dayone check --strict             exit 1 on a ticked box without evidence (for CI)"
    ))]
    Check(CheckArgs),
    /// Work with the exam report (reports/README.md).
    #[command(subcommand, after_help = help_after(
        "  dayone report check               every answer against its word and image limits
  dayone report html -o report.html the report as one page to read or hand in"
    ))]
    Report(ReportCommand),
    /// Print a shell completion script to stdout.
    #[command(after_help = help_after(
        "  dayone completions bash > ~/.local/share/bash-completion/completions/dayone
  dayone completions zsh > \"${fpath[1]}/_dayone\"
  dayone completions fish > ~/.config/fish/completions/dayone.fish"
    ))]
    Completions(CompletionsArgs),
    /// Print dayone's manual page (roff) to stdout, e.g. `dayone man | man -l -`.
    #[command(after_help = help_after(
        "  dayone man | man -l -             read it now
  dayone man > ~/.local/share/man/man1/dayone.1   install it for `man dayone`"
    ))]
    Man,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder to create. Defaults to the project name.
    pub dir: Option<PathBuf>,

    /// Built-in template name, a template folder, or a git URL (gh:OWNER/REPO, gl:…, https://…,
    /// ssh://…, git@HOST:PATH, file://…) with @REF and #SUBDIR.
    #[arg(long, short, value_name = "NAME|PATH|URL")]
    pub template: Option<String>,

    #[command(flatten)]
    pub fetch: FetchArgs,

    /// Take the default for every question that has no other answer; never prompt.
    #[arg(long, short)]
    pub yes: bool,

    /// Answer one variable, e.g. --set api=false. Repeatable; wins over every other source.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Read answers from a TOML file, such as another project's .dayone.toml.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Do not create a git repository.
    #[arg(long)]
    pub no_git: bool,

    /// Show what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Write into a non-empty folder, replacing the files the template produces (never deletes).
    #[arg(long)]
    pub force: bool,

    /// Run a cookiecutter template's hooks (Python scripts in its hooks/ folder) in the new
    /// project, each shown before it runs. Off by default: a hook can do anything.
    #[arg(long)]
    pub run_hooks: bool,
}

/// What `update` and `add` share: how to merge, and what may be written.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Take the default for every new question instead of asking.
    #[arg(long, short)]
    pub yes: bool,

    /// Show what each file would become (unchanged, updated, added, removed, conflict);
    /// write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Update even with uncommitted changes (they are merged like committed ones).
    #[arg(long)]
    pub allow_dirty: bool,

    /// How conflicts are marked in files: `merge` (ours and theirs) or `diff3` (with the base).
    #[arg(long, value_enum, default_value_t = ConflictStyle::Merge)]
    pub conflict: ConflictStyle,

    /// Another template than the one .dayone.toml records (a built-in name, a folder or a git
    /// URL); the update then records it as the project's template.
    #[arg(long, short, value_name = "NAME|PATH|URL")]
    pub template: Option<String>,

    #[command(flatten)]
    pub fetch: FetchArgs,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Which commit of a template from git, and whether the network is asked.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The tag, branch or commit of a template from git, as URL@REF. In `update`, without
    /// --template: the recorded repository at REF's newest commit.
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,

    /// The template's folder inside a git repository, as URL#DIR.
    #[arg(long, value_name = "DIR")]
    pub directory: Option<String>,

    #[command(flatten)]
    pub network: NetworkArgs,
}

/// Whether fetching from git may, or must, use the network.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Fetch from git again even when the cache has the commit (a tag, a commit id).
    #[arg(long, conflicts_with = "offline")]
    pub refresh: bool,

    /// Never use the network: take what the cache holds, and say which commit and how old.
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictStyle {
    Merge,
    Diff3,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The project folder. Defaults to the current folder.
    pub path: Option<PathBuf>,

    /// Change an answer, e.g. --set api=false; repeatable.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Drop an update (or `dayone add`) that is not committed: the files and the index go back
    /// to HEAD, and refs/dayone/base to the render HEAD's .dayone.toml records.
    #[arg(
        long,
        conflicts_with_all = ["set", "yes", "dry_run", "allow_dirty", "conflict", "template", "reference", "directory", "refresh", "offline"]
    )]
    pub abort: bool,

    #[command(flatten)]
    pub merge: MergeArgs,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Features to turn on: NAME, or NAME=VALUE for a choice (`dayone templates mlops` lists them).
    #[arg(required = true, value_name = "FEATURE")]
    pub features: Vec<String>,

    /// The project folder. Defaults to the current folder.
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,

    #[command(flatten)]
    pub merge: MergeArgs,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The template the project was made from: a folder (cookiecutter.json or template.toml),
    /// a git URL (gh:OWNER/REPO@REF#DIR, https://…, git@host:path) or a built-in name.
    #[arg(value_name = "TEMPLATE")]
    pub template: String,

    #[command(flatten)]
    pub fetch: FetchArgs,

    /// The project folder. Defaults to the current folder.
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,

    /// The answers the project was made with: a cookiecutter replay file, a .cruft.json or a
    /// .dayone.toml. Defaults to the project's .cruft.json when it has one.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Answer one variable, e.g. --set project_name=leaf; repeatable; wins over --answers.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Take the default for every question that has no other answer; never prompt.
    #[arg(long, short)]
    pub yes: bool,

    /// Say how the project compares with the template's render; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("fetching")
        .args(["reference", "directory", "refresh", "offline"])
        .multiple(true)
        .requires("name")
))]
pub struct TemplatesArgs {
    /// A built-in template name, a template folder or a git URL; without it, list the
    /// built-in templates.
    pub name: Option<String>,

    #[command(flatten)]
    pub fetch: FetchArgs,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project folder. Defaults to the current folder.
    pub path: Option<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,

    /// Exit 1 when a box in the report is ticked without evidence, or its boxes cannot be read.
    #[arg(long)]
    pub strict: bool,

    /// Tick the report's boxes for items that have evidence (never unticks).
    #[arg(long)]
    pub fix_report: bool,

    /// List only the open items (the text; --json always has every item).
    #[arg(long)]
    pub open: bool,

    /// List only this week's items: 1, 2, 3 or extra; repeatable (the text; --json always has
    /// every item).
    #[arg(long, value_name = "N", value_parser = ["1", "2", "3", "extra"])]
    pub week: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Check every answer of reports/README.md against its length and image limits.
    #[command(after_help = help_after(
        "  dayone report check                     the report of the project here
  dayone report check reports/README.md   one report file
  dayone report check --json              the same as JSON (schema in docs/json.md)"
    ))]
    Check(ReportCheckArgs),
    /// Render the report as one standalone HTML page.
    #[command(after_help = help_after(
        "  dayone report html -o report.html       write the page to a file
  dayone report html > report.html        the same through stdout"
    ))]
    Html(ReportHtmlArgs),
    /// Put the course's own exam report in place of the template's skeleton: fetched with git,
    /// cached, and pinned by commit in .dayone.toml. Only a report the group has not written in
    /// is replaced (else --force).
    #[command(after_help = help_after(
        "  dayone report fetch                     the course's report, into the project here
  dayone report fetch --refresh           the course's newest, in place of an older one
  dayone report fetch --offline           from the cache only"
    ))]
    Fetch(ReportFetchArgs),
}

#[derive(Debug, Args)]
pub struct ReportFetchArgs {
    /// The project folder. Defaults to the current folder.
    pub path: Option<PathBuf>,

    /// Where the report is: a git address as --template takes one, with the file as #PATH
    /// (default: the course repository's reports/README.md; after a fetch, the one
    /// .dayone.toml records, at its recorded commit unless --refresh).
    #[arg(long, value_name = "URL#FILE")]
    pub from: Option<String>,

    /// Replace reports/README.md even when the group has written in it.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Debug, Args)]
pub struct ReportCheckArgs {
    /// A project folder, its reports/ folder, or the report file. Defaults to the current folder.
    pub path: Option<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReportHtmlArgs {
    /// A project folder, its reports/ folder, or the report file. Defaults to the current folder.
    pub path: Option<PathBuf>,

    /// Write the page here instead of stdout: a new path, or a regular file, which is
    /// replaced whole and keeps its permissions. Anything else is refused (exit 2): a
    /// symbolic link (pass its target instead), a folder, a FIFO or a device.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// For a mistyped subcommand that clap finds nothing like (`nwe`): the subcommand one typo
/// away (a letter swapped, missing, extra or wrong), as clap's own tip.
pub fn suggest_subcommand(err: &mut clap::Error) {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::InvalidSubcommand
        || err.get(ContextKind::SuggestedSubcommand).is_some()
    {
        return;
    }
    let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    let typed = typed.clone();
    let near: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|name| name.len() > 2 && one_typo_apart(&typed, name))
        .collect();
    if !near.is_empty() {
        err.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(near),
        );
    }
}

/// Whether `a` becomes `b` with one edit: a letter changed, added, removed, or two
/// neighbours swapped.
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (x, y) = (&a[start..], &b[start..]);
    match x.len() as isize - y.len() as isize {
        0 => x[1..] == y[1..] || (x.len() >= 2 && x[0] == y[1] && x[1] == y[0] && x[2..] == y[2..]),
        1 => x[1..] == *y,
        -1 => *x == y[1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::one_typo_apart;

    #[test]
    fn one_typo_is_a_swap_a_change_an_addition_or_a_removal() {
        for (typed, meant) in [
            ("nwe", "new"),
            ("nw", "new"),
            ("neww", "new"),
            ("chekc", "check"),
            ("mew", "new"),
        ] {
            assert!(one_typo_apart(typed, meant), "{typed}");
        }
        for (typed, meant) in [
            ("new", "new"),
            ("wen", "new"),
            ("report", "new"),
            ("ad", "man"),
        ] {
            assert!(!one_typo_apart(typed, meant), "{typed}");
        }
    }
}
