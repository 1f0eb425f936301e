//! The colour themes for highlighted code (syntect's defaults), loaded once
//! per process, lazily. A leaf of its own so that `config` can check
//! `highlight_theme` and `render::highlight` can make the stylesheets
//! without `config` depending on `render`.

use std::sync::OnceLock;

use syntect::highlighting::{Theme, ThemeSet};

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// The theme called `name`, if syntect has one.
pub(crate) fn get(name: &str) -> Option<&'static Theme> {
    themes().themes.get(name)
}

/// Whether syntect has a theme called `name`.
pub(crate) fn exists(name: &str) -> bool {
    themes().themes.contains_key(name)
}

/// Every theme's name, sorted.
pub(crate) fn names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}
