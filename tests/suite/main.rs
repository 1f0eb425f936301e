//! The integration tests: the real `esiin` binary run on small fixture
//! handbooks (`tests/fixtures/`), and the built sites driven in headless
//! Chromium.
//!
//! One test binary, one module per area, rather than one binary per file:
//! every binary links the whole dependency tree (a few hundred MB each with
//! debug info), so fourteen of them cost minutes of linking and gigabytes of
//! disk for nothing. Run one area with `cargo test --test suite search::`.

mod support;

mod activity;
mod browser;
mod browser_a11y;
mod browser_activity;
mod browser_phones;
mod browser_search;
mod browser_search_recall;
mod browser_serve;
mod build;
mod calendars;
mod directory;
mod errors;
mod fields;
mod fuzz_found;
mod git_dates;
mod init;
mod measure;
mod messages;
mod new;
mod review;
mod search;
mod serve_diff;
mod serve_goals;
mod serve_http;
mod serve_warnings;
mod serve_watch;
#[cfg(unix)]
mod sessions_time;
mod source_rules;
mod staff;
mod strings;
mod trust_files;
mod trust_links;
mod trust_messages;
mod trust_output;
mod trust_scale;
