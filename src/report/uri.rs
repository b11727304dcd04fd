//! File paths as code hosts want them: relative to the repository root,
//! with forward slashes and without `.` or `..` segments, so that the same
//! file has one name whatever the working folder and the spelling typed.

use std::path::{Component, Path, PathBuf};

/// `name` (as the loader named the file) relative to `root`; a file
/// outside `root`, or any file when there is no root, keeps its
/// normalised name.
pub fn relative_uri(name: &str, root: Option<&Path>) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = normalise(&cwd.join(name));
    let shown = match root.map(normalise) {
        Some(root) => match absolute.strip_prefix(&root) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => absolute,
        },
        None => normalise(Path::new(name)),
    };
    let parts: Vec<String> = shown
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    let joined = parts.join("/");
    if shown.has_root() {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Drops `.` and folds `..` into its parent where there is one.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_made_relative_to_the_root() {
        assert_eq!(relative_uri("./a//b/../b/c.yaml", None), "a/b/c.yaml");
        assert_eq!(
            relative_uri("/repo/k8s/./x.yaml", Some(Path::new("/repo"))),
            "k8s/x.yaml"
        );
        assert_eq!(
            relative_uri("/elsewhere/x.yaml", Some(Path::new("/repo"))),
            "/elsewhere/x.yaml"
        );
        assert_eq!(relative_uri("../x.yaml", None), "../x.yaml");
    }
}
