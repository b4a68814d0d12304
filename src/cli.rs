//! The command line, as clap sees it. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  findings: `report check` found answers to fix, `report html` a missing image,
     `check --strict` a ticked box without evidence
  2  bad input: arguments, answers, template manifest, destination conflict
  3  the environment failed: I/O, permissions, git
  130  interrupted (Ctrl-C); nothing was left behind";

/// Start a machine-learning project that works on day one, then keep it on track.
#[derive(Debug, Parser)]
#[command(name = "dayone", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print every step and file.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project from a template.
    New(NewArgs),
    /// List the built-in templates, or show one template's variables.
    Templates(TemplatesArgs),
    /// Walk the course checklist: what the repository shows as done, what is open.
    Check(CheckArgs),
    /// Work with the exam report (reports/README.md).
    #[command(subcommand)]
    Report(ReportCommand),
    /// Print a shell completion script to stdout.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder to create. Defaults to the project name.
    pub dir: Option<PathBuf>,

    /// Built-in template name, or the path of a template folder.
    #[arg(long, short, value_name = "NAME|PATH")]
    pub template: Option<String>,

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
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// A built-in template name or a template folder; without it, list the built-in templates.
    pub name: Option<String>,

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
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Check every answer of reports/README.md against its length and image limits.
    Check(ReportCheckArgs),
    /// Render the report as one standalone HTML page.
    Html(ReportHtmlArgs),
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

    /// Write the page here instead of stdout.
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
