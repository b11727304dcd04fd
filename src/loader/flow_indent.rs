//! Leniency for flow collections (`[...]`, `{...}`) whose lines sit at or
//! left of the block they open in:
//!
//! ```yaml
//!     args: [
//!     "--socket", "/run/agent.sock",
//!     ]
//! data: {
//! a: b}
//! ```
//!
//! Go's YAML reader (kubectl, the API server's clients: go-yaml v2 through
//! sigs.k8s.io/yaml) checks indentation in block context only, so such
//! manifests apply (`kubectl label --local -f` reads them, items at column
//! 0 included); the YAML reader meshctl uses refuses them ("invalid
//! indentation"). On that error the document is read again with each line
//! that starts inside a flow collection, at or left of the node holding
//! it, indented one column past that node. Inside a flow collection Go's
//! reader ignores where a line starts, so this reads the tree kubectl
//! reads; and since only a refused document is read again, no document
//! that read before reads otherwise. Lines the scan cannot place surely
//! are left as written (the document stays refused): a line inside a
//! quoted scalar, and a document marker (`---`, `...` at column 0), which
//! ends a document in any context. [`Reindented`] keeps what it added, so
//! every position and byte offset is mapped back to the file as written.

/// A document's text with under-indented flow lines pushed right.
#[derive(Debug)]
pub struct Reindented {
    pub text: String,
    /// Spaces added at the start of each line (0-based, in the slice).
    pads: Vec<usize>,
    /// Byte offset of each line in `text`, and the spaces added before it.
    starts: Vec<(usize, usize)>,
}

/// Where a line scan stands at a line's start.
#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// The quote of a quoted scalar that runs on.
    quote: Option<char>,
    /// The column past which a flow collection's lines must start (the
    /// column of the node that holds it).
    opener: usize,
    /// Lines more indented than this belong to a block scalar (`|`, `>`).
    block_scalar: Option<usize>,
}

impl Reindented {
    /// `text` with every line that starts inside a flow collection, and at
    /// or left of the column of the node holding it, indented one column
    /// past that node; `None` when no line needs it.
    pub fn of(text: &str) -> Option<Self> {
        let mut scan = Scan::default();
        let mut pads = Vec::new();
        for line in text.split('\n') {
            pads.push(scan.pad_for(line));
            scan.line(line);
        }
        if pads.iter().all(|&p| p == 0) {
            return None;
        }
        let mut out = String::with_capacity(text.len() + pads.iter().sum::<usize>());
        let mut starts = Vec::with_capacity(pads.len());
        let mut added = 0;
        for (i, (line, &pad)) in text.split('\n').zip(&pads).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            starts.push((out.len(), added));
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(line);
            added += pad;
        }
        Some(Reindented {
            text: out,
            pads,
            starts,
        })
    }

    /// Columns a 0-based line of the slice was pushed right by.
    pub fn shift(&self, line: usize) -> usize {
        self.pads.get(line).copied().unwrap_or(0)
    }

    /// The byte offset in the text as written of one in [`Reindented::text`].
    pub fn original_byte(&self, byte: usize) -> usize {
        let line = self
            .starts
            .partition_point(|&(start, _)| start <= byte)
            .saturating_sub(1);
        let (start, before) = self.starts.get(line).copied().unwrap_or((0, 0));
        byte - before - self.shift(line).min(byte - start)
    }
}

impl Scan {
    /// Spaces `line` needs to sit past the flow collection's node: any
    /// line with content that starts inside one, at or left of the node.
    fn pad_for(&self, line: &str) -> usize {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if self.depth == 0
            || self.quote.is_some()
            || indent > self.opener
            || content.is_empty()
            || is_document_marker(line)
        {
            return 0;
        }
        self.opener + 1 - indent
    }

    /// Follows one line: quotes, comments, flow brackets, and in block
    /// context where a node (and so a flow collection) may start.
    fn line(&mut self, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if self.depth == 0 && self.quote.is_none() {
            match self.block_scalar {
                Some(parent) if indent > parent || line.trim().is_empty() => return,
                _ => self.block_scalar = None,
            }
        }
        let chars: Vec<char> = line.chars().collect();
        // In block context: whether the next character may start a node.
        let mut node_start = true;
        let mut column = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if let Some(quote) = self.quote {
                match c {
                    '\\' if quote == '"' => i += 1,
                    '\'' if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
                    _ if c == quote => self.quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || chars[i - 1] == ' ' || chars[i - 1] == '\t';
            // In a flow collection a quote opens a scalar only where a
            // token starts (`don't` is a plain scalar; `"a":"b"` is JSON).
            let token_start = after_space || matches!(chars[i - 1], '[' | '{' | ',' | ':');
            match c {
                '#' if after_space => return,
                '"' | '\'' if (self.depth > 0 && token_start) || node_start => {
                    self.quote = Some(c);
                }
                '[' | '{' if self.depth > 0 => self.depth += 1,
                '[' | '{' if node_start => {
                    self.depth = 1;
                    self.opener = column.max(indent);
                }
                ']' | '}' if self.depth > 0 => self.depth -= 1,
                _ if self.depth > 0 => {}
                ' ' | '\t' => {}
                '-' | '?' if node_start && chars.get(i + 1).is_none_or(|n| *n == ' ') => {
                    column = i + 2;
                }
                ':' if chars.get(i + 1).is_none_or(|n| *n == ' ') => {
                    node_start = true;
                    i += 1;
                    continue;
                }
                '|' | '>' if node_start => {
                    self.block_scalar = Some(indent);
                    return;
                }
                '&' | '!' if node_start => {
                    while i + 1 < chars.len() && chars[i + 1] != ' ' {
                        i += 1;
                    }
                }
                _ => {
                    if node_start && column <= indent {
                        column = i;
                    }
                    node_start = false;
                }
            }
            i += 1;
        }
    }
}

/// `---` or `...` at column 0, alone or before a space: a document
/// marker in any context.
fn is_document_marker(line: &str) -> bool {
    ["---", "..."].iter().any(|marker| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_flow_lines_at_or_left_of_their_node() {
        let text = "spec:\n  args: [\n      \"a\", 'b',\n  ]\n  - env: {a: 1,\n }\n  s: |\n    [\n  ]\n  t: [1,\n  2]\n";
        let fixed = Reindented::of(text).unwrap();
        assert_eq!(
            fixed.text,
            "spec:\n  args: [\n      \"a\", 'b',\n   ]\n  - env: {a: 1,\n     }\n  s: |\n    [\n  ]\n  t: [1,\n   2]\n"
        );
        let shifts: Vec<usize> = (0..12).map(|line| fixed.shift(line)).collect();
        assert_eq!(shifts, [0, 0, 0, 1, 0, 4, 0, 0, 0, 0, 1, 0]);
        // Bytes map back to the text as written.
        let closing = fixed.text.find("   ]").unwrap() + 3;
        assert_eq!(fixed.original_byte(closing), text.find("  ]").unwrap() + 2);
        assert_eq!(fixed.original_byte(fixed.text.len()), text.len());
        assert!(Reindented::of("a: [1,\n    2]\nb: \"[\"\n").is_none());
    }

    #[test]
    fn items_at_the_keys_column_or_left_of_it() {
        let text = "data: {\n\"a\": \"b\",\n# note\n\nc: d}\nlabels: [don't,\n  x]\n";
        let fixed = Reindented::of(text).unwrap();
        assert_eq!(
            fixed.text,
            "data: {\n \"a\": \"b\",\n # note\n\n c: d}\nlabels: [don't,\n  x]\n"
        );
        // Inside a quoted scalar, and document markers, stay as written.
        let quoted = "a: [\"x\ny\",\n---\n...\nz]\n";
        let fixed = Reindented::of(quoted).unwrap();
        assert_eq!(fixed.text, "a: [\"x\ny\",\n---\n...\n z]\n");
        // The scan leaves a flow collection where it closes.
        assert!(Reindented::of("a: [x, \"]\"]\nb:\n- c\n").is_none());
    }
}
