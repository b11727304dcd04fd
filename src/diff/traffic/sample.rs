//! Strings a regular expression matches, for the request classes of
//! `regex` matches: built from the pattern's syntax tree (regex-syntax's
//! HIR), shortest first and always in the same order, each checked against
//! the pattern compiled as simulate compiles it (a whole-value match).

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::mesh::re2;

/// Strings kept at each step: enough to pick one that an earlier route
/// does not take, few enough that concatenations stay cheap.
pub const KEPT: usize = 8;

/// Repetitions beyond which no string is built (`a{5000}`).
const MAX_REPEAT: u32 = 1000;

/// The characters tried first for a class, in this order: the ones that
/// read well in a request.
const PREFERRED: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_./~";

/// Up to [`KEPT`] strings that `pattern` matches whole, shortest first,
/// made only of characters `allowed` accepts; none when the pattern does
/// not compile or no such string was found.
pub fn samples(pattern: &str, allowed: &dyn Fn(char) -> bool) -> Vec<String> {
    // Read as RE2 reads it. The default nesting bound of the parser keeps
    // the walk of `strings` within the stack: a pattern nested deeper
    // gets no samples.
    let Ok(translated) = re2::translate(pattern) else {
        return Vec::new();
    };
    let Ok(hir) = regex_syntax::Parser::new().parse(&translated) else {
        return Vec::new();
    };
    let Some(whole) = re2::whole_match(pattern) else {
        return Vec::new();
    };
    let mut found = strings(&hir, allowed);
    // Assertions (`\b`, `^` inside) were read as empty: keep what holds.
    found.retain(|s| whole.is_match(s));
    found
}

fn strings(hir: &Hir, allowed: &dyn Fn(char) -> bool) -> Vec<String> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) if text.chars().all(allowed) => vec![text.to_string()],
            _ => Vec::new(),
        },
        HirKind::Class(class) => class_chars(class, allowed)
            .into_iter()
            .map(String::from)
            .collect(),
        HirKind::Capture(capture) => strings(&capture.sub, allowed),
        HirKind::Concat(parts) => parts.iter().fold(vec![String::new()], |heads, part| {
            if heads.is_empty() {
                return heads;
            }
            product(&heads, &strings(part, allowed))
        }),
        HirKind::Alternation(branches) => {
            shortest(branches.iter().flat_map(|b| strings(b, allowed)).collect())
        }
        HirKind::Repetition(repetition) => {
            if repetition.min > MAX_REPEAT {
                return Vec::new();
            }
            let one = strings(&repetition.sub, allowed);
            let counts = [repetition.min, repetition.min + 1]
                .into_iter()
                .filter(|&n| repetition.max.is_none_or(|max| n <= max));
            shortest(counts.flat_map(|n| repeated(&one, n)).collect())
        }
    }
}

/// Every `head` followed by every `tail`, the shortest [`KEPT`].
fn product(heads: &[String], tails: &[String]) -> Vec<String> {
    shortest(
        heads
            .iter()
            .flat_map(|head| tails.iter().map(move |tail| format!("{head}{tail}")))
            .collect(),
    )
}

/// `n` strings of `one` in a row.
fn repeated(one: &[String], n: u32) -> Vec<String> {
    (0..n).fold(vec![String::new()], |heads, _| product(&heads, one))
}

/// The distinct strings, shortest first (ties in the order found), at most
/// [`KEPT`].
fn shortest(mut found: Vec<String>) -> Vec<String> {
    found.sort_by_key(|s| s.chars().count());
    let mut kept: Vec<String> = Vec::with_capacity(KEPT);
    for s in found {
        if kept.len() == KEPT {
            break;
        }
        if !kept.contains(&s) {
            kept.push(s);
        }
    }
    kept
}

/// Up to [`KEPT`] characters of a class that `allowed` accepts: the
/// preferred ones first, then the start of each range.
fn class_chars(class: &Class, allowed: &dyn Fn(char) -> bool) -> Vec<char> {
    let (contains, starts): (Box<dyn Fn(char) -> bool>, Vec<char>) = match class {
        Class::Unicode(class) => (
            Box::new(|c| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c && c <= r.end())
            }),
            class.ranges().iter().map(|r| r.start()).collect(),
        ),
        Class::Bytes(class) => (
            Box::new(|c| {
                u8::try_from(c).is_ok_and(|b| {
                    b.is_ascii()
                        && class
                            .ranges()
                            .iter()
                            .any(|r| r.start() <= b && b <= r.end())
                })
            }),
            class
                .ranges()
                .iter()
                .map(|r| char::from(r.start()))
                .collect(),
        ),
    };
    let mut chars: Vec<char> = Vec::with_capacity(KEPT);
    for c in PREFERRED.chars().chain(' '..='~').chain(starts) {
        if chars.len() == KEPT {
            break;
        }
        if contains(c) && allowed(c) && !chars.contains(&c) {
            chars.push(c);
        }
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(pattern: &str) -> Option<String> {
        samples(pattern, &|c: char| c.is_ascii_graphic())
            .into_iter()
            .next()
    }

    #[test]
    fn the_shortest_string_the_pattern_matches_whole() {
        for (pattern, sample) in [
            ("/v[0-9]+", "/v0"),
            ("/api/.*", "/api/"),
            ("^/(reviews|ratings)/\\d{2}$", "/reviews/00"),
            ("(?i)jason", "jason"),
            ("a|bb|", ""),
            ("[^a-z]x", "0x"),
            ("\\bword\\b", "word"),
            ("x{3,}y?", "xxx"),
        ] {
            assert_eq!(first(pattern).as_deref(), Some(sample), "{pattern}");
        }
    }

    #[test]
    fn candidates_come_shortest_first_and_always_alike() {
        let found = samples("/(a|bc)[0-9]", &|c: char| c.is_ascii_graphic());
        assert_eq!(found[..3], ["/a0", "/a1", "/a2"]);
        assert!(found.windows(2).all(|w| w[0].len() <= w[1].len()));
        assert_eq!(
            found,
            samples("/(a|bc)[0-9]", &|c: char| c.is_ascii_graphic())
        );
    }

    #[test]
    fn nothing_when_no_string_fits() {
        // A space is not allowed; a bad pattern, or a huge count, gives none.
        assert_eq!(first("a b"), None);
        assert_eq!(first("(unclosed"), None);
        assert_eq!(first("a{2000}"), None);
        assert_eq!(first("[^\\x00-\\x7f]"), None);
        assert!(samples("ab", &|c| c != 'b').is_empty());
    }
}
