//! Values written the way Python writes them, since cookiecutter's Jinja2 runs on Python:
//! `str()` (what `{{ x }}` prints: `True`, `None`, `['a', 'b']`), `repr()`, and `json.dumps`
//! (what `jsonify` and `tojson` print: sorted keys, `\uXXXX` for anything not ASCII).

use std::fmt::Write;

use minijinja::Value;
use minijinja::value::ValueKind;

/// `str(value)`: strings as they are, everything else as its `repr`.
pub fn str_of(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text.to_string(),
        None => repr(value),
    }
}

/// `repr(value)`.
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

fn write_repr(out: &mut String, value: &Value) {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if value.is_true() { "True" } else { "False" }),
        ValueKind::String => write_str_repr(out, value.as_str().unwrap_or_default()),
        ValueKind::Number => out.push_str(&number(value)),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in value.try_iter().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, &item);
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            for (i, key) in value.try_iter().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, &key);
                out.push_str(": ");
                write_repr(out, &value.get_item(&key).unwrap_or_default());
            }
            out.push('}');
        }
        _ => out.push_str(&value.to_string()),
    }
}

/// A string's `repr`: single quotes unless it holds a single quote and no double one.
fn write_str_repr(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// A number as Python prints it: integers plainly, floats with at least one decimal.
fn number(value: &Value) -> String {
    if value.is_integer() {
        return value.to_string();
    }
    match f64::try_from(value.clone()) {
        Ok(float) if float.is_nan() => "nan".to_string(),
        Ok(float) if float.is_infinite() => if float > 0.0 { "inf" } else { "-inf" }.to_string(),
        Ok(float) if float.fract() == 0.0 && float.abs() < 1e16 => format!("{float:.1}"),
        Ok(float) => float.to_string(),
        Err(_) => value.to_string(),
    }
}

/// `json.dumps(value, sort_keys=True, indent=indent)`: Python's separators (`", "` without an
/// indent, `","` with one) and `ensure_ascii`.
pub fn json_dumps(value: &Value, indent: Option<usize>) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, value, indent, 0)?;
    Ok(out)
}

fn write_json(
    out: &mut String,
    value: &Value,
    indent: Option<usize>,
    depth: usize,
) -> Result<(), String> {
    let newline = |out: &mut String, depth: usize| {
        if let Some(width) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', width * depth));
        }
    };
    let item_separator = if indent.is_some() { "," } else { ", " };
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => {
            let text = number(value);
            out.push_str(match text.as_str() {
                "nan" => "NaN",
                "inf" => "Infinity",
                "-inf" => "-Infinity",
                other => other,
            });
        }
        ValueKind::String => write_json_string(out, value.as_str().unwrap_or_default()),
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = value.try_iter().map_err(|e| e.to_string())?.collect();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_separator);
                }
                newline(out, depth + 1);
                write_json(out, item, indent, depth + 1)?;
            }
            newline(out, depth);
            out.push(']');
        }
        ValueKind::Map => {
            let mut keys: Vec<Value> = value.try_iter().map_err(|e| e.to_string())?.collect();
            if keys.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_separator);
                }
                newline(out, depth + 1);
                let name = match key.as_str() {
                    Some(name) => name.to_string(),
                    None if matches!(key.kind(), ValueKind::Bool | ValueKind::None) => {
                        let mut text = String::new();
                        write_json(&mut text, key, None, 0)?;
                        text
                    }
                    None => number(key),
                };
                write_json_string(out, &name);
                out.push_str(": ");
                let item = value.get_item(key).map_err(|e| e.to_string())?;
                write_json(out, &item, indent, depth + 1)?;
            }
            newline(out, depth);
            out.push('}');
        }
        other => return Err(format!("a value of kind {other} is not JSON serializable")),
    }
    Ok(())
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        Value::from(minijinja::value::Serde(
            serde_json::from_str::<serde_json::Value>(json).unwrap(),
        ))
    }

    #[test]
    fn values_print_as_python_prints_them() {
        assert_eq!(str_of(&Value::from(true)), "True");
        assert_eq!(str_of(&Value::from(())), "None");
        assert_eq!(str_of(&Value::from(2.0)), "2.0");
        assert_eq!(str_of(&Value::from("it's")), "it's");
        assert_eq!(
            str_of(&value(r#"{"a": [1, "it's", null, false], "b": "x\ny"}"#)),
            r#"{'a': [1, "it's", None, False], 'b': 'x\ny'}"#
        );
    }

    #[test]
    fn json_is_python_json_dumps_with_sorted_keys() {
        let data = value(r#"{"b": [1, 2.5, true], "a": "é\"<", "c": {}}"#);
        assert_eq!(
            json_dumps(&data, None).unwrap(),
            r#"{"a": "\u00e9\"<", "b": [1, 2.5, true], "c": {}}"#
        );
        assert_eq!(
            json_dumps(&data, Some(2)).unwrap(),
            "{\n  \"a\": \"\\u00e9\\\"<\",\n  \"b\": [\n    1,\n    2.5,\n    true\n  ],\n  \"c\": {}\n}"
        );
        assert_eq!(
            json_dumps(&Value::from("🦀"), None).unwrap(),
            r#""\ud83e\udd80""#
        );
    }
}
