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

use fantoccini::{Client, ClientBuilder};

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
    let path =
        esiin::resolve::links::percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
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
        Browser::launch(true).await
    }

    /// Like [`Browser::start`], with JavaScript turned off in the page (as
    /// a reader who disabled it, or a browser that failed to load the
    /// script, would see the site). WebDriver commands still work.
    pub async fn start_without_js() -> Option<Browser> {
        Browser::launch(false).await
    }

    async fn launch(javascript: bool) -> Option<Browser> {
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

/// The example handbook built with `base_url: /handbook/`, served at that
/// path by a plain static server.
pub fn example_site() -> (TempDir, StaticServer) {
    let (tmp, root) = example_handbook(Some("/handbook/"));
    let out = tmp.path().join("public");
    build(&root, &out);
    let server = StaticServer::start(out, "/handbook/");
    (tmp, server)
}
