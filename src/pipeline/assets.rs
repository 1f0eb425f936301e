//! The files of a build that are not pages: photo thumbnails, guidelines
//! posters, and the copies of the theme's and the handbook's static files
//! and the assets beside pages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::Build;
use super::incremental::{Copies, OutFile, ThumbMemo};
use crate::diag::Diagnostic;
use crate::load;
use crate::render::highlight;
use crate::render::images::ThumbCache;
use crate::render::poster::PngCache;
use crate::render::strings::{Strings, fill};
use crate::render::theme::Theme;
use crate::render::view::{Img, Photos, PosterCtx};
use crate::resolve::{PageId, Site};
use crate::write::Sink;

impl Build<'_> {
    /// Photo thumbnails, through the disk cache (and, in `serve`, the
    /// memo of the last build's): the images for the contexts and the
    /// files to write.
    pub(super) fn thumbnails(&mut self) -> (HashMap<PageId, Photos>, Vec<OutFile>) {
        let cache_dir = self.opts.root.join(".esiin-cache").join("thumbs");
        let thumb_cache = if self.opts.write_cache {
            ThumbCache::new(cache_dir)
        } else {
            ThumbCache::read_only(cache_dir)
        };
        let memo = self.cache.keep.then_some(&mut self.cache.thumbs);
        let (photos, files, mut d) = thumbnails(self.site, &thumb_cache, memo);
        self.diags.append(&mut d);
        (photos, files)
    }

    /// The posters of guidelines pages, through the disk cache: their
    /// contexts and their files.
    pub(super) fn posters(&mut self) -> (HashMap<PageId, PosterCtx>, PosterFiles) {
        let poster_cache = PngCache {
            dir: &self.opts.root.join(".esiin-cache").join("posters"),
            read_only: !self.opts.write_cache,
        };
        let (posters, files, mut d) = posters(self.site, &self.inputs.strings, &poster_cache);
        self.diags.append(&mut d);
        (posters, files)
    }

    /// Writes the thumbnails and the posters.
    pub(super) fn write_images(&mut self, thumbs: &[OutFile], posters: &PosterFiles) {
        for (rel, bytes) in thumbs {
            let written = self.write_shared(rel, bytes);
            self.wrote(written);
        }
        for (rel, bytes) in posters {
            let written = self.emit(rel, bytes);
            self.wrote(written);
        }
    }

    /// Copies the static files and page assets, and writes the theme's
    /// files and the highlighting stylesheets: last, over nothing the
    /// build generated (see `output::clashes`).
    pub(super) fn copy(&mut self) -> Result<(), Vec<Diagnostic>> {
        let statics = std::mem::take(&mut self.inputs.statics);
        let kept = self.cache.keep.then_some(&mut self.cache.copies);
        match copy_files(self.site, &self.inputs.theme, statics, self.sink, kept) {
            Ok(n) => {
                self.files += n;
                Ok(())
            }
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(format!("cannot copy the site's files: {e}"))
                        .hint("check that `static/` is readable, the output folder writable and the disk not full"),
                );
                Err(super::failed(std::mem::take(&mut self.diags)))
            }
        }
    }
}

/// Thumbnail sizes in pixels: the directory card and the profile (each
/// twice the CSS size, for high-density screens).
const CARD_PX: u32 = 160;
const PROFILE_PX: u32 = 320;

pub(super) type Thumbs = (HashMap<PageId, Photos>, Vec<OutFile>, Vec<Diagnostic>);

/// Resizes every expert's photo (in parallel, through the cache), returning
/// the images for contexts, the files to write, and located errors for
/// photos that cannot be read.
pub(super) fn thumbnails(site: &Site, cache: &ThumbCache, memo: Option<&mut ThumbMemo>) -> Thumbs {
    use crate::load::kinds::KindData;
    use crate::resolve::Target;
    let jobs: Vec<(PageId, String, String)> = site
        .pages()
        .filter_map(|(i, p)| match &p.data {
            KindData::Expert(e) => {
                let photo = e.photo.as_deref()?;
                match site.resolve_link(i, photo) {
                    Ok(Target::Asset { path }) => Some((i, photo.to_string(), path)),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    let kept = memo.as_deref();
    let read_at = std::time::SystemTime::now();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|(i, written, path)| {
            let src = site.root.join("content").join(path);
            let stamp = kept.and_then(|_| crate::cache::stamp(&src));
            let result = match kept.and_then(|k| k.get(&src, stamp)) {
                Some(thumbs) => Ok(thumbs),
                None => cache.squares(&src, &[CARD_PX, PROFILE_PX]),
            };
            (*i, written, path, src, stamp, result)
        })
        .collect();
    if let Some(memo) = memo {
        let made = results.iter().filter_map(|(_, _, _, src, stamp, result)| {
            Some((src.clone(), (*stamp)?, result.as_ref().ok()?.clone()))
        });
        memo.replace(made, read_at);
    }
    let mut photos = HashMap::new();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (i, written, path, _, _, result) in results {
        match result {
            Ok(thumbs) => {
                let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
                let mut imgs = thumbs
                    .into_iter()
                    .zip([CARD_PX, PROFILE_PX])
                    .map(|(t, px)| {
                        let rel = format!("{stem}.{px}.{}", t.ext);
                        let img = Img {
                            url: crate::text::encode_path(&site.config.url(&rel)),
                            width: t.width,
                            height: t.height,
                        };
                        files.push((rel, t.bytes));
                        img
                    });
                if let (Some(card), Some(profile)) = (imgs.next(), imgs.next()) {
                    photos.insert(i, Photos { card, profile });
                }
            }
            Err(e) => diags.push(
                site.page(i)
                    .src
                    .error_at_key("photo", Some(written), e.to_string())
                    .hint(e.hint()),
            ),
        }
    }
    (photos, files, diags)
}

/// The files of the posters: `guidelines.svg` and `guidelines.png` of
/// each guidelines page that has one made.
pub(super) type PosterFiles = Vec<(String, Vec<u8>)>;

pub(super) type Posters = (HashMap<PageId, PosterCtx>, PosterFiles, Vec<Diagnostic>);

/// Makes the one-image poster of every guidelines page that does not bring
/// its own `image`: `guidelines.svg` and `guidelines.png` beside the page.
pub(super) fn posters(site: &Site, strings: &Strings, cache: &PngCache) -> Posters {
    use crate::load::kinds::KindData;
    use crate::render::poster::{PosterText, render_cached};
    let (do_label, dont_label) = (&strings.do_, &strings.dont);
    let jobs: Vec<(PageId, &crate::load::kinds::Guidelines)> = site
        .pages()
        .filter_map(|(i, p)| match &p.data {
            KindData::Guidelines(g) if g.image.is_none() && !g.rules.is_empty() => Some((i, &**g)),
            _ => None,
        })
        .collect();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|&(i, g)| {
            let text = PosterText {
                title: &site.config.raw.title,
                heading: &site.page(i).title,
                do_label,
                dont_label,
            };
            (i, g, render_cached(&text, &g.rules, Some(cache)))
        })
        .collect();
    let mut ctx = HashMap::new();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (i, g, result) in results {
        let p = site.page(i);
        match result {
            Ok(poster) => {
                let base = &site.node(i).url;
                let url = |file: &str| {
                    crate::text::encode_path(&site.config.url(&format!("{base}{file}")))
                };
                ctx.insert(
                    i,
                    PosterCtx {
                        svg_url: url("guidelines.svg"),
                        png_url: url("guidelines.png"),
                        width: poster.width,
                        height: poster.height,
                        alt: poster_alt(strings, &p.title, &g.rules),
                    },
                );
                files.push((format!("{base}guidelines.svg"), poster.svg.into_bytes()));
                files.push((format!("{base}guidelines.png"), poster.png));
            }
            Err(e) => diags.push(
                p.src
                    .error_at_key("rules", None, e.to_string())
                    .hint(e.hint()),
            ),
        }
    }
    (ctx, files, diags)
}

/// The poster's alt text: what it says, in one breath.
fn poster_alt(strings: &Strings, title: &str, rules: &[crate::load::kinds::Rule]) -> String {
    let (do_label, dont_label) = (&strings.do_, &strings.dont);
    let dos: Vec<&str> = rules.iter().filter_map(|r| r.do_.as_deref()).collect();
    let donts: Vec<&str> = rules.iter().filter_map(|r| r.dont.as_deref()).collect();
    let count = rules.len().to_string();
    let mut alt = fill(&strings.poster_alt, &[("title", title), ("n", &count)]);
    if !dos.is_empty() {
        alt.push_str(&format!(" {do_label}: {}.", dos.join("; ")));
    }
    if !donts.is_empty() {
        alt.push_str(&format!(" {dont_label}: {}.", donts.join("; ")));
    }
    alt
}

/// How the theme's stylesheet asks for the dark scheme.
const DARK_MEDIA: &str = "@media (prefers-color-scheme: dark)";

/// `theme-light.css` and `theme-dark.css`: the theme's `theme.css` with its
/// dark rules never or always on, for a reader who chose a scheme with the
/// switch (`static/scheme.js`; the inline script in `base.html` points the
/// stylesheet link at one of them before the first paint). Made from the
/// one stylesheet, so a theme that restyles `theme.css` gets both for free.
fn write_scheme_variants(theme: &Theme, sink: &dyn Sink) -> std::io::Result<usize> {
    let Some((_, file)) = theme.under("static").find(|(rel, _)| *rel == "theme.css") else {
        return Ok(0);
    };
    let css = String::from_utf8_lossy(&file.bytes);
    sink.write(
        "theme-light.css",
        css.replace(DARK_MEDIA, "@media not all").as_bytes(),
    )?;
    sink.write(
        "theme-dark.css",
        css.replace(DARK_MEDIA, "@media all").as_bytes(),
    )?;
    Ok(2)
}

/// Copies the theme's and the handbook's static files and the assets beside
/// pages into the sink, and writes the highlighting stylesheets. Returns
/// how many files it wrote.
pub(super) fn copy_files(
    site: &Site,
    theme: &Theme,
    statics: Vec<(String, PathBuf)>,
    sink: &dyn Sink,
    mut kept: Option<&mut Copies>,
) -> std::io::Result<usize> {
    let mut count = 0;
    // Theme files first, then the handbook's `static/` over them.
    match kept.as_deref_mut() {
        Some(kept) => count += write_theme_shared(theme, sink, &mut kept.theme)?,
        None => {
            for (rel, file) in theme.under("static") {
                sink.write(rel, &file.bytes)?;
                count += 1;
            }
        }
    }
    count += write_scheme_variants(theme, sink)?;
    let chosen = site.config.raw.highlight_theme.as_deref();
    let light = chosen.unwrap_or(highlight::DEFAULT_LIGHT);
    let dark = chosen.unwrap_or(highlight::DEFAULT_DARK);
    let light = highlight::css(light, highlight::CODE_BG_LIGHT);
    let dark = highlight::css(dark, highlight::CODE_BG_DARK);
    sink.write("highlight-light.css", light.as_bytes())?;
    sink.write("highlight-dark.css", dark.as_bytes())?;
    count += 2;
    let copies: Vec<(String, PathBuf)> = statics
        .into_iter()
        .chain(
            site.assets
                .iter()
                .map(|a| (a.clone(), site.root.join("content").join(a))),
        )
        .collect();
    count += copies.len();
    let Some(kept) = kept else {
        copies
            .par_iter()
            .try_for_each(|(rel, abs)| sink.copy(abs, rel))?;
        return Ok(count);
    };
    // `serve`: a file whose stamp is what it was is not read again (a
    // handbook's photos and attachments can be hundreds of megabytes).
    let read_at = std::time::SystemTime::now();
    let read: Vec<(PathBuf, Option<crate::cache::Stamp>, Arc<[u8]>)> = copies
        .par_iter()
        .map(|(rel, abs)| {
            let now = crate::cache::stamp(abs);
            let bytes = match kept.files.get(abs, now) {
                Some(bytes) => bytes,
                // Not blocking: a FIFO swapped in since the walk must
                // not stall `serve`'s rebuilds.
                None => Arc::from(load::read_regular(abs, None)?),
            };
            sink.write_shared(rel, &bytes)?;
            Ok((abs.clone(), now, bytes))
        })
        .collect::<std::io::Result<_>>()?;
    let made = read
        .into_iter()
        .filter_map(|(abs, now, bytes)| Some((abs, now?, bytes)));
    kept.files.replace(made, read_at);
    Ok(count)
}

/// Writes the theme's static files for a build that keeps its work
/// (`serve`, whose sink is memory), each as the allocation the last build
/// wrote when its bytes are the same: nothing is copied, and the served
/// site sees the file as unchanged without comparing it again. Comparing
/// is cheap next to what it saves (an allocation and a copy of every theme
/// file on every save). A build into a staging folder writes every file
/// instead: the folder starts empty and replaces the output whole, so there
/// is nothing to skip, and linking files of the previous output in would
/// let an edit of that output leak into the next.
fn write_theme_shared(
    theme: &Theme,
    sink: &dyn Sink,
    last: &mut HashMap<String, Arc<[u8]>>,
) -> std::io::Result<usize> {
    let mut written = HashMap::new();
    for (rel, file) in theme.under("static") {
        let (rel, bytes) = match last.remove_entry(rel) {
            Some((rel, same)) if *same == *file.bytes => (rel, same),
            _ => (rel.to_string(), Arc::from(&*file.bytes)),
        };
        sink.write_shared(&rel, &bytes)?;
        written.insert(rel, bytes);
    }
    let count = written.len();
    *last = written;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::{File, Origin};

    #[test]
    fn serve_writes_an_unchanged_theme_file_as_the_same_bytes() {
        let file = |bytes: &[u8]| File {
            bytes: bytes.to_vec().into(),
            origin: Origin::BuiltIn,
        };
        let mut theme = Theme::default();
        theme.files.insert("static/a.css".into(), file(b"a"));
        theme.files.insert("static/b.js".into(), file(b"b"));
        theme.files.insert("templates/x.html".into(), file(b"x"));
        let mut last = HashMap::new();
        let first = crate::write::Memory::default();
        assert_eq!(write_theme_shared(&theme, &first, &mut last).ok(), Some(2));
        let first = first.into_files();
        theme.files.insert("static/b.js".into(), file(b"changed"));
        let second = crate::write::Memory::default();
        assert_eq!(write_theme_shared(&theme, &second, &mut last).ok(), Some(2));
        let second = second.into_files();
        assert!(Arc::ptr_eq(&first["a.css"], &second["a.css"]));
        assert_eq!(&second["b.js"][..], b"changed");
        assert_eq!(second.len(), 2);
    }
}
