//! Markdown → HTML with pulldown-cmark, plus what a handbook needs on top:
//! heading anchors as GitHub and GitLab make them, a table of contents,
//! GitHub-style alerts, highlighted code, and links written as source paths
//! rewritten to URLs (or reported as broken, at their line and column).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd, html,
};
use serde::Serialize;

use crate::config::RawHtml;
use crate::diag::{Diagnostic, suggest};
use crate::load::Source;
use crate::resolve::links::{ANCHOR_HINT, LinkError, Links, Target};
use crate::resolve::{PageId, PendingAnchor};
use crate::text::{encode_path, escape_html, slugify};

use super::highlight;
use super::highlight_cache::{self, Highlights};
use super::strings::Strings;

/// A heading of the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A page body, rendered.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    /// Shared: the search records hold it too.
    pub html: std::sync::Arc<str>,
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page.
    pub anchors: HashSet<String>,
    /// The first paragraph as plain text, for lists that need a summary.
    pub summary: String,
    /// Links to `#anchors`, to check when every page is rendered.
    pub pending: Vec<PendingAnchor>,
    pub errors: Vec<Diagnostic>,
    /// The keys of the highlighted blocks kept for the next build
    /// (`highlight_cache`): a body reused by `serve` still uses them.
    pub code_keys: Vec<highlight_cache::Key>,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Gives repeated ids the suffixes `-1`, `-2`, … in document order.
#[derive(Default)]
pub(crate) struct Anchors {
    seen: HashMap<String, usize>,
    all: HashSet<String>,
}

impl Anchors {
    pub(crate) fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        if self.all.contains(&id) {
            let mut k = self.seen.get(&base).copied().unwrap_or(1);
            loop {
                id = format!("{base}-{k}");
                k += 1;
                if !self.all.contains(&id) {
                    break;
                }
            }
            self.seen.insert(base, k);
        }
        self.all.insert(id.clone());
        id
    }
}

/// The class and the title of an alert (`> [!NOTE]`); the titles are UI
/// strings, in the handbook's language.
fn alert(kind: BlockQuoteKind, strings: &Strings) -> (&'static str, &str) {
    use BlockQuoteKind::*;
    match kind {
        Note => ("note", &strings.alert_note),
        Tip => ("tip", &strings.alert_tip),
        Important => ("important", &strings.alert_important),
        Warning => ("warning", &strings.alert_warning),
        Caution => ("caution", &strings.alert_caution),
    }
}

/// What rendering a page body needs besides its text, and no more (as
/// Zola's `RenderContext`): the site is seen only through [`Links`], so
/// everything a rendered body depends on is named here.
pub(crate) struct RenderContext<'s> {
    /// The page, for links to itself (`#anchor`).
    pub page: PageId,
    /// The page's file: its body, and its lines for messages.
    pub source: &'s Source,
    /// The UI strings, for the alert titles (in the handbook's language).
    pub strings: &'s Strings,
    /// Whether a body with raw HTML is sanitized.
    pub raw_html: RawHtml,
    /// Where the other pages and files of the site are.
    pub links: &'s dyn Links,
    /// The highlighted blocks of the last build, if kept.
    pub highlights: Option<&'s Highlights>,
}

impl<'s> RenderContext<'s> {
    /// The context of page `page`, read from `source`, in a handbook
    /// configured by `config` and shown with `strings`, whose pages and
    /// files `links` knows.
    pub(crate) fn new(
        page: PageId,
        source: &'s Source,
        config: &crate::config::Site,
        strings: &'s Strings,
        links: &'s dyn Links,
    ) -> Self {
        RenderContext {
            page,
            source,
            strings,
            raw_html: config.raw.markdown.raw_html,
            links,
            highlights: None,
        }
    }
}

/// Renders the body of the page of `cx`.
pub(crate) fn render(cx: &RenderContext<'_>) -> Rendered {
    let mut writer = Writer::new(cx);
    let mut parser = Parser::new_ext(cx.source.body_text(), options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        // A reference link's destination is written in its definition
        // (`[x]: url`), not where it is used: errors point there.
        let dest_span = |id: &str| match parser.reference_definitions().get(id) {
            Some(def) if !id.is_empty() => def.span.clone(),
            _ => range.clone(),
        };
        if let Some(event) = writer.rewrite(event, dest_span) {
            writer.keep(event);
        }
    }
    writer.finish()
}

/// One body being rendered: the events written so far, and what is
/// gathered on the way (headings for the table of contents, the first
/// paragraph, links' errors and anchors).
struct Writer<'c, 's> {
    cx: &'c RenderContext<'s>,
    out: Rendered,
    anchors: Anchors,
    events: Vec<Event<'s>>,
    /// A heading being collected: level, inner events, plain text.
    heading: Option<(HeadingLevel, Vec<Event<'s>>, String)>,
    /// A code block being collected: its language and its text.
    code: Option<(String, String)>,
    /// The level-2 and level-3 headings: level, id, title.
    flat: Vec<(u8, String, String)>,
    first_para: Option<String>,
    in_para: bool,
    /// Whether the Markdown has raw HTML (then the body is sanitized).
    raw_html: bool,
}

impl<'c, 's> Writer<'c, 's> {
    fn new(cx: &'c RenderContext<'s>) -> Self {
        Writer {
            cx,
            out: Rendered::default(),
            anchors: Anchors::default(),
            events: Vec::new(),
            heading: None,
            code: None,
            flat: Vec::new(),
            first_para: None,
            in_para: false,
            raw_html: false,
        }
    }

    /// `event` as it is written out, or `None` while it is held back (a
    /// heading or a code block is written whole at its end). `dest_span`
    /// gives where a link's destination is written, by the link's id.
    fn rewrite(
        &mut self,
        event: Event<'s>,
        dest_span: impl Fn(&str) -> Range<usize>,
    ) -> Option<Event<'s>> {
        Some(match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level, Vec::new(), String::new()));
                return None;
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading()?,
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code = Some((code_language(kind), String::new()));
                return None;
            }
            Event::End(TagEnd::CodeBlock) => self.end_code()?,
            Event::Text(t) if self.code.is_some() => {
                if let Some((_, src)) = self.code.as_mut() {
                    src.push_str(&t);
                }
                return None;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind, self.cx.strings);
                // Escaped: a theme's strings file may hold `<` or `&`.
                let title = escape_html(title);
                Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n"
                )))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</div>\n")),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.link_dest(link_type, dest_url, &dest_span(&id)),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.image_dest(dest_url, &dest_span(&id)),
                title,
                id,
            }),
            Event::Start(Tag::Paragraph) => {
                self.in_para = self.first_para.is_none();
                if self.in_para {
                    self.first_para = Some(String::new());
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_para = false;
                Event::End(TagEnd::Paragraph)
            }
            e @ (Event::Html(_) | Event::InlineHtml(_)) => {
                self.raw_html = true;
                e
            }
            e => e,
        })
    }

    /// Keeps a written event: its text in the summary while in the first
    /// paragraph, and the event in the heading being collected, else in
    /// the body.
    fn keep(&mut self, event: Event<'s>) {
        if self.in_para
            && let Some(s) = self.first_para.as_mut()
        {
            match &event {
                Event::Text(t) | Event::Code(t) => s.push_str(t),
                Event::SoftBreak | Event::HardBreak => s.push(' '),
                _ => {}
            }
        }
        if let Some((_, inner, plain)) = self.heading.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &event {
                plain.push_str(t);
            }
            inner.push(event);
        } else {
            self.events.push(event);
        }
    }

    /// The heading collected, with its unique id and an anchor link; a
    /// level-2 or level-3 heading also goes in the table of contents.
    fn end_heading(&mut self) -> Option<Event<'s>> {
        let (level, inner, plain) = self.heading.take()?;
        let id = self.anchors.unique(slugify(&plain));
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        let n = level as u8;
        if (2..=3).contains(&n) {
            self.flat.push((n, id.clone(), plain.trim().to_string()));
        }
        let eid = escape_html(&id);
        Some(Event::Html(CowStr::from(format!(
            "<h{n} id=\"{eid}\">{inner_html}<a class=\"heading-anchor\" href=\"#{eid}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n"
        ))))
    }

    /// The code block collected, highlighted when its language is known.
    fn end_code(&mut self) -> Option<Event<'s>> {
        let (lang, src) = self.code.take()?;
        let highlighted = match self.cx.highlights {
            _ if lang.is_empty() => None,
            Some(cache) => cache.highlight(&src, &lang).map(|(key, html)| {
                self.out.code_keys.extend(key);
                html
            }),
            None => highlight::highlight(&src, &lang).map(Into::into),
        };
        let escaped;
        let inner: &str = match &highlighted {
            Some(html) => html,
            None => {
                escaped = escape_html(&src);
                &escaped
            }
        };
        let data = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape_html(&lang))
        };
        // Focusable: a block wider than the column scrolls, and a keyboard
        // can scroll only what has the focus (WCAG 2.1.1).
        Some(Event::Html(CowStr::from(format!(
            "<pre class=\"code\"{data} tabindex=\"0\"><code>{inner}</code></pre>\n"
        ))))
    }

    /// A link's destination as written out: a URL that could run a script
    /// is an error (and emptied), a source path becomes its URL.
    fn link_dest(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'s>,
        span: &Range<usize>,
    ) -> CowStr<'s> {
        if link_type == LinkType::Email {
            // `<a@example.com>`: pulldown-cmark writes `mailto:`.
            dest_url
        } else if let Err(r) = crate::url::check(&dest_url) {
            self.link_error(span, &dest_url, r.message(), crate::url::HINT.into());
            CowStr::from("")
        } else if link_type == LinkType::Autolink {
            dest_url
        } else {
            self.rewritten(span, dest_url)
        }
    }

    /// An image's source as written out: one that is no image URL is an
    /// error (and emptied), a source path becomes its URL.
    fn image_dest(&mut self, dest_url: CowStr<'s>, span: &Range<usize>) -> CowStr<'s> {
        if crate::url::image_allowed(&dest_url) {
            return self.rewritten(span, dest_url);
        }
        let message = match crate::url::check(&dest_url) {
            Err(r) => r.message(),
            Ok(()) => "an image cannot come from a `mailto:`, `tel:` or `webcal:` URL".into(),
        };
        let hint = "name an image file beside the page, or an `https:` URL";
        self.link_error(span, &dest_url, message, hint.into());
        CowStr::from("")
    }

    /// A destination written as a source path, as its URL; a broken one is
    /// an error at the destination and stays as written.
    fn rewritten(&mut self, span: &Range<usize>, dest_url: CowStr<'s>) -> CowStr<'s> {
        let cx = self.cx;
        let locate = || {
            let d = Diagnostic::error("").hint(ANCHOR_HINT);
            located(cx.source, span, &dest_url, d)
        };
        match rewrite(cx, &dest_url, &mut self.out.pending, locate) {
            Ok(url) => CowStr::from(url),
            Err(e) => {
                self.link_error(span, &dest_url, e.message, e.hint);
                dest_url
            }
        }
    }

    /// Records an error at the destination `dest` written within `range`.
    fn link_error(&mut self, range: &Range<usize>, dest: &str, msg: String, hint: String) {
        let d = Diagnostic::error(msg).hint(hint);
        self.out
            .errors
            .push(located(self.cx.source, range, dest, d));
    }

    /// The rendered body: the events as HTML (sanitized if it has raw HTML
    /// and the handbook asks for it), with what was gathered on the way.
    fn finish(self) -> Rendered {
        let mut out = self.out;
        let mut html = String::new();
        html::push_html(&mut html, self.events.into_iter());
        if self.raw_html && self.cx.raw_html == RawHtml::Sanitized {
            html = super::sanitize::clean(&html);
        }
        out.html = html.into();
        out.toc = nest(self.flat);
        out.anchors = self.anchors.all;
        out.summary = self.first_para.map(|s| summarize(&s)).unwrap_or_default();
        out
    }
}

/// The language a code block names (the first word of a fence's info
/// string: ```` ```rust,ignore ```` is `rust`), empty when none.
fn code_language(kind: CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_string(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// `d` placed at `dest` as written within `range` of the body of `src` (a
/// link's destination inside its `[text](dest)`), in the file's coordinates.
fn located(src: &Source, range: &Range<usize>, dest: &str, d: Diagnostic) -> Diagnostic {
    let in_range = src.body_text().get(range.clone()).unwrap_or_default();
    let at = in_range.find(dest).map_or(range.start, |i| range.start + i);
    d.in_file(&src.rel)
        .at_offset_in(&src.text, src.lines(), src.body + at, dest.len())
}

/// Shortens text to about 200 characters at a word boundary.
fn summarize(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 200 {
        return s;
    }
    let cut: String = s.chars().take(200).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Nests level-3 headings under the level-2 heading before them.
fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        match out.last_mut() {
            Some(last) if level > last.level => last.children.push(entry),
            _ => out.push(entry),
        }
    }
    out
}

/// Rewrites a link or image destination written in the page of `cx` into
/// the URL the site serves it at. An `#anchor` to another page is queued in
/// `pending`.
fn rewrite(
    cx: &RenderContext<'_>,
    dest: &str,
    pending: &mut Vec<PendingAnchor>,
    locate: impl FnOnce() -> Diagnostic,
) -> Result<String, LinkError> {
    let (page, links) = (cx.page, cx.links);
    match links.resolve(page, dest)? {
        Target::External => Ok(dest.to_string()),
        Target::SiteUrl { url } => Ok(url),
        Target::Asset { path } => Ok(encode_path(&links.site_url(&path))),
        Target::Page {
            page: target,
            anchor,
        } => {
            let mut url = if target == page && dest.starts_with('#') {
                String::new()
            } else {
                encode_path(&links.page_url(target))
            };
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                let mut error = locate();
                error.message = if target == page {
                    format!("the link `{dest}` points to a heading this page does not have")
                } else {
                    format!(
                        "the link `{dest}` points to a heading `{}` does not have",
                        links.source_path(target).display()
                    )
                };
                url.push('#');
                url.push_str(&encode_path(&anchor));
                pending.push(PendingAnchor {
                    target,
                    anchor,
                    error,
                });
            }
            Ok(url)
        }
    }
}

/// The queued anchors that name no heading of their target page: these
/// may still name an id the page's template writes (`#sessions` on a
/// module), which is known only once the page is rendered.
pub(crate) fn unresolved<'a>(
    pending: impl IntoIterator<Item = &'a PendingAnchor>,
    headings: &[&HashSet<String>],
) -> Vec<PendingAnchor> {
    pending
        .into_iter()
        .filter(|p| !headings[p.target.index()].contains(&p.anchor))
        .cloned()
        .collect()
}

/// Checks the anchors [`unresolved`] left against the ids of their target
/// pages' final HTML (`ids[target]`, in page order). A page without ids
/// failed to render, and that error is reported: its anchors are not
/// judged.
pub(crate) fn check_anchors(
    unresolved: &[PendingAnchor],
    headings: &[&HashSet<String>],
    ids: &[Option<Vec<String>>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in unresolved {
        let Some(Some(have)) = ids.get(p.target.index()) else {
            continue;
        };
        if have.contains(&p.anchor) {
            continue;
        }
        out.push(
            p.error
                .clone()
                .hint(anchor_hint(&p.anchor, headings[p.target.index()], have)),
        );
    }
    out
}

/// The nearest id, else every id of the page: its headings first (what an
/// editor wrote), then the ones its template adds, in page order.
fn anchor_hint(anchor: &str, headings: &HashSet<String>, ids: &[String]) -> String {
    if let Some(best) = suggest(anchor, ids.iter().map(String::as_str)) {
        return format!("did you mean `#{best}`?");
    }
    let mut own: Vec<&str> = headings.iter().map(String::as_str).collect();
    own.sort();
    let others: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| !headings.contains(*id))
        .collect();
    let list = |ids: &[&str]| {
        ids.iter()
            .map(|a| format!("#{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (own.is_empty(), others.is_empty()) {
        (true, true) => "the page has no headings or other ids".to_string(),
        (false, true) => format!("its headings are: {}", list(&own)),
        (true, false) => format!("it has no headings; its ids are: {}", list(&others)),
        (false, false) => format!(
            "its headings are: {}; its other ids: {}",
            list(&own),
            list(&others)
        ),
    }
}

/// The values of the `id="…"` attributes in `html`, in order, each once:
/// a scan, not a parse, of HTML esiin's templates and Markdown renderer
/// wrote (attributes double-quoted, `&`, `<`, `>`, `"`, `'` escaped).
pub(crate) fn html_ids(html: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(html);
    let mut ids: Vec<String> = Vec::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("id=\"") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        let Some(end) = rest.find('"') else { break };
        if before.is_some_and(char::is_whitespace) {
            let id = unescape(&rest[..end]);
            if !id.is_empty() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        rest = &rest[end..];
    }
    ids
}

/// Undoes the escaping of an attribute value (the entities Tera and
/// pulldown-cmark write).
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&#x2F;", "/"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(value.to_string(), |v, (from, to)| v.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_ids_are_read_in_order_once_unescaped() {
        let html = br##"<section id="sessions"><h2 id="a&amp;b">x</h2><p data-id="no">
<a id="sessions" href="#x">y</a><div	id="t&#x2F;u"></div>"##;
        assert_eq!(html_ids(html), ["sessions", "a&b", "t/u"]);
    }

    #[test]
    fn the_anchor_hint_lists_headings_then_the_templates_ids() {
        let headings: HashSet<String> = ["b-heading", "a-heading"].map(String::from).into();
        let ids: Vec<String> = ["main", "a-heading", "b-heading", "sessions"]
            .map(String::from)
            .into();
        assert_eq!(
            anchor_hint("zzz-nothing-alike", &headings, &ids),
            "its headings are: #a-heading, #b-heading; its other ids: #main, #sessions"
        );
        assert_eq!(
            anchor_hint("sesions", &headings, &ids),
            "did you mean `#sessions`?"
        );
    }

    #[test]
    fn repeats_get_numbered() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("x".into()), "x");
        assert_eq!(a.unique("x".into()), "x-1");
        assert_eq!(a.unique("x".into()), "x-2");
        assert_eq!(a.unique("x-1".into()), "x-1-1");
    }

    #[test]
    fn toc_nests_level_three_under_two() {
        let toc = nest(vec![
            (2, "a".into(), "A".into()),
            (3, "b".into(), "B".into()),
            (2, "c".into(), "C".into()),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "b");
    }

    #[test]
    fn summary_keeps_spaces_at_line_breaks() {
        assert_eq!(summarize("one\ntwo  three"), "one two three");
        let long = "word ".repeat(100);
        let s = summarize(&long);
        assert!(s.ends_with('…') && s.chars().count() <= 201, "{s}");
    }
}
