//! `dayone new`: settings → template → answers → plan (+ `.dayone.toml`) → staged write → git
//! → summary.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::answers::file::{AnswersFile, Provenance};
use crate::answers::resolve::{self, Earlier, Given};
use crate::answers::sources::{RawAnswers, UserConfig, parse_set_flags};
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::git;
use crate::plan::{Contents, Plan};
use crate::printer::{Printer, printable};
use crate::project::{self, origin};
use crate::prompt::{self, Review};
use crate::render::{DayoneVars, RenderInput, render_text};
use crate::template::cookiecutter::hooks;
use crate::template::{Format, Template};
use crate::value::Answers;
use crate::write::{self, Destination};

/// The template used when neither `--template` nor an answers file names one.
pub const DEFAULT_TEMPLATE: &str = "mlops";

pub fn run(args: NewArgs, printer: &Printer) -> Result<Outcome> {
    let answers_file = args.answers.as_deref().map(AnswersFile::read).transpose()?;
    let template = find_template(&args, answers_file.as_ref(), printer)?;
    say_hooks(printer, &template, args.run_hooks);
    let mut given = gather(&args, &template, answers_file)?;
    let mut prompter = prompt::for_run(args.yes, printer.stderr_color());
    // The wizard's review may send questions back to be asked again, keeping the other answers.
    loop {
        let resolution = resolve::resolve(&template.manifest, &given, prompter.as_mut())?;
        let answers = &resolution.answers;
        let dest = destination(&args, &template, answers)?;
        // Before anything looks at the destination: a killed run may have left it half-made.
        let lock = super::claim(&dest, args.dry_run, printer)?;
        let git_wanted = !args.no_git && git_note(printer, &dest);
        let dayone = DayoneVars::for_project(&dest.display().to_string(), git_wanted);
        let input = template.manifest.input(answers, &dayone);
        // A new project has the template's report skeleton; `dayone report fetch` brings the course's.
        let plan = project::plan(&template, &input, &dest, None)?;
        // A dry run writes nothing, so a folder with files in it is previewed, not refused.
        let how = write::inspect(&dest, &plan, args.force || args.dry_run)
            .map_err(|e| lock.explain(e))?;
        if args.dry_run {
            print_dry_run(printer, &dest, &plan, &how, git_wanted, args.force)?;
            return Ok(Outcome::Clean);
        }
        let fallback = project::author_fallback(&template, answers);
        if git_wanted {
            // Before the review, where the user can still stop and set an identity.
            warn_without_git_identity(printer, &fallback);
        }
        match prompter.review(&resolve::review(&template.manifest, answers))? {
            Review::Write => {}
            Review::Revisit(names) => {
                given.earlier = Some(earlier_pass(&resolution, &names));
                continue;
            }
            Review::Cancel => {
                keep_answers(&args, &template, answers, &dest, printer)?;
                return Ok(Outcome::Clean);
            }
        }
        say_defaults_taken(printer, &resolution.defaults_taken);
        let hooks = args.run_hooks.then_some((&input, printer));
        let author = write_project(
            &dest,
            &template,
            &plan,
            &how,
            git_wanted.then_some(&fallback),
            hooks,
        )?;
        print_summary(printer, &dest, &template, &plan, &how, author.as_deref());
        print_next_steps(printer, &template, &input);
        return Ok(Outcome::Clean);
    }
}

/// The answers of the questions asked, for the next pass: all but `revisit` stand.
fn earlier_pass(resolution: &resolve::Resolution, revisit: &[String]) -> Earlier {
    let mut answers = Answers::new();
    for (name, value) in resolution.answers.iter() {
        if resolution.asked.iter().any(|a| a == name) {
            answers.insert(name, value.clone());
        }
    }
    let keep = resolution
        .asked
        .iter()
        .filter(|name| !revisit.contains(name))
        .cloned()
        .collect();
    Earlier { answers, keep }
}

/// Cancelled at the review: nothing is written but the answers, beside where the project
/// would have gone, with the command that picks them up again.
fn keep_answers(
    args: &NewArgs,
    template: &Template,
    answers: &Answers,
    dest: &Path,
    printer: &Printer,
) -> Result<()> {
    let name = dest.file_name().map_or_else(
        || "project".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    // Beside the project, or here when the folder it would go in does not exist either.
    let parent = dest
        .parent()
        .filter(|p| p.as_os_str().is_empty() || p.is_dir())
        .unwrap_or(Path::new(""));
    let file = (1..)
        .map(|n| match n {
            1 => parent.join(format!("{name}.answers.toml")),
            n => parent.join(format!("{name}.answers-{n}.toml")),
        })
        .find(|p| !p.exists())
        .expect("some numbered name is free");
    let meta = &template.manifest.template;
    let source = origin::source_of(template, parent);
    let mut provenance = Provenance::current(&meta.name, &meta.version, source, String::new());
    // Nothing was rendered: the file carries the answers and where the template is, no tree.
    provenance.render_tree = None;
    let text = AnswersFile::render(&provenance, answers);
    crate::write::replace_file(&file, text.as_bytes())?;
    let mut resume = format!("dayone new {}", shell_word(&dest.display().to_string()));
    if let Some(given) = &args.template {
        resume += &format!(" --template {}", shell_word(given));
    }
    for (flag, value) in [
        ("--ref", &args.fetch.reference),
        ("--directory", &args.fetch.directory),
    ] {
        if let Some(value) = value {
            resume += &format!(" {flag} {}", shell_word(value));
        }
    }
    resume += &format!(" --answers {}", shell_word(&file.display().to_string()));
    if args.no_git {
        resume += " --no-git";
    }
    printer.info(format!(
        "Nothing written. Your answers are in {}; to go on from them: {resume}",
        file.display()
    ));
    Ok(())
}

/// `word` as one shell word: as it is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// One line saying that `--yes` answered questions with their defaults, and which.
pub(super) fn say_defaults_taken(printer: &Printer, taken: &[String]) {
    if !taken.is_empty() {
        printer.info(format!(
            "--yes: took the defaults for {}: {}",
            crate::plural::count(taken.len(), "question", "questions"),
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
    let wanted = super::wanted(args.template.as_deref(), &args.fetch);
    let template = match (&args.answers, recorded) {
        // The answers file's own source: a folder found from where the file is, a commit of a
        // repository (or, with --ref or --directory, another place in it).
        (Some(file), Some(provenance)) if provenance.template.is_some() => {
            let beside = file.parent().unwrap_or(Path::new(""));
            origin::chosen(provenance, beside, file, &wanted)?
        }
        // A replay file or .cruft.json: the template cookiecutter or cruft was given.
        (Some(file), None)
            if wanted.template.is_none()
                && answers_file.is_some_and(|f| f.cookiecutter_template.is_some()) =>
        {
            let named = answers_file
                .and_then(|f| f.cookiecutter_template.as_deref())
                .unwrap_or_default();
            printer.info(format!(
                "--answers: {} names the template {named}",
                file.display()
            ));
            Template::locate(named, wanted.extras, wanted.policy)?
        }
        _ => Template::locate(
            wanted.template.unwrap_or(DEFAULT_TEMPLATE),
            wanted.extras,
            wanted.policy,
        )?,
    };
    super::say_fetched(printer, &template);
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
    let file = answers_file
        .zip(args.answers.as_ref())
        .map(|(f, p)| (p.display().to_string(), f.answers));
    given(template, &args.set, file, args.dir.as_deref())
}

/// Every answer source but the terminal: `--set`, an answers file (its name and answers), the
/// user config, git config, and the folder `dir` whose name is the directory variable's default.
pub(super) fn given(
    template: &Template,
    set: &[String],
    file: Option<(String, RawAnswers)>,
    dir: Option<&Path>,
) -> Result<Given> {
    let config = UserConfig::load()?;
    let git = template
        .manifest
        .variables
        .iter()
        .filter_map(|v| v.git_config.clone())
        .filter_map(|key| git::config_value(&key).map(|value| (key, value)))
        .collect();
    Ok(Given {
        set: parse_set_flags(set)?,
        file,
        config: config
            .path
            .clone()
            .map(|p| (p.display().to_string(), config.defaults)),
        git,
        directory_hint: dir
            .and_then(|d| std::path::absolute(d).ok())
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
        earlier: None,
    })
}

fn destination(args: &NewArgs, template: &Template, answers: &Answers) -> Result<PathBuf> {
    if let Some(dir) = &args.dir {
        return Ok(dir.clone());
    }
    let dayone = DayoneVars::for_questions();
    template
        .directory(&template.manifest.input(answers, &dayone))?
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

/// A cookiecutter template's hooks: listed, and said whether they run.
fn say_hooks(printer: &Printer, template: &Template, run: bool) {
    let hooks = template.hooks();
    if hooks.is_empty() {
        if run {
            printer.info(format!(
                "--run-hooks: template {} has no hooks",
                template.name()
            ));
        }
        return;
    }
    let list = hooks.join(", ");
    if !run {
        printer.warn(format!(
            "template {} has hooks that dayone does not run: {list}; the project may differ from what cookiecutter makes. Read them, then pass --run-hooks to run them, or port them to template.toml (docs/templates.md)",
            template.name()
        ));
        return;
    }
    if let Some(pre_prompt) = hooks.iter().find(|h| hooks::is_pre_prompt(h)) {
        printer.warn(format!(
            "--run-hooks: {pre_prompt} is not run: dayone asks the questions of cookiecutter.json as it is"
        ));
    }
}

/// Stage, commit, and move into place; for a new or empty folder the repository is made in the
/// staging folder, so it arrives with the files. With `hooks`, a cookiecutter template's hooks
/// run in the staged project after the first commit, and what they change is a second commit,
/// so the first stays the untouched render. Returns the commit's author.
fn write_project(
    dest: &Path,
    template: &Template,
    plan: &Plan,
    how: &Destination,
    git: Option<&git::Fallback>,
    hooks: Option<(&RenderInput, &Printer)>,
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
        if let (Some((input, printer)), Format::Cookiecutter(layout)) = (hooks, &template.format) {
            let runnable = hooks::runnable(&layout.hooks);
            let show = |path: &str, text: &str| {
                printer.info(format!(
                    "--run-hooks: running {path} in the new project:\n{}",
                    printable(text.trim_end())
                ));
            };
            hooks::run(&layout.root, &runnable, input, project, &show)?;
            if let (Some(fallback), Some(repo)) = (git, git::Repo::at(project)?) {
                let names: Vec<&str> = runnable.iter().map(|h| h.as_str()).collect();
                let message = format!("Run the template's hooks ({})", names.join(", "));
                repo.commit_all(&message, fallback)?;
            }
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
