//! esiin compiles a company's expertise handbook — Markdown with typed front
//! matter, in git — into a static intranet site.
//!
//! The pipeline is the architecture (see ARCHITECTURE.md):
//! [`load`] → [`resolve`] → [`render`] → [`write`], driven by [`pipeline`].
//! Problems found anywhere are [`diag::Diagnostic`]s, rendered for people in
//! one place.

pub mod config;
pub mod diag;
pub mod load;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod write;
pub mod yaml;
