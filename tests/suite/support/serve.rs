//! `esiin serve` as a child process: started on a free port, its stderr
//! read to the end on a thread of its own (so the server never blocks on a
//! full pipe) and kept, to wait on and to show with a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::SOURCE_DATE_EPOCH;

/// `esiin serve --port 0`, killed on drop.
pub struct Serve {
    child: Mutex<Child>,
    pub url: String,
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// Serves the handbook at `root` (`--root`).
    pub fn start(root: &Path) -> Serve {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_esiin"));
        cmd.args(["serve", "--port", "0", "--root"]).arg(root);
        Serve::spawn(cmd)
    }

    /// Serves the handbook in `cwd` the way the README does: from inside
    /// it, without `--root`.
    pub fn start_in(cwd: &Path) -> Serve {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_esiin"));
        cmd.args(["serve", "--port", "0"]).current_dir(cwd);
        Serve::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Serve {
        let mut child = cmd
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .env_remove("RUST_BACKTRACE")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start esiin serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://") {
                    let url = line[at..].split_whitespace().next().unwrap_or("");
                    let _ = tx.send(url.to_string());
                }
                lines.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("esiin serve prints its URL");
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("a socket address in {url}: {e}"));
        Serve {
            child: Mutex::new(child),
            url,
            addr,
            log,
        }
    }

    /// What the server printed so far, a line per entry.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until a printed line satisfies `pred`; fails the test after
    /// `timeout`.
    pub fn wait_for_line(&self, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            if let Some(line) = self.log().into_iter().find(|l| pred(l)) {
                return line;
            }
            if start.elapsed() > timeout {
                self.unreachable(&format!("no awaited line in {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the search index is built for the served pages
    /// (`serve` builds it after them: `search_pending` in the manifest);
    /// fails the test after `timeout`.
    pub fn wait_for_search_index(&self, timeout: Duration) {
        let start = Instant::now();
        loop {
            let (status, body) = self.get("/__esiin/manifest");
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            let manifest: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            if manifest["search_pending"] == serde_json::Value::Bool(false) {
                return;
            }
            if start.elapsed() > timeout {
                self.unreachable(&format!("no search index in {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Polls `path` until it is served with `text` in its body, and returns
    /// the body; fails the test after 20 s (generous for a loaded CI
    /// machine: a save shows in well under a second).
    pub fn wait_for_text(&self, path: &str, text: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let (status, body) = self.get(path);
            let body = String::from_utf8_lossy(&body).into_owned();
            if status == 200 && body.contains(text) {
                return body;
            }
            if start.elapsed() > Duration::from_secs(20) {
                self.unreachable(&format!("{path} never showed {text:?}"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// A GET over a fresh connection: (status, body).
    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        self.try_get(path)
            .unwrap_or_else(|e| self.unreachable(&format!("GET {path}: {e}")))
    }

    pub fn try_get(&self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(10))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        stream.write_all(request.as_bytes())?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes)?;
        let bad = || std::io::Error::other(format!("a bad response: {bytes:?}"));
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(bad)?;
        let head = String::from_utf8_lossy(&bytes[..end]);
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        Ok((status, bytes[end + 4..].to_vec()))
    }

    /// Fails the test with the server's state and log.
    pub fn unreachable(&self, what: &str) -> ! {
        let status = self
            .child
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .try_wait();
        panic!(
            "{what}\nesiin serve: {status:?} (None: still running); its log:\n{}",
            self.log().join("\n")
        )
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}
