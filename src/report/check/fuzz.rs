//! The report reader and checker fed random and report-like text: no panic, counts that add
//! up, findings that point at real lines.

use proptest::prelude::*;

use super::*;
use crate::report::fixture::report;
use crate::report::parse::{Source, answers, count_words};

/// Pieces reports are made of, including the ones that trip the graders' tool.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Answer:".to_string()),
        Just("> Answer:\n".to_string()),
        Just("###".to_string()),
        Just("## ".to_string()),
        Just("### Question 7\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just(" ".to_string()),
        Just("\u{a0}\u{1f}\u{3000}".to_string()),
        Just("![a](figures/x.png)".to_string()),
        Just("![b](../up.gif \"t\")".to_string()),
        Just("![".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("<img src=x>".to_string()),
        Just("<script>x()</script>".to_string()),
        Just("<b onclick=x>".to_string()),
        Just("[l](javascript:x)".to_string()),
        Just("\n* [x] ".to_string()),
        Just("--- question 4 fill here ---".to_string()),
        Just("é€😀".to_string()),
        "[a-z0-9 #>*_`!.()\\[\\]-]{0,8}",
    ]
}

fn report_like(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..max).prop_map(|parts| parts.concat())
}

fn assert_sound(raw: &str) {
    let source = Source::new(raw);
    for answer in answers(&source) {
        let text = &source.text()[answer.span.clone()];
        assert_eq!(answer.words, count_words(text));
        assert!(answer.token_at + ANSWER_TOKEN.len() <= answer.span.start);
        assert!(answer.span.end <= source.text().len());
    }
    let lines = source.text().lines().count().max(1);
    if let Ok(checked) = check(raw, &all_exist) {
        assert_eq!(checked.total, 31);
        assert!(checked.passed <= 31);
        for q in &checked.questions {
            for f in &q.findings {
                assert!((1..=lines + 1).contains(&f.line), "{f:?} in {lines} lines");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_read_without_panicking(raw in any::<String>()) {
        assert_sound(&raw);
    }

    #[test]
    fn report_like_text_is_read_without_panicking(raw in report_like(300)) {
        assert_sound(&raw);
        let dir = std::env::temp_dir().join("dayone-fuzz-has-no-such-folder");
        let figures = crate::report::images::Figures::new(&dir);
        let page = crate::report::html::render(&raw, &figures).unwrap();
        let html = page.html.to_ascii_lowercase();
        prop_assert!(!html.contains("<script"), "{}", page.html);
        prop_assert!(!html.contains("<b onclick"), "{}", page.html);
        prop_assert!(!html.contains("href=\"javascript:"), "{}", page.html);
    }

    #[test]
    fn reports_with_odd_answers_are_read_without_panicking(
        bodies in prop::collection::vec(report_like(12), 31)
    ) {
        assert_sound(&report(|n| bodies[n - 1].clone()));
    }

    /// Answers free of `Answer:` and `#` are counted exactly as written.
    #[test]
    fn plain_answers_are_counted_as_written(
        bodies in prop::collection::vec("[a-z !\\[\\]()./\\n\\t\u{a0}-]{0,60}", 31)
    ) {
        let raw = report(|n| bodies[n - 1].clone());
        let checked = check(&raw, &all_exist).unwrap();
        for (q, body) in checked.questions.iter().zip(&bodies) {
            prop_assert_eq!(q.words, count_words(body));
            prop_assert_eq!(q.images, crate::report::parse::image_links(body).count());
        }
    }
}

fn all_exist(path: &str) -> Lookup {
    Lookup::File(path.into())
}
