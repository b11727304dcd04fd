//! Text from the input on a terminal: a configuration must not be able to
//! move the cursor, retitle the window or hide lines through the report.

use std::borrow::Cow;

use crate::loader::terminal_acts_on;

/// `text` with each character a terminal would act on written as its
/// escape (`\u{1b}`), as messages quote values.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(terminal_acts_on) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if terminal_acts_on(c) {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(
            terminal_safe("r\u{1b}]0;PWNED\u{7}"),
            "r\\u{1b}]0;PWNED\\u{7}"
        );
        assert_eq!(
            terminal_safe("a\rb\u{9b}c\u{202e}"),
            "a\\u{d}b\\u{9b}c\\u{202e}"
        );
        assert!(matches!(terminal_safe("plain: ä\tb"), Cow::Borrowed(_)));
    }
}
