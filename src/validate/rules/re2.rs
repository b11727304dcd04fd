//! What RE2 (Envoy's regex engine, and Go's `regexp` that Istio validates
//! with) refuses although the regex crate's parser takes it: a repetition
//! of a repetition (`a**`, `a++`, `a?*`, `a{2}{3}`), repeat counts over
//! 1000, nested counted repetitions whose product passes 1000
//! (`(a{100}){100}`), flags RE2 lacks (`x`, `R`, `u`) and escapes of the
//! regex crate only (`\<`, `\>`, `\b{start}`, `\u0041`, `\U...`).

/// RE2's bound on a repeat count, and on nested counts multiplied.
const MAX_REPEAT: u64 = 1000;

/// `Err` with RE2's reason when RE2 refuses `pattern`.
pub fn refused_by_re2(pattern: &str) -> Result<(), String> {
    let mut scan = Scan {
        chars: pattern.chars().collect(),
        at: 0,
    };
    scan.pattern()
}

struct Scan {
    chars: Vec<char>,
    at: usize,
}

impl Scan {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    /// Walks the pattern, keeping for each open group the largest product
    /// of counted repeats inside it.
    fn pattern(&mut self) -> Result<(), String> {
        let mut groups: Vec<u64> = vec![1];
        // The weight (nested repeat product) of the last atom, and whether
        // it is a repetition already (then `true` if a lazy `?` may follow).
        let mut last_weight = 1;
        let mut repeated: Option<bool> = None;
        while let Some(c) = self.peek(0) {
            self.at += 1;
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
                        if let Some(count) = count {
                            last_weight *= count.max(1);
                            if last_weight > MAX_REPEAT {
                                return Err("invalid repeat count".into());
                            }
                            let inner = groups.last_mut().expect("the pattern's own group");
                            *inner = (*inner).max(last_weight);
                        }
                        repeated = Some(true);
                    }
                }
                continue;
            }
            repeated = None;
            last_weight = 1;
            match c {
                '\\' => self.escape()?,
                '[' => self.class(),
                '(' => {
                    self.group_flags()?;
                    groups.push(1);
                }
                ')' if groups.len() > 1 => {
                    last_weight = groups.pop().unwrap_or(1);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// After `{`: a counted repetition's largest count (its minimum when
    /// unbounded), or `None` when the brace is a literal, as RE2 reads it.
    fn counted(&mut self) -> Result<Option<u64>, String> {
        let rest: String = self.chars[self.at..].iter().take(24).collect();
        let Some(end) = rest.find('}') else {
            return Ok(None);
        };
        let body = &rest[..end];
        let (min, max) = body.split_once(',').unwrap_or((body, body));
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u64>().unwrap_or(u64::MAX))
        };
        let Some(min) = number(min) else {
            return Ok(None);
        };
        let max = if max.is_empty() {
            None
        } else {
            match number(max) {
                Some(max) => Some(max),
                None => return Ok(None),
            }
        };
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err("invalid repeat count".into());
        }
        self.at += body.chars().count() + 1;
        Ok(Some(max.unwrap_or(min)))
    }

    fn escape(&mut self) -> Result<(), String> {
        let Some(c) = self.peek(0) else {
            return Ok(());
        };
        self.at += 1;
        let refused = match c {
            '<' | '>' | 'u' | 'U' => true,
            'b' | 'B' => self.peek(0) == Some('{'),
            _ => false,
        };
        if refused {
            return Err(format!("invalid escape sequence \\{c}"));
        }
        Ok(())
    }

    /// Skips a character class; a `]` first in it is a literal.
    fn class(&mut self) {
        if self.peek(0) == Some('^') {
            self.at += 1;
        }
        if self.peek(0) == Some(']') {
            self.at += 1;
        }
        while let Some(c) = self.peek(0) {
            self.at += 1;
            match c {
                '\\' => self.at += 1,
                '[' if self.peek(0) == Some(':') => {
                    // A named class, `[:alpha:]`, up to its `:]`.
                    while let Some(c) = self.peek(0) {
                        self.at += 1;
                        if c == ']' {
                            break;
                        }
                    }
                }
                ']' => return,
                _ => {}
            }
        }
    }

    /// After `(`: flags RE2 knows are `i`, `m`, `s` and `U`.
    fn group_flags(&mut self) -> Result<(), String> {
        if self.peek(0) != Some('?') {
            return Ok(());
        }
        let mut ahead = 1;
        while let Some(c) = self.peek(ahead) {
            match c {
                ':' | ')' => return Ok(()),
                'i' | 'm' | 's' | 'U' | '-' => ahead += 1,
                // Named groups and the rest are the regex crate's parser's to judge.
                'P' | '<' | '=' | '!' if ahead == 1 => return Ok(()),
                other => return Err(format!("invalid or unsupported flag {other:?}")),
            }
        }
        Ok(())
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
            "a{1000}{1000}",
            "(a{100}){100}",
            "((a{10}){10}){11}",
            "(?x)a b",
            "(?u)a",
            "\\<a",
            "a\\b{start}",
            "\\u0041",
        ] {
            assert!(refused_by_re2(refused).is_err(), "{refused}");
        }
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
            "(?i)a+",
            "(?P<n>a)+",
            "(?:a|b)*",
            "[[:alpha:]*]+",
            "^/api/v[0-9]+/.*$",
            "1\\.2.*",
            "\\++",
        ] {
            assert_eq!(refused_by_re2(taken), Ok(()), "{taken}");
        }
    }
}
