//! `lipa import`, `lipa export` and `lipa demo`: files in and out of the store, through the
//! readers and writers of `lipa-io`, always with a preview and an all-or-nothing write.

use crate::database::Database;
use crate::exit::{self, Reported};
use crate::output::Out;
use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use lipa_app::import::{Format, ReadOptions};
use lipa_app::{Access, App};
use lipa_core::ids::{DistrictCode, Year};
use lipa_io::preview::{Change, Preview};
use lipa_io::{ImportErrors, Registry, registry};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InFormat {
    /// From the file name and content.
    Auto,
    /// A plain-text table like the one in the programme's reports.
    Table,
    Csv,
    Xlsx,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Json,
    Csv,
    Xlsx,
    Geojson,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The file to import.
    file: PathBuf,
    #[arg(long, value_enum, default_value = "auto")]
    format: InFormat,
    /// Show what would change, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Year of a text table's services, when its title does not say.
    #[arg(long)]
    year: Option<i32>,
    /// District code (e.g. KNL) of a text table, when its title does not say.
    #[arg(long)]
    district: Option<String>,
    /// Write every change of the preview to this file (the screen shows the first ones).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    format: OutFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn spinner(msg: String) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(msg);
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

fn report_errors(out: &Out, errors: &ImportErrors) -> anyhow::Error {
    out.error(
        "cli-import-invalid",
        &[("count", &errors.0.len().to_string())],
    );
    for m in errors.messages(out.lang) {
        out.line(&format!("  {m}"));
    }
    out.say("cli-nothing-written", &[]);
    Reported(exit::DATA_ERR).into()
}

impl From<InFormat> for Format {
    fn from(f: InFormat) -> Self {
        match f {
            InFormat::Auto => Format::Auto,
            InFormat::Table => Format::Table,
            InFormat::Csv => Format::Csv,
            InFormat::Xlsx => Format::Xlsx,
            InFormat::Json => Format::Json,
        }
    }
}

/// Parses a file into records (the application's reader, as the import page uses it); on bad
/// input, reports every problem and fails with exit 65.
fn parse(
    args: &ImportArgs,
    bytes: &[u8],
    categories: &[lipa_core::taxonomy::Category],
    out: &Out,
) -> anyhow::Result<Registry> {
    let year = args.year.map(Year::new).transpose().map_err(|v| {
        out.error(
            "cli-bad-option",
            &[("option", "--year"), ("reason", &v.message(out.lang))],
        );
        Reported(2)
    })?;
    let district = args
        .district
        .as_deref()
        .map(DistrictCode::parse)
        .transpose()
        .map_err(|v| {
            out.error(
                "cli-bad-option",
                &[("option", "--district"), ("reason", &v.message(out.lang))],
            );
            Reported(2)
        })?;
    let opts = ReadOptions {
        format: args.format.into(),
        year,
        district,
    };
    let filename = args.file.display().to_string();
    let parsed = lipa_app::import::parse(&filename, bytes, &opts, categories)
        .map_err(|errors| report_errors(out, &errors))?;
    // Which encoding and separator were read, so that a wrong guess shows before the write.
    if let Some(reading) = &parsed.reading {
        out.line(&reading.describe(out.lang));
    }
    if let Some(table) = &parsed.table {
        out.say(
            "cli-table-found",
            &[("skipped", &table.skipped_lines.to_string())],
        );
        if let Some(title) = &table.title {
            out.say("cli-table-title", &[("title", title)]);
        }
    }
    Ok(parsed.registry)
}

/// Change lines the preview prints; `--report FILE` writes them all.
const PREVIEW_LINES: usize = 20;

/// The preview's totals and its first [`PREVIEW_LINES`] changes; every change into `report`
/// when given (a million-record import would print a million lines).
fn print_preview(out: &Out, p: &Preview, report: Option<&Path>) -> anyhow::Result<()> {
    let c = p.counts();
    out.say(
        "cli-preview-libraries",
        &[
            ("new", &c.libraries_new.to_string()),
            ("changed", &c.libraries_changed.to_string()),
            ("same", &c.libraries_unchanged.to_string()),
        ],
    );
    out.say(
        "cli-preview-services",
        &[
            ("new", &c.services_new.to_string()),
            ("changed", &c.services_changed.to_string()),
            ("same", &c.services_unchanged.to_string()),
        ],
    );
    if !p.changes.new_activities.is_empty() {
        out.say(
            "cli-preview-activities",
            &[("count", &p.changes.new_activities.len().to_string())],
        );
    }
    let libraries = p.libraries.iter().filter_map(|l| match &l.change {
        Change::New => Some(format!("  + {} {}", l.id, l.name)),
        Change::Changed(fields) => Some(format!("  ~ {} {} ({})", l.id, l.name, fields.join(", "))),
        Change::Unchanged => None,
    });
    let services = p.services.iter().filter_map(|s| match &s.change {
        Change::New => Some(format!("  + {} · {}", s.library, s.name)),
        Change::Changed(fields) => Some(format!(
            "  ~ {} · {} ({})",
            s.library,
            s.name,
            fields.join(", ")
        )),
        Change::Unchanged => None,
    });
    let mut file = match report {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| path.display().to_string())?,
        )),
        None => None,
    };
    let mut shown = 0usize;
    let mut more = 0usize;
    for line in libraries.chain(services) {
        if shown < PREVIEW_LINES {
            out.line(&line);
            shown += 1;
        } else {
            more += 1;
        }
        if let Some(f) = file.as_mut() {
            writeln!(f, "{line}")?;
        }
    }
    if let Some(mut f) = file {
        f.flush()?;
    }
    if more > 0 {
        match report {
            Some(path) => out.say(
                "cli-preview-more-in-report",
                &[
                    ("count", &more.to_string()),
                    ("file", &path.display().to_string()),
                ],
            ),
            None => out.say("cli-preview-more", &[("count", &more.to_string())]),
        }
    }
    Ok(())
}

async fn open(db: &Database) -> anyhow::Result<App> {
    db.open().await
}

pub async fn import(db: &Database, args: &ImportArgs, out: &Out) -> anyhow::Result<ExitCode> {
    if let Ok(meta) = std::fs::metadata(&args.file) {
        lipa_io::limits::check_len(meta.len()).map_err(|e| report_errors(out, &e))?;
    }
    let bytes = std::fs::read(&args.file).map_err(|e| {
        out.error(
            "cli-cannot-read",
            &[
                ("file", &args.file.display().to_string()),
                ("reason", &e.to_string()),
            ],
        );
        Reported(exit::NO_INPUT)
    })?;
    let (app, indexed) = open_indexed(db).await?;
    let categories = app.categories().await?;
    let incoming = parse(args, &bytes, &categories, out)?;
    let preview = app.plan_import(&incoming).await?;
    print_preview(out, &preview, args.report.as_deref())?;
    if args.dry_run {
        out.say("cli-dry-run", &[]);
        app.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    if preview.changes.is_empty() {
        out.say("cli-nothing-to-do", &[]);
        app.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let pb = spinner(out.text("cli-writing", &[]));
    let note = format!(
        "import {}",
        args.file.file_name().and_then(|n| n.to_str()).unwrap_or("")
    );
    let applied = app.apply_import(&Access::cli(), &incoming, &note).await;
    pb.finish_and_clear();
    let applied = applied?;
    out.say(
        "cli-imported",
        &[
            (
                "libraries",
                &(applied.libraries_created + applied.libraries_updated).to_string(),
            ),
            (
                "services",
                &(applied.services_created.len() + applied.services_updated).to_string(),
            ),
        ],
    );
    if !applied.activities_created.is_empty() {
        out.say(
            "cli-imported-activities",
            &[("count", &applied.activities_created.len().to_string())],
        );
    }
    if indexed {
        update_index(&app, out).await;
    }
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn export(db: &Database, args: &ExportArgs, out: &Out) -> anyhow::Result<ExitCode> {
    if args.format == OutFormat::Geojson {
        return crate::geojson_export::export(db, args.output.as_deref(), out).await;
    }
    let app = open(db).await?;
    let reg = app.snapshot(&Access::cli()).await?;
    app.close().await;
    let bytes = match args.format {
        OutFormat::Geojson => unreachable!("written in batches above"),
        OutFormat::Json => registry::to_json(&reg).into_bytes(),
        OutFormat::Csv => registry::to_csv(&reg, out.lang),
        OutFormat::Xlsx => registry::to_xlsx(&reg, out.lang).map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    match &args.output {
        Some(path) => {
            // Written beside the target and renamed, so a failed export never leaves half a file.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let write = || -> std::io::Result<()> {
                let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
                tmp.write_all(&bytes)?;
                tmp.persist(path).map_err(|e| e.error)?;
                Ok(())
            };
            write().map_err(|e| {
                out.error(
                    "cli-cannot-write",
                    &[
                        ("file", &path.display().to_string()),
                        ("reason", &e.to_string()),
                    ],
                );
                Reported(exit::CANT_CREATE)
            })?;
            out.say(
                "cli-exported",
                &[
                    ("libraries", &reg.libraries.len().to_string()),
                    ("services", &reg.services.len().to_string()),
                    ("file", &path.display().to_string()),
                ],
            );
        }
        None => {
            if args.format == OutFormat::Xlsx
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                out.error("cli-binary-to-terminal", &[]);
                return Err(Reported(2).into());
            }
            std::io::stdout()
                .lock()
                .write_all(&bytes)
                .context("stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the demo data. Run twice, it changes nothing the second time.
#[derive(Args)]
pub struct DemoArgs {
    /// Instead of the Kyustendil demo, a synthetic registry of this many libraries over the
    /// real gazetteer, each with 1–5 services (only into a database with no library).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    synthetic: Option<u32>,
    /// The seed of the synthetic registry: the same N and seed give the same registry.
    #[arg(long, default_value_t = 1, requires = "synthetic")]
    seed: u64,
}

pub async fn demo(db: &Database, args: &DemoArgs, out: &Out) -> anyhow::Result<ExitCode> {
    let (app, indexed) = open_indexed(db).await?;
    if let Some(n) = args.synthetic {
        return synthetic(db, (app, indexed), n as usize, args.seed, out).await;
    }
    let loaded = app.load_demo().await;
    let loaded = match loaded {
        Ok(n) => n,
        Err(e) => {
            app.close().await;
            return Err(e.into());
        }
    };
    match loaded {
        0 => out.say("cli-demo-present", &[("db", &db.to_string())]),
        n => out.say(
            "cli-demo-loaded",
            &[("count", &n.to_string()), ("db", &db.to_string())],
        ),
    }
    if indexed {
        update_index(&app, out).await;
    }
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The application with the search index of `db` on disk, to leave it current after a write;
/// `false` when a running server holds the index (it catches up by itself).
async fn open_indexed(db: &Database) -> anyhow::Result<(App, bool)> {
    let app = open(db).await?;
    Ok(match lipa_search::SearchIndex::open(&db.search_dir()) {
        Ok(index) => (app.with_search(std::sync::Arc::new(index)), true),
        Err(e) => {
            tracing::info!(error = %e, "search index left to the server that holds it");
            (app, false)
        }
    })
}

/// `lipa demo --synthetic N`: the registry with a progress bar, then its search index.
async fn synthetic(
    db: &Database,
    (app, indexed): (App, bool),
    n: usize,
    seed: u64,
    out: &Out,
) -> anyhow::Result<ExitCode> {
    let pb = ProgressBar::new(n as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(out.text("cli-synthetic-writing", &[]));
    let started = std::time::Instant::now();
    let loaded = app
        .load_synthetic(n, seed, |done| pb.set_position(done as u64))
        .await;
    pb.finish_and_clear();
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            app.close().await;
            return Err(e.into());
        }
    };
    let Some(l) = loaded else {
        app.close().await;
        out.error("cli-synthetic-not-empty", &[("db", &db.to_string())]);
        return Err(Reported(exit::DATA_ERR).into());
    };
    let secs = started.elapsed().as_secs_f64().max(0.001);
    out.say(
        "cli-synthetic-loaded",
        &[
            ("db", &db.to_string()),
            ("libraries", &l.libraries.to_string()),
            ("services", &l.services.to_string()),
            ("partners", &l.partners.to_string()),
            ("persons", &l.persons.to_string()),
            ("events", &l.events.to_string()),
            ("seconds", &format!("{secs:.1}")),
            ("rate", &format!("{:.0}", l.services as f64 / secs)),
        ],
    );
    if indexed {
        update_index(&app, out).await;
    }
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Brings the search index up to date with what was just written (a rebuild after a large
/// write), with a progress bar while it is built. A failure is only a warning: a server
/// catches the index up by itself.
async fn update_index(app: &App, out: &Out) {
    let pb = ProgressBar::new(100);
    pb.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos} %")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(out.text("cli-indexing", &[]));
    let watch = {
        let (app, pb) = (app.clone(), pb.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if let Some(p) = app.search_building() {
                    pb.set_position(u64::from(p));
                }
            }
        })
    };
    let done = app.catch_up_search().await;
    watch.abort();
    pb.finish_and_clear();
    if let Err(e) = done {
        tracing::warn!(error = %e, "search index not brought up to date");
        out.error("cli-index-behind", &[]);
    }
}
