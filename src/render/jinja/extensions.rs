//! cookiecutter's built-in Jinja extensions, which every cookiecutter template has: `jsonify`,
//! `slugify`, `random_ascii_string`, `uuid4` and the `{% now %}` tag (also what
//! `jinja2_time.TimeExtension` gives), plus Jinja2's own `tojson` as Python writes it.

use std::borrow::Cow;
use std::sync::LazyLock;

use minijinja::value::{Kwargs, Rest};
use minijinja::{Environment, Error, ErrorKind, Value};
use regex::Regex;

use super::python;
use crate::render::clock::{Moment, now_seconds};

/// The name `{% now %}` tags are rewritten to call.
const NOW: &str = "__dayone_now";

pub fn register(env: &mut Environment) {
    env.add_filter("jsonify", jsonify);
    env.add_filter("tojson", tojson);
    env.add_filter("slugify", slugify_filter);
    env.add_function("random_ascii_string", random_ascii_string);
    env.add_function("uuid4", uuid4);
    env.add_function(NOW, now);
}

fn invalid(message: impl Into<Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// `jsonify(indent=4)`: `json.dumps(value, sort_keys=True, indent=indent)`.
fn jsonify(value: &Value, args: Rest<Value>) -> Result<String, Error> {
    // An absent indent is 4; `none` (which an Option would not tell apart) is no indent.
    let indent = match args.first() {
        None => Some(4),
        Some(v) if v.is_none() => None,
        Some(v) => Some(
            v.as_usize()
                .ok_or_else(|| invalid("indent must be a number"))?,
        ),
    };
    python::json_dumps(value, indent).map_err(invalid)
}

/// Jinja2's `tojson`: sorted keys, and `<`, `>`, `&`, `'` escaped so the text is safe in HTML.
fn tojson(value: &Value, indent: Option<usize>) -> Result<Value, Error> {
    let text = python::json_dumps(value, indent).map_err(invalid)?;
    let safe = text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\'', "\\u0027");
    Ok(Value::from_safe_string(safe))
}

fn slugify_filter(value: &Value, kwargs: Kwargs) -> Result<String, Error> {
    let options = SlugOptions {
        separator: kwargs
            .get::<Option<String>>("separator")?
            .unwrap_or("-".into()),
        lowercase: kwargs.get::<Option<bool>>("lowercase")?.unwrap_or(true),
        max_length: kwargs.get::<Option<usize>>("max_length")?.unwrap_or(0),
        word_boundary: kwargs
            .get::<Option<bool>>("word_boundary")?
            .unwrap_or(false),
        stopwords: kwargs
            .get::<Option<Vec<String>>>("stopwords")?
            .unwrap_or_default(),
    };
    kwargs.assert_all_used()?;
    Ok(slugify(&python::str_of(value), &options))
}

struct SlugOptions {
    separator: String,
    lowercase: bool,
    max_length: usize,
    word_boundary: bool,
    stopwords: Vec<String>,
}

/// python-slugify's default pipeline: HTML entities decoded, accented Latin letters folded to
/// ASCII (other letters dropped), lowercased, every run of other characters one separator.
fn slugify(text: &str, options: &SlugOptions) -> String {
    let text = text
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace('\'', "-");
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match fold(c) {
            Some(ascii) => folded.push_str(ascii),
            None => folded.push(c),
        }
    }
    if options.lowercase {
        folded = folded.to_lowercase();
    }
    static DIGIT_COMMA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d),(\d)").expect("a valid pattern"));
    let folded = DIGIT_COMMA.replace_all(&folded, "$1$2");
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !options.stopwords.iter().any(|s| s.eq_ignore_ascii_case(w)))
        .collect();
    let mut slug = words.join("-");
    if options.max_length > 0 && slug.len() > options.max_length {
        slug = if options.word_boundary {
            let mut kept = String::new();
            for word in &words {
                let extra = usize::from(!kept.is_empty()) + word.len();
                if kept.len() + extra > options.max_length {
                    break;
                }
                if !kept.is_empty() {
                    kept.push('-');
                }
                kept.push_str(word);
            }
            kept
        } else {
            slug[..options.max_length].trim_end_matches('-').to_string()
        };
    }
    if options.separator != "-" {
        slug = slug.replace('-', &options.separator);
    }
    slug
}

/// The ASCII spelling of an accented Latin letter, as a transliteration would give it.
fn fold(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐ", "D"),
        ("ďđ", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "AE"),
        ("æ", "ae"),
        ("Œ", "OE"),
        ("œ", "oe"),
        ("ß", "ss"),
        ("Þ", "Th"),
        ("þ", "th"),
        ("Ð", "D"),
        ("ð", "d"),
    ];
    if c.is_ascii() {
        return None;
    }
    TABLE
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, ascii)| *ascii)
}

/// Random bytes from the operating system: `random_ascii_string` makes secrets (Django keys).
fn random_bytes(count: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = vec![0u8; count];
    getrandom::fill(&mut bytes).map_err(|e| invalid(format!("no random numbers: {e}")))?;
    Ok(bytes)
}

/// `random_ascii_string(length, punctuation=False)`: letters (and punctuation), drawn without
/// bias from the operating system's random numbers.
fn random_ascii_string(
    length: usize,
    punctuation: Option<bool>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let punctuation = match kwargs.get::<Option<bool>>("punctuation")? {
        Some(named) => Some(named),
        None => punctuation,
    };
    kwargs.assert_all_used()?;
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    let corpus: Vec<u8> = if punctuation.unwrap_or(false) {
        format!("{LETTERS}{PUNCTUATION}").into_bytes()
    } else {
        LETTERS.as_bytes().to_vec()
    };
    // Bytes at or above the largest multiple of the corpus size would favour its start.
    let limit = 256 - 256 % corpus.len();
    let mut out = String::with_capacity(length);
    while out.len() < length {
        for byte in random_bytes(length * 2)? {
            if usize::from(byte) < limit && out.len() < length {
                out.push(char::from(corpus[usize::from(byte) % corpus.len()]));
            }
        }
    }
    Ok(out)
}

/// `uuid4()`: a random (version 4) UUID in its hyphenated form.
fn uuid4() -> Result<String, Error> {
    let mut bytes = random_bytes(16)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// What `{% now 'utc' [+|- 'days=1, hours=2'] [, '%Y'] %}` becomes: the time now, shifted and
/// formatted. Only UTC is known; `local` is taken as UTC.
fn now(args: &[Value]) -> Result<String, Error> {
    let (zone, shift, format) = match args {
        [zone, format] => (zone, None, format),
        [zone, sign, offset, format] => (zone, Some((sign, offset)), format),
        _ => return Err(invalid("{% now %} takes a time zone, a shift and a format")),
    };
    let zone = zone.as_str().unwrap_or_default();
    if !zone.eq_ignore_ascii_case("utc") && !zone.eq_ignore_ascii_case("local") {
        return Err(invalid(format!(
            "{{% now %}}: the time zone `{zone}` is not one dayone knows; use 'utc' (or 'local', which dayone takes as UTC)"
        )));
    }
    let mut secs = now_seconds();
    if let Some((sign, offset)) = shift {
        let by = shift_seconds(offset.as_str().unwrap_or_default())?;
        secs += if sign.as_str() == Some("-") { -by } else { by };
    }
    let format = format.as_str().unwrap_or("%Y-%m-%d");
    Moment::from_seconds(secs)
        .format(format)
        .map_err(|e| invalid(format!("{{% now %}}: {e}")))
}

/// `days=1, hours=-2` in seconds.
fn shift_seconds(offset: &str) -> Result<i64, Error> {
    let mut total = 0.0;
    for part in offset.split(',') {
        let (unit, amount) = part.split_once('=').ok_or_else(|| {
            invalid(format!(
                "{{% now %}}: the shift `{offset}` is not of the form 'days=1, hours=2'"
            ))
        })?;
        let amount: f64 = amount
            .trim()
            .parse()
            .map_err(|_| invalid(format!("{{% now %}}: `{amount}` is not a number")))?;
        let unit_seconds = match unit.trim() {
            "weeks" => 604_800.0,
            "days" => 86_400.0,
            "hours" => 3_600.0,
            "minutes" => 60.0,
            "seconds" => 1.0,
            other => {
                return Err(invalid(format!(
                    "{{% now %}}: dayone shifts by weeks, days, hours, minutes or seconds, not `{other}`"
                )));
            }
        };
        total += amount * unit_seconds;
    }
    Ok(total as i64)
}

/// A `{% now … %}` tag on one line, with its whitespace control.
static NOW_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%(-?)\s*now\s+([^\n]*?)\s*(-?)%\}").expect("a valid pattern"));

/// Rewrite `{% now … %}` tags into calls the engine knows (`{{ __dayone_now(…) }}`); a tag
/// that is not of cookiecutter's form is left for the engine to refuse.
pub fn rewrite_now<'a>(text: &'a str, raw: &Regex) -> Cow<'a, str> {
    if !text.contains("now") || !NOW_TAG.is_match(text) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = 0;
    let raw_blocks: Vec<_> = raw.find_iter(text).map(|m| m.range()).collect();
    for tag in NOW_TAG.captures_iter(text) {
        let whole = tag.get(0).expect("the whole match");
        if raw_blocks.iter().any(|r| r.contains(&whole.start())) {
            continue;
        }
        let Some(call) = now_call(&tag[2]) else {
            continue;
        };
        out += &text[rest..whole.start()];
        out += &format!("{{{{{} {call} {}}}}}", &tag[1], &tag[3]);
        rest = whole.end();
    }
    out += &text[rest..];
    out.into()
}

/// The call for a tag's body: `zone[, format]`, the zone possibly `zone + 'shift'`.
fn now_call(body: &str) -> Option<String> {
    let parts = split_top(body, ',');
    let (zone, format) = match parts.as_slice() {
        [zone] => (*zone, "none"),
        [zone, format] => (*zone, *format),
        _ => return None,
    };
    for sign in ['+', '-'] {
        if let [left, right] = split_top(zone, sign).as_slice() {
            return Some(format!("{NOW}({left}, \"{sign}\", {right}, {format})"));
        }
    }
    Some(format!("{NOW}({zone}, {format})"))
}

/// `text` split at `at` where it is outside quotes and brackets, each part trimmed.
fn split_top(text: &str, at: char) -> Vec<&str> {
    let (mut parts, mut start, mut depth, mut quote) = (Vec::new(), 0, 0i32, None);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, c) if c == at && depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(text: &str) -> String {
        slugify(
            text,
            &SlugOptions {
                separator: "-".into(),
                lowercase: true,
                max_length: 0,
                word_boundary: false,
                stopwords: Vec::new(),
            },
        )
    }

    #[test]
    fn slugs_are_python_slugify_slugs() {
        assert_eq!(slug("My Great Project!"), "my-great-project");
        assert_eq!(slug("  Café Ünïcödé -- ß  "), "cafe-unicode-ss");
        assert_eq!(slug("It's 1,000 & more"), "it-s-1000-more");
        let options = SlugOptions {
            separator: "_".into(),
            lowercase: true,
            max_length: 9,
            word_boundary: true,
            stopwords: vec!["the".into()],
        };
        assert_eq!(slugify("The quick brown fox", &options), "quick");
    }

    #[test]
    fn random_values_have_their_shape() {
        let id = uuid4().unwrap();
        let shape =
            Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        assert!(shape.unwrap().is_match(&id), "{id}");
        assert_ne!(uuid4().unwrap(), id);
        let letters =
            random_ascii_string(50, None, Kwargs::from_iter(Vec::<(String, Value)>::new()))
                .unwrap();
        assert_eq!(letters.len(), 50);
        assert!(
            letters.chars().all(|c| c.is_ascii_alphabetic()),
            "{letters}"
        );
    }

    #[test]
    fn now_tags_become_calls() {
        let raw = Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").unwrap();
        assert_eq!(
            rewrite_now(
                "a {% now 'utc', '%Y' %} b {%- now 'local' - 'days=1' -%}",
                &raw
            ),
            "a {{ __dayone_now('utc', '%Y') }} b {{- __dayone_now('local', \"-\", 'days=1', none) -}}"
        );
        let kept = "{% raw %}{% now 'utc' %}{% endraw %}";
        assert_eq!(rewrite_now(kept, &raw), kept);
        assert_eq!(shift_seconds("days=1, hours=-2").unwrap(), 79_200);
        assert!(shift_seconds("months=1").is_err());
    }
}
