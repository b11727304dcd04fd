//! A small YAML writer for report data. Strings are written as JSON strings,
//! which are valid YAML double-quoted scalars, so no value can be misread.

use serde_json::Value as Json;

pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    match value {
        Json::Array(items) if items.is_empty() => out.push_str("[]\n"),
        Json::Object(map) if map.is_empty() => out.push_str("{}\n"),
        Json::Array(_) | Json::Object(_) => write_block(&mut out, value, 0),
        scalar => {
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
    out
}

fn write_block(out: &mut String, value: &Json, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Json::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                write_child(out, item, indent + 2, true);
            }
        }
        Json::Object(map) => {
            for (key, item) in map {
                out.push_str(&pad);
                out.push_str(&Json::String(key.clone()).to_string());
                out.push(':');
                write_child(out, item, indent + 2, false);
            }
        }
        _ => {}
    }
}

/// Writes a value after `- ` or `key:`. A mapping inside a list item starts
/// on the dash's line, as kubectl prints it.
fn write_child(out: &mut String, value: &Json, indent: usize, in_list: bool) {
    match value {
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_block(out, value, indent);
        }
        Json::Object(map) if !map.is_empty() => {
            if in_list {
                out.push(' ');
                let mut nested = String::new();
                write_block(&mut nested, value, indent);
                out.push_str(nested.trim_start());
            } else {
                out.push('\n');
                write_block(out, value, indent);
            }
        }
        Json::Array(_) => out.push_str(" []\n"),
        Json::Object(_) => out.push_str(" {}\n"),
        scalar => {
            out.push(' ');
            out.push_str(&scalar.to_string());
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_lists_of_mappings_like_kubectl() {
        let value = json!([{"code": "IST0101", "line": 3, "path": null}, {"code": "x: y"}]);
        assert_eq!(
            to_yaml(&value),
            "- \"code\": \"IST0101\"\n  \"line\": 3\n  \"path\": null\n- \"code\": \"x: y\"\n"
        );
        assert_eq!(to_yaml(&json!([])), "[]\n");
    }
}
