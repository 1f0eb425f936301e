//! The `esiin` command line. Parses arguments, runs the pipeline, and is the
//! one place that prints diagnostics.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use esiin::diag::Diagnostic;
use esiin::pipeline;

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
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a generated handbook of about PAGES pages (for benchmarks)
    #[command(hide = true)]
    Generate {
        #[arg(long, default_value_t = 1000)]
        pages: usize,
        /// How many expert profiles (default: one page in twenty)
        #[arg(long)]
        experts: Option<usize>,
        /// Give every expert a photo
        #[arg(long)]
        photos: bool,
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
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
    }
}

fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
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
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
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
                        "built {} pages ({} files) into {} in {:.0?}",
                        report.pages,
                        report.files,
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
                    eprintln!(
                        "build failed: {}; the previous output was left as it was",
                        summary(&diags)
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Generate {
            pages,
            experts,
            photos,
            dir,
        } => match esiin::testgen::generate_experts(
            &dir,
            pages,
            experts.unwrap_or(pages / 20),
            photos,
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", dir.display());
                ExitCode::FAILURE
            }
        },
        Command::Check {
            root,
            drafts,
            format,
        } => {
            let opts = pipeline::Options {
                root,
                output: None,
                drafts,
                base_url: None,
                write_cache: false,
            };
            match pipeline::build(&opts) {
                Ok(report) => {
                    print(&report.warnings, format);
                    if format == Format::Human {
                        eprintln!("checked {} pages: no errors", report.pages);
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print(&diags, format);
                    if format == Format::Human {
                        eprintln!("check failed: {}", summary(&diags));
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}
