//! Runs Pagefind's index builder (its library API, no CLI, no templated
//! pages read back) over the records.
//!
//! Each record becomes a small synthesized HTML document: the title as
//! `h1`, the weighted parts in `data-pagefind-weight` blocks, then the
//! already rendered body. HTML rather than Pagefind's custom records
//! because only HTML gives sub-results: a heading with an `id` makes the
//! matches under it a result linking to `page/#id`. The document is a few
//! elements around the body, not the templated page, so parsing it costs
//! little.
//!
//! **Why the documents go through a folder.** Pagefind's per-document API
//! (`add_html_file`) parses one document at a time, and parsing is most of
//! its work: 2.4 s of a 10,000-page handbook on one core. Its folder API
//! (`add_directory`) parses on every core, but numbers the pages in the
//! order the folder walk meets them, which is the file system's directory
//! order: hash order on ext4, creation order on tmpfs. The page numbers are
//! in the index, so that order must not depend on the machine. The
//! documents are therefore written into numbered *slots*: the slot folders
//! are made first, one after another, their directory order is read back
//! (the order the walk will meet them in), and record `k` goes into the
//! `k`-th slot of that order. Pages are numbered in record order on every
//! machine; the slots' names (which end up in the URLs) are the same from
//! build to build on one file system.
//!
//! Inside its slot a document sits at `HEX/index.html`, `HEX` being its
//! URL in hexadecimal, so Pagefind's result URL is `/SLOT/HEX/`; `search.js`
//! decodes the page's real URL from it. Hexadecimal, not the URL as a
//! path: any URL survives a file name that way, byte for byte, and is not
//! percent-encoded a second time.
//!
//! Pagefind splits its index by word range and loads only the chunks a
//! query needs.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use pulldown_cmark_escape::{FmtWriter, escape_html};
use rayon::prelude::*;

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
/// give the same files. `work` is where the documents are laid out for
/// Pagefind (a folder of its own is made inside and removed after).
pub(crate) fn bundle<R: Borrow<Record> + Sync>(
    records: &[R],
    language: &str,
    work: &Path,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let docs = Documents::lay_out(records, work)?;
    // On a thread of its own with its own small runtime: Pagefind's API is
    // async, and this may run inside `serve`'s runtime, where blocking on
    // another runtime would panic.
    let built = std::thread::scope(|s| {
        s.spawn(|| build(language, &docs.dir, records.len()))
            .join()
            .unwrap_or_else(|_| {
                Err(
                    Diagnostic::error("the search index builder failed unexpectedly").hint(
                        "turn the search index off with `search: false` in handbook.yaml to build without it, and report this to the maintainers of esiin",
                    ),
                )
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

/// The documents laid out for Pagefind's folder walk (see the module
/// docs); the folder is removed on drop, whatever happened.
struct Documents {
    dir: PathBuf,
}

impl Documents {
    fn lay_out<R: Borrow<Record> + Sync>(records: &[R], work: &Path) -> Result<Self, Diagnostic> {
        static RUN: AtomicUsize = AtomicUsize::new(0);
        let dir = work.join(format!(
            "{}{}-{}",
            super::cache::WORK_PREFIX,
            std::process::id(),
            RUN.fetch_add(1, Ordering::Relaxed)
        ));
        let fail = |path: &Path, e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot write the search index's working files ({}): {e}",
                path.display()
            ))
            .hint("check that the folder is writable and the disk is not full")
        };
        // A leftover of a run that was killed holds nothing worth keeping.
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| fail(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, e))?;
        let docs = Documents { dir };
        // One after another: on a file system that lists a folder in
        // creation order, the same order of creation gives the same slot
        // names in the same places.
        for k in 0..records.len() {
            let slot = docs.dir.join(format!("{k:x}"));
            std::fs::create_dir(&slot).map_err(|e| fail(&slot, e))?;
        }
        let mut slots = Vec::with_capacity(records.len());
        for entry in std::fs::read_dir(&docs.dir).map_err(|e| fail(&docs.dir, e))? {
            slots.push(entry.map_err(|e| fail(&docs.dir, e))?.file_name());
        }
        if slots.len() != records.len() {
            return Err(Diagnostic::error(format!(
                "the search index's working folder {} holds files esiin did not write",
                docs.dir.display()
            ))
            .hint("delete the folder (it is a cache) and build again"));
        }
        records
            .par_iter()
            .zip(slots.par_iter())
            .try_for_each(|(r, slot)| {
                let r = r.borrow();
                let mut path = docs.dir.join(slot);
                path.extend(hex_segments(&r.url));
                std::fs::create_dir_all(&path).map_err(|e| fail(&path, e))?;
                path.push("index.html");
                std::fs::write(&path, html(r)).map_err(|e| fail(&path, e))
            })?;
        Ok(docs)
    }
}

impl Drop for Documents {
    fn drop(&mut self) {
        // Best effort: a folder left behind (a run that was killed) is
        // removed by a later run (`cache::write`).
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A URL in lowercase hexadecimal, cut into file names of at most 200
/// characters (file systems allow 255 bytes a name). `search.js` joins
/// every path segment after the slot and decodes it.
fn hex_segments(url: &str) -> Vec<String> {
    let hex: String = url.bytes().map(|b| format!("{b:02x}")).collect();
    if hex.is_empty() {
        return Vec::new();
    }
    hex.as_bytes()
        .chunks(200)
        // Hexadecimal digits are ASCII, so every chunk is UTF-8.
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

/// The gzip level of the index files. Pagefind's own is 9, the smallest;
/// measured on a 10,000-page handbook (issue #15), 6 compresses several
/// times faster for a few percent more bytes a query (docs/search.md).
const COMPRESSION_LEVEL: u32 = 6;

/// The index of the documents under `dir`: `(path inside the bundle,
/// bytes)`.
fn build(lang: &str, dir: &Path, pages: usize) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("cannot build the search index ({lang}): {e}")).hint(
            "turn the search index off with `search: false` in handbook.yaml to build without it, and report this to the maintainers of esiin",
        )
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| {
            Diagnostic::error(format!("cannot start the search indexer: {e}"))
                .hint("the system is out of threads or memory: close programs and build again")
        })?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(lang.to_string())
            // The `#` link each heading carries is not part of its title.
            .exclude_selectors(vec![".heading-anchor".to_string()])
            .compression_level(COMPRESSION_LEVEL)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
        let path = dir
            .to_str()
            .ok_or_else(|| fail(&format!("the path {} is not UTF-8", dir.display())))?;
        let added = index
            .add_directory(path.to_string(), Some("**/index.html".into()))
            .await
            .map_err(|e| fail(&e))?;
        if added != pages {
            return Err(fail(&format!("it read {added} of the {pages} pages")));
        }
        // Built once: the parsed pages move into the index, not a copy.
        let files = index.take_files().await.map_err(|e| fail(&e))?;
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
    // The form keys (see `forms.rs`): searched, never shown in an excerpt.
    let body = plain_code(&r.body);
    let texts = std::iter::once(r.title.as_str())
        .chain(r.boosted.iter().map(|(_, t)| t.as_str()))
        .chain(r.lead.iter().map(String::as_str))
        .chain(std::iter::once(&*body));
    let keys = super::forms::page_keys(texts);
    if !keys.is_empty() {
        out.push_str("<span data-pagefind-meta=\"forms:");
        out.push_str(&keys);
        out.push_str("\"></span>");
    }
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
    out.push_str(&body);
    out.push_str("</body></html>");
    out
}

/// `body` without the highlighting inside its code blocks: every `<span>`
/// and `</span>` between `<pre` and `</pre>` (all syntect's; the code's own
/// text is escaped, so a `<` there is always markup). The words are the
/// same, since a span breaks no word; the document Pagefind parses is
/// about a third smaller on a page with code, and has thousands fewer
/// elements for it to visit.
fn plain_code(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("<pre") {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<pre") {
        let end = rest[start..]
            .find("</pre>")
            .map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        let mut code = &rest[start..end];
        // One tag at a time: each is kept or dropped whole.
        while let Some(lt) = code.find('<') {
            let after = code[lt..].find('>').map_or(code.len(), |g| lt + g + 1);
            let tag = &code[lt..after];
            let keep = !(tag.starts_with("<span") || tag.starts_with("</span"));
            out.push_str(&code[..if keep { after } else { lt }]);
            code = &code[after..];
        }
        out.push_str(code);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.into()
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
    fn code_blocks_lose_their_highlighting_and_keep_their_text() {
        let body = "<p><span class=\"x\">kept</span></p><pre class=\"code\"><code>\
                    <span class=\"hl-source\"><span class=\"hl-kw\">fn</span> main</span>\n&lt;span&gt;\
                    </code></pre><p>after <span>too</span></p>";
        assert_eq!(
            plain_code(body),
            "<p><span class=\"x\">kept</span></p><pre class=\"code\"><code>\
             fn main\n&lt;span&gt;</code></pre><p>after <span>too</span></p>"
        );
        assert_eq!(plain_code("<p>no code</p>"), "<p>no code</p>");
        // An unclosed block (never written by esiin) ends at the body's end.
        assert_eq!(plain_code("<pre><span>a</span>"), "<pre>a");
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
        let work = tempfile::tempdir().expect("a temp dir");
        let files = bundle(&records, "fi", work.path()).expect("bundles");
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
        assert_eq!(
            files,
            bundle(&records, "fi", work.path()).expect("bundles again")
        );
        // The working files are gone.
        assert_eq!(std::fs::read_dir(work.path()).expect("listed").count(), 0);
    }

    #[test]
    fn a_handbook_with_nothing_to_search_gets_an_empty_index() {
        let work = tempfile::tempdir().expect("a temp dir");
        let files = bundle::<Record>(&[], "en", work.path()).expect("bundles");
        assert!(
            files.iter().any(|(n, _)| n == "search/pagefind.js"),
            "{files:?}"
        );
    }

    #[test]
    fn urls_become_file_names_of_hexadecimal_digits() {
        assert_eq!(hex_segments("/"), vec!["2f"]);
        assert_eq!(hex_segments("/a%20b/"), vec!["2f61253230622f"]);
        let long = hex_segments(&"/x".repeat(150));
        assert_eq!(
            long.iter().map(String::len).collect::<Vec<_>>(),
            vec![200, 200, 200]
        );
    }
}
