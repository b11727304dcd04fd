//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per finding, which the runner turns into annotations on
//! the pull request's diff.

use std::io::{self, Write};

use super::uri::relative_uri;
use super::{Level, Report, detailed_message};

pub fn render(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for d in report.diagnostics {
        let mut properties = Vec::new();
        if let Some(location) = &d.location {
            let file = relative_uri(&location.source.name, report.root.as_deref());
            properties.push(format!("file={}", escape_property(&file)));
            properties.push(format!("line={}", location.pos.line.max(1)));
            properties.push(format!("col={}", location.pos.column.max(1)));
        }
        let title = format!("{} {}", d.rule.code, d.rule.name);
        properties.push(format!("title={}", escape_property(&title)));
        writeln!(
            out,
            "::{} {}::{}",
            command(d.level),
            properties.join(","),
            escape_data(&detailed_message(d))
        )?;
    }
    Ok(())
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

/// The runner reads `%`, CR and LF as escapes in a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Properties also end at `,` and `:`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("100%\r\nnext"), "100%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
