//! The web server of `esiin serve` (`src/serve/http.rs`) over real TCP on
//! loopback: files, redirects, the 404 page, content types, the injected
//! live-reload script, the websocket, and every safety rule (traversal,
//! dotfiles, DNS rebinding, origins, a port in use, shutdown). Requests are
//! written by hand so that any `Host` and any raw path can be sent. The
//! last test drives `live.js` in headless Chromium when it is installed.

use crate::support;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use esiin::diag::{Diagnostic, Pos};
use esiin::serve::http::{self, LIVE_SCRIPT_TAG, ServerConfig};
use esiin::serve::state::Live;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};

/// The hash by which the policy allows the theme's one inline script (the
/// colour scheme's, in `base.html`).
const SCHEME_SCRIPT_HASH: &str = "'sha256-3r6og52KirVxyRWMHtDCXs8kg6nt7WgBdMV+n677S2o='";

/// Longest any single step may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(10);

type Files = HashMap<String, Arc<[u8]>>;

fn files(list: &[(&str, &str)]) -> Files {
    list.iter()
        .map(|(path, text)| (path.to_string(), Arc::from(text.as_bytes())))
        .collect()
}

fn page(title: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/theme.css\"></head>\
         <body><h1>{title}</h1></body></html>"
    )
}

fn handbook() -> Files {
    let home = page("Home");
    let experts = page("Experts");
    let mari = page("Mari");
    let missing = page("Not here");
    files(&[
        ("index.html", &home),
        ("experts/index.html", &experts),
        ("experts/mari-oksanen/index.html", &mari),
        ("404.html", &missing),
        ("theme.css", "body { color: #222 }"),
        ("search.js", "console.log(1)"),
        ("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("experts/mari.png", "PNG"),
        ("experts/mari.jpg", "JPG"),
        ("training/sessions.ics", "BEGIN:VCALENDAR"),
        ("search-index.json", "[]"),
        ("sitemap.xml", "<urlset/>"),
        ("robots.txt", "User-agent: *"),
        ("fonts/inter.woff2", "wOF2"),
        ("plan/plan.pdf", "%PDF"),
        ("fragment.html", "<p>no body end"),
        // Never served: dotfiles, even when the site has them.
        (".env", "SECRET=dotenv"),
        (".git/config", "SECRET=git"),
        ("experts/.hidden", "SECRET=hidden"),
        ("secret.txt", "SECRET=top"),
    ])
}

/// A server on its own runtime, on `127.0.0.1:0`.
struct TestServer {
    addr: SocketAddr,
    addrs: Vec<SocketAddr>,
    live: Arc<Live>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: mpsc::Receiver<io::Result<()>>,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    fn start(site: Files, hosts: &[&str]) -> TestServer {
        let addrs = vec!["127.0.0.1:0".parse().expect("addr")];
        TestServer::start_with(site, addrs, hosts)
    }

    fn start_with(site: Files, addrs: Vec<SocketAddr>, hosts: &[&str]) -> TestServer {
        TestServer::start_full(site, addrs, hosts, http::IDLE_TIMEOUT)
    }

    /// A server whose connections time out after `idle`.
    fn start_idle(idle: Duration) -> TestServer {
        let addrs = vec!["127.0.0.1:0".parse().expect("addr")];
        TestServer::start_full(handbook(), addrs, &["127.0.0.1"], idle)
    }

    fn start_full(
        site: Files,
        addrs: Vec<SocketAddr>,
        hosts: &[&str],
        idle_timeout: Duration,
    ) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let live = Arc::new(Live::default());
        live.publish(site);
        let cfg = ServerConfig {
            addrs,
            allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
            idle_timeout,
        };
        let server = runtime
            .block_on(http::bind(cfg, live.clone()))
            .expect("bind a loopback port");
        let addrs = server.addrs().to_vec();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done) = mpsc::channel();
        runtime.spawn(async move {
            let result = server
                .serve_until(async {
                    let _ = stopped.await;
                })
                .await;
            let _ = done_tx.send(result);
        });
        TestServer {
            addr: addrs[0],
            addrs,
            live,
            stop: Some(stop),
            done,
            _runtime: runtime,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.addr.port())
    }

    fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[])
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut text = format!("{method} {path} HTTP/1.1\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            text += &format!("Host: {}\r\n", self.host());
        }
        for (name, value) in headers {
            if !value.is_empty() {
                text += &format!("{name}: {value}\r\n");
            }
        }
        text += "Connection: close\r\n\r\n";
        send_raw(self.addr, &text)
    }

    /// Asks the server to stop and waits for its future to return.
    fn stop(&mut self) -> (io::Result<()>, Duration) {
        let start = Instant::now();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = self
            .done
            .recv_timeout(TIMEOUT)
            .expect("the server stops when asked");
        (result, start.elapsed())
    }
}

/// A response read off the wire.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    stream.set_write_timeout(Some(TIMEOUT)).expect("timeout");
    stream
}

/// Sends `request` as it is and reads until the server closes.
fn send_raw(addr: SocketAddr, request: &str) -> Resp {
    let mut stream = connect(addr);
    stream.write_all(request.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read the response");
    parse(&bytes)
}

/// Sends `request` and reads the head only (for upgrades, which stay open).
fn send_for_head(addr: SocketAddr, request: &str) -> Resp {
    let mut stream = connect(addr);
    stream.write_all(request.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(0) => break,
            Ok(_) => bytes.push(byte[0]),
            Err(e) => panic!("reading the response head: {e}"),
        }
    }
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Resp {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: bytes[end + 4..].to_vec(),
    }
}

type Socket = tungstenite::WebSocket<TcpStream>;

fn ws_connect(server: &TestServer) -> Socket {
    let stream = connect(server.addr);
    let mut request = format!("ws://{}/__esiin/ws", server.host())
        .into_client_request()
        .expect("request");
    let origin = format!("http://{}", server.host());
    request
        .headers_mut()
        .insert("Origin", origin.parse().expect("header"));
    let (socket, response) = tungstenite::client::client(request, stream).expect("handshake");
    assert_eq!(response.status(), 101);
    socket
}

/// The next event, as JSON (fails after [`TIMEOUT`]).
fn next_event(socket: &mut Socket) -> Value {
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => return serde_json::from_str(&text).expect("JSON event"),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(other) => panic!("expected an event, got {other:?}"),
            Err(e) => panic!("no event: {e}"),
        }
    }
}

fn upgrade_request(host: &str, origin: Option<&str>) -> String {
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    format!(
        "GET /__esiin/ws HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{origin}\r\n"
    )
}

#[test]
fn folders_serve_their_index_and_redirect_to_the_slash() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<h1>Home</h1>"));

    let experts = server.get("/experts/");
    assert_eq!(experts.status, 200);
    assert!(experts.text().contains("<h1>Experts</h1>"));
    assert!(
        server
            .get("/experts/index.html")
            .text()
            .contains("<h1>Experts</h1>")
    );
    assert!(
        server
            .get("/experts/mari-oksanen/")
            .text()
            .contains("<h1>Mari</h1>")
    );

    let redirect = server.get("/experts/mari-oksanen");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/experts/mari-oksanen/"));
    let with_query = server.get("/experts?topic=ai");
    assert_eq!(with_query.status, 308);
    assert_eq!(with_query.header("location"), Some("/experts/?topic=ai"));

    // No open redirect through an empty segment.
    let double = server.get("//experts");
    assert_eq!(double.status, 404);
    assert_eq!(double.header("location"), None);
}

#[test]
fn unknown_paths_get_the_sites_404_page_with_status_404() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    let missing = server.get("/experts/nobody/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains("<h1>Not here</h1>"));
    assert!(
        missing.text().contains(LIVE_SCRIPT_TAG),
        "the 404 page reloads too"
    );
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert_eq!(server.get("/theme.css/").status, 404);

    let bare = TestServer::start(files(&[("index.html", "<p>hi")]), &["127.0.0.1"]);
    let missing = bare.get("/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(missing.text().contains("404"));
}

#[test]
fn files_have_their_content_type_and_are_never_cached() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/theme.css", "text/css; charset=utf-8"),
        ("/search.js", "text/javascript; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/experts/mari.png", "image/png"),
        ("/experts/mari.jpg", "image/jpeg"),
        ("/training/sessions.ics", "text/calendar; charset=utf-8"),
        ("/search-index.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/fonts/inter.woff2", "font/woff2"),
        ("/plan/plan.pdf", "application/pdf"),
        ("/__esiin/live.js", "text/javascript; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(expected), "{path}");
        assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            response.header("content-length"),
            Some(response.body.len().to_string().as_str()),
            "{path}"
        );
    }
    assert_eq!(server.get("/theme.css").text(), "body { color: #222 }");
}

#[test]
fn every_html_response_loads_the_live_script() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    let home = server.get("/").text();
    assert!(
        home.ends_with(&format!("<h1>Home</h1>{LIVE_SCRIPT_TAG}</body></html>")),
        "{home}"
    );
    assert_eq!(home.matches(LIVE_SCRIPT_TAG).count(), 1);
    assert_eq!(
        server.get("/fragment.html").text(),
        format!("<p>no body end{LIVE_SCRIPT_TAG}")
    );
    // Nothing else is touched.
    assert!(!server.get("/theme.css").text().contains("__esiin"));
    assert!(!server.get("/logo.svg").text().contains("__esiin"));

    let script = server.get("/__esiin/live.js");
    assert!(script.text().contains("/__esiin/ws"));
    assert!(script.text().contains("attachShadow"));

    // HEAD: the same head, no body.
    let head = server.request("HEAD", "/", &[]);
    let get = server.get("/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
}

#[test]
fn only_get_and_head_are_allowed() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for path in ["/", "/experts/", "/missing", "/__esiin/live.js"] {
            let response = server.request(method, path, &[("Content-Length", "0")]);
            assert_eq!(response.status, 405, "{method} {path}");
        }
        assert_eq!(
            server
                .request(method, "/", &[("Content-Length", "0")])
                .header("allow"),
            Some("GET, HEAD")
        );
    }
}

#[test]
fn no_path_leaves_the_site() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    for path in [
        "/..",
        "/../secret.txt",
        "/experts/../secret.txt",
        "/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/experts/%2e%2e/secret.txt",
        "/experts/.%2e/secret.txt",
        "/experts/%2e./secret.txt",
        "/..%2fsecret.txt",
        "/experts/..%2fsecret.txt",
        "/experts/..%2Fsecret.txt",
        "/experts/..%5csecret.txt",
        "/experts/..%5Csecret.txt",
        "/experts\\..\\secret.txt",
        "/experts/..\\secret.txt",
        "/experts/%252e%252e/secret.txt",
        "/experts/./../secret.txt",
        "/experts/%00",
        "/experts/%zz",
    ] {
        let response = server.get(path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {} {}",
            response.status,
            response.text()
        );
        assert!(!response.text().contains("SECRET"), "{path}");
    }
}

#[test]
fn dotfiles_are_never_served() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    for path in [
        "/.env",
        "/.git/config",
        "/.git/",
        "/.git",
        "/%2egit/config",
        "/%2Eenv",
        "/experts/.hidden",
        "/experts/%2ehidden",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.text().contains("SECRET"), "{path}");
    }
}

#[test]
fn other_host_names_are_refused() {
    let server = TestServer::start(handbook(), &["127.0.0.1", "localhost"]);
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        assert_eq!(
            server.request("GET", "/", &[("Host", &host)]).status,
            200,
            "{host}"
        );
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = server.request("GET", "/", &[("Host", &host)]);
        assert_eq!(response.status, 403, "{host}");
        assert!(
            response.text().contains("DNS rebinding"),
            "{}",
            response.text()
        );
        assert!(!response.text().contains("Home"));
        assert_eq!(response.header("cache-control"), Some("no-store"));
        // Every path, the script and the socket too.
        for path in [
            "/experts/",
            "/__esiin/live.js",
            "/__esiin/ws",
            "/__esiin/manifest",
        ] {
            assert_eq!(server.request("GET", path, &[("Host", &host)]).status, 403);
        }
    }
    // No Host at all (HTTP/1.0).
    let response = send_raw(server.addr, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(response.status, 403);
    // An absolute-form target naming another host.
    let response = send_raw(
        server.addr,
        &format!(
            "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(response.status, 403);
    // A websocket upgrade from a rebound name.
    let response = send_for_head(server.addr, &upgrade_request("evil.example", None));
    assert_eq!(response.status, 403);
}

#[test]
fn an_exact_host_entry_needs_its_port() {
    let probe = StdListener::bind("127.0.0.1:0").expect("bind");
    let port = probe.local_addr().expect("addr").port();
    drop(probe);
    let exact = format!("127.0.0.1:{port}");
    let addrs = vec![SocketAddr::from(([127, 0, 0, 1], port))];
    let server = TestServer::start_with(handbook(), addrs, &[exact.as_str()]);
    assert_eq!(server.request("GET", "/", &[("Host", &exact)]).status, 200);
    let other_port = format!("127.0.0.1:{}", port.wrapping_add(1));
    assert_eq!(
        server.request("GET", "/", &[("Host", &other_port)]).status,
        403
    );
}

#[test]
fn an_empty_host_list_answers_any_host() {
    let server = TestServer::start(handbook(), &[]);
    let response = server.request("GET", "/", &[("Host", "handbook.intra.example:1111")]);
    assert_eq!(response.status, 200);
    // The socket still wants its own page's origin.
    let host = "handbook.intra.example:1111";
    let ok = send_for_head(
        server.addr,
        &upgrade_request(host, Some("http://handbook.intra.example:1111")),
    );
    assert_eq!(ok.status, 101);
    let refused = send_for_head(
        server.addr,
        &upgrade_request(host, Some("http://evil.example")),
    );
    assert_eq!(refused.status, 403);
}

#[test]
fn the_socket_tells_open_pages_what_changed() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    let mut socket = ws_connect(&server);

    let mut site = handbook();
    site.insert(
        "experts/index.html".into(),
        Arc::from(page("Experts 2").as_bytes()),
    );
    server.live.publish(site.clone());
    assert_eq!(
        next_event(&mut socket),
        json!({"type": "reload", "paths": ["experts/index.html"], "css_only": false})
    );
    // The server serves the new site at once.
    assert!(server.get("/experts/").text().contains("Experts 2"));

    site.insert("theme.css".into(), Arc::from(&b"body { color: red }"[..]));
    server.live.publish(site);
    assert_eq!(
        next_event(&mut socket),
        json!({"type": "reload", "paths": ["theme.css"], "css_only": true})
    );
}

#[test]
fn the_manifest_lists_the_served_files_by_hash() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    let manifest = |server: &TestServer| -> Value {
        let response = server.get("/__esiin/manifest");
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.header("cache-control"), Some("no-store"));
        serde_json::from_slice(&response.body).expect("JSON")
    };
    let hash = |text: &str| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()));

    let first = manifest(&server);
    assert_eq!(first["generation"], json!(1));
    assert_eq!(first["errors"], json!(0));
    let listed = first["files"].as_object().expect("files");
    // Every file of the site but the dotfiles, which are never served.
    let site = handbook();
    let mut expected: Vec<&str> = site
        .keys()
        .map(String::as_str)
        .filter(|k| !k.split('/').any(|s| s.starts_with('.')))
        .collect();
    expected.sort();
    assert_eq!(
        listed.keys().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    // The bytes as built: an HTML page's hash is of the page without the
    // injected script, which the served page has.
    assert_eq!(listed["theme.css"], json!(hash("body { color: #222 }")));
    assert_eq!(listed["index.html"], json!(hash(&page("Home"))));
    assert!(server.get("/").text().contains(LIVE_SCRIPT_TAG));

    // A failed build: the generation moves, the errors are counted, the
    // files stay.
    server.live.fail(&[broken()]);
    let failed = manifest(&server);
    assert_eq!(failed["generation"], json!(2));
    assert_eq!(failed["errors"], json!(1));
    assert_eq!(failed["files"], first["files"]);

    // A good build again: the changed file's hash changes, the errors go.
    let mut site = handbook();
    site.insert("index.html".into(), Arc::from(page("Home 2").as_bytes()));
    site.remove("search.js");
    server.live.publish(site);
    let fixed = manifest(&server);
    assert_eq!(fixed["generation"], json!(3));
    assert_eq!(fixed["errors"], json!(0));
    assert_eq!(fixed["files"]["index.html"], json!(hash(&page("Home 2"))));
    assert_eq!(fixed["files"].get("search.js"), None);

    // Guarded like every route.
    let evil = server.request("GET", "/__esiin/manifest", &[("Host", "evil.example")]);
    assert_eq!(evil.status, 403);
    assert!(!evil.text().contains("generation"));
}

fn broken() -> Diagnostic {
    let text = "---\ntitle: Mari\ntopcis: [ai]\n---\n";
    Diagnostic::error("unknown field `topcis`")
        .in_file("content/experts/mari-oksanen.md")
        .at(text, Pos { line: 3, col: 1 })
        .hint("did you mean `topics`?")
}

#[test]
fn the_socket_starts_with_the_errors_of_a_failed_build() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    server.live.fail(&[broken()]);
    let mut socket = ws_connect(&server);
    let expected_errors = json!({"type": "errors", "errors": [{
        "location": "content/experts/mari-oksanen.md:3:1",
        "message": "unknown field `topcis`",
        "hint": "did you mean `topics`?",
        "line": "topcis: [ai]",
    }]});
    assert_eq!(next_event(&mut socket), expected_errors);
    // The last good site is still served.
    assert!(server.get("/experts/").text().contains("<h1>Experts</h1>"));

    // A page opened before the failure hears about it too.
    let mut fixed = handbook();
    fixed.insert(
        "experts/mari-oksanen/index.html".into(),
        Arc::from(page("Mari 2").as_bytes()),
    );
    server.live.publish(fixed);
    assert_eq!(next_event(&mut socket), json!({"type": "ok"}));
    assert_eq!(
        next_event(&mut socket),
        json!({"type": "reload", "paths": ["experts/mari-oksanen/index.html"], "css_only": false})
    );
    server.live.fail(&[broken()]);
    assert_eq!(next_event(&mut socket), expected_errors);
}

#[test]
fn the_socket_refuses_other_origins() {
    let server = TestServer::start(handbook(), &["127.0.0.1", "localhost"]);
    let host = server.host();
    let port = server.addr.port();
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("http://localhost:{}", port.wrapping_add(1)),
        format!("http://127.0.0.1:{port}.evil.example"),
        "null".to_string(),
        "file://".to_string(),
    ] {
        let response = send_for_head(server.addr, &upgrade_request(&host, Some(&origin)));
        assert_eq!(response.status, 403, "{origin}");
    }
    let own = format!("http://{host}");
    assert_eq!(
        send_for_head(server.addr, &upgrade_request(&host, Some(&own))).status,
        101
    );
    // Tools that are not browsers send no Origin.
    assert_eq!(
        send_for_head(server.addr, &upgrade_request(&host, None)).status,
        101
    );
}

fn bind_error(addrs: Vec<SocketAddr>) -> io::Error {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let cfg = ServerConfig {
        addrs,
        allowed_hosts: Vec::new(),
        idle_timeout: http::IDLE_TIMEOUT,
    };
    runtime
        .block_on(http::bind(cfg, Arc::new(Live::default())))
        .expect_err("bind fails")
}

#[test]
fn a_port_in_use_is_an_addr_in_use_error_naming_it() {
    let taken = StdListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let e = bind_error(vec![addr]);
    assert_eq!(e.kind(), io::ErrorKind::AddrInUse);
    assert!(e.to_string().contains(&addr.to_string()), "{e}");
    assert!(e.to_string().contains("--port"), "{e}");
    // Not skipped when another address binds.
    let e = bind_error(vec!["127.0.0.1:0".parse().expect("addr"), addr]);
    assert_eq!(e.kind(), io::ErrorKind::AddrInUse);
}

#[test]
fn a_missing_address_is_skipped_when_another_binds() {
    // 192.0.2.1 (TEST-NET-1) is on no machine's interfaces.
    let absent: SocketAddr = "192.0.2.1:0".parse().expect("addr");
    let e = bind_error(vec![absent]);
    assert_eq!(e.kind(), io::ErrorKind::AddrNotAvailable, "{e}");
    let server = TestServer::start_with(
        handbook(),
        vec!["127.0.0.1:0".parse().expect("addr"), absent],
        &["127.0.0.1"],
    );
    assert_eq!(server.addrs.len(), 1);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn port_zero_gives_every_address_the_same_port() {
    let server = TestServer::start_with(
        handbook(),
        vec![
            "127.0.0.1:0".parse().expect("v4"),
            "[::1]:0".parse().expect("v6"),
        ],
        &["127.0.0.1", "[::1]"],
    );
    assert_ne!(server.addr.port(), 0);
    for addr in &server.addrs {
        assert_eq!(addr.port(), server.addr.port());
        let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        assert_eq!(send_raw(*addr, &request).status, 200, "{addr}");
    }
    if server.addrs.len() == 1 {
        eprintln!("note: no IPv6 loopback here; [::1] was skipped");
    }
}

#[test]
fn shutdown_returns_and_closes_the_live_sockets() {
    let mut server = TestServer::start(handbook(), &["127.0.0.1"]);
    let mut socket = ws_connect(&server);
    // A browser's idle keep-alive connection does not hold the shutdown up.
    let mut idle = connect(server.addr);
    idle.write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.host()).as_bytes())
        .expect("send");
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).expect("a response");

    let (result, took) = server.stop();
    result.expect("the server ends without an error");
    assert!(
        took < Duration::from_millis(900),
        "idle connections close at once: {took:?}"
    );
    match socket.read() {
        Ok(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), 1001),
        other => panic!("expected a close frame, got {other:?}"),
    }
    let refused = TcpStream::connect_timeout(&server.addr, TIMEOUT);
    assert!(refused.is_err(), "nothing listens any more");
}

#[test]
fn a_stalled_request_cannot_hold_up_the_shutdown() {
    let mut server = TestServer::start(handbook(), &["127.0.0.1"]);
    let mut stalled = connect(server.addr);
    stalled
        .write_all(b"GET / HTTP/1.1\r\nHost: ")
        .expect("send");
    std::thread::sleep(Duration::from_millis(50));
    let (result, took) = server.stop();
    result.expect("the server ends without an error");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

// ---- live.js in a real browser ----

async fn eval(c: &fantoccini::Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("run a script")
}

/// Polls `script` (which returns a boolean) until it is true.
async fn wait_until(c: &fantoccini::Client, script: &str, what: &str) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if eval(c, script).await == json!(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

const OVERLAY_SHOWN: &str = "return !!document.querySelector('esiin-error-overlay')\
     ?.shadowRoot?.querySelector('[role=alert]')";

const OVERLAY_TEXT: &str = "const o = document.querySelector('esiin-error-overlay'); \
     const p = o && o.shadowRoot && o.shadowRoot.querySelector('[role=alert]'); \
     return p ? p.textContent : null;";

fn long_page(title: &str) -> String {
    let filler = "<p>Lorem ipsum dolor sit amet.</p>".repeat(300);
    format!(
        "<!doctype html><html><head><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/theme.css\"></head>\
         <body><h1>{title}</h1>{filler}</body></html>"
    )
}

// Long, and one test rather than several: each step starts from the page
// the previous one left (`window.__kept` proves that no reload happened in
// between), and each browser session costs seconds to start.
#[test]
fn live_js_reloads_swaps_stylesheets_and_shows_errors_in_a_browser() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let Some(browser) = runtime.block_on(support::browser::Browser::start()) else {
        return;
    };
    let mut site = handbook();
    site.insert(
        "experts/index.html".into(),
        Arc::from(long_page("Experts").as_bytes()),
    );
    let mut server = TestServer::start(site.clone(), &["127.0.0.1", "localhost"]);
    let url = format!("http://{}/experts/", server.host());

    runtime.block_on(async {
        let c = &browser.client;
        c.goto(&url).await.expect("open the page");
        wait_until(c, "return document.readyState === 'complete'", "the page").await;
        // Set on this document only: gone after a reload.
        eval(c, "window.__kept = 1; return true;").await;
        // A stylesheet changes: swapped in place, no reload, no second copy.
        // (Published again, as a new version, until the page sees it: the
        // page's socket may not be open yet.)
        let deadline = Instant::now() + TIMEOUT;
        for n in 0.. {
            let css = format!("body {{ color: rgb(1, 2, 3) }} /* {n} */");
            site.insert("theme.css".into(), Arc::from(css.as_bytes()));
            server.live.publish(site.clone());
            tokio::time::sleep(Duration::from_millis(50)).await;
            let color = eval(c, "return getComputedStyle(document.body).color").await;
            if color == json!("rgb(1, 2, 3)") {
                break;
            }
            assert!(Instant::now() < deadline, "the stylesheet was not swapped");
        }
        wait_until(
            c,
            "return document.querySelectorAll('link[rel=stylesheet]').length === 1 \
             && document.querySelector('link[rel=stylesheet]').href.includes('?v=')",
            "the old stylesheet to go",
        )
        .await;
        assert_eq!(
            eval(c, "return window.__kept").await,
            json!(1),
            "no reload for CSS"
        );

        // Another page changes, then the stylesheet: once the stylesheet is
        // swapped, the earlier event has been handled, without a reload.
        site.insert(
            "experts/mari-oksanen/index.html".into(),
            Arc::from(page("Mari 2").as_bytes()),
        );
        server.live.publish(site.clone());
        site.insert(
            "theme.css".into(),
            Arc::from(&b"body { color: rgb(4, 5, 6) }"[..]),
        );
        server.live.publish(site.clone());
        wait_until(
            c,
            "return getComputedStyle(document.body).color === 'rgb(4, 5, 6)'",
            "the second swap",
        )
        .await;
        assert_eq!(
            eval(c, "return window.__kept").await,
            json!(1),
            "not this page: no reload"
        );

        // A failed build: the overlay, over the page, with file:line:col.
        server.live.fail(&[broken()]);
        wait_until(c, OVERLAY_SHOWN, "the overlay").await;
        let text = eval(c, OVERLAY_TEXT).await;
        let text = text.as_str().expect("overlay text");
        for part in [
            "content/experts/mari-oksanen.md:3:1",
            "unknown field `topcis`",
            "topcis: [ai]",
            "did you mean `topics`?",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let placed = eval(
            c,
            "const o = document.querySelector('esiin-error-overlay'); \
             const s = getComputedStyle(o); \
             return [s.position, s.zIndex, \
               getComputedStyle(o.shadowRoot.querySelector('.location')).fontFamily];",
        )
        .await;
        assert_eq!(placed[0], json!("fixed"));
        assert_eq!(placed[1], json!("2147483647"));
        assert!(
            placed[2].as_str().unwrap_or("").contains("monospace"),
            "{placed}"
        );
        assert_eq!(
            eval(c, "return window.__kept").await,
            json!(1),
            "errors do not reload"
        );

        // Fixed without touching this page: the overlay goes, the page stays.
        server.live.publish(site.clone());
        wait_until(
            c,
            "return document.querySelector('esiin-error-overlay') === null",
            "the overlay to go",
        )
        .await;
        assert_eq!(eval(c, "return window.__kept").await, json!(1));

        // This page changes: it reloads, at the same scroll position.
        // (The browser's own restoration off, to see the script's.)
        eval(
            c,
            "history.scrollRestoration = 'manual'; window.scrollTo(0, 1500); return true;",
        )
        .await;
        site.insert(
            "experts/index.html".into(),
            Arc::from(long_page("Experts 2").as_bytes()),
        );
        server.live.publish(site.clone());
        wait_until(
            c,
            "return document.querySelector('h1') && \
             document.querySelector('h1').textContent === 'Experts 2' \
             && document.readyState === 'complete'",
            "the reload",
        )
        .await;
        assert_eq!(
            eval(c, "return window.__kept === undefined").await,
            json!(true)
        );
        wait_until(
            c,
            "return Math.abs(window.scrollY - 1500) < 2",
            "the scroll position",
        )
        .await;

        // A page opened while the build is broken shows the errors at once.
        server.live.fail(&[broken()]);
        c.goto(&format!("http://{}/", server.host()))
            .await
            .expect("open home");
        wait_until(
            c,
            "return document.querySelector('esiin-error-overlay') !== null",
            "the overlay on a new page",
        )
        .await;
        server.live.publish(site.clone());
        wait_until(
            c,
            "return document.querySelector('esiin-error-overlay') === null",
            "the overlay to go",
        )
        .await;
    });

    // The server restarts on the same port: the page reconnects and reloads.
    let addr = server.addr;
    runtime.block_on(eval(&browser.client, "window.__kept = 2; return true;"));
    let _ = server.stop();
    drop(server);
    site.insert("index.html".into(), Arc::from(page("Home 2").as_bytes()));
    let restarted = TestServer::start_with(site, vec![addr], &["127.0.0.1", "localhost"]);
    runtime.block_on(async {
        let c = &browser.client;
        wait_until(
            c,
            "return window.__kept === undefined && document.querySelector('h1') \
             && document.querySelector('h1').textContent === 'Home 2'",
            "the reload after the restart",
        )
        .await;
        browser.close().await;
    });
    drop(restarted);
}

/// Asserts every security header of `response`, asked for with `host`.
fn assert_secure(response: &Resp, host: &str, what: &str) {
    let csp = response
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    let directive = |name: &str| {
        let found: Vec<&str> = csp
            .split(';')
            .map(str::trim)
            .filter(|d| d.split(' ').next() == Some(name))
            .collect();
        assert_eq!(found.len(), 1, "{what}: one {name} in {csp}");
        found[0].to_string()
    };
    assert_eq!(
        directive("frame-ancestors"),
        "frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(
        directive("script-src"),
        format!("script-src 'self' 'wasm-unsafe-eval' {SCHEME_SCRIPT_HASH}"),
        "{what}: scripts only from the site's files"
    );
    assert_eq!(directive("default-src"), "default-src 'self'", "{what}");
    assert_eq!(directive("object-src"), "object-src 'none'", "{what}");
    assert_eq!(directive("base-uri"), "base-uri 'self'", "{what}");
    let connect = directive("connect-src");
    assert!(
        connect.contains(&format!("ws://{host}")),
        "{what}: the live-reload socket in {connect}"
    );
    assert_eq!(response.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        response.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        response.header("referrer-policy"),
        Some("same-origin"),
        "{what}"
    );
    assert_eq!(response.header("cache-control"), Some("no-store"), "{what}");
}

#[test]
fn every_kind_of_response_has_the_security_headers() {
    let server = TestServer::start(handbook(), &["127.0.0.1"]);
    let host = server.host();
    for (method, path, status) in [
        ("GET", "/", 200),
        ("GET", "/experts/mari-oksanen/", 200),
        ("HEAD", "/", 200),
        ("GET", "/theme.css", 200),
        ("GET", "/search.js", 200),
        ("GET", "/logo.svg", 200),
        ("GET", "/experts/mari.png", 200),
        ("GET", "/__esiin/live.js", 200),
        ("GET", "/__esiin/manifest", 200),
        ("GET", "/missing/", 404),
        ("GET", "/experts", 308),
        ("GET", "/a/%zz", 400),
        ("POST", "/", 405),
        ("GET", "/__esiin/ws", 400),
    ] {
        let response = server.request(method, path, &[]);
        assert_eq!(response.status, status, "{method} {path}");
        assert_secure(&response, &host, &format!("{method} {path}"));
    }
    // Refused hosts too (their page names the host it asked for).
    let refused = server.request("GET", "/", &[("Host", "evil.example:1111")]);
    assert_eq!(refused.status, 403);
    assert_secure(&refused, "evil.example:1111", "a refused host");
    // The site without a 404 page: the plain-text 404.
    let bare = TestServer::start(files(&[("index.html", "<p>x</p>")]), &["127.0.0.1"]);
    let missing = bare.get("/nope");
    assert_eq!(missing.status, 404);
    assert_secure(&missing, &bare.host(), "a plain 404");
}

#[test]
fn a_hostile_host_cannot_write_the_policy() {
    // Any host is answered with `--bind 0.0.0.0`: the policy must not take
    // directives from it.
    let server = TestServer::start(handbook(), &[]);
    for host in [
        "x; script-src *",
        "x script-src 'unsafe-inline'",
        "x,y",
        "x'",
    ] {
        let response = server.request("GET", "/", &[("Host", host)]);
        assert_eq!(response.status, 200, "{host}");
        let csp = response.header("content-security-policy").expect("a CSP");
        // The theme's inline script is allowed by its hash, which has an `x`.
        let csp = csp.replace(SCHEME_SCRIPT_HASH, "");
        assert!(!csp.contains("x"), "{host}: {csp}");
        assert_eq!(csp.matches("script-src").count(), 1, "{host}: {csp}");
        assert!(!csp.contains('*'), "{host}: {csp}");
    }
}

/// Reads from `stream` until the server closes it; how long that took.
/// Fails if it is still open after `limit`.
fn time_to_close(mut stream: TcpStream, limit: Duration) -> Duration {
    let start = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return start.elapsed(),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return start.elapsed(),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading: {e}"),
        }
        assert!(
            start.elapsed() < limit,
            "the connection is still open after {limit:?}"
        );
    }
}

const IDLE: Duration = Duration::from_secs(1);

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let server = TestServer::start_idle(IDLE);
    let took = time_to_close(connect(server.addr), Duration::from_secs(10));
    assert!(
        took >= IDLE - Duration::from_millis(100),
        "closed early: {took:?}"
    );
    // The server goes on answering.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn half_a_request_is_closed_and_so_is_a_trickle() {
    let server = TestServer::start_idle(IDLE);
    let mut half = connect(server.addr);
    half.write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.host()).as_bytes())
        .expect("send");
    time_to_close(half, Duration::from_secs(10));

    // A header byte every 200 ms: the timeout is for the whole head.
    let mut trickle = connect(server.addr);
    trickle
        .set_read_timeout(Some(Duration::from_millis(10)))
        .expect("timeout");
    let start = Instant::now();
    let mut sent = 0;
    let mut byte = [0u8; 1];
    let closed = loop {
        let header = format!("GET / HTTP/1.1\r\nX-Slow: {}", "a".repeat(200));
        if trickle
            .write_all(&header.as_bytes()[sent % header.len()..][..1])
            .is_err()
        {
            break start.elapsed();
        }
        sent += 1;
        match trickle.read(&mut byte) {
            Ok(0) => break start.elapsed(),
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => break start.elapsed(),
            _ => {}
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "a trickle kept it open"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(closed < Duration::from_secs(5), "{closed:?}");
}

#[test]
fn a_kept_alive_connection_serves_requests_then_closes_when_idle() {
    let server = TestServer::start_idle(IDLE);
    let mut stream = connect(server.addr);
    let request = format!("GET /theme.css HTTP/1.1\r\nHost: {}\r\n\r\n", server.host());
    let expected = "body { color: #222 }";
    for _ in 0..3 {
        stream.write_all(request.as_bytes()).expect("send");
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !String::from_utf8_lossy(&got).ends_with(expected) {
            let n = stream.read(&mut buf).expect("a response");
            assert!(n > 0, "closed while a request was answered");
            got.extend_from_slice(&buf[..n]);
        }
        std::thread::sleep(IDLE / 2);
    }
    let took = time_to_close(stream, Duration::from_secs(10));
    assert!(took >= IDLE / 3, "closed early: {took:?}");
}

#[test]
fn the_live_socket_outlives_the_idle_timeout_and_still_reloads() {
    let server = TestServer::start_idle(Duration::from_millis(300));
    let mut socket = ws_connect(&server);
    socket
        .get_mut()
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    // Reading answers the server's pings, as a browser does.
    let start = Instant::now();
    let mut pings = 0;
    while start.elapsed() < Duration::from_secs(3) {
        match socket.read() {
            Ok(Message::Ping(_)) => pings += 1,
            Ok(other) => panic!("unexpected {other:?}"),
            Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("the socket closed after {:?}: {e}", start.elapsed()),
        }
    }
    assert!(pings >= 5, "{pings} pings");
    socket
        .get_mut()
        .set_read_timeout(Some(TIMEOUT))
        .expect("timeout");
    let mut site = handbook();
    site.insert("theme.css".into(), Arc::from(&b"body { color: red }"[..]));
    server.live.publish(site);
    let event = next_event(&mut socket);
    assert_eq!(event["type"], "reload", "{event}");
}

#[test]
fn a_live_socket_whose_client_stopped_answering_is_closed() {
    let server = TestServer::start_idle(Duration::from_millis(300));
    // The handshake by hand, then never a pong.
    let mut stream = connect(server.addr);
    let request = upgrade_request(&server.host(), Some(&format!("http://{}", server.host())));
    stream.write_all(request.as_bytes()).expect("send");
    let took = time_to_close(stream, Duration::from_secs(10));
    assert!(took > Duration::from_millis(600), "closed early: {took:?}");
}

#[test]
fn the_binary_closes_a_silent_connection_within_its_default_timeout() {
    let hb = crate::support::Handbook::fixture("basic");
    let serve = crate::support::serve::Serve::start(&hb.root);
    let took = time_to_close(connect(serve.addr), Duration::from_secs(15));
    assert!(took >= Duration::from_secs(9), "{took:?}");
    assert_eq!(serve.get("/").0, 200);
}

#[test]
fn a_bad_idle_timeout_is_refused_before_serving() {
    let hb = crate::support::Handbook::fixture("basic");
    for bad in ["soon", "0", "-1", "1e9"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_esiin"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&hb.root)
            .env("ESIIN_IDLE_TIMEOUT", bad)
            .output()
            .expect("run esiin");
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "ESIIN_IDLE_TIMEOUT={bad} is not a number of seconds"
            )),
            "{bad}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_client_that_stops_reading_a_response_is_cut_off() {
    // More than the kernel buffers on both ends hold.
    const SIZE: usize = 32 << 20;
    let mut site = handbook();
    site.insert("big.bin".into(), Arc::from(vec![b'x'; SIZE]));
    let addrs = vec!["127.0.0.1:0".parse().expect("addr")];
    let server = TestServer::start_full(site, addrs, &["127.0.0.1"], IDLE);
    let mut stream = connect(server.addr);
    let request = format!("GET /big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", server.host());
    stream.write_all(request.as_bytes()).expect("send");
    // Reads nothing for three times the timeout, then all there is.
    std::thread::sleep(IDLE * 3);
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server did not close the connection: {e}"),
    }
    assert!(
        got.len() < SIZE,
        "the whole file was kept waiting for the client"
    );
    // A client that reads gets it all.
    let whole = server.get("/big.bin");
    assert_eq!(whole.body.len(), SIZE);
}
