//! Warnings where editors look while `esiin serve` runs: the terminal
//! prints each warning once (all at the start, then the new ones of each
//! rebuild, and a count), and the live-reload socket tells the open pages
//! the served site's warnings (`live.js` shows them in a panel; the browser
//! side is tested in `browser_serve.rs`).

use crate::support;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::Handbook;
use support::serve::Serve;
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};

/// Longest a save may take to show; generous for a loaded CI machine.
const SHOWS_WITHIN: Duration = Duration::from_secs(20);

/// The warning a module's tag that no expert covers gives.
const GAP: &str = "content/training/basics.md:8:8: expertise gap: no listed expert covers `quantum knitting` (1 page names it)";
/// The warning a page past its `review_by` gives.
const STALE: &str = "content/guide/writing.md:6:12: the page was due for review on 2026-01-01; it is shown as out of date";

/// Names a topic no expert covers in a module (line 8, after `level:`).
fn add_gap(hb: &Handbook) {
    hb.edit(
        "content/training/basics.md",
        "level: Beginner\n",
        "level: Beginner\ntags: [quantum knitting]\n",
    );
}

/// How many printed lines contain `text`.
fn count(serve: &Serve, text: &str) -> usize {
    serve.log().iter().filter(|l| l.contains(text)).count()
}

/// Waits until `n` printed lines contain `text`.
fn wait_count(serve: &Serve, text: &str, n: usize) {
    let start = Instant::now();
    while count(serve, text) < n {
        if start.elapsed() > SHOWS_WITHIN {
            serve.unreachable(&format!("{text:?} not printed {n} times"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for a rebuild line (`…: rebuilt in …`) naming `file` and saying
/// `what`, and returns it.
fn rebuilt(serve: &Serve, file: &str, what: &str) -> String {
    serve.wait_for_line(SHOWS_WITHIN, |l| {
        l.contains(file) && l.contains("rebuilt in") && l.contains(what)
    })
}

#[test]
fn the_terminal_prints_each_warning_once_and_counts_them_on_every_rebuild() {
    let hb = Handbook::fixture("basic");
    // A warning from the start: a page past its review date.
    hb.edit(
        "content/guide/writing.md",
        "tags: [writing]\n",
        "tags: [writing]\nreview_by: 2026-01-01\n",
    );
    let serve = Serve::start(&hb.root);
    rebuilt(&serve, "first build", "; 1 warning");
    assert_eq!(count(&serve, STALE), 1, "{}", serve.log().join("\n"));
    // With its hint, like every warning.
    assert!(
        serve
            .log()
            .iter()
            .any(|l| l.contains("= help: review the page with its owner `mari-oksanen`")),
        "{}",
        serve.log().join("\n")
    );

    // A gap added while serving: printed, and counted as new.
    add_gap(&hb);
    rebuilt(&serve, "content/training/basics.md", "; 2 warnings (1 new)");
    assert_eq!(count(&serve, GAP), 1, "{}", serve.log().join("\n"));

    // Another save: neither is printed again, only counted.
    hb.edit(
        "content/guide/writing.md",
        "## Example",
        "A sentence saved while serving.\n\n## Example",
    );
    rebuilt(
        &serve,
        "content/guide/writing.md",
        "; 2 warnings, as before",
    );
    assert_eq!(count(&serve, GAP), 1, "{}", serve.log().join("\n"));
    assert_eq!(count(&serve, STALE), 1, "{}", serve.log().join("\n"));

    // A failed build prints its errors, not the warnings; fixed, the
    // warnings are as before and still not printed again.
    hb.edit("content/guide/writing.md", "title:", "titel:");
    serve.wait_for_line(SHOWS_WITHIN, |l| l.contains("build failed"));
    hb.edit("content/guide/writing.md", "titel:", "title:");
    wait_count(&serve, "; 2 warnings, as before", 2);
    assert_eq!(count(&serve, GAP), 1, "{}", serve.log().join("\n"));
    assert_eq!(count(&serve, STALE), 1, "{}", serve.log().join("\n"));

    // Fixed: said once.
    hb.edit(
        "content/training/basics.md",
        "tags: [quantum knitting]\n",
        "",
    );
    rebuilt(
        &serve,
        "content/training/basics.md",
        "; 1 warning (1 fixed)",
    );
}

type Socket = tungstenite::WebSocket<TcpStream>;

/// The live-reload socket of `serve`, as a page served by it opens it.
fn ws_connect(serve: &Serve) -> Socket {
    let stream = TcpStream::connect_timeout(&serve.addr, SHOWS_WITHIN).expect("connect");
    stream
        .set_read_timeout(Some(SHOWS_WITHIN))
        .expect("a read timeout");
    let mut request = format!("ws://{}/__esiin/ws", serve.addr)
        .into_client_request()
        .expect("request");
    let origin = format!("http://{}", serve.addr);
    request
        .headers_mut()
        .insert("Origin", origin.parse().expect("header"));
    let (socket, response) = tungstenite::client::client(request, stream).expect("handshake");
    assert_eq!(response.status(), 101);
    socket
}

/// Reads events until one of type `kind`; fails after [`SHOWS_WITHIN`].
fn next_of(socket: &mut Socket, kind: &str) -> Value {
    let start = Instant::now();
    while start.elapsed() < SHOWS_WITHIN {
        match socket.read() {
            Ok(Message::Text(text)) => {
                let event: Value = serde_json::from_str(&text).expect("JSON event");
                if event["type"] == kind {
                    return event;
                }
            }
            Ok(_) => continue,
            Err(e) => panic!("no {kind} event: {e}"),
        }
    }
    panic!("no {kind} event in {SHOWS_WITHIN:?}")
}

/// The manifest's count of the served site's warnings.
fn warnings_in_manifest(serve: &Serve) -> Value {
    let (status, body) = serve.get("/__esiin/manifest");
    assert_eq!(status, 200);
    let manifest: Value = serde_json::from_slice(&body).expect("JSON");
    manifest["warnings"].clone()
}

#[test]
fn the_socket_tells_open_pages_the_warnings_of_the_served_site() {
    let hb = Handbook::fixture("basic");
    let serve = Serve::start(&hb.root);
    serve.wait_for_line(SHOWS_WITHIN, |l| l.contains("first build: rebuilt"));
    assert_eq!(warnings_in_manifest(&serve), 0);
    let mut open = ws_connect(&serve);

    add_gap(&hb);
    let event = next_of(&mut open, "warnings");
    let warnings = event["warnings"].as_array().expect("a list");
    assert_eq!(warnings.len(), 1, "{event}");
    let (location, message) = GAP.split_once(": ").expect("a location");
    assert_eq!(warnings[0]["location"], location);
    assert_eq!(warnings[0]["message"], message);
    assert_eq!(
        warnings[0]["hint"],
        "add `quantum knitting` to the `topics` of an expert who knows it; the gaps page lists every gap"
    );
    assert_eq!(warnings[0]["line"], "tags: [quantum knitting]");
    assert_eq!(warnings_in_manifest(&serve), 1);

    // A page opened now (or reloaded) hears them as it connects.
    let mut late = ws_connect(&serve);
    assert_eq!(next_of(&mut late, "warnings"), event);

    // A save that leaves the warnings as they were announces none; one
    // that fixes them announces the empty list.
    hb.edit(
        "content/guide/writing.md",
        "## Example",
        "A sentence saved while serving.\n\n## Example",
    );
    rebuilt(&serve, "content/guide/writing.md", "");
    hb.edit(
        "content/training/basics.md",
        "tags: [quantum knitting]\n",
        "",
    );
    let next = next_of(&mut open, "warnings");
    assert_eq!(next["warnings"], serde_json::json!([]), "{next}");
    assert_eq!(warnings_in_manifest(&serve), 0);
}
