//! The names the style sheet and the browser bundle are served under. The build
//! (`scripts/lib.sh`, `build_site`) gives each a name carrying a hash of its content and lists
//! them in `pkg/assets.txt` ("veille.css veille.1a2b3c4d5e6f7a8b.css" per line), so browsers may
//! keep them for a year; a site built without that list keeps the plain names.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::config::LeptosOptions;

/// The file listing the hashed names, in the site's package folder.
pub const LIST: &str = "assets.txt";

/// The address of the asset the build called `name` (`veille.css`, `veille.js`, `veille.wasm`).
pub fn href(options: &LeptosOptions, name: &str) -> String {
    static NAMES: OnceLock<HashMap<String, String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let list = std::path::Path::new(&*options.site_root)
            .join(&*options.site_pkg_dir)
            .join(LIST);
        std::fs::read_to_string(list)
            .map(|text| parse(&text))
            .unwrap_or_default()
    });
    let served = names.get(name).map_or(name, String::as_str);
    format!("/{}/{served}", options.site_pkg_dir)
}

fn parse(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(name, hashed)| (name.trim().to_string(), hashed.trim().to_string()))
        .collect()
}

/// Whether a file of the package folder is one of the hashed ones, which never change.
pub fn is_hashed(file: &str) -> bool {
    // name.<16 hex digits>.ext, possibly followed by .br or .gz
    file.split('.')
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_list_the_build_writes() {
        let names = parse(
            "veille.css veille.0123456789abcdef.css\nveille.wasm veille.fedcba9876543210.wasm\n",
        );
        assert_eq!(names["veille.css"], "veille.0123456789abcdef.css");
        assert_eq!(names["veille.wasm"], "veille.fedcba9876543210.wasm");
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn knows_hashed_names() {
        assert!(is_hashed("veille.0123456789abcdef.wasm"));
        assert!(is_hashed("veille.0123456789abcdef.wasm.br"));
        assert!(!is_hashed("veille.wasm"));
        assert!(!is_hashed("assets.txt"));
    }
}
