//! Rules about esiin's own source, checked like behaviour: a function
//! stays short enough to read in one screen unless the reason it is not is
//! written above it.
//!
//! Why a test and not a lint: clippy's `too_many_lines` counts differently
//! (it skips comments and blank lines) and cannot ask for a written reason.
//! The source is parsed with `syn`, so strings, macros and nested items are
//! measured as rustc sees them.

use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The most lines a function may span without a reason.
const MAX_LINES: usize = 100;

/// The comment that gives a reason, on a line of its own among the
/// comments and attributes directly above the function:
/// `// Long: <why splitting it would not help>`.
const REASON: &str = "// Long:";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("read a src/ entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Functions (free, in impls, in traits, nested) and where they start and end.
struct Functions {
    found: Vec<(String, usize, usize)>,
}

impl Functions {
    /// From `fn` (not the doc comment) to the closing brace.
    fn add(&mut self, sig: &syn::Signature, body: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = body.brace_token.span.close().end().line;
        self.found.push((sig.ident.to_string(), start, end));
    }
}

impl<'ast> Visit<'ast> for Functions {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add(&f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.add(&f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(body) = &f.default {
            self.add(&f.sig, body);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// Whether the comments and attributes directly above line `start` (1-based,
/// the function's signature) give a reason.
fn has_reason(lines: &[&str], start: usize) -> bool {
    lines[..start - 1]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("//") || l.starts_with("#["))
        .any(|l| l.starts_with(REASON))
}

#[test]
fn no_function_is_longer_than_a_screenful_without_a_written_reason() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a source file");
        let file = syn::parse_file(&text).expect("src/ parses");
        let mut functions = Functions { found: Vec::new() };
        functions.visit_file(&file);
        let lines: Vec<&str> = text.lines().collect();
        for (name, start, end) in functions.found {
            let length = end - start + 1;
            if length > MAX_LINES && !has_reason(&lines, start) {
                let rel = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(&path);
                long.push(format!(
                    "{}:{start}: `{name}` is {length} lines",
                    rel.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_LINES} lines without a `{REASON}` comment above them:\n{}\n\
         split them along their own headings, or say above each why it reads best whole",
        long.join("\n")
    );
}
