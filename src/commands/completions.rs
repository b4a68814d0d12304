//! `dayone completions SHELL`: the script that registers dayone's completions with a shell.
//! The shell then asks dayone itself for candidates, so they include what only dayone knows:
//! template names after `--template`, variables after `--set`, features after `add`.

use clap::CommandFactory;
use clap_complete::engine::{PathCompleter, ValueCompleter};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{ArgValueCandidates, ArgValueCompleter, CompleteEnv, CompletionCandidate};

use super::Outcome;
use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::{Error, Result};
use crate::printer::Printer;
use crate::template::Template;
use crate::template::source::Source;
use crate::value::VarType;

/// The environment variable through which a shell asks for candidates.
const VAR: &str = "DAYONE_COMPLETE";

/// Answer the shell and exit, when it is the shell asking; otherwise return at once.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(command).var(VAR).complete();
}

pub fn run(args: CompletionsArgs, printer: &Printer) -> Result<Outcome> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    let mut script = Vec::new();
    shell
        .write_registration(VAR, "dayone", "dayone", "dayone", &mut script)
        .map_err(|source| Error::Stdout { source })?;
    printer.data(String::from_utf8_lossy(&script));
    Ok(Outcome::Clean)
}

/// The command line with dayone's own candidates attached.
fn command() -> clap::Command {
    let templates = || ArgValueCompleter::new(template_or_folder);
    let sets = || ArgValueCandidates::new(set_candidates);
    Cli::command()
        .mut_subcommand("new", |c| {
            c.mut_arg("template", |a| a.add(templates()))
                .mut_arg("set", |a| a.add(sets()))
        })
        .mut_subcommand("update", |c| {
            c.mut_arg("template", |a| a.add(templates()))
                .mut_arg("set", |a| a.add(sets()))
        })
        .mut_subcommand("add", |c| {
            c.mut_arg("template", |a| a.add(templates()))
                .mut_arg("features", |a| a.add(ArgValueCandidates::new(features)))
        })
        .mut_subcommand("templates", |c| c.mut_arg("name", |a| a.add(templates())))
}

/// A template is a built-in name or a folder: both, for what has been typed so far.
fn template_or_folder(typed: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let text = typed.to_string_lossy();
    let mut candidates: Vec<CompletionCandidate> = Source::builtin_names()
        .into_iter()
        .filter(|name| name.starts_with(text.as_ref()))
        .map(CompletionCandidate::new)
        .collect();
    candidates.extend(PathCompleter::dir().complete(typed));
    candidates
}

/// `NAME=` for every variable of the default template, and `NAME=VALUE` for its choices.
fn set_candidates() -> Vec<CompletionCandidate> {
    let Ok(template) = Template::find(super::new::DEFAULT_TEMPLATE) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for var in &template.manifest.variables {
        let help = Some(var.prompt.clone().into());
        let values: Vec<String> = match var.var_type {
            VarType::Bool => vec!["true".into(), "false".into()],
            VarType::Choice | VarType::MultiChoice => var.choices.clone(),
            VarType::String | VarType::Dict => vec![String::new()],
        };
        for value in values {
            out.push(CompletionCandidate::new(format!("{}={value}", var.name)).help(help.clone()));
        }
    }
    out
}

fn features() -> Vec<CompletionCandidate> {
    let Ok(template) = Template::find(super::new::DEFAULT_TEMPLATE) else {
        return Vec::new();
    };
    template
        .manifest
        .variables
        .iter()
        .filter(|v| v.feature)
        .map(|v| CompletionCandidate::new(&v.name).help(Some(v.prompt.clone().into())))
        .collect()
}
