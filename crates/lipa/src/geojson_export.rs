//! `lipa export --format geojson`: every library as a GeoJSON point (RFC 7946, see
//! [`lipa_io::geojson`]) with its published services by category, written in batches by
//! programme ID so that a million libraries never sit in memory at once. Each feature's `url` is
//! the library's path on a lipa server (`/libraries/ID`): the command does not know the site's
//! address.

use crate::database::Database;
use crate::exit::{self, Reported};
use crate::output::Out;
use lipa_app::{App, LibraryFilter};
use lipa_io::geojson::GeoJsonWriter;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

const BATCH: i64 = 1000;

pub async fn export(db: &Database, output: Option<&Path>, out: &Out) -> anyhow::Result<ExitCode> {
    let app = db.open().await?;
    let written = match output {
        Some(path) => to_file(&app, path).await,
        None => write_all(&app, BufWriter::new(std::io::stdout())).await,
    };
    app.close().await;
    match (written, output) {
        (Ok((libraries, services)), Some(path)) => {
            out.say(
                "cli-exported",
                &[
                    ("libraries", &libraries.to_string()),
                    ("services", &services.to_string()),
                    ("file", &path.display().to_string()),
                ],
            );
            Ok(ExitCode::SUCCESS)
        }
        (Ok(_), None) => Ok(ExitCode::SUCCESS),
        (Err(Failure::Store(e)), _) => Err(e),
        (Err(Failure::Write(e)), path) => {
            out.error(
                "cli-cannot-write",
                &[
                    (
                        "file",
                        &path.map_or("-".into(), |p| p.display().to_string()),
                    ),
                    ("reason", &e.to_string()),
                ],
            );
            Err(Reported(exit::CANT_CREATE).into())
        }
    }
}

enum Failure {
    Store(anyhow::Error),
    Write(std::io::Error),
}

/// Written beside the target and renamed, so a failed export never leaves half a file.
async fn to_file(app: &App, path: &Path) -> Result<(usize, i64), Failure> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(Failure::Write)?;
    let (file, tmp_path) = tmp.into_parts();
    let counts = write_all(app, BufWriter::new(file)).await?;
    tmp_path
        .persist(path)
        .map_err(|e| Failure::Write(e.error))?;
    Ok(counts)
}

/// Writes the collection; returns the number of libraries and of their services.
async fn write_all<W: Write>(app: &App, out: W) -> Result<(usize, i64), Failure> {
    let filter = LibraryFilter::default();
    let mut w = GeoJsonWriter::new(out).map_err(Failure::Write)?;
    let mut after = None;
    let mut services = 0;
    loop {
        let batch = app
            .library_batch(&filter, after, BATCH)
            .await
            .map_err(|e| Failure::Store(e.into()))?;
        let Some(last) = batch.last() else { break };
        after = Some(last.library.record.id);
        for s in &batch {
            let lib = &s.library.record;
            services += s.services();
            w.push(lib, &s.categories, &format!("/libraries/{}", lib.id))
                .map_err(Failure::Write)?;
        }
    }
    let count = w.count();
    w.finish().map_err(Failure::Write)?;
    Ok((count, services))
}
