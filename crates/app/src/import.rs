//! Importing and exporting the registry: parse → plan → scope → apply, the same for the command
//! line and the import page.
//!
//! - **parse** ([`parse`]): a file's bytes into records, in the format its name or content says
//!   (a plain-text table like the programme's reports, CSV, XLSX, JSON); every bad row listed;
//! - **plan** ([`App::plan_import`]): the incoming records against what the store holds of the
//!   same libraries — what is new, what changes, what stays (an import never deletes);
//! - **scope** ([`App::import_out_of_scope`]): every library the file touches, where it is and
//!   where it goes, must be in the importer's scope (and partners, people and events need an
//!   admin); a library cannot be moved to a district outside it;
//! - **apply** ([`App::apply_import`]): the whole plan in one transaction, or nothing.
//!
//! The import page keeps the uploaded file between preview and commit ([`App::save_upload`]…).

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::ids::{DistrictCode, LibraryId, ServiceId, Year};
use lipa_core::library::Library;
use lipa_core::taxonomy::Category;
use lipa_core::user::Place;
use lipa_io::encoding::TextReading;
use lipa_io::preview::Preview;
use lipa_io::{ImportErrors, Registry, legacy, registry};
use lipa_store::{Applied, NewUpload, Upload};
use std::collections::{BTreeSet, HashMap};

/// The formats lipa reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// From the file name and content.
    Auto,
    /// A plain-text table like the one in the programme's reports.
    Table,
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Auto,
        Format::Table,
        Format::Csv,
        Format::Xlsx,
        Format::Json,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == s)
    }

    /// The format a file is in, by its name, then by its first bytes.
    pub fn detect(filename: &str, bytes: &[u8]) -> Format {
        let ext = filename
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => Format::Json,
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            _ if bytes.starts_with(b"PK\x03\x04") => Format::Xlsx,
            _ if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Format::Json,
            _ => Format::Table,
        }
    }
}

/// What the user said about a file besides the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    pub format: Format,
    /// Year of a text table's services, when its title does not say.
    pub year: Option<Year>,
    /// District of a text table, when its title does not say.
    pub district: Option<DistrictCode>,
}

/// What a text table said of itself, for the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableFound {
    /// Lines around the table that are not rows of it (the article around a table).
    pub skipped_lines: usize,
    pub title: Option<String>,
}

/// A file read into records.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub registry: Registry,
    /// Set when the file was a text table.
    pub table: Option<TableFound>,
    /// How a text file was read (encoding, separator), for the preview.
    pub reading: Option<TextReading>,
}

/// Reads a file into records; every problem of the file is in the error.
pub fn parse(
    filename: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    categories: &[Category],
) -> Result<Parsed, ImportErrors> {
    let format = match opts.format {
        Format::Auto => Format::detect(filename, bytes),
        f => f,
    };
    match format {
        Format::Table | Format::Auto => {
            let legacy_opts = legacy::LegacyOptions {
                year: opts.year,
                district: opts.district.clone(),
            };
            legacy::read(bytes, categories, &legacy_opts).map(|(t, reading)| Parsed {
                table: Some(TableFound {
                    skipped_lines: t.skipped_lines,
                    title: t.title.clone(),
                }),
                registry: t.into_registry(),
                reading: Some(reading),
            })
        }
        Format::Csv => registry::read_csv(bytes).map(|(registry, reading)| Parsed {
            registry,
            table: None,
            reading: Some(reading),
        }),
        Format::Xlsx => registry::from_xlsx(bytes).map(|registry| Parsed {
            registry,
            table: None,
            reading: None,
        }),
        Format::Json => registry::read_json(bytes).map(|(registry, reading)| Parsed {
            registry,
            table: None,
            reading: Some(reading),
        }),
    }
}

/// [`parse`] on the blocking pool: parsing a large file must not hold up the async runtime.
pub async fn parse_blocking(
    filename: String,
    bytes: Vec<u8>,
    opts: ReadOptions,
    categories: Vec<Category>,
) -> Result<Result<Parsed, ImportErrors>> {
    Ok(tokio::task::spawn_blocking(move || parse(&filename, &bytes, &opts, &categories)).await?)
}

/// One record the importer may not change, for the refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutOfScope {
    Library { id: LibraryId, name: String },
    Partners(usize),
    Persons(usize),
    Events(usize),
}

/// The libraries an import touches.
fn touched(incoming: &Registry) -> Vec<LibraryId> {
    incoming
        .libraries
        .iter()
        .map(|l| l.id)
        .chain(incoming.services.iter().map(|s| s.library))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

impl App {
    /// Compares the incoming records with what the store holds of the same libraries.
    pub async fn plan_import(&self, incoming: &Registry) -> Result<Preview> {
        let ids = touched(incoming);
        let libraries: Vec<Library> = self
            .store
            .libraries_by_ids(&ids)
            .await?
            .into_iter()
            .map(|v| v.record)
            .collect();
        let services: Vec<_> = self
            .store
            .services_of(&ids)
            .await?
            .into_iter()
            .map(|v| (v.id, v.record))
            .collect();
        let mut preview = lipa_io::preview::plan(incoming, &libraries, &services);
        if !incoming.activities.is_empty() {
            let matched: Vec<_> = preview
                .services
                .iter()
                .filter_map(|s| s.existing_id)
                .collect();
            let stored: Vec<_> = self
                .store
                .activities_of(&matched)
                .await?
                .into_iter()
                .map(|v| v.record)
                .collect();
            preview.changes.new_activities =
                lipa_io::preview::plan_activities(incoming, &preview, &stored);
        }
        Ok(preview)
    }

    /// The incoming records the importer's role does not cover; empty when the whole import
    /// may go. A library must be in scope where it is and where it goes, and a move to another
    /// district needs the scope of that district.
    pub async fn import_out_of_scope(
        &self,
        access: &Access,
        incoming: &Registry,
    ) -> Result<Vec<OutOfScope>> {
        access.require_user()?;
        let ids = touched(incoming);
        let stored = self.store.libraries_by_ids(&ids).await?;
        let mut out = Vec::new();
        for id in ids {
            let incoming_lib = incoming.libraries.iter().find(|l| l.id == id);
            let stored_lib = stored.iter().find(|v| v.record.id == id).map(|v| &v.record);
            let before = stored_lib.map(Access::library_place);
            let after = incoming_lib.map(Access::library_place);
            let allowed = match (&before, &after) {
                (Some(b), Some(a)) => access.may_move(b, a),
                (Some(p), None) | (None, Some(p)) => {
                    // A new library is district-level; a known one needs its own scope.
                    if before.is_none() {
                        access.covers(&Access::district_place(p.district.clone()))
                    } else {
                        access.covers(p)
                    }
                }
                (None, None) => access.covers(&Access::orphan_library_place(id)),
            };
            if !allowed {
                let name = incoming_lib
                    .or(stored_lib)
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                out.push(OutOfScope::Library { id, name });
            }
        }
        if !access.is_admin() {
            for (count, what) in [
                (
                    incoming.partners.len(),
                    OutOfScope::Partners as fn(usize) -> OutOfScope,
                ),
                (incoming.persons.len(), OutOfScope::Persons),
                (incoming.events.len(), OutOfScope::Events),
            ] {
                if count > 0 {
                    out.push(what(count));
                }
            }
        }
        Ok(out)
    }

    /// Applies a plan in one transaction, after checking the scope again (the role may have
    /// changed since the preview). Nothing is written when anything fails.
    pub async fn apply_import(
        &self,
        access: &Access,
        incoming: &Registry,
        note: &str,
    ) -> Result<Applied> {
        if !self.import_out_of_scope(access, incoming).await?.is_empty() {
            return Err(AppError::Forbidden);
        }
        let preview = self.plan_import(incoming).await?;
        if preview.changes.is_empty() {
            return Ok(Applied::default());
        }
        let applied = self
            .store
            .apply(&access.actor(), note, &preview.changes)
            .await?;
        if preview.changes.len() >= ANALYZE_PAST {
            self.store.analyze().await?;
        }
        Ok(applied)
    }

    /// Keeps an uploaded file of the signed-in user until its preview is confirmed.
    pub async fn save_upload(
        &self,
        access: &Access,
        filename: String,
        opts: &ReadOptions,
        bytes: Vec<u8>,
    ) -> Result<i64> {
        let user = access.require_user()?;
        Ok(self
            .store
            .save_upload(&NewUpload {
                user_id: user.id,
                filename,
                format: opts.format.code().into(),
                year: opts.year.map(Year::get),
                district: opts.district.as_ref().map(|d| d.to_string()),
                bytes,
            })
            .await?)
    }

    /// An upload of the signed-in user's (another's is not found).
    pub async fn upload(&self, access: &Access, id: i64) -> Result<Upload> {
        let user = access.require_user()?;
        self.store
            .upload(id, user.id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Reads a stored upload again, with the options it was sent with.
    pub async fn reread_upload(&self, upload: &Upload) -> Result<Result<Parsed, ImportErrors>> {
        let opts = ReadOptions {
            format: Format::from_code(&upload.format).unwrap_or(Format::Auto),
            year: upload.year.and_then(|y| Year::new(y).ok()),
            district: upload
                .district
                .as_deref()
                .and_then(|d| DistrictCode::parse(d).ok()),
        };
        let categories = self.categories().await?;
        parse_blocking(
            upload.filename.clone(),
            upload.bytes.clone(),
            opts,
            categories,
        )
        .await
    }

    /// Commits an upload once: `None` when it was committed already (a second click). The
    /// result (as JSON the page shows later) is recorded with it; on failure nothing is written
    /// and the upload can be tried again.
    pub async fn commit_upload(
        &self,
        access: &Access,
        upload: &Upload,
        incoming: &Registry,
        result_json: impl FnOnce(&Applied) -> String,
    ) -> Result<Option<Applied>> {
        let user = access.require_user()?;
        // The scope is checked by `apply_import`, inside the claim: a refusal releases it.
        if !self.store.claim_upload(upload.id, user.id).await? {
            return Ok(None);
        }
        let note = format!("import {}", upload.filename);
        let written = async {
            let applied = self.apply_import(access, incoming, &note).await?;
            self.store
                .record_upload_result(upload.id, &result_json(&applied))
                .await?;
            Ok::<_, AppError>(applied)
        }
        .await;
        if written.is_err()
            && let Err(release) = self.store.release_upload(upload.id).await
        {
            tracing::error!(error = %release, upload = upload.id, "could not release an import upload");
        }
        written.map(Some)
    }

    /// The whole registry as the store holds it, people and unpublished records included: the
    /// operator's complete, re-importable export.
    pub async fn snapshot(&self, access: &Access) -> Result<Registry> {
        access.require_admin()?;
        let s = &self.store;
        let services = s.services().await?;
        let position: HashMap<ServiceId, usize> = services
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id, i))
            .collect();
        let activities = s
            .activities()
            .await?
            .into_iter()
            .filter_map(|v| {
                let at = *position.get(&v.record.service_id)?;
                Some(lipa_io::LoggedActivity::of(at, &v.record))
            })
            .collect();
        Ok(Registry {
            libraries: s.libraries().await?.into_iter().map(|v| v.record).collect(),
            services: services.into_iter().map(|v| v.record).collect(),
            partners: s.partners().await?.into_iter().map(|v| v.record).collect(),
            persons: s.persons().await?.into_iter().map(|v| v.record).collect(),
            events: s.events().await?.into_iter().map(|v| v.record).collect(),
            activities,
        })
    }

    /// Loads the demo when the database has no library yet (a first start with `--demo`): of
    /// servers started together on one database, exactly one writes it. The number of records
    /// written, `None` when there were libraries already.
    pub async fn load_demo_if_empty(&self) -> Result<Option<usize>> {
        if self.store.counts().await?.libraries > 0 {
            return Ok(None);
        }
        let demo = lipa_io::demo::load()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("demo data: {e}")))?;
        let preview = self.plan_import(&demo).await?;
        let applied = self
            .store
            .apply_to_empty(
                &lipa_core::audit::Actor("demo".into()),
                "demo",
                &preview.changes,
            )
            .await?;
        Ok(applied.map(|_| preview.changes.len()))
    }

    /// Writes the synthetic registry of `n` libraries made from `seed`
    /// ([`lipa_io::synthetic`]) in one transaction, a batch at a time, telling `progress` the
    /// number of libraries written after each batch. Only into a registry with no library:
    /// `None` when it has one.
    pub async fn load_synthetic(
        &self,
        n: usize,
        seed: u64,
        mut progress: impl FnMut(usize),
    ) -> Result<Option<SyntheticLoaded>> {
        let actor = lipa_core::audit::Actor("demo".into());
        let mut load = self
            .store
            .bulk_load(&actor, &format!("demo --synthetic {n} --seed {seed}"))
            .await?;
        if load.has_libraries().await? {
            return Ok(None);
        }
        let mut out = SyntheticLoaded::default();
        for set in lipa_io::synthetic::Synthetic::new(n, seed) {
            let applied = load.apply(&set).await?;
            out.libraries += applied.libraries_created;
            out.services += applied.services_created.len();
            out.partners += applied.partners_created.len();
            out.persons += applied.persons_created.len();
            out.events += applied.events_created.len();
            progress(out.libraries);
        }
        load.commit().await?;
        self.store.analyze().await?;
        Ok(Some(out))
    }

    /// Writes the demo (the Kyustendil 2012 meeting) unless it is there; the number of records
    /// written.
    pub async fn load_demo(&self) -> Result<usize> {
        let demo = lipa_io::demo::load()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("demo data: {e}")))?;
        let mut preview = self.plan_import(&demo).await?;
        let events = self.store.events().await?;
        let present = demo.events.iter().all(|e| {
            events
                .iter()
                .any(|s| s.record.title == e.title && s.record.starts == e.starts)
        });
        if present {
            preview.changes.new_events.clear();
            preview.changes.new_partners.clear();
            preview.changes.new_persons.clear();
        }
        let n = preview.changes.len();
        if n > 0 {
            self.store
                .apply(
                    &lipa_core::audit::Actor("demo".into()),
                    "demo",
                    &preview.changes,
                )
                .await?;
        }
        Ok(n)
    }
}

/// The place check of a library's move, for imports and edits.
impl Access {
    /// Whether the reader may change a library that sits at `before` and will sit at `after`:
    /// both in scope, and a move to another district needs that district's scope.
    pub fn may_move(&self, before: &Place, after: &Place) -> bool {
        self.covers(before)
            && self.covers(after)
            && (before.district == after.district
                || self.covers(&Access::district_place(after.district.clone())))
    }
}

/// Records written by one import past which the planner's statistics are refreshed.
const ANALYZE_PAST: usize = 10_000;

/// What [`App::load_synthetic`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyntheticLoaded {
    pub libraries: usize,
    pub services: usize,
    pub partners: usize,
    pub persons: usize,
    pub events: usize,
}
