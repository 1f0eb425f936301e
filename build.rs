//! Embeds the default theme (`themes/default/`) into the binary, so that a
//! folder holding only `content/` builds. Generates one `include_bytes!` per
//! file, as mdBook does by hand, without a list to keep in sync.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        // `fonts/` is embedded by the poster renderer itself
        // (src/render/poster.rs); embedding it here too would double it.
        if name.starts_with('.') || (dir == base && name == "fonts") {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, path.canonicalize().unwrap_or(path)));
        }
    }
}

/// The version `Cargo.lock` (as `text`) locks package `name` at, if any.
fn locked(text: &str, name: &str) -> Option<String> {
    let header = format!("name = \"{name}\"\n");
    let at = text.find(&header)? + header.len();
    let line = text[at..].lines().next()?;
    let version = line.strip_prefix("version = \"")?.strip_suffix('"')?;
    Some(version.to_string())
}

/// The versions of the highlighter and its grammars, for the keys of the
/// highlighted blocks esiin keeps between builds
/// (`src/render/highlight_cache.rs`): new grammars, new keys.
fn grammar_versions(manifest: &Path) {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string(manifest.join("Cargo.lock")).unwrap_or_default();
    for (name, var) in [
        ("syntect", "ESIIN_SYNTECT_VERSION"),
        ("two-face", "ESIIN_TWO_FACE_VERSION"),
    ] {
        let version = locked(&lock, name).unwrap_or_else(|| "unknown".into());
        println!("cargo:rustc-env={var}={version}");
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    grammar_versions(&manifest);
    let theme = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    let mut code = String::from("pub(super) static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        if let Some(parent) = abs.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .ok();
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("theme_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
