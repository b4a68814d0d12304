//! `dayone new`: settings → template → answers → plan (+ `.dayone.toml`) → staged write → git
//! → summary.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::answers::file::AnswersFile;
use crate::answers::resolve::{self, Given};
use crate::answers::sources::{UserConfig, parse_set_flags};
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::git;
use crate::plan::{Contents, Plan};
use crate::printer::{Printer, printable};
use crate::project;
use crate::prompt;
use crate::render::{DayoneVars, RenderInput, render_text};
use crate::template::Template;
use crate::value::Answers;
use crate::write::{self, Destination};

/// The template used when neither `--template` nor an answers file names one.
pub const DEFAULT_TEMPLATE: &str = "mlops";

pub fn run(args: NewArgs, printer: &Printer) -> Result<Outcome> {
    let answers_file = args.answers.as_deref().map(AnswersFile::read).transpose()?;
    let template = find_template(&args, answers_file.as_ref(), printer)?;
    let given = gather(&args, &template, answers_file)?;
    let mut prompter = prompt::for_run(args.yes, printer.stderr_color());
    let resolution = resolve::resolve(&template.manifest, &given, prompter.as_mut())?;
    let answers = resolution.answers;
    let dest = destination(&args, &template, &answers)?;
    // Before anything looks at the destination: a killed run may have left it half-made.
    let lock = super::claim(&dest, args.dry_run, printer)?;
    let git_wanted = !args.no_git && git_note(printer, &dest);
    let dayone = DayoneVars::for_project(&dest.display().to_string(), git_wanted);
    let input = RenderInput {
        answers: &answers,
        dayone: &dayone,
    };
    let plan = project::plan(&template, &input)?;
    // A dry run writes nothing, so a folder with files in it is previewed, not refused.
    let how =
        write::inspect(&dest, &plan, args.force || args.dry_run).map_err(|e| lock.explain(e))?;

    if args.dry_run {
        print_dry_run(printer, &dest, &plan, &how, git_wanted, args.force)?;
        return Ok(Outcome::Clean);
    }
    let shown: Vec<(String, String)> = answers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    if !prompter.confirm(&shown)? {
        return Err(Error::Cancelled);
    }
    say_defaults_taken(printer, &resolution.defaults_taken);
    let fallback = project::author_fallback(&template, &answers);
    if git_wanted {
        warn_without_git_identity(printer, &fallback);
    }
    let author = write_project(
        &dest,
        &template,
        &plan,
        &how,
        git_wanted.then_some(&fallback),
    )?;
    print_summary(printer, &dest, &template, &plan, &how, author.as_deref());
    print_next_steps(printer, &template, &input);
    Ok(Outcome::Clean)
}

/// One line saying that `--yes` answered questions with their defaults, and which.
pub(super) fn say_defaults_taken(printer: &Printer, taken: &[String]) {
    if !taken.is_empty() {
        printer.info(format!(
            "--yes: took the defaults for {} question(s): {}",
            taken.len(),
            taken.join(", ")
        ));
    }
}

/// Without a git identity the first commit's author is taken from the answers; say so, with
/// the commands that set one, rather than commit as a placeholder silently.
fn warn_without_git_identity(printer: &Printer, fallback: &git::Fallback) {
    if git::config_value("user.name").is_some() && git::config_value("user.email").is_some() {
        return;
    }
    printer.warn(format!(
        "git has no user.name or user.email, so the first commit is by {} <{}> from the answers; \
         set yours with: git config --global user.name \"Your Name\" && git config --global user.email you@example.org",
        fallback.name, fallback.email
    ));
}

/// `--template`, else the template the answers file names, else the default; an answers file
/// for another template is refused.
fn find_template(
    args: &NewArgs,
    answers_file: Option<&AnswersFile>,
    printer: &Printer,
) -> Result<Template> {
    let recorded = answers_file.and_then(|f| f.dayone.as_ref());
    let recorded_name = recorded.and_then(|d| d.template.clone());
    let name = args
        .template
        .clone()
        .or_else(|| recorded_name.clone())
        .unwrap_or_else(|| DEFAULT_TEMPLATE.into());
    let template = Template::find(&name).map_err(|err| match (err, &args.answers) {
        (Error::UnknownTemplate { name, .. }, Some(file)) if args.template.is_none() => {
            Error::RecordedTemplateNotBuiltin {
                file: file.clone(),
                name,
            }
        }
        (err, _) => err,
    })?;
    let (Some(file), Some(recorded)) = (&args.answers, recorded) else {
        return Ok(template);
    };
    if let Some(found) = recorded_name.filter(|found| *found != template.name()) {
        return Err(Error::AnswersForOtherTemplate {
            file: file.display().to_string(),
            found,
            expected: template.name().to_string(),
        });
    }
    let current = &template.manifest.template.version;
    if let Some(version) = recorded.template_version.as_ref().filter(|v| *v != current) {
        printer.warn(format!(
            "{} was recorded with template version {version}; this is {current}, so the result may differ",
            file.display()
        ));
    }
    Ok(template)
}

/// Collect every answer source except the terminal.
fn gather(args: &NewArgs, template: &Template, answers_file: Option<AnswersFile>) -> Result<Given> {
    let config = UserConfig::load()?;
    let git = template
        .manifest
        .variables
        .iter()
        .filter_map(|v| v.git_config.clone())
        .filter_map(|key| git::config_value(&key).map(|value| (key, value)))
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

fn destination(args: &NewArgs, template: &Template, answers: &Answers) -> Result<PathBuf> {
    if let Some(dir) = &args.dir {
        return Ok(dir.clone());
    }
    let var = template.manifest.template.directory_variable.as_deref();
    var.and_then(|v| answers.get(v))
        .map(ToString::to_string)
        .filter(|n| !n.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| Error::NoDirectory {
            template: template.name().to_string(),
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

/// Stage, commit, and move into place; for a new or empty folder the repository is made in the
/// staging folder, so it arrives with the files. Returns the commit's author.
fn write_project(
    dest: &Path,
    template: &Template,
    plan: &Plan,
    how: &Destination,
    git: Option<&git::Fallback>,
) -> Result<Option<String>> {
    let meta = &template.manifest.template;
    let message = format!(
        "Create project from template {} {} (dayone {})",
        meta.name,
        meta.version,
        env!("CARGO_PKG_VERSION")
    );
    let mut author = None;
    write::apply(dest, plan, how, |project| {
        if let Some(fallback) = git {
            author = Some(git::init_and_commit(project, plan, &message, fallback)?);
        }
        Ok(())
    })?;
    Ok(author)
}

fn print_dry_run(
    printer: &Printer,
    dest: &Path,
    plan: &Plan,
    how: &Destination,
    git: bool,
    force: bool,
) -> Result<()> {
    let overwritten: &[String] = match how {
        Destination::Existing { overwritten } => overwritten,
        _ => &[],
    };
    let mut out = format!(
        "Dry run: nothing written. Would write {} files to {}:\n",
        plan.files.len(),
        dest.display()
    );
    for (path, file) in &plan.files {
        let verb = if !overwritten.iter().any(|o| o == path.as_str()) {
            "create"
        } else if file
            .contents
            .same_as(&Contents::from(fs_err::read(dest.join(path))?))?
        {
            "same"
        } else if force {
            "overwrite"
        } else {
            "differs"
        };
        out += &format!("  {verb:<9} {path}\n");
    }
    for skipped in &plan.skipped {
        out += &format!("  {:<9} {skipped} (its condition is false)\n", "skip");
    }
    if matches!(how, Destination::Existing { .. }) && !force {
        out += "The folder has files: a real run needs --force (it replaces the files marked differs).\n";
    }
    out += if git {
        "Would create a git repository on branch main with one commit.\n"
    } else {
        "Would not create a git repository.\n"
    };
    printer.data(out);
    Ok(())
}

fn print_summary(
    printer: &Printer,
    dest: &Path,
    template: &Template,
    plan: &Plan,
    how: &Destination,
    author: Option<&str>,
) {
    for path in plan.paths() {
        printer.detail(format!("  wrote {path}"));
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
    if let Destination::Existing { overwritten } = how
        && !overwritten.is_empty()
    {
        printer.info(format!(
            "Replaced {} existing files (--force):",
            overwritten.len()
        ));
        for path in overwritten {
            printer.info(format!("  {path}"));
        }
    }
    if let Some(author) = author {
        printer.info(format!(
            "Initialised git on branch main with a first commit by {author}."
        ));
    }
}

fn print_next_steps(printer: &Printer, template: &Template, input: &RenderInput) {
    let Some(steps) = &template.manifest.template.next_steps else {
        return;
    };
    match render_text("next_steps", steps, input) {
        Ok(text) => printer.info(format!("\n{}", printable(text.trim_end()))),
        Err(message) => printer.warn(format!(
            "the template's next steps could not be shown: {message}"
        )),
    }
}
