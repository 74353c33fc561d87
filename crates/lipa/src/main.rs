//! The `lipa` command: one binary for the server, imports, exports, the demo and database care.
//! It parses arguments, opens the store, calls the library crates and turns their results into
//! messages in the user's language and exit codes that scripts can trust (see [`exit`]).
//! No domain rule or SQL lives here.

mod accounts;
mod backup_cmd;
mod database;
mod exit;
mod geojson_export;
mod import;
mod output;
mod search_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use database::Database;
use lipa_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lipa",
    version,
    about = "lipa — Library Innovation & Partnerships Atlas"
)]
struct Cli {
    /// SQLite database file (created if missing), or a PostgreSQL URL (postgres://user@host/db).
    #[arg(long, global = true, env = "LIPA_DB", default_value = "lipa.db")]
    db: String,
    /// Search index directory [default: beside a SQLite file (<db>.search), ./lipa.search for
    /// PostgreSQL].
    #[arg(long, global = true, env = "LIPA_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
    /// Language of messages: bg or en (default: from LIPA_LANG / LANG, else bg).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Bg,
    En,
}

#[derive(Subcommand)]
enum Command {
    /// Import a legacy text table, CSV, XLSX or JSON file (all or nothing).
    Import(import::ImportArgs),
    /// Export the whole registry as JSON, CSV or XLSX, or its libraries as GeoJSON.
    Export(import::ExportArgs),
    /// Load the demo data: the Kyustendil 2012 regional meeting and its services table; or,
    /// with --synthetic N, a generated registry of N libraries for trying lipa at scale.
    Demo(import::DemoArgs),
    /// Serve the web application and the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LIPA_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Load the demo data on first start (when the database has no libraries).
        #[arg(long)]
        demo: bool,
        /// The address users reach lipa at, when it differs from --addr (a reverse proxy). An
        /// https:// address makes the session cookie `Secure` and adds HSTS to every answer.
        #[arg(long, env = "LIPA_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
        /// Behind a reverse proxy: the header it puts the client's address in (e.g.
        /// X-Forwarded-For), so that sign-in throttling counts clients, not the proxy.
        #[arg(long, env = "LIPA_CLIENT_IP_HEADER", value_name = "HEADER")]
        client_ip_header: Option<String>,
        #[command(flatten)]
        backups: backup_cmd::ScheduleArgs,
    },
    /// Write a consistent copy of the SQLite database to FILE, also while a server runs
    /// (PostgreSQL: use pg_dump).
    Backup {
        /// The backup file (replaced if it exists).
        file: PathBuf,
    },
    /// Replace the SQLite database with a backup, all or nothing; the server must be stopped.
    /// The search index is rebuilt.
    Restore {
        /// A file written by `lipa backup` (or `serve --backup-every`).
        file: PathBuf,
    },
    /// Accounts: add, role, reset-password, list, disable, enable.
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// A person's personal data: export, erase.
    Person {
        #[command(subcommand)]
        command: accounts::PersonCommand,
    },
    /// The search index: reindex.
    Search {
        #[command(subcommand)]
        command: search_cmd::SearchCommand,
    },
    /// Database care.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Run pending migrations (they also run at every start).
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang {
        Some(LangArg::Bg) => Lang::Bg,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env_values(
            ["LIPA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
                .map(|k| std::env::var(k).ok())
                .iter()
                .map(|v| v.as_deref()),
        ),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LIPA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return exit::internal(lang, &anyhow::Error::from(e)),
    };
    runtime.block_on(run(cli, lang))
}

async fn run(cli: Cli, lang: Lang) -> ExitCode {
    let out = output::Out::new(lang);
    let db = &Database::new(cli.db, cli.search_dir);
    let result = match cli.command {
        Command::Import(args) => import::import(db, &args, &out).await,
        Command::Export(args) => import::export(db, &args, &out).await,
        Command::Demo(args) => import::demo(db, &args, &out).await,
        Command::Serve {
            addr,
            demo,
            public_url,
            client_ip_header,
            backups,
        } => {
            let secure = public_url
                .as_deref()
                .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"));
            let options = ServeOptions {
                addr,
                demo,
                secure,
                client_ip_header,
                backups,
            };
            serve(db, &options, &out).await
        }
        Command::Backup { file } => backup_cmd::backup(db, &file, &out).await,
        Command::Restore { file } => backup_cmd::restore(db, &file, &out).await,
        Command::Db {
            command: DbCommand::Migrate,
        } => migrate(db, &out).await,
        Command::User { command } => accounts::user(db, command, &out).await,
        Command::Person { command } => accounts::person(db, command, &out).await,
        Command::Search { command } => search_cmd::search(db, command, &out).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => exit::from_error(lang, &e),
    }
}

/// What `lipa serve` was told.
struct ServeOptions {
    addr: std::net::SocketAddr,
    demo: bool,
    secure: bool,
    client_ip_header: Option<String>,
    backups: backup_cmd::ScheduleArgs,
}

/// Runs the server. Several may start at once on one database (behind a load balancer, or a
/// restart that overlaps): migrations, the demo, the first admin and the search index are each
/// safe to meet another server doing the same.
async fn serve(db: &Database, o: &ServeOptions, out: &output::Out) -> anyhow::Result<ExitCode> {
    let header = o
        .client_ip_header
        .as_deref()
        .map(lipa_web::header_name)
        .transpose()?;
    let backup_every = o.backups.every(db, out)?;
    let app = db.open().await?;
    if o.demo
        && let Some(n) = app.load_demo_if_empty().await?
    {
        out.say(
            "cli-demo-loaded",
            &[("count", &n.to_string()), ("db", &db.to_string())],
        );
    }
    // First start: one admin with a one-time password, shown here and nowhere else (a server
    // starting beside this one may have made it: then nothing is shown).
    if let Some(password) = app
        .create_first_admin(&out.text("cli-first-admin-name", &[]))
        .await?
    {
        out.say(
            "cli-first-admin",
            &[("login", "admin"), ("password", &password)],
        );
    }
    backup_cmd::schedule(db, &app, &o.backups, backup_every, out).await?;
    let app = search_cmd::with_disk_index(db, app, out)?;
    out.say("cli-serving", &[("url", &format!("http://{}/", o.addr))]);
    let state = lipa_web::AppState::behind_proxy(app.clone(), o.secure, header);
    lipa_web::serve(o.addr, state).await?;
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn migrate(db: &Database, out: &output::Out) -> anyhow::Result<ExitCode> {
    let app = db.open().await?;
    let version = app.schema_version().await?;
    out.say(
        "cli-migrated",
        &[("version", &version.to_string()), ("db", &db.to_string())],
    );
    app.close().await;
    Ok(ExitCode::SUCCESS)
}
