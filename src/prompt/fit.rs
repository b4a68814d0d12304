//! Fitting the wizard to the terminal's width. A line that dialoguer redraws in place must
//! fit in one row: dialoguer clears only the row the cursor is on (a confirm prompt) or counts
//! rows by newlines (the others), so a line the terminal wrapped leaves its first half behind.
//! Everything here is pure, so the layout is tested without a terminal.

use console::measure_text_width;

use super::Shown;

/// The rows `width` columns of text take on a terminal `cols` wide: a full row keeps the
/// cursor on it (the wrap is pending), so exactly `cols` columns is one row.
pub fn rows(width: usize, cols: usize) -> usize {
    width.div_ceil(cols.max(1)).max(1)
}

/// Whether a line redrawn in place, `width` columns now and up to `room` more as the user
/// types or moves, stays in one row.
pub fn fits(width: usize, room: usize, cols: usize) -> bool {
    width + room < cols
}

/// `text` broken into lines that each fit in one row, after `indent`.
pub fn wrap(text: &str, indent: &str, cols: usize) -> Vec<String> {
    let width = cols.saturating_sub(1).max(indent.len() + 10);
    let options = textwrap::Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(indent);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

/// The review's lines: questions and answers in two columns when they fit, else each answer
/// after its question, wrapped under it.
pub fn review_lines(answers: &[Shown], cols: usize) -> Vec<String> {
    let wide = answers
        .iter()
        .map(|a| measure_text_width(&a.prompt))
        .max()
        .unwrap_or(0);
    let longest = answers
        .iter()
        .map(|a| measure_text_width(&a.value))
        .max()
        .unwrap_or(0);
    if 2 + wide + 2 + longest < cols {
        return answers
            .iter()
            .map(|a| {
                let pad = wide - measure_text_width(&a.prompt);
                format!("  {}{}  {}", a.prompt, " ".repeat(pad), a.value)
            })
            .collect();
    }
    answers
        .iter()
        .flat_map(|a| {
            let options = textwrap::Options::new(cols.saturating_sub(1).max(20))
                .initial_indent("  ")
                .subsequent_indent("      ");
            textwrap::wrap(&format!("{} · {}", a.prompt, a.value), options)
                .into_iter()
                .map(|line| line.into_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_row_is_one_row_and_one_more_column_is_two() {
        assert_eq!(rows(0, 60), 1);
        assert_eq!(rows(59, 60), 1);
        assert_eq!(rows(60, 60), 1);
        assert_eq!(rows(61, 60), 2);
        assert_eq!(rows(121, 60), 3);
    }

    #[test]
    fn a_redrawn_line_leaves_a_column_free() {
        assert!(fits(50, 9, 60));
        assert!(!fits(50, 10, 60));
    }

    #[test]
    fn wrapped_lines_never_reach_the_last_column() {
        let text = "A GitHub Actions workflow started by a registry webhook (repository_dispatch) or by hand.";
        let lines = wrap(text, "  ", 30);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.len() < 30 && l.starts_with("  ")));
    }

    #[test]
    fn the_review_puts_long_answers_under_their_question() {
        let shown = |prompt: &str, value: &str| Shown {
            names: vec![prompt.into()],
            prompt: prompt.into(),
            value: value.into(),
        };
        let answers = [
            shown("Project name", "leaf"),
            shown("One-line description", "Finds diseases on leaves"),
        ];
        assert_eq!(
            review_lines(&answers, 80),
            [
                "  Project name          leaf",
                "  One-line description  Finds diseases on leaves"
            ]
        );
        assert_eq!(
            review_lines(&answers, 40),
            [
                "  Project name · leaf",
                "  One-line description · Finds diseases",
                "      on leaves"
            ]
        );
    }
}
