//! Everything the integration tests share, in one place:
//!
//! - [`files`]: a temp folder per test (kept when `ESIIN_KEEP_TEST_DIRS` is
//!   set, to look at after a failure), a tree copied, snapshots of folders;
//! - [`handbook`]: a fixture or the example handbook copied into a temp
//!   folder, the real `esiin` binary run on it ([`Run`]), the shape of every
//!   bad-input test ([`broken`]) and the reviewed snapshot of what it printed
//!   ([`assert_diagnostics!`](crate::assert_diagnostics));
//! - [`html`]: attribute values, links and marked parts of built HTML;
//! - [`serve`]: `esiin serve` as a child process;
//! - [`browser`]: headless Chromium over WebDriver, and a static server for
//!   a built site.

pub mod browser;
pub mod files;
pub mod handbook;
pub mod html;
pub mod serve;

pub use files::{assert_same_files, snapshot};
pub use handbook::{
    Handbook, Run, SOURCE_DATE_EPOCH, broken, build_on, esiin_on, example_handbook,
};
pub use html::{attr_values, between, hrefs};
