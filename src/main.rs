//! The `esiin` command line. Parses arguments, runs the pipeline, and is the
//! one place that prints diagnostics.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand, ValueEnum};
use esiin::diag::Diagnostic;
use esiin::pipeline;
use esiin::report::{self, stale::Review};
use esiin::serve::state::Live;

// Building allocates many small strings and template values on every
// thread; mimalloc's per-thread heaps measured faster than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "esiin",
    version,
    about = "Builds an expertise handbook into a static intranet site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into `public/` (or --output); the previous output stays whole until the new one is complete
    Build {
        /// The handbook folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Validate everything `build` validates, writing nothing
    Check {
        /// The handbook folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check pages marked `draft: true` too
        #[arg(long)]
        drafts: bool,
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also report what is out of date, by owner
        ///
        /// Pages past `review_by`, pages without `owner` (but expert profiles and section pages), plan goals whose latest actual is older than `stale_after_days`, modules without upcoming sessions (but self-study ones). The report is information: the exit status is 0 without errors.
        #[arg(long)]
        stale: bool,
    },
    /// Build into memory, serve at http://127.0.0.1:1111/, rebuild on every save and reload the open pages
    Serve {
        /// The handbook folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; `0.0.0.0` makes the site (drafts too) visible on the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port (default 1111; when it is taken, the next free one)
        #[arg(long)]
        port: Option<u16>,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Leave drafts out, as `build` does (serve shows them by default)
        #[arg(long)]
        no_drafts: bool,
    },
    /// Write a new page with every field of its kind, each commented with what it takes; never overwrites
    #[command(override_usage = "esiin new [KIND] <PATH> [--root DIR]")]
    New {
        /// The kind (page, expert, module, plan, guidelines or path; left out: the folder's kind), then the page's path under `content/`, e.g. `experts/mari-oksanen`
        #[arg(value_name = "KIND PATH", num_args = 1..=2, required = true)]
        args: Vec<String>,
        /// The handbook folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the reference of every front-matter field as Markdown (docs/fields.md is this output)
    Fields {
        /// Only the fields of this kind: page, expert, module, plan, guidelines or path
        kind: Option<String>,
        /// The handbook folder (the fields are the same in every handbook)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a generated handbook of about PAGES pages (for benchmarks)
    #[command(hide = true)]
    Generate {
        /// About how many pages to write
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        /// How many expert profiles (default: one page in twenty)
        #[arg(long)]
        experts: Option<usize>,
        /// Give every expert a photo
        #[arg(long)]
        photos: bool,
        /// Words of prose a plain page: heavy pages (default: today's light ~260; with --code-rate, the heavy preset's 830)
        #[arg(long)]
        words: Option<usize>,
        /// Code blocks a plain page, fractional allowed (default: one page in five; with --words, the heavy preset's 1.08)
        #[arg(long)]
        code_rate: Option<f64>,
        /// The folder to write the handbook into
        dir: PathBuf,
    },
    /// Start a new handbook: one page of every kind, a README for editors, ready to `serve`
    Init {
        /// The folder for the handbook: created if missing, else it must be empty
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The language of the pages and of the site
        #[arg(long, value_enum, default_value_t = Language::En)]
        language: Language,
        /// The handbook's title [default: "Expertise handbook", in Finnish "Osaamiskäsikirja"]
        #[arg(long)]
        title: Option<String>,
    },
}

/// A language of `esiin init`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Language {
    En,
    Fi,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For a terminal: `file:line:col`, the line, a caret and a hint
    Human,
    /// A JSON array of the diagnostics (with `--stale`, an object: `diagnostics` and `stale`, the report)
    Json,
    /// GitHub Actions workflow commands: annotations on a pull request's lines
    Github,
    /// A GitLab Code Quality report (JSON): findings in the merge-request widget
    Gitlab,
}

fn print(diags: &[Diagnostic], format: Format) {
    let mut err = std::io::stderr().lock();
    match format {
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in diags {
                let _ = writeln!(err, "{}\n", d.render(color));
            }
        }
        Format::Json => {
            let list: Vec<_> = diags.iter().map(Diagnostic::to_json).collect();
            println!("{}", serde_json::Value::Array(list));
        }
        // Only `check` takes these, through `print_check` with its root;
        // here the diagnostics' paths would be taken from the current folder.
        Format::Github | Format::Gitlab => {
            print_check(diags, None, false, format, Path::new("."));
        }
    }
}

/// `check`'s output in `format`: the diagnostics, then the review of
/// `--stale` (`stale`) when the handbook got as far as having one;
/// diagnostics of `human` on stderr, the rest (and the human review, which
/// was asked for) on stdout.
fn print_check(
    diags: &[Diagnostic],
    review: Option<&Review>,
    stale: bool,
    format: Format,
    root: &Path,
) {
    match format {
        Format::Human => {
            print(diags, format);
            if let Some(review) = review {
                // A blank line before `check`'s summary.
                println!("{}", review.human());
            }
        }
        Format::Json if stale => {
            let list: Vec<_> = diags.iter().map(Diagnostic::to_json).collect();
            let stale = review.map(Review::to_json);
            println!(
                "{}",
                serde_json::json!({ "diagnostics": list, "stale": stale })
            );
        }
        Format::Json => print(diags, format),
        Format::Github => {
            print!(
                "{}",
                report::github(diags, review, &report::Paths::new(root))
            );
        }
        Format::Gitlab => {
            println!(
                "{}",
                report::gitlab(diags, review, &report::Paths::new(root))
            );
        }
    }
}

/// "1 page", "2 pages": a count with its noun, as a person writes it.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    match warnings {
        0 => plural(errors, "error"),
        _ => format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            timings,
        } => build(root, output, drafts, timings),
        Command::Serve {
            root,
            bind,
            port,
            open,
            no_drafts,
        } => serve(root, bind, port, open, !no_drafts),
        Command::Generate {
            pages,
            experts,
            photos,
            words,
            code_rate,
            dir,
        } => {
            // Either flag asks for heavy pages; the other comes from the preset.
            let heavy = esiin::testgen::Weight::HEAVY;
            let weight = (words.is_some() || code_rate.is_some()).then(|| esiin::testgen::Weight {
                words: words.unwrap_or(heavy.words),
                code_rate: code_rate.unwrap_or(heavy.code_rate),
            });
            generate(&dir, pages, experts, photos, weight)
        }
        Command::Check {
            root,
            drafts,
            format,
            stale,
        } => check(root, drafts, format, stale),
        Command::New { args, root } => new(&root, &args),
        Command::Fields { kind, root: _ } => fields(kind.as_deref()),
        Command::Init {
            dir,
            language,
            title,
        } => init(dir, language, title),
    }
}

/// `esiin build`: the site into `output` (default `ROOT/public`).
fn build(root: PathBuf, output: Option<PathBuf>, drafts: bool, timings: bool) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    // Whether there is an output to leave as it was if the build fails.
    let had_output = output.symlink_metadata().is_ok();
    let start = std::time::Instant::now();
    let opts = pipeline::Options {
        root,
        output: Some(output.clone()),
        drafts,
        base_url: None,
        write_cache: true,
    };
    match pipeline::build(&opts) {
        Ok(report) => {
            print(&report.warnings, Format::Human);
            eprintln!(
                "built {} ({}) into {} in {:.0?}",
                plural(report.pages, "page"),
                plural(report.files, "file"),
                output.display(),
                start.elapsed()
            );
            if timings {
                for (stage, took) in &report.timings {
                    eprintln!("  {stage:<10} {took:>8.1?}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print(&diags, Format::Human);
            if had_output {
                eprintln!(
                    "build failed: {}; the previous output was left as it was",
                    summary(&diags)
                );
            } else {
                eprintln!("build failed: {}", summary(&diags));
            }
            ExitCode::FAILURE
        }
    }
}

/// `esiin check`: everything `build` does, written nowhere; with `stale`
/// also the report of what is out of date. The exit status is the
/// diagnostics': the report is information.
fn check(root: PathBuf, drafts: bool, format: Format, stale: bool) -> ExitCode {
    let opts = pipeline::Options {
        root: root.clone(),
        output: None,
        drafts,
        base_url: None,
        write_cache: false,
    };
    let (result, review) = if stale {
        pipeline::check_stale(&opts)
    } else {
        (pipeline::build(&opts), None)
    };
    // The summary goes to stderr, beside the machine formats' stdout.
    let summary_too = format != Format::Json;
    match result {
        Ok(report) => {
            print_check(&report.warnings, review.as_ref(), stale, format, &root);
            if summary_too {
                eprintln!("checked {}: no errors", plural(report.pages, "page"));
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_check(&diags, review.as_ref(), stale, format, &root);
            if summary_too {
                eprintln!("check failed: {}", summary(&diags));
            }
            ExitCode::FAILURE
        }
    }
}

/// `esiin new [KIND] PATH`: a new page of the kind, every field commented.
fn new(root: &Path, args: &[String]) -> ExitCode {
    // clap gives one or two values: the path is the last.
    let Some((path, kind)) = args.split_last() else {
        return ExitCode::FAILURE;
    };
    match esiin::new::create(root, kind.first().map(String::as_str), path) {
        Ok(created) => {
            let (file, serve) = if root == Path::new(".") {
                (created.file, "esiin serve".to_string())
            } else {
                let shown = format!("esiin serve --root {}", root.display());
                (root.join(created.file), shown)
            };
            eprintln!(
                "wrote {} (a page of kind `{}`)\n  next: fill it in, and run `{serve}` to see it as you edit",
                file.display(),
                created.kind
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print(&diags, Format::Human);
            ExitCode::FAILURE
        }
    }
}

/// `esiin fields [KIND]`: the field reference as Markdown, on stdout.
fn fields(kind: Option<&str>) -> ExitCode {
    match esiin::load::reference::markdown(kind) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            let d = Diagnostic::error(message)
                .hint("write one of the kinds, or leave the kind out to print them all");
            print(&[d], Format::Human);
            ExitCode::FAILURE
        }
    }
}

/// `esiin init`: a new handbook in `dir`, and what to run next.
fn init(dir: PathBuf, language: Language, title: Option<String>) -> ExitCode {
    let opts = esiin::init::Options {
        dir: dir.clone(),
        language: match language {
            Language::En => esiin::init::Language::En,
            Language::Fi => esiin::init::Language::Fi,
        },
        title,
    };
    let written = match esiin::init::init(&opts) {
        Ok(w) => w,
        Err(diags) => {
            print(&diags, Format::Human);
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let into = if dir == Path::new(".") {
        "this folder".to_string()
    } else {
        dir.display().to_string()
    };
    let _ = writeln!(out, "Wrote a new handbook into {into}:");
    for file in &written.files {
        let _ = writeln!(out, "  {file}");
    }
    let mut next = Vec::new();
    if dir != Path::new(".") {
        next.push((format!("cd {}", shell_word(&dir.display().to_string())), ""));
    }
    next.push(("esiin serve".into(), "then open http://127.0.0.1:1111/"));
    next.push((
        format!("esiin new expert {}", written.new_expert),
        "a colleague's profile",
    ));
    let width = next.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let _ = writeln!(out, "\nNext:");
    for (command, note) in next {
        match note {
            "" => writeln!(out, "  {command}"),
            _ => writeln!(out, "  {command:<width$}  # {note}"),
        }
        .ok();
    }
    let _ = writeln!(out, "\nREADME.md says where everything is.");
    ExitCode::SUCCESS
}

/// `word` as one word for a POSIX shell: as it is when it is plain,
/// else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./+,:@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `esiin generate`: a large handbook for benchmarks, `experts` experts
/// (default one page in twenty) with photos if asked for, plain pages of
/// `weight` if given.
fn generate(
    dir: &Path,
    pages: usize,
    experts: Option<usize>,
    photos: bool,
    weight: Option<esiin::testgen::Weight>,
) -> ExitCode {
    let experts = experts.unwrap_or(pages / 20);
    match esiin::testgen::generate_custom(dir, pages, experts, photos, weight) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot write {}: {e}\n  = help: choose a folder you can write to",
                dir.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// A line of the serve log, with the time.
fn log(line: &str) {
    let now = jiff::ZonedDateTime::now();
    eprintln!("[{}] {line}", now.strftime("%H:%M:%S"));
}

/// Prints what a rebuild did: one line, or the errors and one line. The
/// warnings new since the last good build come before the line, which
/// counts them all (`2 warnings, as before`).
fn report_rebuild(
    what: &str,
    outcome: &esiin::serve::Outcome,
    warned: &Mutex<esiin::serve::WarningLog>,
    serving: bool,
) {
    let ms = outcome.took.as_millis();
    if outcome.errors.is_empty() {
        let mut warned = warned.lock().unwrap_or_else(|e| e.into_inner());
        let news = warned.update(&outcome.warnings);
        let new: Vec<Diagnostic> = news.new.iter().map(|d| (*d).clone()).collect();
        print(&new, Format::Human);
        let count = news.summary().map_or(String::new(), |s| format!("; {s}"));
        log(&format!(
            "{what}: rebuilt in {ms} ms, {} file{} changed{count}",
            outcome.changed,
            if outcome.changed == 1 { "" } else { "s" }
        ));
    } else {
        print(&outcome.errors, Format::Human);
        // Before any build succeeded there is no good site to serve.
        let meanwhile = if serving {
            "still serving the last good site"
        } else {
            "the site will be served as soon as the errors are fixed"
        };
        log(&format!(
            "{what}: build failed in {ms} ms ({}); {meanwhile}",
            summary(&outcome.errors)
        ));
    }
}

/// `esiin serve`: builds into memory, rebuilds on every save, and serves
/// the site until Ctrl-C.
fn serve(
    root: PathBuf,
    ip: std::net::IpAddr,
    port: Option<u16>,
    open: bool,
    drafts: bool,
) -> ExitCode {
    // Nothing to watch or serve: said once, rather than a failed build
    // and a server waiting on a folder that will never build.
    if let Err(d) = esiin::load::check_root(&root) {
        print(&[d], Format::Human);
        return ExitCode::FAILURE;
    }
    let idle_timeout = match esiin::serve::http::idle_timeout_from_env() {
        Ok(idle) => idle,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "error: cannot start the server: {e}\n  = help: the system is out of threads or memory: close programs and try again"
            );
            return ExitCode::FAILURE;
        }
    };
    let rebuilds = Rebuilds {
        opts: esiin::serve::Options {
            root: root.clone(),
            drafts,
        },
        live: Arc::new(Live::default()),
        cache: Arc::new(Mutex::new(esiin::pipeline::Cache::reusable())),
        warned: Arc::new(Mutex::new(esiin::serve::WarningLog::default())),
    };
    // Watch before the first build, so that a save made while it runs
    // starts a rebuild right after it.
    let watcher = {
        let rebuilds = rebuilds.clone();
        esiin::serve::watch(&root, move |changes| {
            let what = match changes.paths.as_slice() {
                [] => "the handbook".to_string(),
                [one] => one.display().to_string(),
                many => format!("{} files", many.len()),
            };
            rebuilds.run(&what, &changes);
        })
    };
    let _watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {} for changes: {e}\n  = help: check that the folder exists and is readable; on Linux, raise fs.inotify.max_user_watches",
                root.display()
            );
            return ExitCode::FAILURE;
        }
    };
    rebuilds.run("first build", &esiin::serve::Changes::default());
    let listen = Listen {
        ip,
        port,
        idle_timeout,
        open,
    };
    runtime.block_on(listen.serve(&root, rebuilds.live.clone()))
}

/// What `serve`'s rebuilds share: the first build's and the watcher's.
#[derive(Clone)]
struct Rebuilds {
    opts: esiin::serve::Options,
    live: Arc<Live>,
    /// What each build parsed and rendered, for the next one.
    cache: Arc<Mutex<esiin::pipeline::Cache>>,
    /// The warnings printed so far: each rebuild prints the new ones.
    warned: Arc<Mutex<esiin::serve::WarningLog>>,
}

impl Rebuilds {
    /// Rebuilds into the live site and prints what that did, for `what`
    /// (the changed files, or the first build), after `changes`.
    fn run(&self, what: &str, changes: &esiin::serve::Changes) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let outcome = esiin::serve::rebuild_changed(&self.opts, &self.live, &mut cache, changes);
        // A successful build always has files: none, and none ever did.
        let serving = !self.live.files().is_empty();
        report_rebuild(what, &outcome, &self.warned, serving);
    }
}

/// Where and how `serve` listens.
struct Listen {
    ip: std::net::IpAddr,
    /// `None`: 1111, or the next free port.
    port: Option<u16>,
    idle_timeout: std::time::Duration,
    /// Whether to open the site in a browser.
    open: bool,
}

impl Listen {
    /// Serves `live` (the site of `root`) until Ctrl-C.
    async fn serve(self, root: &Path, live: Arc<Live>) -> ExitCode {
        let (server, port) = match self.bind(live).await {
            Ok(bound) => bound,
            Err(code) => return code,
        };
        let ip = self.ip;
        if ip.is_unspecified() {
            eprintln!(
                "warning: listening on every network interface: anyone who can reach this machine sees the handbook, drafts included\n  = help: pass `--bind 127.0.0.1` to serve this machine only"
            );
        }
        let shown = if ip.is_unspecified() || ip.is_loopback() {
            "127.0.0.1".to_string()
        } else {
            ip.to_string()
        };
        let port = server.addrs().first().map_or(port, |a| a.port());
        let url = format!("http://{shown}:{port}/");
        log(&format!(
            "serving {} at {url} (Ctrl-C to stop)",
            root.display()
        ));
        if self.open {
            let opener = if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            };
            if std::process::Command::new(opener)
                .arg(&url)
                .spawn()
                .is_err()
            {
                eprintln!("warning: could not open a browser\n  = help: open {url} yourself");
            }
        }
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match server.serve_until(stop).await {
            Ok(()) => {
                log("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: the server stopped: {e}\n  = help: start `esiin serve` again");
                ExitCode::FAILURE
            }
        }
    }

    /// A listening server and the port it was bound to: on the port asked for, else on 1111 or the next
    /// free one of the twenty after it (the default port moves on when
    /// taken; a port asked for does not).
    async fn bind(&self, live: Arc<Live>) -> Result<(esiin::serve::http::Server, u16), ExitCode> {
        use esiin::serve::http::{ServerConfig, bind};
        let (mut port, asked) = match self.port {
            Some(p) => (p, true),
            None => (1111, false),
        };
        loop {
            let cfg = ServerConfig {
                idle_timeout: self.idle_timeout,
                ..ServerConfig::for_bind(self.ip, port)
            };
            match bind(cfg, live.clone()).await {
                Ok(server) => return Ok((server, port)),
                Err(e)
                    if e.kind() == std::io::ErrorKind::AddrInUse && !asked && port < 1111 + 20 =>
                {
                    port += 1;
                }
                Err(e) => {
                    let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                        "another program uses the port: stop it, or pass another `--port`"
                    } else {
                        "check the address given to `--bind`"
                    };
                    eprintln!(
                        "error: cannot listen on {} port {port}: {e}\n  = help: {hint}",
                        self.ip
                    );
                    return Err(ExitCode::FAILURE);
                }
            }
        }
    }
}
