//! `dayone link TEMPLATE`: adopt a project another tool made (cookiecutter, cruft): answer the
//! template's questions (from `.cruft.json`, a replay file, `--set`, or asked), render it, and
//! record that render as the project's base (`.dayone.toml` and `refs/dayone/base`), so
//! `dayone update` merges the template's later changes into the group's files. Nothing but
//! `.dayone.toml` is written in the work tree.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::answers::file::{ANSWERS_FILE, AnswersFile};
use crate::answers::resolve;
use crate::cli::LinkArgs;
use crate::error::{Error, Result};
use crate::git::{self, Repo, Staged};
use crate::plan::Plan;
use crate::printer::Printer;
use crate::project::{self, answers_path, merge};
use crate::prompt;
use crate::render::DayoneVars;
use crate::template::Template;
use crate::write;

/// What cruft leaves in a project it made; read for answers when `--answers` is not given.
const CRUFT_FILE: &str = ".cruft.json";

pub fn run(args: LinkArgs, printer: &Printer) -> Result<Outcome> {
    let root = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return Err(Error::PathMissing {
            path: root,
            expected: "pass the folder of the project to link with --project DIR",
        });
    }
    // Before "already linked" is decided: a killed link may have left its answers file behind.
    let _lock = super::claim(&root, args.dry_run, printer)?;
    if root.join(ANSWERS_FILE).exists() {
        return Err(Error::AlreadyLinked { path: root });
    }
    let answers = args.answers.clone().or_else(|| {
        let cruft = root.join(CRUFT_FILE);
        cruft.is_file().then(|| {
            printer.info(format!("Answers from {}", cruft.display()));
            cruft
        })
    });
    let file = answers
        .as_ref()
        .map(|path| AnswersFile::read(path).map(|f| (path.display().to_string(), f.answers)))
        .transpose()?;
    let wanted = super::wanted(Some(&args.template), &args.fetch);
    let template = Template::locate(&args.template, wanted.extras, wanted.policy)?;
    super::say_fetched(printer, &template);
    let given = super::new::given(&template, &args.set, file, Some(&root))?;
    let mut prompter = prompt::for_run(args.yes, printer.stderr_color());
    let resolution = resolve::resolve(&template.manifest, &given, prompter.as_mut())?;
    let answers = &resolution.answers;
    let repo = Repo::at(&root)?;
    let dayone = DayoneVars::for_project(&root.display().to_string(), repo.is_some());
    let input = template.manifest.input(answers, &dayone);
    let plan = project::plan(&template, &input, &root, None)?;
    let compared = Compared::of(&root, &plan)?;
    super::new::say_defaults_taken(printer, &resolution.defaults_taken);
    if args.dry_run {
        printer.line(format!(
            "Dry run, nothing written: would link {} to template {} {} ({}). {}",
            root.display(),
            template.name(),
            template.manifest.template.version,
            template.origin(),
            compared.summary()
        ));
        return Ok(Outcome::Clean);
    }
    let recorded = plan.files.get(&answers_path()).expect("the plan has it");
    let change = write::Change {
        path: &answers_path(),
        file: Some(recorded),
    };
    let fallback = project::author_fallback(&template, answers);
    let message = format!(
        "dayone: the render of template {} {} the project was linked to (dayone {})",
        template.name(),
        template.manifest.template.version,
        env!("CARGO_PKG_VERSION")
    );
    write::apply_changes(&root, &[change], git::GUARDED, |_| match &repo {
        Some(repo) => {
            let render = repo.commit_render(&plan, None, &message, &fallback)?;
            repo.record_update(&[Staged::File(&answers_path())], &render, &message)
        }
        None => Ok(()),
    })?;
    report(printer, &root, &template, &compared, repo.is_some());
    Ok(Outcome::Clean)
}

/// How the project's files stand against the render, `.dayone.toml` aside.
struct Compared {
    total: usize,
    same: usize,
    differ: usize,
    missing: usize,
}

impl Compared {
    fn of(root: &Path, plan: &Plan) -> Result<Self> {
        let rendered: Vec<_> = plan.paths().filter(|p| **p != answers_path()).collect();
        let ours = project::read_files(root, rendered.iter().copied())?;
        let mut compared = Self {
            total: rendered.len(),
            same: 0,
            differ: 0,
            missing: 0,
        };
        for path in rendered {
            match ours.files.get(path) {
                None => compared.missing += 1,
                Some(file) if merge::same(Some(file), plan.files.get(path))? => {
                    compared.same += 1;
                }
                Some(_) => compared.differ += 1,
            }
        }
        Ok(compared)
    }

    fn summary(&self) -> String {
        format!(
            "Of the {} files the template renders, {} are in the project as rendered, {} differ \
             (your changes, or what the template's hooks did) and {} are not there.",
            self.total, self.same, self.differ, self.missing
        )
    }
}

fn report(printer: &Printer, root: &Path, template: &Template, compared: &Compared, git: bool) {
    let meta = &template.manifest.template;
    let base = if git {
        format!("and stored the template's render on {}", git::BASE_REF)
    } else {
        "(no git repository, so `dayone update` renders the base again from it)".to_string()
    };
    printer.info(format!(
        "Linked {} to template {} {} ({}): wrote {ANSWERS_FILE} {base}. {}",
        root.display(),
        meta.name,
        meta.version,
        template.origin(),
        compared.summary()
    ));
    if compared.same == 0 && compared.total > 0 {
        printer.warn(
            "none of the template's files is in the project as the template renders it: check the template and the answers (--set NAME=VALUE), then remove .dayone.toml and link again",
        );
    }
    if !template.hooks().is_empty() {
        printer.info(format!(
            "The template's hooks ({}) ran when the project was made; what they changed counts as your changes.",
            template.hooks().join(", ")
        ));
    }
    let commit = if git {
        format!("{ANSWERS_FILE} is staged, not committed: commit it so your team has it. ")
    } else {
        String::new()
    };
    printer.info(format!(
        "{commit}From now on `dayone update` brings the template's changes in, keeping yours."
    ));
}
