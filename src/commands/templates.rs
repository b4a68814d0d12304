//! `dayone templates [NAME] [--json]`: what templates exist and what each one asks.

use serde_json::json;

use super::Outcome;
use crate::check::checklist::Checklist;
use crate::cli::TemplatesArgs;
use crate::error::Result;
use crate::printer::Printer;
use crate::template::source::Source;
use crate::template::variable::Variable;
use crate::template::{Format, Template};

pub fn run(args: TemplatesArgs, printer: &Printer) -> Result<Outcome> {
    let wanted = super::wanted(None, &args.fetch);
    match args.name {
        None => list(args.json, printer)?,
        Some(name) => {
            let template = Template::locate(&name, wanted.extras, wanted.policy)?;
            super::say_fetched(printer, &template);
            show(&template, args.json, printer)?;
        }
    }
    Ok(Outcome::Clean)
}

fn list(as_json: bool, printer: &Printer) -> Result<()> {
    let mut templates = Vec::new();
    for name in Source::builtin_names() {
        templates.push(Template::find(name)?);
    }
    if as_json {
        let items: Vec<_> = templates
            .iter()
            .map(|t| json!({"name": t.name(), "version": t.manifest.template.version, "description": t.manifest.template.description}))
            .collect();
        let doc = json!({"schema": super::JSON_SCHEMA, "templates": items});
        printer.data(format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).expect("JSON of plain values")
        ));
    } else {
        let mut out = String::from("Built-in templates:\n");
        for t in &templates {
            out += &format!(
                "  {:<10} {:<8} {}\n",
                t.name(),
                t.manifest.template.version,
                t.manifest.template.description
            );
        }
        out += "\nShow one template's variables with: dayone templates NAME";
        printer.line(out);
    }
    Ok(())
}

fn show(template: &Template, as_json: bool, printer: &Printer) -> Result<()> {
    if as_json {
        show_json(template, printer);
        return Ok(());
    }
    let meta = &template.manifest.template;
    let checklist = Checklist::embedded()?;
    let mut out = format!(
        "{} {} ({})\n{}\n\nVariables (set any with --set NAME=VALUE):\n",
        meta.name,
        meta.version,
        template.origin(),
        meta.description
    );
    for v in &template.manifest.variables {
        out += &describe(v, &checklist);
    }
    if !template.hooks().is_empty() {
        out += &format!(
            "\nHooks (dayone runs them only with `new --run-hooks`): {}\n",
            template.hooks().join(", ")
        );
    }
    // Wrapped to a terminal, line by line under each line's indent.
    printer.line(out.trim_end());
    Ok(())
}

fn show_json(template: &Template, printer: &Printer) {
    let meta = &template.manifest.template;
    let variables: Vec<_> = template
        .manifest
        .variables
        .iter()
        .map(|v| {
            json!({
                "name": v.name, "prompt": v.prompt, "help": v.help, "type": v.var_type,
                "default": v.default, "choices": v.choices, "labels": v.labels,
                "choice_when": v.choice_when, "when": v.when, "ask": v.ask,
                "git_config": v.git_config, "feature": v.feature, "serves": v.serves, "starter": v.starter,
                "validate": v.validate.as_ref().map(|r| json!({"regex": r.regex, "message": r.message})),
            })
        })
        .collect();
    let doc = json!({"schema": super::JSON_SCHEMA, "name": meta.name, "version": meta.version, "description": meta.description, "origin": template.origin(), "format": format_name(template), "hooks": template.hooks(), "variables": variables});
    printer.data(format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).expect("JSON of plain values")
    ));
}

/// The template's format as `--json` names it.
fn format_name(template: &Template) -> &'static str {
    match template.format {
        Format::Dayone => "dayone",
        Format::Cookiecutter(_) => "cookiecutter",
    }
}

/// One variable as `dayone templates NAME` lists it; a feature with the items it serves.
fn describe(v: &Variable, checklist: &Checklist) -> String {
    let mut out = format!("\n  {}  ({})\n    {}\n", v.name, v.var_type, v.prompt);
    if let Some(help) = &v.help {
        out += &format!("    {help}\n");
    }
    if !v.choices.is_empty() {
        out += &format!("    choices: {}\n", v.choices.join(", "));
    }
    for choice in &v.choices {
        let (label, when) = (v.labels.get(choice), v.choice_when.get(choice));
        if label.is_some() || when.is_some() {
            let label = label.map(|l| format!(": {l}")).unwrap_or_default();
            let when = when
                .map(|w| format!(" (offered when {w})"))
                .unwrap_or_default();
            out += &format!("      {choice}{label}{when}\n");
        }
    }
    if let Some(default) = &v.default {
        let shown = default
            .as_str()
            .map_or_else(|| default.to_string(), String::from);
        if shown.contains("{{") || shown.contains("{%") {
            out += &format!("    default: worked out from earlier answers: {shown}\n");
        } else {
            out += &format!("    default: {shown}\n");
        }
    }
    if let Some(key) = &v.git_config {
        out += &format!("    default from git config: {key}\n");
    }
    if let Some(when) = &v.when {
        out += &format!("    asked when: {when}\n");
    }
    if !v.ask {
        out += "    never asked (computed)\n";
    }
    if v.feature {
        out += &format!(
            "    a feature: turn it on later with `dayone add {}`\n",
            v.name
        );
    }
    for id in &v.serves {
        let label = checklist
            .items
            .iter()
            .find(|item| item.id == *id)
            .map_or("", |item| item.label.as_str());
        out += &format!("      serves {id}: {label}\n");
    }
    out
}
