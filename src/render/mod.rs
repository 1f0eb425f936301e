//! Stage 3, *render*: Markdown bodies to HTML, then pages through the
//! theme's templates.

pub mod charts;
pub mod context;
pub mod highlight;
pub mod ics;
pub mod images;
pub mod listings;
pub mod markdown;
pub mod poster;
pub mod sanitize;
pub mod templates;
pub mod theme;
