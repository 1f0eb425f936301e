//! Stage 3, *render*: Markdown bodies to HTML, then pages through the
//! theme's templates.
//!
//! Page contexts: `view.rs` (the site as the renderer reads it, [`view::Pages`],
//! and what contexts share) ← `listings.rs` (directory, catalogue, generated
//! pages) ← `context.rs` (a page's own context). `calendars.rs` assembles
//! the `.ics` files a build writes (through `ics.rs`), `feed.rs` the Atom
//! feed of "Recently shared" (`activity.rs`: activity on pages). `strings.rs`: the
//! theme's UI strings, typed; every word shown that is not the handbook's.

pub(crate) mod activity;
pub mod calendars;
pub(crate) mod charts;
pub(crate) mod context;
pub(crate) mod feed;
pub mod highlight;
pub(crate) mod highlight_cache;
pub(crate) mod home;
pub mod ics;
pub(crate) mod images;
pub(crate) mod listings;
pub mod markdown;
pub(crate) mod measured;
pub mod poster;
pub mod sanitize;
pub(crate) mod share;
pub mod strings;
pub(crate) mod teams;
pub mod templates;
pub mod theme;
pub(crate) mod view;
