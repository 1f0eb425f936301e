//! The browser test harness: a static file server for a built site and a
//! headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs).
//!
//! Without chromedriver on the machine the browser tests are skipped with a
//! message, so `cargo test` works anywhere; under CI (`CI` set) a missing
//! driver is a failure, so CI cannot go green without running them.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};

use super::files::TempDir;
use super::handbook::{build, example_handbook};

/// Serves `dir` at `http://127.0.0.1:PORT{prefix}` from a background thread,
/// like any static web server would (`/a/` → `a/index.html`, 404 → `404.html`).
pub struct StaticServer {
    pub base: String,
}

impl StaticServer {
    pub fn start(dir: PathBuf, prefix: &'static str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("bound").port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                std::thread::spawn(move || serve(stream, &dir, prefix));
            }
        });
        StaticServer {
            base: format!("http://127.0.0.1:{port}{prefix}"),
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("json") => "application/json",
        Some("ics") => "text/calendar",
        _ => "application/octet-stream",
    }
}

fn serve(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = super::html::percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let found = path
        .strip_prefix(prefix.trim_end_matches('/'))
        .and_then(|rel| {
            if rel.split('/').any(|s| s == "..") {
                return None;
            }
            let mut file = dir.join(rel.trim_start_matches('/'));
            if file.is_dir() {
                file = file.join("index.html");
            }
            file.is_file().then_some(file)
        });
    let (status, file) = match found {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", dir.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A chromedriver process and a WebDriver session on headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn find(names: &[&str]) -> Option<PathBuf> {
    names.iter().map(PathBuf::from).find(|p| p.is_file())
}

impl Browser {
    /// Starts the browser, or returns `None` (with a message) when the
    /// machine has no chromedriver and this is not CI.
    pub async fn start() -> Option<Browser> {
        Browser::launch(true, false).await
    }

    /// Like [`Browser::start`], with the system in dark mode: pages see
    /// `prefers-color-scheme: dark` (Chromium's `--force-dark-mode`, which
    /// Debian's headless Chromium honours for web content).
    pub async fn start_dark() -> Option<Browser> {
        Browser::launch(true, true).await
    }

    /// Like [`Browser::start`], with JavaScript turned off in the page (as
    /// a reader who disabled it, or a browser that failed to load the
    /// script, would see the site). WebDriver commands still work.
    pub async fn start_without_js() -> Option<Browser> {
        Browser::launch(false, false).await
    }

    async fn launch(javascript: bool, dark: bool) -> Option<Browser> {
        let driver_bin = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
        let chrome_bin = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
        let (Some(driver_bin), Some(chrome_bin)) = (driver_bin, chrome_bin) else {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI must run the browser tests: install Debian's chromium and chromium-driver"
                );
            }
            eprintln!(
                "skipped: no chromium/chromedriver here (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = TempDir::new("chromium-profile");
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            // No smooth scrolling: WebDriver clicks land where the element is,
            // not where a scroll animation has got to.
            "--force-prefers-reduced-motion".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if dark {
            args.push("--force-dark-mode".into());
        }
        let mut options = serde_json::json!({ "binary": chrome_bin });
        if !javascript {
            // Both the Blink setting and the content-setting preference: the
            // first is what headless Chromium honours, the second what a
            // managed profile would use.
            args.push("--blink-settings=scriptEnabled=false".into());
            options["prefs"] = serde_json::json!({
                "profile.managed_default_content_settings.javascript": 2
            });
        }
        options["args"] = serde_json::json!(args);
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => {
                    panic!("cannot start a WebDriver session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// What the tests ask of the page, one WebDriver command each, by CSS
/// selector. Each fails the test with what was asked and the page's URL
/// (a missing element's selector, not just "no such element"), so a test
/// reads as what it checks instead of a `.await.expect(…)` per step.
impl Browser {
    /// `result`, or a failure naming `what` was asked and on which page.
    async fn ok<T>(&self, what: impl FnOnce() -> String, result: Result<T, CmdError>) -> T {
        match result {
            Ok(value) => value,
            Err(e) => {
                let at = match self.client.current_url().await {
                    Ok(url) => url.to_string(),
                    Err(_) => "an unknown page".to_string(),
                };
                panic!("{} on {at}: {e}", what())
            }
        }
    }

    /// Opens `url` and waits for it to load.
    pub async fn open(&self, url: &str) {
        let result = self.client.goto(url).await;
        self.ok(|| format!("cannot open {url}"), result).await
    }

    /// Reloads the page.
    pub async fn reload(&self) {
        let result = self.client.refresh().await;
        self.ok(|| "cannot reload".into(), result).await
    }

    /// The element `css` selects (the first one).
    pub async fn element(&self, css: &str) -> Element {
        let result = self.client.find(Locator::Css(css)).await;
        self.ok(|| format!("no element `{css}`"), result).await
    }

    /// Every element `css` selects, in document order.
    pub async fn elements(&self, css: &str) -> Vec<Element> {
        let result = self.client.find_all(Locator::Css(css)).await;
        self.ok(|| format!("cannot look for `{css}`"), result).await
    }

    /// Whether the page has an element `css` selects.
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The text of the element `css` selects, as the reader sees it.
    pub async fn text(&self, css: &str) -> String {
        let result = self.element(css).await.text().await;
        self.ok(|| format!("cannot read the text of `{css}`"), result)
            .await
    }

    /// The attribute `name` of the element `css` selects, as written.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let result = self.element(css).await.attr(name).await;
        self.ok(|| format!("cannot read `{name}` of `{css}`"), result)
            .await
    }

    /// The property `name` of the element `css` selects (an `href`
    /// resolved, a field's current `value`).
    pub async fn prop(&self, css: &str, name: &str) -> Option<String> {
        let result = self.element(css).await.prop(name).await;
        self.ok(
            || format!("cannot read the property `{name}` of `{css}`"),
            result,
        )
        .await
    }

    /// Whether the element `css` selects is displayed.
    pub async fn shown(&self, css: &str) -> bool {
        let result = self.element(css).await.is_displayed().await;
        self.ok(
            || format!("cannot tell whether `{css}` is displayed"),
            result,
        )
        .await
    }

    /// Whether the checkbox (or option) `css` selects is checked.
    pub async fn checked(&self, css: &str) -> bool {
        let result = self.element(css).await.is_selected().await;
        self.ok(|| format!("cannot tell whether `{css}` is checked"), result)
            .await
    }

    /// Clicks the element `css` selects.
    pub async fn click(&self, css: &str) {
        let result = self.element(css).await.click().await;
        self.ok(|| format!("cannot click `{css}`"), result).await
    }

    /// Clicks the link whose text is `text`.
    pub async fn click_link(&self, text: &str) {
        let link = self.client.find(Locator::LinkText(text)).await;
        let link = self.ok(|| format!("no link {text:?}"), link).await;
        let result = link.click().await;
        self.ok(|| format!("cannot click the link {text:?}"), result)
            .await
    }

    /// Chooses the option `value` of the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let result = self.element(css).await.select_by_value(value).await;
        self.ok(|| format!("cannot choose {value:?} in `{css}`"), result)
            .await
    }

    /// Types `text` into the element `css` selects.
    pub async fn type_into(&self, css: &str, text: &str) {
        let result = self.element(css).await.send_keys(text).await;
        self.ok(|| format!("cannot type {text:?} into `{css}`"), result)
            .await
    }

    /// The element that has the focus.
    pub async fn focused(&self) -> Element {
        let result = self.client.active_element().await;
        self.ok(|| "no element has the focus".into(), result).await
    }

    /// Presses and releases one key in whatever has the focus.
    pub async fn press(&self, key: Key) {
        let k: char = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        let result = self.client.perform_actions(actions).await;
        self.ok(|| format!("cannot press {key:?}"), result).await
    }

    /// The page's URL.
    pub async fn url(&self) -> String {
        let result = self.client.current_url().await.map(|u| u.to_string());
        self.ok(|| "cannot read the URL".into(), result).await
    }

    /// The path of the page's URL (`/handbook/experts/`).
    pub async fn path(&self) -> String {
        let result = self
            .client
            .current_url()
            .await
            .map(|u| u.path().to_string());
        self.ok(|| "cannot read the URL".into(), result).await
    }

    /// The query of the page's URL, without its `?`.
    pub async fn query(&self) -> Option<String> {
        let result = (self.client.current_url().await).map(|u| u.query().map(str::to_string));
        self.ok(|| "cannot read the URL".into(), result).await
    }

    /// The page's HTML as the browser has it now.
    pub async fn source(&self) -> String {
        let result = self.client.source().await;
        self.ok(|| "cannot read the page's source".into(), result)
            .await
    }

    /// The page's title.
    pub async fn title(&self) -> String {
        let result = self.client.title().await;
        self.ok(|| "cannot read the title".into(), result).await
    }

    /// Runs `script` in the page (with `args` as `arguments`) and returns
    /// what it returned.
    pub async fn run(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        let result = self.client.execute(script, args).await;
        self.ok(|| format!("the script failed:\n{script}"), result)
            .await
    }

    /// Runs `script` in the page, which calls its last argument with the
    /// value to return, and returns that.
    pub async fn run_async(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        let result = self.client.execute_async(script, args).await;
        self.ok(|| format!("the script failed:\n{script}"), result)
            .await
    }
}

/// Asks `read` every 50 ms until `done` holds for its answer, for up to
/// five seconds (a script reacts to a click or a key press on its own
/// time), and returns the answer; past that, fails with `fail` of the last
/// answer, which says what was expected.
pub async fn eventually<T>(
    mut read: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
    fail: impl Fn(&T) -> String,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = read().await;
        if done(&answer) {
            return answer;
        }
        if Instant::now() > deadline {
            panic!("{}", fail(&answer));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The same questions of an element already found (one of
/// [`Browser::elements`]), failing with what was asked.
pub trait ElementExt {
    /// Whether it is displayed.
    async fn shown(&self) -> bool;
    /// Its text, as the reader sees it.
    async fn read_text(&self) -> String;
    /// Its attribute `name`, as written.
    async fn read_attr(&self, name: &str) -> Option<String>;
    /// Its property `name`.
    async fn read_prop(&self, name: &str) -> Option<String>;
    /// The element `css` selects inside it.
    async fn child(&self, css: &str) -> Element;
}

impl ElementExt for Element {
    async fn shown(&self) -> bool {
        self.is_displayed()
            .await
            .unwrap_or_else(|e| panic!("cannot tell whether an element is displayed: {e}"))
    }

    async fn read_text(&self) -> String {
        self.text()
            .await
            .unwrap_or_else(|e| panic!("cannot read an element's text: {e}"))
    }

    async fn read_attr(&self, name: &str) -> Option<String> {
        self.attr(name)
            .await
            .unwrap_or_else(|e| panic!("cannot read `{name}` of an element: {e}"))
    }

    async fn read_prop(&self, name: &str) -> Option<String> {
        self.prop(name)
            .await
            .unwrap_or_else(|e| panic!("cannot read the property `{name}` of an element: {e}"))
    }

    async fn child(&self, css: &str) -> Element {
        self.find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` in the element: {e}"))
    }
}

/// axe-core's `axe.min.js`, as `npm ci --prefix tests/browser-deps`
/// installs it (pinned there; never shipped in a site), or `None` (with a
/// message) when it is not installed and this is not CI.
pub fn axe_source() -> Option<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser-deps/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => panic!(
            "CI must run the accessibility tests: {}: {e} (run `npm ci --prefix tests/browser-deps`)",
            file.display()
        ),
        Err(_) => {
            eprintln!("skipped: no axe-core here (npm ci --prefix tests/browser-deps)");
            None
        }
    }
}

/// The example handbook built with `base_url: /handbook/`, served at that
/// path by a plain static server.
pub fn example_site() -> (TempDir, StaticServer) {
    let (tmp, root) = example_handbook(Some("/handbook/"));
    let out = tmp.path().join("public");
    build(&root, &out);
    let server = StaticServer::start(out, "/handbook/");
    (tmp, server)
}
