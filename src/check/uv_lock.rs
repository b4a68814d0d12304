//! Whether `uv.lock` still locks what `pyproject.toml` asks for. uv records the root project's
//! requirements in the lock (`[package.metadata]`: `requires-dist` and `requires-dev`); when
//! they no longer match the pyproject's, `uv sync --locked` (the generated CI) refuses the lock.
//!
//! Requirements are compared by group (dependencies, each extra, each dependency group), name,
//! extras and version specifiers, with PEP 503 names and the specifiers' clauses sorted and
//! unspaced. Markers other than `extra == '…'` are left out: uv rewrites them (`python_version`
//! as `python_full_version`), and a lock must not look stale for the way uv writes it. Python's
//! lower bound (`requires-python`) is compared too.

use std::collections::{BTreeMap, BTreeSet};

use toml::Value;

/// One requirement as both files can say it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Requirement {
    /// `""` for dependencies, `extra NAME` or `group NAME`.
    group: String,
    name: String,
    extras: Vec<String>,
    specifier: String,
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.extras.is_empty() {
            write!(f, "[{}]", self.extras.join(","))?;
        }
        write!(f, "{}", self.specifier)?;
        if !self.group.is_empty() {
            write!(f, " ({})", self.group)?;
        }
        Ok(())
    }
}

/// How the lock differs from the pyproject, in words (at most a few); `None` when it matches
/// or when either file does not say enough to tell.
pub fn stale(pyproject: &Value, lock: &str) -> Option<Vec<String>> {
    let project = pyproject.get("project")?;
    let name = normalize(project.get("name")?.as_str()?);
    let wanted = declared(pyproject);
    let (lock_python, locked) = locked(lock, &name)?;
    let mut differences = Vec::new();
    let python = project.get("requires-python").and_then(Value::as_str);
    if let (Some(want), Some(have)) = (python.and_then(lower_bound), lock_python.as_deref())
        && lower_bound(have).is_some_and(|have| have != want)
    {
        differences.push(format!(
            "requires-python is `{}`, the lock was made for `{have}`",
            python.unwrap_or_default()
        ));
    }
    let missing = wanted
        .difference(&locked)
        .map(|r| format!("{r} is not locked"));
    let gone = locked
        .difference(&wanted)
        .map(|r| format!("{r} is locked but no longer asked for"));
    differences.extend(missing.chain(gone));
    if differences.is_empty() {
        None
    } else {
        Some(differences)
    }
}

/// The pyproject's requirements: `[project]` dependencies and optional dependencies,
/// `[dependency-groups]` (includes expanded) and uv's older `dev-dependencies`.
fn declared(pyproject: &Value) -> BTreeSet<Requirement> {
    let mut out = BTreeSet::new();
    let strings = |value: Option<&Value>| -> Vec<String> {
        value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect()
    };
    let project = pyproject.get("project");
    for line in strings(project.and_then(|p| p.get("dependencies"))) {
        out.extend(parse_pep508(&line, String::new()));
    }
    let optional = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(Value::as_table);
    for (extra, list) in optional.into_iter().flatten() {
        for line in strings(Some(list)) {
            out.extend(parse_pep508(&line, format!("extra {}", normalize(extra))));
        }
    }
    let groups = pyproject
        .get("dependency-groups")
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut by_group: BTreeMap<String, Vec<String>> = groups
        .keys()
        .map(|g| (normalize(g), group_lines(&groups, g, &mut Vec::new())))
        .collect();
    let legacy = pyproject
        .get("tool")
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("dev-dependencies"));
    by_group
        .entry("dev".to_string())
        .or_default()
        .extend(strings(legacy));
    for (group, lines) in by_group {
        for line in lines {
            out.extend(parse_pep508(&line, format!("group {group}")));
        }
    }
    out
}

/// The lines of dependency group `name`, with `{ include-group = "…" }` expanded (once each).
fn group_lines(groups: &toml::Table, name: &str, seen: &mut Vec<String>) -> Vec<String> {
    if seen.iter().any(|s| s == name) {
        return Vec::new();
    }
    seen.push(name.to_string());
    let mut out = Vec::new();
    for entry in groups
        .get(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match entry {
            Value::String(line) => out.push(line.clone()),
            other => {
                if let Some(include) = other.get("include-group").and_then(Value::as_str) {
                    out.extend(group_lines(groups, include, seen));
                }
            }
        }
    }
    out
}

/// The lock's `requires-python` and the requirements it recorded for the root project `name`
/// (an editable or virtual package at `.`); `None` when it has no such record.
fn locked(lock: &str, name: &str) -> Option<(Option<String>, BTreeSet<Requirement>)> {
    // The header (before the first package) holds `requires-python`; the lock can be large,
    // so only the header and the root package's block are parsed.
    let mut blocks = lock.split("\n[[package]]\n");
    let header: toml::Table = toml::from_str(blocks.next()?).ok()?;
    let python = header
        .get("requires-python")
        .and_then(Value::as_str)
        .map(String::from);
    let quoted = format!("name = \"{name}\"");
    let root = blocks
        .filter(|block| block.lines().next() == Some(quoted.as_str()))
        .filter_map(|block| toml::from_str::<toml::Table>(&format!("[[package]]\n{block}")).ok())
        .filter_map(|mut table| match table.remove("package")? {
            Value::Array(mut packages) if packages.len() == 1 => packages.pop(),
            _ => None,
        })
        .find(|package| {
            let source = package.get("source");
            ["editable", "virtual"]
                .iter()
                .any(|kind| source.and_then(|s| s.get(kind)).and_then(Value::as_str) == Some("."))
        })?;
    let metadata = root.get("metadata")?;
    let mut out = BTreeSet::new();
    let dist = metadata.get("requires-dist").and_then(Value::as_array);
    for entry in dist.into_iter().flatten() {
        let marker = entry.get("marker").and_then(Value::as_str).unwrap_or("");
        let group = extra_of(marker).map_or_else(String::new, |e| format!("extra {e}"));
        out.extend(from_lock_entry(entry, group));
    }
    let dev = metadata.get("requires-dev").and_then(Value::as_table);
    for (group, list) in dev.into_iter().flatten() {
        for entry in list.as_array().into_iter().flatten() {
            out.extend(from_lock_entry(
                entry,
                format!("group {}", normalize(group)),
            ));
        }
    }
    Some((python, out))
}

fn from_lock_entry(entry: &Value, group: String) -> Option<Requirement> {
    let mut extras: Vec<String> = entry
        .get("extras")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(normalize)
        .collect();
    extras.sort();
    Some(Requirement {
        group,
        name: normalize(entry.get("name")?.as_str()?),
        extras,
        specifier: clauses(entry.get("specifier").and_then(Value::as_str).unwrap_or("")),
    })
}

/// The extra a marker such as `extra == 'test'` (or `… and extra == "test"`) selects.
fn extra_of(marker: &str) -> Option<String> {
    let at = marker.find("extra")?;
    let rest = marker[at + "extra".len()..]
        .trim_start()
        .strip_prefix("==")?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let value = rest[1..].split(quote).next()?;
    Some(normalize(value))
}

/// A PEP 508 requirement line as a requirement in `group`; `None` for what is not one.
fn parse_pep508(line: &str, group: String) -> Option<Requirement> {
    let line = line.split(';').next()?.trim();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(line.len());
    let (name, mut rest) = line.split_at(end);
    if name.is_empty() {
        return None;
    }
    let mut extras = Vec::new();
    if let Some(inner) = rest.trim_start().strip_prefix('[') {
        let (list, after) = inner.split_once(']')?;
        extras = list
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(normalize)
            .collect();
        extras.sort();
        rest = after;
    }
    let rest = rest.trim();
    // A direct reference (`name @ url`) has no version specifier to compare.
    let specifier = if rest.starts_with('@') {
        String::new()
    } else {
        clauses(rest.trim_start_matches('(').trim_end_matches(')'))
    };
    Some(Requirement {
        group,
        name: normalize(name),
        extras,
        specifier,
    })
}

/// Version clauses without spaces, sorted: `>=1.0, <2` and `<2,>=1.0` read the same.
fn clauses(specifier: &str) -> String {
    let mut parts: Vec<String> = specifier
        .split(',')
        .map(|c| {
            c.chars()
                .filter(|ch| !ch.is_whitespace())
                .collect::<String>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    parts.sort();
    parts.join(",")
}

/// The version of a specifier's `>=` clause.
fn lower_bound(specifier: &str) -> Option<String> {
    specifier
        .split(',')
        .map(str::trim)
        .find_map(|c| c.strip_prefix(">="))
        .map(|v| v.trim().to_string())
}

/// A PEP 503 name: lowercase, runs of `-`, `_` and `.` as one `-`.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if "-_.".contains(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests;
