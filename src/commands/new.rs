//! `dayone new`: answers → plan → staged write → git → summary.

use std::path::{Path, PathBuf};

use crate::Outcome;
use crate::answers::{AnswersFile, UserConfig, git_config_value, parse_set_flags};
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::git;
use crate::printer::Printer;
use crate::prompt::{NoTerminal, Prompter, Terminal};
use crate::questions::{self, Given};
use crate::template::Template;
use crate::template::engine::Engine;
use crate::template::plan::{self, Plan};
use crate::write::{self, Destination};

/// The template used when neither `--template` nor an answers file names one.
pub const DEFAULT_TEMPLATE: &str = "mlops";

pub fn run(args: NewArgs, printer: &Printer) -> Result<Outcome> {
    let mut engine = Engine::new();
    let answers_file = args.answers.as_deref().map(AnswersFile::read).transpose()?;
    let recorded = answers_file
        .as_ref()
        .and_then(|f| f.dayone.as_ref())
        .and_then(|d| d.template.clone());
    let template_name = args
        .template
        .clone()
        .or_else(|| recorded.clone())
        .unwrap_or_else(|| DEFAULT_TEMPLATE.into());
    let template = Template::find(&template_name, &mut engine).map_err(|err| match (&err, &args.template, &args.answers) {
        (Error::UnknownTemplate { name, .. }, None, Some(file)) => Error::Usage(format!(
            "{} was made with template `{name}`, which is not built in; pass its folder with --template PATH",
            file.display()
        )),
        _ => err,
    })?;
    if let (Some(found), Some(file)) = (&recorded, &args.answers) {
        if *found != template.manifest.template.name {
            return Err(Error::AnswersForOtherTemplate {
                file: file.display().to_string(),
                found: found.clone(),
                expected: template.manifest.template.name.clone(),
            });
        }
    }

    if let (Some(file), Some(recorded)) = (
        &args.answers,
        answers_file.as_ref().and_then(|f| f.dayone.as_ref()),
    ) {
        let current = &template.manifest.template.version;
        if let Some(version) = recorded.template_version.as_ref().filter(|v| *v != current) {
            printer.warn(format!(
                "{} was recorded with template version {version}; this is {current}, so the result may differ",
                file.display()
            ));
        }
    }
    let given = gather(&args, &template, answers_file)?;
    let mut prompter: Box<dyn Prompter> = match (args.yes, Terminal::detect()) {
        (false, Some(terminal)) => Box::new(terminal),
        _ => Box::new(NoTerminal),
    };
    let answers = questions::resolve(&template.manifest, &mut engine, &given, prompter.as_mut())?;
    let dest = destination(&args, &template, &answers)?;
    let git_wanted = !args.no_git && git_note(printer, &dest);
    engine.set_destination(&dest, git_wanted);
    let plan = plan::build(&template, &mut engine, &answers)?;
    let how = write::inspect(&dest, &plan, args.force)?;

    if args.dry_run {
        print_dry_run(printer, &dest, &plan, &how, git_wanted);
        return Ok(Outcome::Clean);
    }

    let paths: Vec<String> = plan.files.iter().map(|f| f.path.clone()).collect();
    let message = format!(
        "Create project from template {} {} (dayone {})",
        template.manifest.template.name,
        template.manifest.template.version,
        env!("CARGO_PKG_VERSION")
    );
    let fallback = author_fallback(&answers);
    let mut author = None;
    write::catch_interrupts();
    let stage_git = git_wanted && !matches!(how, Destination::Existing { .. });
    write::apply(&dest, &plan, &how, |staged| {
        if stage_git {
            author = Some(git::init_and_commit(
                staged,
                &paths,
                &message,
                (&fallback.0, &fallback.1),
            )?);
        }
        Ok(())
    })?;
    if git_wanted && !stage_git {
        author = Some(git::init_and_commit(
            &dest,
            &paths,
            &message,
            (&fallback.0, &fallback.1),
        )?);
    }

    print_summary(printer, &dest, &template, &plan, &how, author.as_deref());
    if let Some(steps) = &template.manifest.template.next_steps {
        let mut context = engine.base_context();
        for (key, value) in &answers {
            context.insert(key, value);
        }
        match engine.render_text("next_steps", steps, &context) {
            Ok(text) => printer.info(format!("\n{}", text.trim_end())),
            Err(message) => printer.warn(format!(
                "the template's next steps could not be shown: {message}"
            )),
        }
    }
    Ok(Outcome::Clean)
}

/// Collect every answer source except the terminal.
fn gather(args: &NewArgs, template: &Template, answers_file: Option<AnswersFile>) -> Result<Given> {
    let config = UserConfig::load()?;
    let git = template
        .manifest
        .variables
        .iter()
        .filter_map(|v| v.git_config.clone())
        .filter_map(|key| git_config_value(&key).map(|value| (key, value)))
        .collect();
    Ok(Given {
        set: parse_set_flags(&args.set)?,
        file: answers_file
            .zip(args.answers.as_ref())
            .map(|(f, p)| (p.display().to_string(), f.answers)),
        config: config
            .path
            .clone()
            .map(|p| (p.display().to_string(), config.defaults)),
        git,
        directory_hint: args
            .dir
            .as_deref()
            .and_then(|d| std::path::absolute(d).ok())
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
    })
}

fn destination(
    args: &NewArgs,
    template: &Template,
    answers: &questions::Answers,
) -> Result<PathBuf> {
    if let Some(dir) = &args.dir {
        return Ok(dir.clone());
    }
    let var = template.manifest.template.directory_variable.as_deref();
    let named = var
        .and_then(|v| answers.iter().find(|(k, _)| k == v))
        .map(|(_, value)| value.to_string());
    named
        .filter(|n| !n.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| {
            Error::Usage(format!(
                "template `{}` does not name a project folder; give one: dayone new DIR",
                template.name()
            ))
        })
}

/// Whether to create a repository; says why not when the destination is already in one.
fn git_note(printer: &Printer, dest: &Path) -> bool {
    match git::enclosing_work_tree(dest) {
        Some(root) => {
            printer.info(format!(
                "{} is inside the git work tree {}; not creating another repository",
                dest.display(),
                root.display()
            ));
            false
        }
        None => true,
    }
}

/// Author for the first commit when git config has none: the template's author answers.
fn author_fallback(answers: &questions::Answers) -> (String, String) {
    let get = |key: &str| {
        answers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    };
    (
        get("author_name").unwrap_or_else(|| "dayone".into()),
        get("author_email").unwrap_or_else(|| "dayone@localhost".into()),
    )
}

fn print_dry_run(printer: &Printer, dest: &Path, plan: &Plan, how: &Destination, git: bool) {
    let overwritten: &[String] = match how {
        Destination::Existing { overwritten } => overwritten,
        _ => &[],
    };
    let mut out = format!(
        "Dry run: nothing written. Would write {} files to {}:\n",
        plan.files.len(),
        dest.display()
    );
    for file in &plan.files {
        let verb = if overwritten.contains(&file.path) {
            "overwrite"
        } else {
            "create"
        };
        out += &format!("  {verb:<9} {}\n", file.path);
    }
    for skipped in &plan.skipped {
        out += &format!("  {:<9} {skipped} (its condition is false)\n", "skip");
    }
    out += if git {
        "Would create a git repository on branch main with one commit.\n"
    } else {
        "Would not create a git repository.\n"
    };
    printer.data(out);
}

fn print_summary(
    printer: &Printer,
    dest: &Path,
    template: &Template,
    plan: &Plan,
    how: &Destination,
    author: Option<&str>,
) {
    for file in &plan.files {
        printer.detail(format!("  wrote {}", file.path));
    }
    let meta = &template.manifest.template;
    printer.info(format!(
        "Created {} from template {} {} ({}): {} files.",
        dest.display(),
        meta.name,
        meta.version,
        template.origin(),
        plan.files.len()
    ));
    if let Destination::Existing { overwritten } = how {
        if !overwritten.is_empty() {
            printer.info(format!(
                "Replaced {} existing files (--force):",
                overwritten.len()
            ));
            for path in overwritten {
                printer.info(format!("  {path}"));
            }
        }
    }
    if let Some(author) = author {
        printer.info(format!(
            "Initialised git on branch main with a first commit by {author}."
        ));
    }
}
