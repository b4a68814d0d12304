//! `dayone check`: print the course checklist with evidence, as text or JSON, compare it with
//! the report's boxes, and optionally tick the boxes that have evidence.

use std::path::PathBuf;

use console::Style;
use serde::Serialize;

use super::Outcome;
use crate::check::{self, CheckResult, ItemResult, Located, ReportSummary, Status, plural};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::printer::{Level, Printer};
use crate::report::boxes::Week;

/// Evidence lines shown per item in text output.
const MAX_EVIDENCE_LINES: usize = 3;

pub fn run(args: CheckArgs, printer: &Printer) -> Result<Outcome> {
    let located = check::project_root(&args.path.unwrap_or_else(|| PathBuf::from(".")))?;
    let root = located.root.clone();
    let mut result = check::run(&root)?;
    if args.fix_report && result.report.is_none() {
        printer.warn(format!(
            "--fix-report: {} has no {}, so there are no boxes to tick",
            root.display(),
            crate::report::PATH
        ));
    }
    let fixed = if args.fix_report {
        check::fix_report(&mut result)?
    } else {
        Vec::new()
    };
    if args.json {
        printer.data(to_json(&result, &fixed)?);
    } else if printer.level() > Level::Quiet {
        let shown = Shown {
            open_only: args.open,
            weeks: Week::ALL
                .into_iter()
                .filter(|w| args.week.is_empty() || args.week.iter().any(|a| week_arg(*w) == a))
                .collect(),
        };
        print_text(&result, &located, &fixed, args.fix_report, &shown, printer);
    }
    for note in &result.notes {
        printer.warn(note);
    }
    let unsupported = result.items.iter().any(ItemResult::ticked_without_evidence);
    let unreadable = result
        .report
        .as_ref()
        .is_some_and(|r| !r.findings.is_empty());
    Ok(if args.strict && (unsupported || unreadable) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Which items the text lists (`--open`, `--week`); the counts are always of every item.
struct Shown {
    open_only: bool,
    weeks: Vec<Week>,
}

impl Shown {
    fn lists(&self, item: &ItemResult) -> bool {
        self.weeks.contains(&item.week) && (!self.open_only || item.status == Status::Open)
    }
}

/// How `--week` names a week.
fn week_arg(week: Week) -> &'static str {
    match week {
        Week::One => "1",
        Week::Two => "2",
        Week::Three => "3",
        Week::Extra => "extra",
    }
}

#[derive(Serialize)]
struct WeekSummary {
    week: Week,
    done: usize,
    open: usize,
    manual: usize,
}

#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    #[serde(flatten)]
    result: &'a CheckResult,
    summary: Vec<WeekSummary>,
    total: WeekTotals,
    ticked_without_evidence: Vec<&'a str>,
    evidence_not_ticked: Vec<&'a str>,
    fixed: &'a [String],
}

#[derive(Serialize)]
struct WeekTotals {
    done: usize,
    open: usize,
    manual: usize,
    items: usize,
}

fn ids(result: &CheckResult, pred: fn(&ItemResult) -> bool) -> Vec<&str> {
    result
        .items
        .iter()
        .filter(|i| pred(i))
        .map(|i| i.id.as_str())
        .collect()
}

fn to_json(result: &CheckResult, fixed: &[String]) -> Result<String> {
    let json = Json {
        schema: super::JSON_SCHEMA,
        result,
        summary: Week::ALL
            .iter()
            .map(|&week| WeekSummary {
                week,
                done: result.count(Some(week), Status::Done),
                open: result.count(Some(week), Status::Open),
                manual: result.count(Some(week), Status::Manual),
            })
            .collect(),
        total: WeekTotals {
            done: result.count(None, Status::Done),
            open: result.count(None, Status::Open),
            manual: result.count(None, Status::Manual),
            items: result.items.len(),
        },
        ticked_without_evidence: ids(result, ItemResult::ticked_without_evidence),
        evidence_not_ticked: ids(result, ItemResult::evidence_not_ticked),
        fixed,
    };
    let mut text = serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}

fn status_word(printer: &Printer, status: Status) -> String {
    let (style, word) = match status {
        Status::Done => (Style::new().green().bold(), "done  "),
        Status::Open => (Style::new().yellow(), "open  "),
        Status::Manual => (Style::new().cyan(), "manual"),
    };
    printer.paint(style, word)
}

fn tick_column(item: &ItemResult, has_report: bool) -> &'static str {
    match (has_report, item.ticked) {
        (false, _) => "",
        (true, Some(true)) => "[x] ",
        (true, Some(false)) => "[ ] ",
        (true, None) => " -  ",
    }
}

fn counts(result: &CheckResult, week: Option<Week>) -> String {
    format!(
        "{} done, {} open, {} manual",
        result.count(week, Status::Done),
        result.count(week, Status::Open),
        result.count(week, Status::Manual)
    )
}

fn print_text(
    result: &CheckResult,
    located: &Located,
    fixed: &[String],
    fix_requested: bool,
    shown: &Shown,
    printer: &Printer,
) {
    print_header(result, located, printer);
    let has_report = result.report.is_some();
    for &week in &shown.weeks {
        printer.line("");
        printer.line(printer.paint(
            Style::new().bold(),
            &format!("{week}  ({})", counts(result, Some(week))),
        ));
        let items: Vec<&ItemResult> = result
            .items
            .iter()
            .filter(|i| i.week == week && shown.lists(i))
            .collect();
        if items.is_empty() && shown.open_only {
            printer.line("  nothing open");
        }
        for item in items {
            print_item(item, has_report, printer);
        }
    }
    printer.line("");
    printer.line(format!(
        "Overall: {} (of {})",
        counts(result, None),
        plural::count(result.items.len(), "item", "items")
    ));
    if let Some(report) = &result.report {
        print_comparison(result, report, fixed, fix_requested, printer);
    }
}

/// Which project, what the report holds, and the day-1 hand-in.
fn print_header(result: &CheckResult, located: &Located, printer: &Printer) {
    let found = match &located.found_above {
        Some((given, marker)) => format!(
            " (the nearest folder above {} with {marker})",
            given.display()
        ),
        None => String::new(),
    };
    printer.line(format!(
        "Course checklist for {}{found}",
        result.project.display()
    ));
    match &result.report {
        Some(report) => {
            let ticked = result
                .items
                .iter()
                .filter(|i| i.ticked == Some(true))
                .count();
            printer.line(format!(
                "{}: {}, {ticked} ticked (column [x]/[ ]; - means the report has no box for the item)",
                report.path,
                plural::count(report.boxes, "checklist box", "checklist boxes")
            ));
        }
        None => printer.line(format!(
            "no {}: the checklist is shown without boxes to compare",
            crate::report::PATH
        )),
    }
    printer.line(result.description.summary());
}

/// One item: its line, a few pieces of evidence (--json has them all) and its hint.
fn print_item(item: &ItemResult, has_report: bool, printer: &Printer) {
    // Evidence and hints line up under the label: indent, box column, status, module.
    let pad = " ".repeat(2 + if has_report { 4 } else { 0 } + 7 + 7);
    let mut line = format!(
        "  {}{} {:<6} {}",
        tick_column(item, has_report),
        status_word(printer, item.status),
        item.module.as_deref().unwrap_or(""),
        item.label
    );
    if item.ticked_without_evidence() {
        line.push_str(&printer.paint(Style::new().red().bold(), "  ← ticked without evidence"));
    } else if item.evidence_not_ticked() {
        line.push_str(&printer.paint(Style::new().yellow().bold(), "  ← evidence but not ticked"));
    }
    printer.line(line);
    let prefix = if item.status == Status::Done {
        ""
    } else {
        "found: "
    };
    // A few pieces of evidence make the point; --verbose and --json have them all.
    let shown = if printer.level() == Level::Verbose {
        usize::MAX
    } else {
        MAX_EVIDENCE_LINES
    };
    for evidence in item.evidence.iter().take(shown) {
        let place = match evidence.line {
            Some(n) => format!("{}:{n}", evidence.path),
            None => evidence.path.clone(),
        };
        printer.line(format!("{pad}{prefix}{place}: {}", evidence.detail));
    }
    if item.evidence.len() > shown {
        printer.line(format!(
            "{pad}… and {} more (see --verbose or --json)",
            item.evidence.len() - shown
        ));
    }
    for said in &item.report_says {
        printer.line(format!(
            "{pad}{}:{}: {}",
            said.path,
            said.line.unwrap_or(0),
            said.detail
        ));
    }
    let specific = item.status == Status::Open
        || item.status == Status::Manual
            && item.hint.as_deref() != Some(check::detectors::MANUAL_HINT);
    if let Some(hint) = item.hint.as_ref().filter(|_| specific) {
        printer.line(format!("{pad}hint: {hint}"));
    }
}

/// Where the report's boxes and the evidence disagree, and what `--fix-report` did.
fn print_comparison(
    result: &CheckResult,
    report: &ReportSummary,
    fixed: &[String],
    fix_requested: bool,
    printer: &Printer,
) {
    if !fixed.is_empty() {
        printer.line(format!(
            "Ticked {} in {}: {}",
            plural::count(fixed.len(), "box", "boxes"),
            report.path,
            fixed.join(", ")
        ));
    }
    let unsupported: Vec<&ItemResult> = result
        .items
        .iter()
        .filter(|i| i.ticked_without_evidence())
        .collect();
    if !unsupported.is_empty() {
        printer.line(format!(
            "{} without evidence (the graders check these against the repository; `--fix-report` never unticks them):",
            plural::count(unsupported.len(), "ticked box", "ticked boxes")
        ));
        for item in unsupported {
            printer.line(format!(
                "  {}:{}: {} ({})",
                report.path,
                item.report_line.unwrap_or(0),
                item.label,
                item.id
            ));
        }
    }
    let untracked = result
        .items
        .iter()
        .filter(|i| i.evidence_not_ticked())
        .count();
    if untracked > 0 && !fix_requested {
        printer.line(format!(
            "{} evidence but an unticked box; `dayone check --fix-report` {}",
            plural::count(untracked, "item has", "items have"),
            plural::word(untracked, "ticks it", "ticks them")
        ));
    }
    print_unmatched(result, report, printer);
}

/// What keeps boxes and items from lining up: findings, items without a box, unknown boxes.
fn print_unmatched(result: &CheckResult, report: &ReportSummary, printer: &Printer) {
    for finding in &report.findings {
        printer.line(format!(
            "{} {finding}",
            printer.paint(Style::new().yellow().bold(), "!")
        ));
    }
    let missing: Vec<&str> = result
        .items
        .iter()
        .filter(|i| i.ticked.is_none())
        .map(|i| i.id.as_str())
        .collect();
    if report.boxes > 0 && !missing.is_empty() {
        printer.line(format!(
            "{} no box in {}: {}",
            plural::count(missing.len(), "item has", "items have"),
            report.path,
            missing.join(", ")
        ));
    }
    for unknown in &report.unknown {
        printer.line(format!(
            "{}:{}: this {} box{} matches no checklist item: {}",
            report.path,
            unknown.line,
            unknown.week,
            unknown
                .module
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            unknown.text
        ));
    }
}
