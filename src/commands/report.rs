//! `dayone report check|html`: wire the command line to `crate::report` and print results.

use std::path::{Path, PathBuf};

use console::Style;

use crate::Outcome;
use crate::cli::{ReportCheckArgs, ReportCommand, ReportHtmlArgs};
use crate::error::{Error, Result};
use crate::printer::Printer;
use crate::report::check::{self, Checked, Question};
use crate::report::{self as report_file, html, limits};

pub fn run(command: ReportCommand, printer: &Printer) -> Result<Outcome> {
    match command {
        ReportCommand::Check(args) => run_check(&args, printer),
        ReportCommand::Html(args) => run_html(&args, printer),
    }
}

/// The report for PATH; from a folder of a project without one, the project's report, found
/// upward as `dayone check` finds the project, with a line saying so.
fn locate(path: Option<&Path>, printer: &Printer) -> Result<PathBuf> {
    let err = match report_file::locate(path) {
        Err(err @ Error::NoReport { .. }) => err,
        found => return found,
    };
    let given = path.unwrap_or(Path::new("."));
    let Ok(crate::check::Located {
        root,
        found_above: Some(_),
    }) = crate::check::project_root(given)
    else {
        return Err(err);
    };
    let report = report_file::locate(Some(&root)).map_err(|_| err)?;
    printer.warn(format!(
        "{} has no report; using {}, the report of the project above it",
        given.display(),
        report.display()
    ));
    Ok(report)
}

fn run_check(args: &ReportCheckArgs, printer: &Printer) -> Result<Outcome> {
    let path = locate(args.path.as_deref(), printer)?;
    let report = report_file::read(&path)?;
    let dir = report.dir().to_path_buf();
    let exists = |relative: &Path| dir.join(relative).is_file();
    let checked = check::check(&report.text, &exists).map_err(|problem| Error::NotAReport {
        path: path.clone(),
        problem,
    })?;
    if args.json {
        let json = serde_json::to_string_pretty(&checked).expect("check results serialise");
        printer.data(format!("{json}\n"));
    } else {
        print_text(&path, &checked, printer);
    }
    Ok(if checked.clean() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn print_text(path: &Path, checked: &Checked, printer: &Printer) {
    printer.info(printer.paint(Style::new().bold(), &path.display().to_string()));
    for section in &limits::SECTIONS {
        printer.info(format!(
            "\n{}",
            printer.paint(Style::new().bold(), section.title)
        ));
        for question in checked
            .questions
            .iter()
            .filter(|q| section.questions.contains(&q.number))
        {
            printer.info(question_line(question, printer));
            for finding in &question.findings {
                let mark = printer.paint(Style::new().yellow(), "!");
                printer.info(format!(
                    "      {mark} line {}: {}",
                    finding.line, finding.message
                ));
            }
        }
    }
    printer.info(format!(
        "\n{}/{} questions pass",
        checked.passed, checked.total
    ));
    let findings = checked.finding_count();
    if findings > 0 {
        printer.info(format!("{findings} finding(s) to fix: the lines marked !"));
    }
}

fn question_line(q: &Question, printer: &Printer) -> String {
    let range = |min: Option<usize>, max: Option<usize>| match (min, max) {
        (Some(min), Some(max)) if min == max => format!("(exactly {min})"),
        (Some(min), Some(max)) => format!("({min}–{max})"),
        _ => String::new(),
    };
    let plural = |n: usize, word: &str| {
        if n == 1 {
            word.to_string()
        } else {
            format!("{word}s")
        }
    };
    let status = if q.ok {
        printer.paint(Style::new().green(), "ok")
    } else {
        printer.paint(Style::new().red().bold(), &q.problems.join(", "))
    };
    format!(
        "  Q{:<3}{:>4} {:<5} {:<11}{:>2} {:<6} {:<12}{status}",
        q.number,
        q.words,
        plural(q.words, "word"),
        range(q.min_words, q.max_words),
        q.images,
        plural(q.images, "image"),
        range(q.min_images, q.max_images),
    )
}

fn run_html(args: &ReportHtmlArgs, printer: &Printer) -> Result<Outcome> {
    let path = locate(args.path.as_deref(), printer)?;
    let report = report_file::read(&path)?;
    let page = html::render(&report.text, report.dir())?;
    match &args.output {
        Some(output) => {
            crate::write::replace_file(output, page.html.as_bytes())?;
            printer.info(format!("wrote {}", output.display()));
        }
        None => printer.data(&page.html),
    }
    for problem in &page.problems {
        printer.warn(format!("{}: {problem}", path.display()));
    }
    Ok(if page.problems.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
