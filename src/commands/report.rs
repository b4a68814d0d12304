//! `dayone report check|html`: wire the command line to `crate::report` and print results.

use std::path::{Path, PathBuf};

use console::Style;

use super::Outcome;
use crate::cli::{ReportCheckArgs, ReportCommand, ReportHtmlArgs};
use crate::error::{Error, Result};
use crate::printer::{Level, Printer};
use crate::report::check::{self, AnswerState, Checked, Question};
use crate::report::findings::{Finding, Kind};
use crate::report::images::Figures;
use crate::report::{self as report_file, html, limits};

pub fn run(command: ReportCommand, printer: &Printer) -> Result<Outcome> {
    match command {
        ReportCommand::Check(args) => run_check(&args, printer),
        ReportCommand::Html(args) => run_html(&args, printer),
        ReportCommand::Fetch(args) => super::report_fetch::run(&args, printer),
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
    let figures = Figures::new(report.dir());
    let checked =
        check::check(&report.text, &|relative| figures.find(relative)).map_err(|problem| {
            Error::NotAReport {
                path: path.clone(),
                problem,
            }
        })?;
    if args.json {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            schema: u32,
            #[serde(flatten)]
            checked: &'a Checked,
        }
        let json = Json {
            schema: super::JSON_SCHEMA,
            checked: &checked,
        };
        let json = serde_json::to_string_pretty(&json).expect("check results serialise");
        printer.data(format!("{json}\n"));
    } else if printer.level() > Level::Quiet {
        print_text(&path, &checked, printer);
    }
    Ok(if checked.clean() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// A kind of finding in this many answers or more is printed once, after the sections.
const COLLAPSE_AT: usize = 3;

fn print_text(path: &Path, checked: &Checked, printer: &Printer) {
    printer.line(printer.paint(Style::new().bold(), &path.display().to_string()));
    let mark = printer.paint(Style::new().yellow(), "!");
    let mut kinds: Vec<(Kind, Vec<(usize, &Finding)>)> = Vec::new();
    for question in &checked.questions {
        for finding in &question.findings {
            match kinds.iter_mut().find(|(kind, _)| *kind == finding.kind) {
                Some((_, found)) => found.push((question.number, finding)),
                None => kinds.push((finding.kind, vec![(question.number, finding)])),
            }
        }
    }
    let collapsed = |kind: Kind| {
        kinds.iter().any(|(k, found)| {
            *k == kind && {
                let mut numbers: Vec<usize> = found.iter().map(|(n, _)| *n).collect();
                numbers.dedup();
                numbers.len() >= COLLAPSE_AT
            }
        })
    };
    for section in &limits::SECTIONS {
        printer.line(format!(
            "\n{}",
            printer.paint(Style::new().bold(), section.title)
        ));
        for question in checked
            .questions
            .iter()
            .filter(|q| section.questions.contains(&q.number))
        {
            printer.line(question_line(question, printer));
            for finding in question.findings.iter().filter(|f| !collapsed(f.kind)) {
                printer.line(format!(
                    "      {mark} {}:{}: {}",
                    path.display(),
                    finding.line,
                    finding.message
                ));
            }
        }
    }
    for (_, found) in kinds.iter().filter(|(kind, _)| collapsed(*kind)) {
        let mut numbers: Vec<usize> = found.iter().map(|(n, _)| *n).collect();
        numbers.dedup();
        let lines: Vec<String> = found.iter().map(|(_, f)| f.line.to_string()).collect();
        let shown = if lines.len() > 6 {
            format!("{}, …", lines[..6].join(", "))
        } else {
            lines.join(", ")
        };
        printer.line(format!(
            "\n{mark} the same finding in {} ({}; lines {shown}), e.g. {}:{}: {}",
            crate::plural::count(numbers.len(), "answer", "answers"),
            question_ranges(&numbers),
            path.display(),
            found[0].1.line,
            found[0].1.message
        ));
    }
    printer.line(format!(
        "\n{}/{} questions answered, {}/{} pass",
        checked.answered, checked.total, checked.passed, checked.total
    ));
    for (state, what, todo) in [
        (
            AnswerState::Placeholder,
            "still the placeholder",
            "in place of its `--- question N fill here ---` line",
        ),
        (AnswerState::Empty, "empty", "below its `Answer:` line"),
    ] {
        let numbers = checked.numbers_in(state);
        let (count, is) = match numbers.len() {
            0 => continue,
            1 => ("1 answer".to_string(), "is"),
            n => (format!("{n} answers"), "are"),
        };
        printer.line(format!(
            "{count} {is} {what} ({}): write each answer {todo}",
            question_ranges(&numbers)
        ));
    }
    let findings = checked.finding_count();
    if findings > 0 {
        printer.line(format!(
            "{} to fix: the lines marked !",
            crate::plural::count(findings, "finding", "findings")
        ));
    }
    if checked.within_limits > checked.passed {
        printer.line(format!(
            "The course's checker would pass {}/{}: it counts only words and images, so an \
             answer with findings, the placeholder or nothing passes it wherever the counts fit. \
             dayone passes only what is written and has nothing to fix.",
            checked.within_limits, checked.total
        ));
    }
}

/// `1–3, 5, 7–31`: question numbers with runs folded.
fn question_ranges(numbers: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == n => *last = n,
            _ => runs.push((n, n)),
        }
    }
    let runs: Vec<String> = runs
        .into_iter()
        .map(|(first, last)| match last - first {
            0 => first.to_string(),
            1 => format!("{first}, {last}"),
            _ => format!("{first}–{last}"),
        })
        .collect();
    let noun = if numbers.len() == 1 {
        "question"
    } else {
        "questions"
    };
    format!("{noun} {}", runs.join(", "))
}

fn question_line(q: &Question, printer: &Printer) -> String {
    let range = |limit: Option<String>| limit.map(|l| format!("({l})")).unwrap_or_default();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            word.to_string()
        } else {
            format!("{word}s")
        }
    };
    let style = match q.answer {
        AnswerState::Placeholder | AnswerState::Empty => Style::new().yellow(),
        AnswerState::Written if q.ok => Style::new().green(),
        AnswerState::Written => Style::new().red().bold(),
    };
    format!(
        "  Q{:<3}{:>4} {:<5} {:<11}{:>2} {:<6} {:<12}{}",
        q.number,
        q.words,
        plural(q.words, "word"),
        range(q.word_limit()),
        q.images,
        plural(q.images, "image"),
        range(q.image_limit()),
        printer.paint(style, &q.status()),
    )
}

fn run_html(args: &ReportHtmlArgs, printer: &Printer) -> Result<Outcome> {
    if let Some(output) = &args.output {
        writable_page(output)?;
    }
    let path = locate(args.path.as_deref(), printer)?;
    let report = report_file::read(&path)?;
    let page = html::render(&report.text, &Figures::new(report.dir()))?;
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

/// The page goes only to a new path or over a regular file. Anything else is refused before
/// the report is even read: a FIFO, device or socket would be replaced by a file, and a
/// symbolic link would be replaced rather than followed, so the link's owner would find their
/// link gone; the user is told to name the link's target instead.
fn writable_page(path: &Path) -> Result<()> {
    let refuse = |problem: String| {
        Err(Error::OutputPath {
            path: path.to_path_buf(),
            problem,
        })
    };
    let meta = match fs_err::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            return match parent {
                Some(dir) if !dir.is_dir() => refuse(format!(
                    "the folder {} does not exist; create it first or choose another path",
                    dir.display()
                )),
                _ => Ok(()),
            };
        }
        Err(err) => return Err(err.into()),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    const ONLY: &str = "the page is written only to a regular file or a new path";
    if kind.is_symlink() {
        let target = fs_err::read_link(path)?;
        let target = match path.parent() {
            Some(dir) if target.is_relative() => dir.join(&target),
            _ => target,
        };
        return refuse(format!(
            "this is a symbolic link to {target}; {ONLY}, never through a link (that would replace the link): pass -o {target} to write to its target",
            target = target.display()
        ));
    }
    if kind.is_dir() {
        return refuse(format!(
            "this is a folder; {ONLY}: name a file inside it, e.g. {}",
            path.join("report.html").display()
        ));
    }
    refuse(format!(
        "this is {}; {ONLY}: choose another",
        special_kind(&kind)
    ))
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::question_ranges;

    #[test]
    fn question_ranges_fold_runs_of_three_or_more() {
        assert_eq!(question_ranges(&[4]), "question 4");
        assert_eq!(question_ranges(&[1, 2]), "questions 1, 2");
        assert_eq!(
            question_ranges(&[1, 2, 3, 5, 7, 8, 10, 11, 12, 13]),
            "questions 1–3, 5, 7, 8, 10–13"
        );
    }
}
