//! The web server of `esiin serve`: the last good site from memory, a
//! live-reload script injected into every page, and a websocket that tells
//! the open pages what changed (or what is broken).
//!
//! ```text
//! GET /a/b/           → a/b/index.html (+ <script src="/__esiin/live.js">)
//! GET /a/b            → 308 /a/b/ when a/b/index.html exists
//! GET /theme.css      → theme.css
//! GET /missing        → the site's 404.html, status 404
//! GET /__esiin/live.js → the client script (live.js, embedded)
//! GET /__esiin/ws     → websocket: `state::Event`s as JSON text
//! GET /__esiin/manifest → JSON: what is served, for tests and tools
//! ```
//!
//! The manifest is a dev-server endpoint for tests and tools (the
//! differential test, benchmarks, editor plugins): `{"generation": n,
//! "errors": n, "warnings": n, "search_pending": bool, "files": {"path":
//! "hash", …}}`, where `generation` counts the publications so far (builds,
//! successful or not, and search indexes, see [`Live::generation`]),
//! `errors` is the number of errors of the last build (0 when it
//! succeeded), `warnings` the number of warnings of the last good one,
//! `search_pending` says that the search index is still being built for
//! the served pages (`serve` builds it after them), and each file of the last good site maps
//! to the xxh3-64 (16 hex digits) of its bytes as built, before the
//! live-reload script is injected: the same bytes `esiin build` writes.
//! Paths with a dotfile segment are left out, as they are never served.
//!
//! Safe by default, because a dev server on a laptop serves drafts:
//! `..` and `.` segments (raw or %-encoded), backslashes and malformed
//! escapes are 400; any segment that starts with `.` is 404; a `Host` that
//! is not allowed is 403 (DNS rebinding), and so is a websocket upgrade
//! from another origin; methods other than GET and HEAD are 405. Every
//! response is `Cache-Control: no-store`, so an editor never sees a stale
//! page, and carries [`security_headers`]: a Content-Security-Policy that
//! lets scripts come only from the site's own files (so a `<script>` or an
//! `onclick=` that slipped into a page's Markdown does not run), no framing
//! (clickjacking), `nosniff`, `Referrer-Policy: same-origin`.
//!
//! Connections that send nothing, or half a request, are closed after
//! [`ServerConfig::idle_timeout`] (hyper's header read timeout, which also
//! runs between the requests of a kept-alive connection), and so are those
//! that stop reading a response for as long ([`StallLimit`]), so that
//! held-open connections cannot pile up until the process runs out of
//! files. A
//! live-reload websocket is long-lived by design: it is pinged every
//! `idle_timeout` and closed only when its client stops answering.
//!
//! Use: [`ServerConfig::for_bind`] (or build a [`ServerConfig`]), [`bind`],
//! print [`Server::addrs`], then [`Server::serve_until`] with
//! `tokio::signal::ctrl_c()`.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::Listener;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio::task::JoinSet;
use xxhash_rust::xxh3::xxh3_64;

use super::stall::StallLimit;
use super::state::{ErrorView, Event, Live};

/// Where pages load the client script from.
const LIVE_JS_PATH: &str = "/__esiin/live.js";
/// The websocket the client script connects to.
const WS_PATH: &str = "/__esiin/ws";
/// What is served: the generation, the error count and every file's hash.
const MANIFEST_PATH: &str = "/__esiin/manifest";
/// What every HTML response gets before its `</body>`.
pub const LIVE_SCRIPT_TAG: &str = r#"<script src="/__esiin/live.js" defer></script>"#;

/// The client script: reconnects, reloads, swaps stylesheets, shows errors.
const LIVE_JS: &str = include_str!("live.js");

/// How long a shutdown waits for requests in flight before it lets go.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// The default [`ServerConfig::idle_timeout`]: long enough for a browser's
/// next request on a kept-alive connection and for any real client to send
/// its headers, short enough that thousands of idle connections are gone
/// in seconds.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// A live-reload socket whose client has sent nothing (not even the pong
/// every browser answers a ping with) for this many pings is closed.
const MISSED_PINGS: u32 = 3;

/// Where to listen and which `Host` names to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Every address to listen on (`127.0.0.1:1111`, `[::1]:1111`). Port 0
    /// picks a free port; later addresses with port 0 get the port the
    /// first one got, so one URL works for all of them.
    pub addrs: Vec<SocketAddr>,
    /// `Host` header values answered (case-insensitive): `localhost:1111`
    /// must match exactly; an entry without a port (`localhost`,
    /// `127.0.0.1`, `[::1]`) matches that name on any port. Empty answers
    /// any host: only for `--bind 0.0.0.0`, where the server is meant to
    /// be reached by names it cannot know.
    pub allowed_hosts: Vec<String>,
    /// How long a connection may wait for a request's headers, the first
    /// one or the next on a kept-alive connection, before it is closed;
    /// also how often live-reload sockets are pinged.
    pub idle_timeout: Duration,
}

impl ServerConfig {
    /// The configuration for `--bind IP --port PORT`:
    /// - a loopback address (the default `127.0.0.1`, or `::1`) listens on
    ///   both `127.0.0.1` and `::1` and answers `localhost`, `127.0.0.1`
    ///   and `[::1]`;
    /// - an unspecified address (`0.0.0.0`, `::`) listens there and answers
    ///   any host (the caller warns that drafts become visible on the
    ///   network);
    /// - any other address listens there and answers that address only.
    ///
    /// Host entries carry no port, so they stay right when the caller
    /// retries with the next port, or asks for port 0.
    pub fn for_bind(ip: IpAddr, port: u16) -> ServerConfig {
        if ip.is_loopback() {
            ServerConfig {
                addrs: vec![
                    SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port),
                    SocketAddr::new(Ipv6Addr::LOCALHOST.into(), port),
                ],
                allowed_hosts: vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()],
                idle_timeout: IDLE_TIMEOUT,
            }
        } else if ip.is_unspecified() {
            ServerConfig {
                addrs: vec![SocketAddr::new(ip, port)],
                allowed_hosts: Vec::new(),
                idle_timeout: IDLE_TIMEOUT,
            }
        } else {
            let host = match ip {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            };
            ServerConfig {
                addrs: vec![SocketAddr::new(ip, port)],
                allowed_hosts: vec![host],
                idle_timeout: IDLE_TIMEOUT,
            }
        }
    }
}

/// The idle timeout asked for by `ESIIN_IDLE_TIMEOUT` (seconds, `2` or
/// `0.5`), [`IDLE_TIMEOUT`] when it is not set; `Err` says what is wrong
/// with a value that is not a number of seconds from 0.1 to a day.
pub fn idle_timeout_from_env() -> Result<Duration, String> {
    let Some(raw) = std::env::var_os("ESIIN_IDLE_TIMEOUT") else {
        return Ok(IDLE_TIMEOUT);
    };
    raw.to_str()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|secs| (0.1..=86_400.0).contains(secs))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!(
                "ESIIN_IDLE_TIMEOUT={} is not a number of seconds from 0.1 to 86400 \
                 (how long an idle connection stays open; unset, it is {})",
                raw.to_string_lossy(),
                IDLE_TIMEOUT.as_secs()
            )
        })
}

/// Bound listeners, ready to serve: [`bind`] it, show [`Server::addrs`],
/// then run [`Server::serve_until`].
pub struct Server {
    listeners: Vec<TcpListener>,
    addrs: Vec<SocketAddr>,
    router: Router,
    app: Arc<App>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addrs", &self.addrs)
            .finish_non_exhaustive()
    }
}

/// Binds every address of `cfg`.
///
/// A port in use is an error of kind [`io::ErrorKind::AddrInUse`] whose
/// message names the address (the caller may print it, or try the next
/// port). When there are several addresses, one the machine does not have
/// (no IPv6 on it, say) is skipped as long as another one binds; in use or
/// permission denied is never skipped.
pub async fn bind(cfg: ServerConfig, live: Arc<Live>) -> io::Result<Server> {
    if cfg.addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no address to listen on",
        ));
    }
    let several = cfg.addrs.len() > 1;
    let mut listeners = Vec::new();
    let mut addrs: Vec<SocketAddr> = Vec::new();
    let mut first_error = None;
    for mut addr in cfg.addrs {
        if addr.port() == 0
            && let Some(bound) = addrs.first()
        {
            addr.set_port(bound.port());
        }
        match TcpListener::bind(addr)
            .await
            .and_then(|l| Ok((l.local_addr()?, l)))
        {
            Ok((local, listener)) => {
                addrs.push(local);
                listeners.push(listener);
            }
            Err(e)
                if several
                    && !matches!(
                        e.kind(),
                        io::ErrorKind::AddrInUse | io::ErrorKind::PermissionDenied
                    ) =>
            {
                first_error.get_or_insert_with(|| listen_error(addr, e));
            }
            Err(e) => return Err(listen_error(addr, e)),
        }
    }
    if listeners.is_empty() {
        return Err(first_error
            .unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "nothing to bind")));
    }
    let app = App::new(live, cfg.allowed_hosts, cfg.idle_timeout);
    Ok(Server {
        listeners,
        addrs,
        router: build_router(app.clone()),
        app,
    })
}

/// The error of a failed bind, naming the address, with the same kind.
fn listen_error(addr: SocketAddr, e: io::Error) -> io::Error {
    let why = match e.kind() {
        io::ErrorKind::AddrInUse => {
            "the port is already in use (another `esiin serve`?); choose another with --port"
                .to_string()
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges); choose another with --port"
                .to_string()
        }
        _ => e.to_string(),
    };
    io::Error::new(e.kind(), format!("cannot listen on {addr}: {why}"))
}

impl Server {
    /// The addresses actually bound (port 0 replaced by the real port), in
    /// the order of [`ServerConfig::addrs`], without skipped ones.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// Serves until `shutdown` resolves (its output is ignored, so
    /// `tokio::signal::ctrl_c()` can be passed as it is), then stops
    /// accepting, closes every live-reload socket with "going away", lets
    /// requests in flight finish for up to a second, and returns `Ok`.
    ///
    /// The future is `Send`: it can be spawned, or awaited in `main` (a
    /// multi-threaded runtime; the websocket tasks are spawned on it).
    pub async fn serve_until(self, shutdown: impl Future + Send) -> io::Result<()> {
        let Server {
            listeners,
            router,
            app,
            ..
        } = self;
        let mut servers = JoinSet::new();
        for listener in listeners {
            servers.spawn(accept_loop(
                listener,
                router.clone(),
                app.closing.subscribe(),
                app.idle,
            ));
        }
        // A server never stops on its own; if one does, that is the result.
        let early = tokio::select! {
            _ = shutdown => None,
            Some(ended) = servers.join_next() => Some(ended),
        };
        app.closing.send_replace(true);
        if let Some(ended) = early {
            return ended.unwrap_or_else(|e| Err(io::Error::other(e)));
        }
        let drain = async { while servers.join_next().await.is_some() {} };
        // Past the grace period, dropping the set aborts the accept loops
        // and, with them, the connections they still hold.
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, drain).await;
        Ok(())
    }
}

/// Accepts connections until `closing`, then waits for the open ones to
/// finish (each is told to close after its request in flight). Errors of
/// `accept` (a connection reset before it was taken, no file descriptor
/// left) are waited out by axum's `Listener`, so the loop never ends on
/// its own.
async fn accept_loop(
    mut listener: TcpListener,
    router: Router,
    mut closing: watch::Receiver<bool>,
    idle: Duration,
) -> io::Result<()> {
    let mut connections = JoinSet::new();
    loop {
        let stream = tokio::select! {
            (stream, _) = Listener::accept(&mut listener) => stream,
            _ = closing.wait_for(|c| *c) => break,
        };
        connections.spawn(serve_connection(
            stream,
            router.clone(),
            closing.clone(),
            idle,
        ));
        // Forget the finished ones, or the set grows with every connection.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// One HTTP/1 connection: closed when its client has not sent a whole
/// request head within `idle` (from the connection's start, or from the
/// end of the previous response), has not read what it asked for in
/// `idle` ([`StallLimit`]), or once `closing` is set and the request in
/// flight is answered. Upgraded to a websocket, it leaves hyper (and the
/// header timeout) and lives in [`forward`].
async fn serve_connection(
    stream: TcpStream,
    router: Router,
    mut closing: watch::Receiver<bool>,
    idle: Duration,
) {
    let service = TowerToHyperService::new(router);
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(idle)
        .serve_connection(TokioIo::new(StallLimit::new(stream, idle)), service)
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = closing.wait_for(|c| *c) => conn.as_mut().graceful_shutdown(),
    }
    let _ = conn.await;
}

/// What every request handler shares.
struct App {
    live: Arc<Live>,
    /// Lowercased [`ServerConfig::allowed_hosts`].
    hosts: Vec<String>,
    /// Set to `true` once on shutdown; websocket tasks watch it.
    closing: watch::Sender<bool>,
    /// [`ServerConfig::idle_timeout`].
    idle: Duration,
}

impl App {
    fn new(live: Arc<Live>, allowed_hosts: Vec<String>, idle: Duration) -> Arc<App> {
        Arc::new(App {
            live,
            hosts: allowed_hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            closing: watch::channel(false).0,
            idle,
        })
    }
}

fn build_router(app: Arc<App>) -> Router {
    Router::new()
        .route(LIVE_JS_PATH, get(live_js))
        .route(WS_PATH, get(live_socket))
        .route(MANIFEST_PATH, get(manifest))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Around every request: refuses unknown hosts, and marks every response
/// with [`security_headers`].
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let response = checked(&app, req, next).await;
    security_headers(response, host.as_deref())
}

/// The request's answer, or 403 when its host is not allowed.
async fn checked(app: &App, req: Request, next: Next) -> Response {
    if !app.hosts.is_empty() {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        // An absolute-form target (`GET http://x/ HTTP/1.1`) names the host too.
        let target = req.uri().authority().map(|a| a.as_str());
        let allowed = host.is_some_and(|h| host_allowed(&app.hosts, h))
            && target.is_none_or(|t| host_allowed(&app.hosts, t));
        if !allowed {
            return forbidden_host(&app.hosts, host);
        }
    }
    next.run(req).await
}

/// Marks a response (all but a websocket's `101`, which has no body) as
/// never to be cached, sniffed, framed or to run scripts from anywhere but
/// the site's own files: see [`content_security_policy`]. On every kind of
/// response, not only pages: an SVG or an HTML file opened on its own is
/// a document too.
fn security_headers(mut response: Response, host: Option<&str>) -> Response {
    if response.status() == StatusCode::SWITCHING_PROTOCOLS {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(host)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// The SHA-256, base64, of the default theme's one inline script (in
/// `templates/base.html`: it applies the reader's colour scheme before the
/// first paint, so it cannot wait for a file), as a CSP source. The test
/// `base_html_holds_the_scheme_script_as_allowed` keeps the two together.
const SCHEME_SCRIPT_HASH: &str = "'sha256-3r6og52KirVxyRWMHtDCXs8kg6nt7WgBdMV+n677S2o='";

/// The Content-Security-Policy of every response. What the built pages
/// need, and no more for scripts:
/// - scripts only from the site's own files (the theme's `search.js`,
///   `nav.js`, `path.js`, `directory.js`, `scheme.js`, `code.js`, Pagefind's
///   `search/pagefind.js` and `/__esiin/live.js`) and the theme's one inline
///   script, the colour scheme's (by its hash, [`SCHEME_SCRIPT_HASH`]); no
///   `on…=` attribute, and any other inline script (one in a page's Markdown)
///   is blocked; `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly
///   search core (it allows no `eval` of text);
/// - inline styles are allowed: the alias redirect page has a `<style>`,
///   Markdown may carry `style=` attributes, and the error overlay of
///   `live.js` styles its shadow root with a `<style>`; none can run code;
/// - images, media and frames from anywhere over http(s), as SPEC.md lets
///   Markdown link `http` and `https` URLs;
/// - connections to the site and to its live-reload socket on the same
///   host (`'self'` covers `ws:` only in newer browsers, so it is named);
/// - never framed (`frame-ancestors`, with `X-Frame-Options` for old
///   browsers), no plugins, `<base>` and forms only to the site.
fn content_security_policy(host: Option<&str>) -> String {
    // The host is named in the policy only when it is a plain `name:port`,
    // so that a `Host` header answered by `--bind 0.0.0.0` cannot add
    // directives of its own.
    let socket = host
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {SCHEME_SCRIPT_HASH}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: http: https:; \
         media-src 'self' http: https:; frame-src 'self' http: https:; \
         font-src 'self'; connect-src 'self'{socket}; object-src 'none'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

fn forbidden_host(hosts: &[String], host: Option<&str>) -> Response {
    let asked = match host {
        Some(h) => format!("\"{}\"", h.chars().take(100).collect::<String>()),
        None => "no Host header".into(),
    };
    let body = format!(
        "403 Forbidden: esiin serve answers only to {} (this request named {asked}).\n\
         Other host names are refused so that no web page can read the handbook, drafts\n\
         included, through a name that points at this machine (DNS rebinding).\n\
         To serve on the network, run `esiin serve --bind 0.0.0.0`.\n",
        hosts.join(", ")
    );
    text(StatusCode::FORBIDDEN, body)
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

/// Whether `host` (a `Host` header or an authority, `name[:port]`) is
/// allowed by `hosts` (lowercased): an entry with a port must match
/// exactly, one without matches the name on any port.
fn host_allowed(hosts: &[String], host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, _) = split_port(&host);
    hosts.iter().any(|allowed| {
        let (allowed_name, allowed_port) = split_port(allowed);
        match allowed_port {
            Some(_) => *allowed == host,
            None => allowed_name == name,
        }
    })
}

/// `localhost:1111` → (`localhost`, `1111`); `[::1]:80` → (`[::1]`, `80`).
fn split_port(host: &str) -> (&str, Option<&str>) {
    let name_end = if host.starts_with('[') {
        host.find(']').map_or(host.len(), |i| i + 1)
    } else {
        host.rfind(':').unwrap_or(host.len())
    };
    let (name, rest) = host.split_at(name_end);
    (name, rest.strip_prefix(':'))
}

/// Whether a websocket `Origin` is the page's own: `http://` (or
/// `https://`, behind a proxy) followed by exactly the request's `Host`,
/// which the guard has already checked. `null` and other sites are not.
fn origin_allowed(origin: &str, host: Option<&str>) -> bool {
    let origin = origin.trim().to_ascii_lowercase();
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    host.is_some_and(|h| h.trim().eq_ignore_ascii_case(authority))
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
        .into_response()
}

/// The manifest (see the module comment). The generation is read before
/// the files, so a tool that sees generation `n` sees the files of build
/// `n` or a later one, never an earlier one.
async fn manifest(State(app): State<Arc<App>>) -> Response {
    let generation = app.live.generation();
    let errors = app.live.errors().len();
    let warnings = app.live.warnings().len();
    let files = app.live.files();
    let search = app.live.search_files();
    let hashes: std::collections::BTreeMap<&str, String> = files
        .iter()
        .chain(search.iter())
        // What is never served is not listed either (see `lookup`).
        .filter(|(path, _)| !path.split('/').any(|s| s.starts_with('.')))
        .map(|(path, bytes)| (path.as_str(), format!("{:016x}", xxh3_64(bytes))))
        .collect();
    let body = serde_json::json!({
        "generation": generation,
        "errors": errors,
        "warnings": warnings,
        "search_pending": app.live.search_pending(),
        "files": hashes,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The websocket: refuses other origins, then forwards every event.
async fn live_socket(State(app): State<Arc<App>>, req: Request) -> Response {
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if !origin.to_str().is_ok_and(|o| origin_allowed(o, host)) {
            return text(
                StatusCode::FORBIDDEN,
                "403 Forbidden: the live-reload socket only accepts pages served by this \
                 esiin serve (the Origin is another site)\n",
            );
        }
    }
    let (mut parts, _) = req.into_parts();
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &app).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    // Subscribed before the handshake answers, so that whatever is
    // published after the client sees it connected reaches it.
    let events = app.live.subscribe();
    let errors = app.live.errors();
    let warnings = app.live.warnings();
    let closing = app.closing.subscribe();
    let live = app.live.clone();
    let idle = app.idle;
    upgrade.on_upgrade(move |socket| {
        let socket = Socket {
            socket,
            idle,
            silent: 0,
        };
        forward(socket, live, events, (errors, warnings), closing)
    })
}

/// A live-reload socket and how long it has been silent.
struct Socket {
    socket: WebSocket,
    /// [`ServerConfig::idle_timeout`]: how often it is pinged, and how long
    /// a send may wait for a client that does not read.
    idle: Duration,
    /// Pings sent since the client last sent anything (a pong included).
    silent: u32,
}

impl Socket {
    /// Sends a frame; `Err` when the client is gone or has not taken it in
    /// [`Socket::idle`] (it stopped reading: its buffers are full).
    async fn send(&mut self, message: Message) -> Result<(), ()> {
        match tokio::time::timeout(self.idle, self.socket.send(message)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }

    /// Pings the client; `Err` once it has left [`MISSED_PINGS`] pings
    /// unanswered: a client that vanished without closing (a laptop put to
    /// sleep, a dropped network) would otherwise hold the socket forever.
    async fn ping(&mut self) -> Result<(), ()> {
        if self.silent >= MISSED_PINGS {
            return Err(());
        }
        self.silent += 1;
        self.send(Message::Ping(Bytes::new())).await
    }
}

async fn forward(
    mut socket: Socket,
    live: Arc<Live>,
    mut events: broadcast::Receiver<Event>,
    (errors, warnings): (Vec<ErrorView>, Vec<ErrorView>),
    mut closing: watch::Receiver<bool>,
) {
    // The state a page opened now must show: the last build's errors and
    // the served site's warnings.
    if !errors.is_empty() && send(&mut socket, &Event::Errors { errors }).await.is_err() {
        return;
    }
    if !warnings.is_empty()
        && send(&mut socket, &Event::Warnings { warnings })
            .await
            .is_err()
    {
        return;
    }
    let first = tokio::time::Instant::now() + socket.idle;
    let mut pings = tokio::time::interval_at(first, socket.idle);
    loop {
        // `None`: a ping is due (sent out here: the select borrows the socket).
        let batch = tokio::select! {
            event = events.recv() => match event {
                Ok(event) => Some(vec![event]),
                // Too slow to keep up: tell it the current state instead.
                Err(broadcast::error::RecvError::Lagged(_)) => Some(resync(&live)),
                Err(broadcast::error::RecvError::Closed) => break,
            },
            message = socket.socket.recv() => match message {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                // Pongs, and pings (answered by the library): it is there.
                Some(Ok(_)) => {
                    socket.silent = 0;
                    continue;
                }
            },
            _ = pings.tick() => None,
            _ = closing.wait_for(|c| *c) => break,
        };
        let Some(batch) = batch else {
            if socket.ping().await.is_err() {
                return;
            }
            continue;
        };
        for event in &batch {
            if send(&mut socket, event).await.is_err() {
                return;
            }
        }
    }
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: 1001,
            reason: "esiin serve stopped".into(),
        })))
        .await;
}

/// What a client that missed events needs: the errors (or their absence),
/// the warnings and a reload of every file, of which it picks its own.
fn resync(live: &Live) -> Vec<Event> {
    let errors = live.errors();
    let warnings = Event::Warnings {
        warnings: live.warnings(),
    };
    let mut paths: Vec<String> = live.files().keys().cloned().collect();
    paths.sort();
    let state = if errors.is_empty() {
        Event::Ok
    } else {
        Event::Errors { errors }
    };
    vec![
        state,
        warnings,
        Event::Reload {
            paths,
            css_only: false,
        },
    ]
}

async fn send(socket: &mut Socket, event: &Event) -> Result<(), ()> {
    let json = serde_json::to_string(event).map_err(|_| ())?;
    socket.send(Message::Text(json.into())).await
}

/// Everything that is not `/__esiin/`: a file of the site.
async fn site_file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: esiin serve only reads (GET, HEAD)\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let head = method == Method::HEAD;
    let files = app.live.files();
    match lookup(&files, uri.path()) {
        Lookup::File(key) => file_response(StatusCode::OK, &key, &files[&key], head),
        Lookup::AddSlash => {
            let location = match uri.query() {
                Some(q) => format!("{}/?{q}", uri.path()),
                None => format!("{}/", uri.path()),
            };
            let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::BadRequest => text(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: the path has a `.` or `..` segment, a backslash, a control \
             character or a malformed %-escape\n",
        ),
        // The search index is kept apart from the pages (it is built
        // after them); its files have exact names.
        Lookup::NotFound if let Some((key, bytes)) = app.live.search_file(uri.path()) => {
            file_response(StatusCode::OK, &key, &bytes, head)
        }
        Lookup::NotFound => match files.get("404.html") {
            Some(page) => file_response(StatusCode::NOT_FOUND, "404.html", page, head),
            None => text(
                StatusCode::NOT_FOUND,
                format!(
                    "404 Not Found: {} (and the site has no 404.html)\n",
                    uri.path()
                ),
            ),
        },
    }
}

fn file_response(status: StatusCode, key: &str, bytes: &Arc<[u8]>, head: bool) -> Response {
    let content_type = content_type(key);
    let body = if is_html(key) {
        Bytes::from(inject_live_script(bytes))
    } else {
        Bytes::from_owner(bytes.clone())
    };
    let length = body.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    /// Serve this key.
    File(String),
    /// `/x` where `x/index.html` exists: redirect to `/x/`.
    AddSlash,
    NotFound,
    /// Traversal, a backslash, a control character, a malformed escape.
    BadRequest,
}

/// Maps a raw (still %-encoded) request path onto the site's keys.
fn lookup(files: &HashMap<String, Arc<[u8]>>, raw_path: &str) -> Lookup {
    let Some(path) = crate::text::percent_decode_strict(raw_path) else {
        return Lookup::BadRequest;
    };
    let Some(rest) = path.strip_prefix('/') else {
        return Lookup::BadRequest;
    };
    if rest.chars().any(|c| c == '\\' || c.is_control()) {
        return Lookup::BadRequest;
    }
    if rest.is_empty() {
        return found(files, "index.html".into());
    }
    let (body, dir) = match rest.strip_suffix('/') {
        Some(body) => (body, true),
        None => (rest, false),
    };
    for segment in body.split('/') {
        match segment {
            "." | ".." => return Lookup::BadRequest,
            // Keys have no empty segments; `//host` must never redirect.
            "" => return Lookup::NotFound,
            s if s.starts_with('.') => return Lookup::NotFound,
            _ => {}
        }
    }
    if dir {
        return found(files, format!("{body}/index.html"));
    }
    if files.contains_key(body) {
        Lookup::File(body.to_string())
    } else if files.contains_key(&format!("{body}/index.html")) {
        Lookup::AddSlash
    } else {
        Lookup::NotFound
    }
}

fn found(files: &HashMap<String, Arc<[u8]>>, key: String) -> Lookup {
    if files.contains_key(&key) {
        Lookup::File(key)
    } else {
        Lookup::NotFound
    }
}

fn extension(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}

fn is_html(key: &str) -> bool {
    matches!(extension(key).as_str(), "html" | "htm")
}

/// The `Content-Type` for a file of the site, by its extension.
fn content_type(key: &str) -> &'static str {
    match extension(key).as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// The page with [`LIVE_SCRIPT_TAG`] before its last `</body>` (any case),
/// or at its end when it has none.
fn inject_live_script(html: &[u8]) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + LIVE_SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(LIVE_SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    /// The inline script of `base.html` whose hash is [`SCHEME_SCRIPT_HASH`]
    /// (`printf %s "$SCRIPT" | openssl dgst -sha256 -binary | base64`).
    const SCHEME_SCRIPT: &str = r#"(function(){try{var c=localStorage.getItem("esiin:color-scheme");if(c!=="light"&&c!=="dark")return;document.documentElement.setAttribute("data-theme",c);var l=document.querySelectorAll("link[data-scheme]");for(var i=0;i<l.length;i++){var s=l[i].getAttribute("data-scheme");if(s==="base")l[i].setAttribute("href",l[i].getAttribute("data-"+c));else l[i].media=s===c?"all":"not all";}}catch(e){}})();"#;

    /// The theme's inline script is the one the policy allows by hash.
    #[test]
    fn base_html_holds_the_scheme_script_as_allowed() {
        let base = include_str!("../../themes/default/templates/base.html");
        assert!(
            base.contains(&format!("<script>{SCHEME_SCRIPT}</script>")),
            "base.html's inline script differs from SCHEME_SCRIPT (and its hash)"
        );
    }

    use super::*;

    fn site(keys: &[&str]) -> HashMap<String, Arc<[u8]>> {
        keys.iter()
            .map(|k| (k.to_string(), Arc::from(&b"x"[..])))
            .collect()
    }

    #[test]
    fn paths_map_onto_keys() {
        let files = site(&[
            "index.html",
            "a/index.html",
            "a/b.css",
            "x y/index.html",
            "ä.txt",
        ]);
        let file = |k: &str| Lookup::File(k.into());
        assert_eq!(lookup(&files, "/"), file("index.html"));
        assert_eq!(lookup(&files, "/a/"), file("a/index.html"));
        assert_eq!(lookup(&files, "/a/index.html"), file("a/index.html"));
        assert_eq!(lookup(&files, "/a/b.css"), file("a/b.css"));
        assert_eq!(lookup(&files, "/x%20y/"), file("x y/index.html"));
        assert_eq!(lookup(&files, "/%C3%A4.txt"), file("ä.txt"));
        assert_eq!(lookup(&files, "/a"), Lookup::AddSlash);
        assert_eq!(lookup(&files, "/x%20y"), Lookup::AddSlash);
        assert_eq!(lookup(&files, "/a/b.css/"), Lookup::NotFound);
        assert_eq!(lookup(&files, "/b/"), Lookup::NotFound);
        assert_eq!(lookup(&files, "/b"), Lookup::NotFound);
        assert_eq!(lookup(&files, "//a/"), Lookup::NotFound);
        assert_eq!(lookup(&files, "/a//"), Lookup::NotFound);
    }

    #[test]
    fn traversal_and_dotfiles_are_refused() {
        let files = site(&[
            "index.html",
            "a/index.html",
            "secret.txt",
            ".env",
            ".git/config",
        ]);
        for bad in [
            "/..",
            "/../secret.txt",
            "/a/../secret.txt",
            "/a/%2e%2e/secret.txt",
            "/a/%2E%2E/secret.txt",
            "/a/.%2e/secret.txt",
            "/a/..%2fsecret.txt",
            "/a/..%2Fsecret.txt",
            "/a/..%5csecret.txt",
            "/a\\..\\secret.txt",
            "/a/./index.html",
            "/a/%00",
            "/a/%zz",
            "/a/%2",
            "/a/%ff",
        ] {
            assert_eq!(lookup(&files, bad), Lookup::BadRequest, "{bad}");
        }
        for hidden in [
            "/.env",
            "/.git/config",
            "/.git/",
            "/%2egit/config",
            "/a/.hidden",
        ] {
            assert_eq!(lookup(&files, hidden), Lookup::NotFound, "{hidden}");
        }
        // Decoded once only: a double-encoded `..` is a (missing) name.
        assert_eq!(lookup(&files, "/a/%252e%252e/secret.txt"), Lookup::NotFound);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let tag = LIVE_SCRIPT_TAG;
        let inject = |s: &str| String::from_utf8(inject_live_script(s.as_bytes())).unwrap();
        assert_eq!(
            inject("<p>x</p></body></html>"),
            format!("<p>x</p>{tag}</body></html>")
        );
        assert_eq!(inject("<p>x</BODY >"), format!("<p>x{tag}</BODY >"));
        assert_eq!(
            inject("<pre></body></pre></body>"),
            format!("<pre></body></pre>{tag}</body>")
        );
        assert_eq!(inject("<p>no end"), format!("<p>no end{tag}"));
        assert_eq!(inject(""), tag);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("A.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("training/x.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("fonts/x.woff2"), "font/woff2");
        assert_eq!(content_type("guidelines.svg"), "image/svg+xml");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert_eq!(content_type("a.b/README"), "application/octet-stream");
    }

    #[test]
    fn hosts_match_by_name_or_exactly() {
        let hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]", "intra.example:8080"]
            .map(String::from)
            .into();
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost",
            "127.0.0.1:9",
            "[::1]:1111",
            "intra.example:8080",
        ] {
            assert!(host_allowed(&hosts, ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "intra.example",
            "intra.example:8081",
            "[::2]:1111",
            "",
        ] {
            assert!(!host_allowed(&hosts, bad), "{bad}");
        }
    }

    #[test]
    fn origins_must_be_the_page_itself() {
        let host = Some("localhost:1111");
        assert!(origin_allowed("http://localhost:1111", host));
        assert!(origin_allowed("http://LocalHost:1111", host));
        assert!(!origin_allowed("http://localhost:1112", host));
        assert!(!origin_allowed("http://evil.example", host));
        assert!(!origin_allowed("null", host));
        assert!(!origin_allowed("file://", host));
        assert!(!origin_allowed("http://localhost:1111", None));
    }

    #[test]
    fn bind_configurations() {
        let local = ServerConfig::for_bind(Ipv4Addr::LOCALHOST.into(), 1111);
        assert_eq!(
            local.addrs,
            [
                "127.0.0.1:1111".parse().unwrap(),
                "[::1]:1111".parse().unwrap()
            ]
        );
        assert_eq!(local.allowed_hosts, ["localhost", "127.0.0.1", "[::1]"]);
        let any = ServerConfig::for_bind(Ipv4Addr::UNSPECIFIED.into(), 1111);
        assert!(any.allowed_hosts.is_empty());
        let lan = ServerConfig::for_bind("192.168.1.5".parse().unwrap(), 80);
        assert_eq!(lan.allowed_hosts, ["192.168.1.5"]);
        let lan6 = ServerConfig::for_bind("fd00::5".parse().unwrap(), 80);
        assert_eq!(lan6.allowed_hosts, ["[fd00::5]"]);
    }

    #[test]
    fn the_server_future_is_send() {
        fn send<T: Send>(_: &T) {}
        let live = Arc::new(Live::default());
        let cfg = ServerConfig::for_bind(Ipv4Addr::LOCALHOST.into(), 0);
        send(&bind(cfg, live));
        let _ = |server: Server| send(&server.serve_until(tokio::signal::ctrl_c()));
    }
}
