//! Regular expressions as RE2 reads them (Envoy's engine, and Go's `regexp`
//! that Istio validates with), for the regex crate meshctl matches with.
//!
//! The two syntaxes look alike and read some patterns differently. RE2
//! reads `[a&&b]`, `[a~~b]` and `[a[b]]` as plain sets of characters
//! (`&`, `~` and `[` are literals in a class), where the regex crate
//! intersects, takes differences and nests classes; RE2 reads a `{` that
//! starts no valid count (`x{`, `x{,3}`, `x{01}`) as a literal; its `\d`,
//! `\s`, `\w` and `\b` are ASCII where the regex crate's are Unicode; `\<`
//! is a literal `<` for RE2 and a word boundary for the regex crate; `\Q..\E`
//! and octal escapes are RE2's only. RE2 also refuses what the regex crate
//! takes: a repetition of a repetition (`a**`, `a{2}{3}`), counts over
//! 1000 (nested counts multiplied), `[a--b]` (a range from `a` down to
//! `-`), flags and escapes it lacks.
//!
//! So a pattern is never handed to the regex crate as written:
//! [`translate`] reads it with RE2's parse rules (Go's `regexp/syntax` in
//! Perl mode, which Istio's validation runs) and writes the regex-crate
//! pattern that matches the same strings, escaping what RE2 reads
//! literally, or gives RE2's reason for refusing it.

use std::fmt::Write as _;

use regex::{Regex, RegexBuilder};

use crate::loader::quoted;

/// RE2's bound on a repeat count, and on nested counts multiplied.
const MAX_REPEAT: u64 = 1000;

/// RE2's and Go's bound on how deep a pattern nests (Go counts the height
/// of its syntax tree; meshctl counts groups, the same for groups within
/// groups, the usual way to nest deep).
const MAX_NESTING: usize = 1000;

/// The regex crate's own bound on nesting, raised to let through every
/// pattern of at most [`MAX_NESTING`] groups: it counts a group, the
/// repetition, alternation and concatenation in it as levels of their own.
const REGEX_NEST_LIMIT: u32 = 5 * MAX_NESTING as u32;

/// Groups within groups that the regex crate compiles on any thread's
/// stack (its compiler recurses once per level, and its own default bound
/// is 250 levels); a deeper pattern is compiled on a thread of its own,
/// with [`DEEP_STACK`] bytes of stack.
const SHALLOW_NESTING: usize = 60;
const DEEP_STACK: usize = 256 << 20;

/// Counts of this many digits or more are "too big" to RE2 (Go stops at 1e8).
const MAX_COUNT_DIGITS: usize = 9;

/// POSIX classes RE2 knows inside brackets (the regex crate reads the same
/// names with the same ASCII sets).
const POSIX_CLASSES: &[&str] = &[
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Unicode general categories Go's `regexp` knows by name (`\p{Lu}`).
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs",
];

/// The regex-crate pattern that matches what the RE2 `pattern` matches, or
/// RE2's reason for refusing it.
pub fn translate(pattern: &str) -> Result<String, String> {
    translate_nested(pattern).map(|(translated, _)| translated)
}

/// [`translate`], with how deep the pattern's groups nest.
fn translate_nested(pattern: &str) -> Result<(String, usize), String> {
    let mut reader = Reader {
        chars: pattern.chars().collect(),
        at: 0,
        out: String::with_capacity(pattern.len() + 8),
        deepest: 0,
    };
    reader.pattern()?;
    Ok((reader.out, reader.deepest))
}

/// A parser of translated patterns that takes every nesting RE2 takes.
/// (Parsing takes no stack per level; compiling does, see [`compile`].)
pub fn syntax_parser() -> regex_syntax::Parser {
    regex_syntax::ParserBuilder::new()
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// `pattern` compiled to match a whole value, as Envoy's `safe_regex`
/// matchers do; `None` when RE2 or the regex crate refuses it.
pub fn whole_match(pattern: &str) -> Option<Regex> {
    let (translated, nesting) = translate_nested(pattern).ok()?;
    compile(format!("^(?:{translated})$"), nesting + 1)
}

/// `pattern` compiled to search within a value (a rewrite's match).
pub fn search(pattern: &str) -> Option<Regex> {
    let (translated, nesting) = translate_nested(pattern).ok()?;
    compile(translated, nesting)
}

/// Compiles a translated pattern whose groups nest `nesting` deep: a deep
/// one on a thread with stack enough for the regex crate's compiler.
fn compile(translated: String, nesting: usize) -> Option<Regex> {
    let build = move || {
        RegexBuilder::new(&translated)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .ok()
    };
    if nesting <= SHALLOW_NESTING {
        return build();
    }
    let thread = std::thread::Builder::new().stack_size(DEEP_STACK);
    thread.spawn(build).ok()?.join().ok()?
}

struct Reader {
    chars: Vec<char>,
    at: usize,
    out: String,
    /// How deep groups nested so far.
    deepest: usize,
}

impl Reader {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += 1;
        Some(c)
    }

    fn text(&self, from: usize) -> String {
        self.chars[from..self.at.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// Walks the pattern, keeping for each open group the largest product
    /// of counted repeats inside it.
    fn pattern(&mut self) -> Result<(), String> {
        let mut groups: Vec<u64> = vec![1];
        // The weight (nested repeat product) of the last atom, and whether
        // it is a repetition already (then `true` if a lazy `?` may follow).
        let mut last_weight = 1;
        let mut repeated: Option<bool> = None;
        while let Some(c) = self.next() {
            let count = match c {
                '*' | '+' | '?' => Some(None),
                '{' => self.counted()?.map(Some),
                _ => None,
            };
            if let Some(count) = count {
                match repeated {
                    Some(true) if c == '?' => repeated = Some(false),
                    Some(_) => return Err("invalid nested repetition operator".into()),
                    None => {
                        if let Some((_, most)) = count {
                            last_weight *= most.max(1);
                            if last_weight > MAX_REPEAT {
                                return Err("invalid repeat count".into());
                            }
                            let inner = groups.last_mut().expect("the pattern's own group");
                            *inner = (*inner).max(last_weight);
                        }
                        repeated = Some(true);
                    }
                }
                match count {
                    Some((text, _)) => self.out.push_str(&text),
                    None => self.out.push(c),
                }
                continue;
            }
            repeated = None;
            last_weight = 1;
            match c {
                '\\' => self.escape()?,
                '[' => self.class()?,
                '(' => {
                    if self.group()? {
                        groups.push(1);
                        self.deepest = self.deepest.max(groups.len() - 1);
                        if self.deepest > MAX_NESTING {
                            return Err("expression nests too deeply".into());
                        }
                    }
                }
                ')' => {
                    if groups.len() > 1 {
                        last_weight = groups.pop().unwrap_or(1);
                    }
                    self.out.push(')');
                }
                '|' | '^' | '$' | '.' => self.out.push(c),
                // `{` here starts no count: RE2 reads it as a literal.
                c => push_literal(&mut self.out, c),
            }
        }
        Ok(())
    }

    /// After `{`: a count as RE2 parses it (`{n}`, `{n,}`, `{n,m}`, no
    /// leading zeros), written for the regex crate, with its largest count
    /// (its minimum when unbounded); `None` when the brace is a literal.
    fn counted(&mut self) -> Result<Option<(String, u64)>, String> {
        let start = self.at;
        let number = |reader: &mut Reader| {
            let from = reader.at;
            while reader.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                reader.at += 1;
            }
            let digits = reader.text(from);
            let leading_zero = digits.len() > 1 && digits.starts_with('0');
            (!digits.is_empty() && !leading_zero).then(|| {
                if digits.len() >= MAX_COUNT_DIGITS {
                    u64::MAX
                } else {
                    digits.parse().unwrap_or(u64::MAX)
                }
            })
        };
        let parsed = (|| {
            let min = number(self)?;
            let max = match self.next()? {
                '}' => return Some((min, Some(min))),
                ',' if self.peek(0) == Some('}') => None,
                ',' => Some(number(self)?),
                _ => return None,
            };
            (self.next()? == '}').then_some((min, max))
        })();
        let Some((min, max)) = parsed else {
            self.at = start;
            return Ok(None);
        };
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err("invalid repeat count".into());
        }
        let text = match max {
            Some(max) if max == min => format!("{{{min}}}"),
            Some(max) => format!("{{{min},{max}}}"),
            None => format!("{{{min},}}"),
        };
        Ok(Some((text, max.unwrap_or(min))))
    }

    /// After `\` outside a class.
    fn escape(&mut self) -> Result<(), String> {
        let Some(c) = self.next() else {
            return Err("trailing backslash at end of expression".into());
        };
        match c {
            'A' | 'z' => {
                self.out.push('\\');
                self.out.push(c);
            }
            // RE2's word boundary is ASCII's.
            'b' => self.out.push_str("(?-u:\\b)"),
            'B' => self.out.push_str("(?-u:\\B)"),
            'Q' => self.quoted(),
            'p' | 'P' => {
                let class = self.unicode_class(c)?;
                self.out.push_str(&class);
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => self.out.push_str(perl_class(c)),
            c => {
                let literal = self.escaped_char(c)?;
                push_char(&mut self.out, literal);
            }
        }
        Ok(())
    }

    /// `\Q...\E`: everything up to `\E` (or the end) is literal.
    fn quoted(&mut self) {
        while let Some(c) = self.next() {
            if c == '\\' && self.peek(0) == Some('E') {
                self.at += 1;
                return;
            }
            push_literal(&mut self.out, c);
        }
    }

    /// The character an escape stands for (after its `\`), as Go's
    /// `parseEscape` reads it: octal (`\0`, `\12`, never a lone `\1`),
    /// hex, C escapes, and any ASCII punctuation as itself.
    fn escaped_char(&mut self, c: char) -> Result<Option<char>, String> {
        let invalid = |text: String| Err(format!("invalid escape sequence \\{text}"));
        let octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
        match c {
            '1'..='7' if !octal(self.peek(0)) => invalid(c.to_string()),
            '0'..='7' => {
                let mut value = c as u32 - '0' as u32;
                for _ in 0..2 {
                    if !octal(self.peek(0)) {
                        break;
                    }
                    value = value * 8 + (self.next().unwrap_or('0') as u32 - '0' as u32);
                }
                Ok(char::from_u32(value))
            }
            'x' => {
                let start = self.at;
                let value = if self.peek(0) == Some('{') {
                    self.at += 1;
                    let from = self.at;
                    while self.peek(0).is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.at += 1;
                    }
                    let digits = self.text(from);
                    let closed = self.next() == Some('}');
                    (closed && !digits.is_empty() && digits.len() <= 8)
                        .then(|| u32::from_str_radix(&digits, 16).ok())
                        .flatten()
                        .filter(|&v| v <= 0x10_FFFF)
                } else {
                    let digits: String = (0..2).filter_map(|_| self.next()).collect();
                    (digits.len() == 2)
                        .then(|| u32::from_str_radix(&digits, 16).ok())
                        .flatten()
                };
                match value {
                    // A surrogate is a code point no UTF-8 text holds.
                    Some(value) => Ok(char::from_u32(value)),
                    None => Err(format!(
                        "invalid escape sequence {}",
                        quoted(&format!("\\x{}", self.text(start)))
                    )),
                }
            }
            'a' => Ok(Some('\u{7}')),
            'f' => Ok(Some('\u{c}')),
            'n' => Ok(Some('\n')),
            'r' => Ok(Some('\r')),
            't' => Ok(Some('\t')),
            'v' => Ok(Some('\u{b}')),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(Some(c)),
            c => invalid(c.to_string()),
        }
    }

    /// After `\p` or `\P`: a one-letter name or one in braces, which Go
    /// knows as `Any`, a general category or a script (spelt as Go spells
    /// them; the regex crate also takes loose spellings and other
    /// properties, which RE2 refuses).
    fn unicode_class(&mut self, sign: char) -> Result<String, String> {
        let start = self.at;
        let name = match self.next() {
            Some('{') => {
                let from = self.at;
                while self.peek(0).is_some_and(|c| c != '}') {
                    self.at += 1;
                }
                if self.next().is_none() {
                    return Err(format!("invalid character class range \\{sign}{{"));
                }
                self.chars[from..self.at - 1].iter().collect::<String>()
            }
            Some(c) => c.to_string(),
            None => return Err(format!("invalid escape sequence \\{sign}")),
        };
        let (negated, bare) = match name.strip_prefix('^') {
            Some(rest) => (sign == 'p', rest),
            None => (sign == 'P', name.as_str()),
        };
        let refused = || {
            let text = format!("\\{sign}{}", self.text(start));
            format!("invalid character class range {}", quoted(&text))
        };
        let class = if bare == "Any" {
            "\\x{0}-\\x{10FFFF}".to_string()
        } else if CATEGORIES.contains(&bare) {
            format!("\\p{{{bare}}}")
        } else if bare.starts_with(|c: char| c.is_ascii_uppercase())
            && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && regex_syntax::Parser::new()
                .parse(&format!("\\p{{sc={bare}}}"))
                .is_ok()
        {
            format!("\\p{{sc={bare}}}")
        } else {
            return Err(refused());
        };
        Ok(format!("[{}{class}]", if negated { "^" } else { "" }))
    }

    /// After `(`: a capture, a named capture or flags. Returns whether a
    /// group opens (flags alone, `(?i)`, open none).
    fn group(&mut self) -> Result<bool, String> {
        if self.peek(0) != Some('?') {
            self.out.push('(');
            return Ok(true);
        }
        let start = self.at - 1;
        self.at += 1;
        let named = match (self.peek(0), self.peek(1)) {
            (Some('P'), Some('<')) => Some(2),
            (Some('<'), next) if !matches!(next, Some('=' | '!')) => Some(1),
            _ => None,
        };
        if let Some(skip) = named {
            self.at += skip;
            let from = self.at;
            while self.peek(0).is_some_and(|c| c != '>') {
                self.at += 1;
            }
            let name = self.text(from);
            let valid =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if self.next().is_none() || !valid {
                return Err(format!(
                    "invalid named capture {}",
                    quoted(&self.text(start))
                ));
            }
            self.out.push_str(&format!("(?P<{name}>"));
            return Ok(true);
        }
        let from = self.at;
        let mut negated = false;
        let mut flag_after_minus = false;
        while let Some(c) = self.next() {
            match c {
                'i' | 'm' | 's' | 'U' => flag_after_minus = true,
                '-' if !negated => {
                    negated = true;
                    flag_after_minus = false;
                }
                ':' | ')' if !negated || flag_after_minus => {
                    let flags = self.chars[from..self.at - 1].iter().collect::<String>();
                    if !flags.is_empty() || c == ':' {
                        self.out.push_str(&format!("(?{flags}{c}"));
                    }
                    return Ok(c == ':');
                }
                _ => break,
            }
        }
        let syntax = quoted(&self.text(start));
        if ["\"(?=", "\"(?!", "\"(?<"]
            .iter()
            .any(|l| syntax.starts_with(l))
        {
            return Err(format!("look-around is not supported: {syntax}"));
        }
        Err(format!("invalid or unsupported Perl syntax {syntax}"))
    }

    /// After `[`: a class as RE2 reads it. A `]` first is a literal; `[` is
    /// a literal unless it starts a POSIX class (`[:alpha:]`); `-` makes a
    /// range between the characters around it unless it ends the class;
    /// `&`, `~` and a second `-` are plain characters.
    fn class(&mut self) -> Result<(), String> {
        let start = self.at - 1;
        self.out.push('[');
        if self.peek(0) == Some('^') {
            self.at += 1;
            self.out.push('^');
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(format!("missing closing ] {}", quoted(&self.text(start))));
            };
            if c == ']' && !first {
                self.at += 1;
                self.out.push(']');
                return Ok(());
            }
            first = false;
            if c == '[' && self.peek(1) == Some(':') && self.posix_class()? {
                continue;
            }
            if c == '\\' {
                match self.peek(1) {
                    Some(sign @ ('p' | 'P')) => {
                        self.at += 2;
                        let class = self.unicode_class(sign)?;
                        self.out.push_str(&class);
                        continue;
                    }
                    Some(p @ ('d' | 'D' | 's' | 'S' | 'w' | 'W')) => {
                        self.at += 2;
                        self.out.push_str(perl_class(p));
                        continue;
                    }
                    _ => {}
                }
            }
            let range_start = self.at;
            let lo = self.class_char()?;
            let mut hi = lo;
            if self.peek(0) == Some('-') && self.peek(1).is_some_and(|c| c != ']') {
                self.at += 1;
                hi = self.class_char()?;
                if hi < lo {
                    return Err(format!(
                        "invalid character class range {}",
                        quoted(&self.text(range_start))
                    ));
                }
            }
            push_char(&mut self.out, lo);
            if hi != lo {
                self.out.push('-');
                push_char(&mut self.out, hi);
            }
        }
    }

    /// At `[:` in a class: a POSIX class up to the next `:]`, copied;
    /// `false` (the `[` is a literal) when no `:]` follows.
    fn posix_class(&mut self) -> Result<bool, String> {
        let rest = &self.chars[self.at + 2..];
        let Some(end) = rest.windows(2).position(|w| w == [':', ']']) else {
            return Ok(false);
        };
        let name: String = rest[..end].iter().collect();
        if !POSIX_CLASSES.contains(&name.trim_start_matches('^')) {
            return Err(format!(
                "invalid character class range {}",
                quoted(&format!("[:{name}:]"))
            ));
        }
        self.out.push_str(&format!("[:{name}:]"));
        self.at += 2 + end + 2;
        Ok(true)
    }

    /// One character of a class, plain or escaped (`None`: a code point no
    /// text holds).
    fn class_char(&mut self) -> Result<Option<char>, String> {
        match self.next() {
            Some('\\') => match self.next() {
                Some(c) => self.escaped_char(c),
                None => Err("trailing backslash at end of expression".into()),
            },
            Some(c) => Ok(Some(c)),
            None => Err("missing closing ]".into()),
        }
    }
}

/// RE2's Perl classes, which are ASCII (the regex crate's are Unicode).
fn perl_class(c: char) -> &'static str {
    match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => "[\\t\\n\\x0C\\r ]",
        'S' => "[^\\t\\n\\x0C\\r ]",
        'w' => "[0-9A-Za-z_]",
        _ => "[^0-9A-Za-z_]",
    }
}

/// A character RE2 reads literally, escaped so that the regex crate does
/// too (`None`, a code point no text holds, matches nothing).
fn push_char(out: &mut String, c: Option<char>) {
    match c {
        Some(c) => push_literal(out, c),
        None => out.push_str("[^\\x{0}-\\x{10FFFF}]"),
    }
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() && !matches!(c, '<' | '>') {
        out.push('\\');
        out.push(c);
    } else if c.is_control() {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_go_and_re2_refuse() {
        for refused in [
            "a**",
            "a++",
            "a?*",
            "a+?+",
            "a{2}{3}",
            "a{2}*",
            "a{1001}",
            "a{1,1001}",
            "a{2,1}",
            "a{1000}{1000}",
            "(a{100}){100}",
            "((a{10}){10}){11}",
            "(?x)a b",
            "(?u)a",
            "(?i-)a",
            "\\u0041",
            "\\1",
            "\\C",
            "\\e",
            "a\\",
            "[a--b]",
            "[z-a]",
            "[[:foo:]]",
            "[a",
            "\\p{greek}",
            "\\p{Alphabetic}",
            "\\p{Script=Greek}",
            "\\x{110000}",
            "(?P<a-b>x)",
        ] {
            assert!(translate(refused).is_err(), "{refused}");
        }
    }

    /// Groups nest as deep as RE2 lets them, however small the stack of
    /// the thread that compiles them; one more is refused.
    #[test]
    fn nests_as_deep_as_re2_and_no_deeper() {
        let nested = |depth: usize| format!("{}a{}", "(b|".repeat(depth), ")*".repeat(depth));
        let deepest = nested(MAX_NESTING);
        assert!(crate::validate::rules::support::validate_regex(&deepest).is_ok());
        let compiled = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || whole_match(&deepest).is_some_and(|re| re.is_match("bba")))
            .unwrap()
            .join()
            .unwrap();
        assert!(compiled);
        assert!(whole_match(&nested(300)).is_some_and(|re| re.is_match("a")));
        assert_eq!(
            translate(&nested(MAX_NESTING + 1)),
            Err("expression nests too deeply".to_string())
        );
    }

    #[test]
    fn takes_what_re2_takes() {
        for taken in [
            "a*?",
            "a+?",
            "a??",
            "a{2}?",
            "a{1000}",
            "(a{10}){100}",
            "[*+?]+",
            "[]*]+",
            "[^]*]+",
            "a\\*+",
            "x{",
            "x{a}",
            "a{,3}",
            "a{01}",
            "(?i)a+",
            "(?P<n>a)+",
            "(?<n>a)+",
            "(?:a|b)*",
            "(?i-s:a)",
            "[[:alpha:]*]+",
            "^/api/v[0-9]+/.*$",
            "1\\.2.*",
            "\\++",
            "\\<a\\>",
            "a\\b{start}",
            "\\Q[a]*\\E+",
            "\\101",
            "\\p{Greek}\\pL\\p{^Lu}",
            "[a&&b]",
            "[a~~b]",
            "[a[b]]",
            "[--b]",
        ] {
            let translated = translate(taken);
            assert!(translated.is_ok(), "{taken}: {translated:?}");
            let regex = whole_match(taken);
            assert!(regex.is_some(), "{taken} -> {translated:?}");
        }
    }

    /// Patterns both engines take but read differently match as RE2 reads
    /// them.
    #[test]
    fn matches_as_re2_reads_the_pattern() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("[a&&b]", &["a", "&", "b"], &[""]),
            ("[a~~b]", &["a", "~", "b"], &["c"]),
            ("[a[b]]", &["a]", "[]", "b]"], &["a", "b"]),
            ("[[:alpha:]]", &["q"], &["1", "["]),
            ("x{", &["x{"], &["x"]),
            ("x{,3}", &["x{,3}"], &["", "xxx"]),
            ("x{2}", &["xx"], &["x{2}"]),
            ("x{01}", &["x{01}"], &["x"]),
            ("\\<a\\>", &["<a>"], &["a"]),
            ("a\\b{start}", &["a{start}"], &["a"]),
            ("\\Q[a]*\\E+", &["[a]*", "[a]**"], &["a"]),
            ("\\d+", &["42"], &["\u{664}"]),
            ("\\w", &["_"], &["é"]),
            ("\\s", &[" "], &["\u{a0}", "\u{b}"]),
            ("\\101", &["A"], &["101"]),
            ("(?i)k", &["K"], &[]),
            ("a.c", &["abc"], &["a\nc"]),
            ("é\\b", &[], &["é"]),
        ];
        for (pattern, matching, others) in cases {
            let regex = whole_match(pattern).unwrap_or_else(|| panic!("{pattern}"));
            for text in *matching {
                assert!(regex.is_match(text), "{pattern} should match {text:?}");
            }
            for text in *others {
                assert!(!regex.is_match(text), "{pattern} should not match {text:?}");
            }
        }
    }
}
