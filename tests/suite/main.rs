//! The integration tests: the real `esiin` binary run on small fixture
//! handbooks (`tests/fixtures/`), and the built sites driven in headless
//! Chromium.
//!
//! One test binary, one module per area, rather than one binary per file:
//! every binary links the whole dependency tree (a few hundred MB each with
//! debug info), so fourteen of them cost minutes of linking and gigabytes of
//! disk for nothing. Run one area with `cargo test --test suite search::`.

mod common;
mod harness;

mod browser;
mod browser_search;
mod browser_serve;
mod build;
mod calendars;
mod directory;
mod errors;
mod search;
mod serve_diff;
mod serve_http;
mod serve_watch;
mod trust_scale;
