//! The direction of dependencies, checked: pages → api → server → model → domain (components
//! beside pages, below them; the error and the message catalogues beside the model, used by
//! all). A test walks `api/`, `components/`, `server/`, `model/`, `domain/`, `error.rs` and
//! `i18n.rs` and names every file and line that reaches upwards.

use std::path::{Path, PathBuf};

/// Each checked folder (or file) and the top-level modules it must never reach.
/// (`app`, `App` and `shell` are the page shell at the crate's root.)
const RULES: &[(&str, &[&str])] = &[
    ("api", &["pages", "components", "app", "App", "shell"]),
    ("components", &["pages", "app", "App", "shell"]),
    (
        "server",
        &["api", "pages", "components", "app", "App", "shell"],
    ),
    (
        "model",
        &[
            "api",
            "server",
            "pages",
            "components",
            "app",
            "App",
            "shell",
        ],
    ),
    (
        "error.rs",
        &[
            "api",
            "server",
            "pages",
            "components",
            "app",
            "App",
            "shell",
        ],
    ),
    (
        "i18n.rs",
        &[
            "api",
            "server",
            "pages",
            "components",
            "model",
            "app",
            "App",
            "shell",
        ],
    ),
    (
        "domain",
        &[
            "api",
            "server",
            "pages",
            "components",
            "model",
            "app",
            "App",
            "shell",
        ],
    ),
];

/// Every `.rs` file under `dir` (or `dir` itself when it is one); the other source scans of
/// the test suite (the recorder's, the transactions') use it too.
pub(crate) fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    if dir.is_file() {
        found.push(dir.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module path of a source file under `src/` (`server/observations/mod.rs` is
/// `["server", "observations"]`).
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn ident_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first names of the paths in a `{…}` group that starts `text` (nested groups skipped).
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    start = i + 1;
                }
            }
            ',' if depth == 1 => {
                heads.push(ident_at(text[start..].trim_start()));
                start = i + 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    heads.push(ident_at(text[start..i].trim_start()));
                    break;
                }
            }
            _ => {}
        }
    }
    heads.into_iter().filter(|h| !h.is_empty()).collect()
}

/// Every top-level module a source file names through `crate::` or `super::`, with the line.
fn reached(module: &[String], source: &str) -> Vec<(usize, String)> {
    // Comments out, lines kept, so that offsets still give line numbers.
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if rest.starts_with('{') {
            for head in group_heads(rest) {
                found.push((line_of(at), head.to_string()));
            }
        } else {
            found.push((line_of(at), ident_at(rest).to_string()));
        }
    }
    let mut at = 0;
    while let Some(offset) = code[at..].find("super::") {
        let start = at + offset;
        let preceded = code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        let mut rest = &code[start..];
        let mut ups = 0;
        while let Some(next) = rest.strip_prefix("super::") {
            ups += 1;
            rest = next;
        }
        at = code.len() - rest.len();
        if preceded {
            continue;
        }
        // `super` of the file's module, `ups` times; a path that climbs to the crate root names
        // a top-level module next.
        if module.len() == ups {
            let heads = if rest.starts_with('{') {
                group_heads(rest)
            } else {
                vec![ident_at(rest)]
            };
            for head in heads {
                found.push((line_of(start), head.to_string()));
            }
        } else if module.len() > ups {
            found.push((line_of(start), module[0].clone()));
        }
    }
    found
}

/// Every place where a checked folder reaches a module it must not, as `file:line: reaches`.
fn violations(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (folder, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(folder), &mut files);
        files.sort();
        for file in files {
            let relative = file.strip_prefix(src).expect("under src");
            let source = std::fs::read_to_string(&file).expect("source");
            for (line, module) in reached(&module_of(relative), &source) {
                if forbidden.contains(&module.as_str()) {
                    found.push(format!(
                        "app/src/{}:{line}: {folder}/ must not use `{module}`",
                        relative.display()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let found = violations(src);
    assert!(
        found.is_empty(),
        "dependencies pointing the wrong way (pages → api → server → model → domain):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_every_way_of_naming_a_module() {
    let server = ["server".to_string(), "tips".to_string()];
    let reaches = |source: &str| -> Vec<String> {
        reached(&server, source)
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    };
    assert_eq!(reaches("use crate::api::tips::X;"), ["api"]);
    assert_eq!(
        reaches("use crate::{\n    api::tips,\n    model::{a, b},\n};"),
        ["api", "model"]
    );
    assert_eq!(reaches("x = crate::api::queue::queue_count();"), ["api"]);
    assert_eq!(reaches("use super::super::api::tips::X;"), ["api"]);
    assert_eq!(
        reaches("use super::super::{api, domain};"),
        ["api", "domain"]
    );
    assert_eq!(reaches("use super::auth::TIP_KEY;"), ["server"]);
    assert!(reaches("// see crate::api::tips").is_empty());
    let line = reached(&server, "use a;\n\nuse crate::api::X;");
    assert_eq!(line, [(3, "api".to_string())]);
}
