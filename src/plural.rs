//! Counted nouns in what dayone prints: "1 box", "2 boxes", never "1 box(es)".

/// `one` when `n` is 1, `many` otherwise.
pub fn word<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `n` followed by the right form of the noun: `count(1, "box", "boxes")` is "1 box".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", word(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(0, "box", "boxes"), "0 boxes");
        assert_eq!(count(1, "box", "boxes"), "1 box");
        assert_eq!(count(2, "setting", "settings"), "2 settings");
        assert_eq!(word(1, "has", "have"), "has");
    }
}
