//! esiin compiles a company's expertise handbook — Markdown with typed front
//! matter, in git — into a static intranet site.
//!
//! The pipeline is the architecture (see ARCHITECTURE.md):
//! [`load`] → [`resolve`] → [`render`] → [`write`], driven by [`pipeline`].
//! Problems found anywhere are [`diag::Diagnostic`]s, rendered for people in
//! one place.

// Diagnostics are the cold path and are collected, not propagated through
// hot loops; their size in a `Result` does not matter.
#![allow(clippy::result_large_err)]
#![warn(unreachable_pub)]

pub mod cache;
mod code_themes;
pub mod config;
pub mod diag;
pub mod files;
pub mod init;
pub mod load;
pub mod new;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod search;
pub mod serve;
#[doc(hidden)]
pub mod testgen;
pub mod text;
pub mod url;
pub mod write;
pub mod yaml;
