//! Runs Pagefind's index builder (its library API, no CLI, no HTML pages
//! read back from disk) over the records.
//!
//! Each record becomes a small synthesized HTML document: the title as
//! `h1`, the weighted parts in `data-pagefind-weight` blocks, then the
//! already rendered body. HTML rather than Pagefind's custom records
//! because only HTML gives sub-results: a heading with an `id` makes the
//! matches under it a result linking to `page/#id`. The document is a few
//! elements around the body, not the templated page, so parsing it costs
//! little.
//!
//! Pagefind splits its index by word range and loads only the chunks a
//! query needs; one index per stemming language (`en`, `fi`), each in its
//! own folder, with one shared `pagefind.js` that the browser instantiates
//! once per folder.

use std::borrow::Borrow;
use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pulldown_cmark_escape::{FmtWriter, escape_html};

use super::{DIR, Record};
use crate::diag::Diagnostic;

/// Whether the browser needs a file Pagefind writes: the search API, the
/// entry, meta, word-index chunks, fragments and the WASM search core with
/// the handbook language's stemmer. Left out: Pagefind's own UI bundles
/// (the theme has its own UI), the web worker (the theme searches on the
/// main thread: a query over 10,000 pages takes milliseconds there, and the
/// worker would be another ~43 KB to load) and the fallback core for
/// pages of no known language.
fn wanted(rel: &str) -> bool {
    !(rel.starts_with("pagefind-ui")
        || rel.starts_with("pagefind-modular-ui")
        || rel.starts_with("pagefind-component-ui")
        || rel.starts_with("pagefind-highlight")
        || rel == "pagefind-worker.js"
        || rel == "wasm.unknown.pagefind")
}

/// Builds the search index of `records`, stemmed in `language` (`en`,
/// `fi`): the files to write, as paths relative to the output root
/// (`search/pagefind-entry.json`, …), in a stable order. The same records
/// give the same files.
pub fn bundle<R: Borrow<Record>>(
    records: &[R],
    language: &str,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let docs: Vec<(String, String)> = records
        .iter()
        .map(|r| (r.borrow().url.clone(), html(r.borrow())))
        .collect();
    // On a thread of its own with its own small runtime: Pagefind's API is
    // async, and this may run inside `serve`'s runtime, where blocking on
    // another runtime would panic.
    let built = std::thread::scope(|s| {
        s.spawn(|| build(language, &docs))
            .join()
            .unwrap_or_else(|_| {
                Err(Diagnostic::error(
                    "the search index builder failed unexpectedly",
                ))
            })
    })?;
    let mut files: Vec<(String, Vec<u8>)> = built
        .into_iter()
        .filter(|(rel, _)| wanted(rel))
        .map(|(rel, bytes)| (format!("{DIR}{rel}"), bytes))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The index: `(path inside the bundle, bytes)`.
fn build(lang: &str, docs: &[(String, String)]) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("cannot build the search index ({lang}): {e}"))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the search indexer: {e}")))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(lang.to_string())
            // The `#` link each heading carries is not part of its title.
            .exclude_selectors(vec![".heading-anchor".to_string()])
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
        for (url, html) in docs {
            index
                .add_html_file(None, Some(url.clone()), html.clone())
                .await
                .map_err(|e| fail(&e))?;
        }
        let files = index.get_files().await.map_err(|e| fail(&e))?;
        // Every path is under Pagefind's output folder, the one that holds
        // the entry file; strip it.
        let root = files
            .iter()
            .find(|f| f.filename.file_name() == Some("pagefind-entry.json".as_ref()))
            .and_then(|f| f.filename.parent())
            .map(Path::to_path_buf)
            .ok_or_else(|| fail(&"Pagefind wrote no entry file"))?;
        Ok(files
            .into_iter()
            .filter_map(|f| {
                let rel = f.filename.strip_prefix(&root).ok()?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                Some((rel, f.contents))
            })
            .collect())
    })
}

/// The document Pagefind indexes for a record.
fn html(r: &Record) -> String {
    let mut out = String::with_capacity(r.body.len() + 512);
    let esc = |out: &mut String, s: &str| {
        // Writing into a `String` cannot fail.
        let _ = escape_html(FmtWriter(&mut *out), s);
    };
    out.push_str("<!DOCTYPE html><html><body data-pagefind-meta=\"kind:");
    out.push_str(r.kind);
    out.push_str("\"><h1>");
    esc(&mut out, &r.title);
    out.push_str("</h1>");
    for (weight, text) in &r.boosted {
        out.push_str(&format!("<p data-pagefind-weight=\"{weight}\">"));
        esc(&mut out, text);
        out.push_str("</p>");
    }
    for text in &r.lead {
        out.push_str("<p>");
        esc(&mut out, text);
        out.push_str("</p>");
    }
    out.push_str(&r.body);
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, title: &str, body: &str) -> Record {
        Record {
            url: url.into(),
            title: title.into(),
            kind: "page",
            boosted: vec![(10, "rust · <tools>".into())],
            lead: vec!["A lead & more".into()],
            body: body.into(),
        }
    }

    #[test]
    fn synthesized_html_escapes_front_matter_text() {
        let h = html(&record("a/", "A <b>", "<h2 id=\"x\">X</h2>"));
        assert!(h.contains("<h1>A &lt;b&gt;</h1>"), "{h}");
        assert!(h.contains("<p data-pagefind-weight=\"10\">rust · &lt;tools&gt;</p>"));
        assert!(h.contains("<h2 id=\"x\">X</h2>"));
    }

    #[test]
    fn bundles_deterministically() {
        let records = vec![
            record("a/", "Koulutus", "<p>Ilmoittaudu koulutukseen.</p>"),
            record(
                "b/",
                "Presenting",
                "<h2 id=\"t\">Talks</h2><p>A presentation.</p>",
            ),
        ];
        let files = bundle(&records, "fi").expect("bundles");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for must in [
            "search/pagefind.js",
            "search/pagefind-entry.json",
            "search/wasm.fi.pagefind",
        ] {
            assert!(names.contains(&must), "{must} missing from {names:?}");
        }
        assert!(
            !names.iter().any(|n| n.contains("pagefind-ui")),
            "{names:?}"
        );
        assert_eq!(files, bundle(&records, "fi").expect("bundles again"));
    }
}
