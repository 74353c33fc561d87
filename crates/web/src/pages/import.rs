//! The import page: upload a file, see what it would change, commit it all or nothing.
//!
//! The flow is the CLI's (`lipa import`), in three requests, each a plain HTML form:
//! 1. `POST /import` (multipart) reads the file — a legacy text table (like the one closing the
//!    Kyustendil 2012 report), or the registry's CSV, XLSX or JSON — with `lipa_io`. Every bad row
//!    is shown with its line, field and reason, and nothing is kept. A file that reads is stored
//!    as uploaded (`import_uploads`) and the browser is sent to its preview (303).
//! 2. `GET /import/{id}` reads the stored file again and compares it with the store *now*
//!    (`lipa_io::preview::plan`): counts of new, changed and unchanged records, each record with
//!    the fields that change, and the commit form.
//! 3. `POST /import/{id}/commit` reads and compares once more — so that whatever changed in the
//!    store since the preview is taken into account, never overwritten by a stale plan — checks
//!    the scope again, and writes the change set with `Store::apply` in one transaction; then
//!    back to `GET /import/{id}`, which now confirms what was written.
//!
//! Who may import: a signed-in user, for records in their scope only — a coordinator the
//! libraries of their district, a librarian their own library, an admin anything. Every
//! incoming library is checked at its new place and, when it exists, at its stored place (a
//! coordinator cannot move another district's library into theirs); a service is checked at its
//! library's place. Partners, persons and events (JSON only) are not in any district's scope:
//! only an admin imports them. A file with anything out of scope is refused whole. A viewer,
//! who may change nothing, is refused before the file is read; files are read on a blocking
//! thread, within the bounds of `lipa_io::limits`.

use crate::AppState;
use crate::ctx::{Ctx, SignedIn};
use crate::error::{OrPage, PageError, PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lipa_core::Lang;
use lipa_core::audit::Actor;
use lipa_core::geo::Gazetteer;
use lipa_core::i18n::{has_key, tr};
use lipa_core::ids::{DistrictCode, LibraryId, Year};
use lipa_core::library::Library;
use lipa_core::taxonomy::Category;
use lipa_core::user::{Place, Role};
use lipa_io::encoding::TextReading;
use lipa_io::preview::{Change, Preview};
use lipa_io::{ImportErrors, Registry, legacy, registry};
use lipa_store::import_uploads::{NewUpload, Upload};
use lipa_store::{Applied, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/import",
            get(import_form)
                .post(upload)
                // axum's own 2 MB default would refuse a large workbook before the
                // application's limit does.
                .layer(DefaultBodyLimit::max(crate::MAX_UPLOAD)),
        )
        .route("/import/{id}", get(show_upload))
        .route("/import/{id}/commit", post(commit))
}

// --- reading a file -----------------------------------------------------------------------------

/// The formats the page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
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

    /// The format a file is in, by its name, then by its first bytes; the same rule as the CLI.
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
    pub year: Option<Year>,
    pub district: Option<DistrictCode>,
}

/// Reads a file into records, and for a text file how it was read (encoding, separator); every
/// problem of the file is in the error.
pub fn read_file(
    filename: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    categories: &[Category],
) -> Result<(Registry, Option<TextReading>), ImportErrors> {
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
            legacy::read(bytes, categories, &legacy_opts)
                .map(|(table, reading)| (table.into_registry(), Some(reading)))
        }
        Format::Csv => registry::read_csv(bytes).map(|(r, reading)| (r, Some(reading))),
        Format::Xlsx => registry::from_xlsx(bytes).map(|r| (r, None)),
        Format::Json => registry::read_json(bytes).map(|(r, reading)| (r, Some(reading))),
    }
}

/// [`read_file`] on a blocking thread: parsing a large file must not hold up the async runtime.
async fn read_file_blocking(
    filename: String,
    bytes: Vec<u8>,
    opts: ReadOptions,
    categories: Vec<Category>,
) -> Result<Result<(Registry, Option<TextReading>), ImportErrors>, WebError> {
    tokio::task::spawn_blocking(move || read_file(&filename, &bytes, &opts, &categories))
        .await
        .map_err(|e| WebError::Internal(e.into()))
}

/// The stored libraries an import touches and their services, compared with the incoming
/// records: what the CLI does before its preview.
async fn plan(store: &Store, incoming: &Registry) -> Result<Preview, WebError> {
    let ids: Vec<LibraryId> = incoming
        .libraries
        .iter()
        .map(|l| l.id)
        .chain(incoming.services.iter().map(|s| s.library))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let libraries: Vec<Library> = store
        .libraries_by_ids(&ids)
        .await?
        .into_iter()
        .map(|v| v.record)
        .collect();
    let services: Vec<_> = store
        .services_of(&ids)
        .await?
        .into_iter()
        .map(|v| (v.id, v.record))
        .collect();
    Ok(lipa_io::preview::plan(incoming, &libraries, &services))
}

/// One record the user may not change, for the refusal page.
pub struct OutOfScope {
    pub what: String,
}

/// The incoming records the user's role does not cover; empty when the whole import may go.
async fn out_of_scope(
    store: &Store,
    ctx: &Ctx,
    incoming: &Registry,
) -> Result<Vec<OutOfScope>, WebError> {
    let g = Gazetteer::get();
    let district_of = |l: &Library| {
        g.settlement(l.settlement.as_str())
            .map(|s| s.district.clone())
    };
    let ids: Vec<LibraryId> = incoming
        .libraries
        .iter()
        .map(|l| l.id)
        .chain(incoming.services.iter().map(|s| s.library))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let stored = store.libraries_by_ids(&ids).await?;
    let mut out = Vec::new();
    let mut refused = BTreeSet::new();
    for id in ids {
        let incoming_lib = incoming.libraries.iter().find(|l| l.id == id);
        let stored_lib = stored.iter().find(|v| v.record.id == id).map(|v| &v.record);
        // The place it will have and the place it has: both must be in scope.
        let places: Vec<Place> = [incoming_lib, stored_lib]
            .into_iter()
            .flatten()
            .map(|l| Place {
                district: district_of(l),
                library: Some(id),
            })
            .collect();
        let places = if places.is_empty() {
            vec![Place {
                district: None,
                library: Some(id),
            }]
        } else {
            places
        };
        if places.iter().any(|p| ctx.require_change(p).is_err()) && refused.insert(id) {
            let name = incoming_lib
                .or(stored_lib)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            out.push(OutOfScope {
                what: ctx.t2("imp-scope-library", "id", id, "name", name),
            });
        }
    }
    if !ctx.is_admin() {
        for (count, key) in [
            (incoming.partners.len(), "imp-scope-partners"),
            (incoming.persons.len(), "imp-scope-persons"),
            (incoming.events.len(), "imp-scope-events"),
        ] {
            if count > 0 {
                out.push(OutOfScope {
                    what: ctx.t1(key, "count", count),
                });
            }
        }
    }
    Ok(out)
}

// --- the upload form ----------------------------------------------------------------------------

/// One bad row of a file, as the page shows it.
pub struct RowErrorView {
    /// `12`, or empty for the file as a whole.
    pub line: String,
    pub field: String,
    pub message: String,
}

/// The label of a field named by an importer: the legacy table's column (`import-field-…`), the
/// registry file's column (`col-…`), or the path as written (a JSON record path).
fn field_label(lang: Lang, field: &str) -> String {
    if field.is_empty() {
        return String::new();
    }
    let label = format!("import-field-{field}");
    let column = format!("col-{field}");
    if has_key(lang, &label) {
        tr(lang, &label, &[])
    } else if has_key(lang, &column) {
        tr(lang, &column, &[])
    } else {
        field.to_owned()
    }
}

fn row_errors(lang: Lang, errors: &ImportErrors) -> Vec<RowErrorView> {
    errors
        .0
        .iter()
        .map(|e| RowErrorView {
            line: if e.line == 0 {
                String::new()
            } else {
                e.line.to_string()
            },
            field: field_label(lang, &e.violation.field),
            message: e.violation.message(lang),
        })
        .collect()
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A problem with one field of the form (GOV.UK pattern: listed in the summary, shown at the
/// field).
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "import/form.html")]
struct FormPage {
    ctx: Ctx,
    formats: Vec<Opt>,
    districts: Vec<Opt>,
    year: String,
    field_errors: Vec<FieldError>,
    filename: String,
    rows: Vec<RowErrorView>,
    scope: Vec<OutOfScope>,
}

impl FormPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    fn has_errors(&self) -> bool {
        !self.field_errors.is_empty() || !self.rows.is_empty() || !self.scope.is_empty()
    }
}

/// What the form was sent with, as text, to show it again.
#[derive(Debug, Default)]
struct Sent {
    csrf: String,
    filename: String,
    bytes: Option<Vec<u8>>,
    format: String,
    year: String,
    district: String,
}

fn form_page(ctx: Ctx, sent: &Sent) -> FormPage {
    let lang = ctx.lang;
    let mut districts: Vec<Opt> = Gazetteer::get()
        .districts()
        .iter()
        .map(|d| Opt {
            value: d.code.to_string(),
            label: if lang == Lang::Bg {
                d.name_bg.clone()
            } else {
                d.name_en.clone()
            },
            selected: sent.district == d.code.as_str(),
        })
        .collect();
    districts.sort_by(|a, b| a.label.cmp(&b.label));
    let chosen = Format::from_code(&sent.format).unwrap_or(Format::Auto);
    FormPage {
        formats: Format::ALL
            .into_iter()
            .map(|f| Opt {
                value: f.code().into(),
                label: ctx.t(&format!("imp-format-{}", f.code())),
                selected: f == chosen,
            })
            .collect(),
        districts,
        year: sent.year.clone(),
        field_errors: vec![],
        filename: sent.filename.clone(),
        rows: vec![],
        scope: vec![],
        ctx,
    }
}

async fn import_form(ctx: Ctx) -> PageResult {
    ctx.require_user().or_page(&ctx)?;
    let page = form_page(ctx.clone(), &Sent::default());
    Ok(render(&page))
}

/// Reads the multipart form. A body over the size limit is reported at the file field.
async fn read_multipart(mut m: Multipart) -> Result<Sent, &'static str> {
    let mut sent = Sent::default();
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err("imp-err-too-large");
            }
            Err(_) => return Err("imp-err-bad-form"),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            sent.filename = field.file_name().unwrap_or("").to_owned();
            match field.bytes().await {
                Ok(b) => sent.bytes = Some(b.to_vec()),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err("imp-err-too-large");
                }
                Err(_) => return Err("imp-err-bad-form"),
            }
        } else {
            let value = field.text().await.map_err(|_| "imp-err-bad-form")?;
            match name.as_str() {
                "csrf" => sent.csrf = value,
                "format" => sent.format = value.trim().to_owned(),
                "year" => sent.year = value.trim().to_owned(),
                "district" => sent.district = value.trim().to_owned(),
                _ => {}
            }
        }
    }
    Ok(sent)
}

/// Only the last part of a path a browser may send as the file name, and printable.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    cleaned.trim().to_owned()
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let user = ctx.require_user().or_page(&ctx)?.clone();
    let sent = match multipart {
        Ok(m) => read_multipart(m).await,
        Err(_) => Err("imp-err-bad-form"),
    };
    let sent = match sent {
        Ok(s) => s,
        Err(key) => {
            // The token could not be read: nothing is done, and the form is shown again.
            let mut page = form_page(ctx.clone(), &Sent::default());
            page.field_errors.push(FieldError {
                field: "file",
                message: ctx.t(key),
            });
            let status = if key == "imp-err-too-large" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            return Ok(render_status(status, &page));
        }
    };
    ctx.check_csrf(&sent.csrf).or_page(&ctx)?;
    // A viewer changes nothing: refused before the file is read at all.
    if user.role == Role::Viewer {
        return Err(WebError::Forbidden).or_page(&ctx);
    }

    let mut page = form_page(ctx.clone(), &sent);
    let format = Format::from_code(&sent.format).unwrap_or(Format::Auto);
    let year = if sent.year.is_empty() {
        None
    } else {
        match Year::parse(&sent.year) {
            Ok(y) => Some(y),
            Err(v) => {
                page.field_errors.push(FieldError {
                    field: "year",
                    message: v.message(ctx.lang),
                });
                None
            }
        }
    };
    let district = if sent.district.is_empty() {
        None
    } else {
        match DistrictCode::parse(&sent.district)
            .ok()
            .filter(|d| Gazetteer::get().district(d.as_str()).is_some())
        {
            Some(d) => Some(d),
            None => {
                page.field_errors.push(FieldError {
                    field: "district",
                    message: ctx.t("imp-err-district"),
                });
                None
            }
        }
    };
    let bytes = sent.bytes.clone().unwrap_or_default();
    if bytes.is_empty() {
        let key = if sent.filename.is_empty() {
            "imp-err-no-file"
        } else {
            "imp-err-empty-file"
        };
        page.field_errors.insert(
            0,
            FieldError {
                field: "file",
                message: ctx.t(key),
            },
        );
    }
    if !page.field_errors.is_empty() {
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }

    let filename = clean_filename(&sent.filename);
    let opts = ReadOptions {
        format,
        year,
        district: district.clone(),
    };
    let categories = state.store.categories().await.or_page(&ctx)?;
    let read = read_file_blocking(filename.clone(), bytes.clone(), opts.clone(), categories);
    let incoming = match read.await.or_page(&ctx)? {
        Ok((r, _)) => r,
        Err(errors) => {
            page.rows = row_errors(ctx.lang, &errors);
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let scope = out_of_scope(&state.store, &ctx, &incoming)
        .await
        .or_page(&ctx)?;
    if !scope.is_empty() {
        page.scope = scope;
        return Ok(render_status(StatusCode::FORBIDDEN, &page));
    }
    let id = state
        .store
        .save_upload(&NewUpload {
            user_id: user.id,
            filename,
            format: opts.format.code().into(),
            year: year.map(Year::get),
            district: district.map(|d| d.to_string()),
            bytes,
        })
        .await
        .or_page(&ctx)?;
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

// --- preview and confirmation -------------------------------------------------------------------

/// One record of the preview.
pub struct ChangeRow {
    pub library: u32,
    pub name: String,
    /// `new`, `changed` or `same`.
    pub kind: &'static str,
    pub label: String,
    pub fields: String,
}

fn change_row(ctx: &Ctx, library: LibraryId, name: &str, change: &Change) -> ChangeRow {
    let (kind, fields) = match change {
        Change::New => ("new", String::new()),
        Change::Changed(f) => (
            "changed",
            f.iter()
                .map(|f| changed_field(ctx.lang, f))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Change::Unchanged => ("same", String::new()),
    };
    ChangeRow {
        library: library.get(),
        name: name.to_owned(),
        kind,
        label: ctx.t(&format!("imp-change-{kind}")),
        fields,
    }
}

fn changed_field(lang: Lang, field: &str) -> String {
    let key = format!("imp-field-{field}");
    if has_key(lang, &key) {
        tr(lang, &key, &[])
    } else {
        field.to_owned()
    }
}

/// A line of the counts: what, new, changed, unchanged.
pub struct CountRow {
    pub what: String,
    pub new: usize,
    pub changed: usize,
    pub same: usize,
}

#[derive(Template)]
#[template(path = "import/preview.html")]
struct PreviewPage {
    ctx: Ctx,
    id: i64,
    filename: String,
    /// How a text file was read: `Read as Windows-1251, cells separated by semicolons (;).`
    read_as: Option<String>,
    counts: Vec<CountRow>,
    libraries: Vec<ChangeRow>,
    services: Vec<ChangeRow>,
    /// Partners, persons and events that a JSON file adds.
    others: Vec<String>,
    nothing_to_do: bool,
    expires_at: String,
}

/// What a commit wrote, kept with the upload for the confirmation page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub libraries_created: usize,
    pub libraries_updated: usize,
    pub services_created: usize,
    pub services_updated: usize,
    pub partners_created: usize,
    pub persons_created: usize,
    pub events_created: usize,
}

impl From<&Applied> for Written {
    fn from(a: &Applied) -> Self {
        Written {
            libraries_created: a.libraries_created,
            libraries_updated: a.libraries_updated,
            services_created: a.services_created.len(),
            services_updated: a.services_updated,
            partners_created: a.partners_created.len(),
            persons_created: a.persons_created.len(),
            events_created: a.events_created.len(),
        }
    }
}

#[derive(Template)]
#[template(path = "import/done.html")]
struct DonePage {
    ctx: Ctx,
    filename: String,
    lines: Vec<String>,
}

async fn load_upload(
    state: &AppState,
    ctx: &Ctx,
    user: &SignedIn,
    id: i64,
) -> Result<Upload, PageError> {
    state
        .store
        .upload(id, user.id)
        .await
        .or_page(ctx)?
        .ok_or(WebError::NotFound)
        .or_page(ctx)
}

/// Reads a stored upload again, with the options it was sent with.
async fn reread(
    state: &AppState,
    upload: &Upload,
) -> Result<Result<(Registry, Option<TextReading>), ImportErrors>, WebError> {
    let opts = ReadOptions {
        format: Format::from_code(&upload.format).unwrap_or(Format::Auto),
        year: upload.year.and_then(|y| Year::new(y).ok()),
        district: upload
            .district
            .as_deref()
            .and_then(|d| DistrictCode::parse(d).ok()),
    };
    let categories = state.store.categories().await?;
    read_file_blocking(
        upload.filename.clone(),
        upload.bytes.clone(),
        opts,
        categories,
    )
    .await
}

/// The stored file no longer reads (the taxonomy changed since): the errors, as on upload.
fn unreadable(ctx: &Ctx, errors: &ImportErrors) -> Response {
    let mut page = form_page(ctx.clone(), &Sent::default());
    page.rows = row_errors(ctx.lang, errors);
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn show_upload(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let user = ctx.require_user().or_page(&ctx)?.clone();
    let upload = load_upload(&state, &ctx, &user, id).await?;
    if upload.committed_at.is_some() {
        let written: Written = upload
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        let lines = [
            ("imp-done-libraries-created", written.libraries_created),
            ("imp-done-libraries-updated", written.libraries_updated),
            ("imp-done-services-created", written.services_created),
            ("imp-done-services-updated", written.services_updated),
            ("imp-done-partners", written.partners_created),
            ("imp-done-persons", written.persons_created),
            ("imp-done-events", written.events_created),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| ctx.t1(k, "count", n))
        .collect();
        return Ok(render(&DonePage {
            filename: upload.filename,
            lines,
            ctx,
        }));
    }
    let (incoming, reading) = match reread(&state, &upload).await.or_page(&ctx)? {
        Ok(r) => r,
        Err(errors) => return Ok(unreadable(&ctx, &errors)),
    };
    let preview = plan(&state.store, &incoming).await.or_page(&ctx)?;
    let c = preview.counts();
    let counts = vec![
        CountRow {
            what: ctx.t("imp-count-libraries"),
            new: c.libraries_new,
            changed: c.libraries_changed,
            same: c.libraries_unchanged,
        },
        CountRow {
            what: ctx.t("imp-count-services"),
            new: c.services_new,
            changed: c.services_changed,
            same: c.services_unchanged,
        },
    ];
    let others = [
        ("imp-new-partners", preview.changes.new_partners.len()),
        ("imp-new-persons", preview.changes.new_persons.len()),
        ("imp-new-events", preview.changes.new_events.len()),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| ctx.t1(k, "count", n))
    .collect();
    let page = PreviewPage {
        id,
        libraries: preview
            .libraries
            .iter()
            .map(|l| change_row(&ctx, l.id, &l.name, &l.change))
            .collect(),
        services: preview
            .services
            .iter()
            .map(|s| change_row(&ctx, s.library, &s.name, &s.change))
            .collect(),
        counts,
        others,
        nothing_to_do: preview.changes.is_empty(),
        read_as: reading.map(|r| r.describe(ctx.lang)),
        filename: upload.filename,
        // Shown to the minute, in UTC as stored.
        expires_at: upload
            .expires_at
            .parse::<jiff::Timestamp>()
            .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or(upload.expires_at),
        ctx,
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
struct CommitForm {
    #[serde(default)]
    csrf: String,
}

async fn commit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CommitForm>,
) -> PageResult {
    let user = ctx.require_user().or_page(&ctx)?.clone();
    ctx.check_csrf(&form.csrf).or_page(&ctx)?;
    let upload = load_upload(&state, &ctx, &user, id).await?;
    if upload.committed_at.is_some() {
        // A second click: the first one wrote it; show what it wrote.
        return Ok(Redirect::to(&format!("/import/{id}")).into_response());
    }
    let incoming = match reread(&state, &upload).await.or_page(&ctx)? {
        Ok((r, _)) => r,
        Err(errors) => return Ok(unreadable(&ctx, &errors)),
    };
    // The role may have changed since the upload: the scope is checked again.
    let scope = out_of_scope(&state.store, &ctx, &incoming)
        .await
        .or_page(&ctx)?;
    if !scope.is_empty() {
        let mut page = form_page(ctx.clone(), &Sent::default());
        page.scope = scope;
        return Ok(render_status(StatusCode::FORBIDDEN, &page));
    }
    if !state.store.claim_upload(id, user.id).await.or_page(&ctx)? {
        return Ok(Redirect::to(&format!("/import/{id}")).into_response());
    }
    let written = async {
        let preview = plan(&state.store, &incoming).await?;
        let note = format!("import {}", upload.filename);
        let applied = if preview.changes.is_empty() {
            Applied::default()
        } else {
            state
                .store
                .apply(&Actor(user.login.clone()), &note, &preview.changes)
                .await?
        };
        let written = Written::from(&applied);
        let json = serde_json::to_string(&written).map_err(|e| WebError::Internal(e.into()))?;
        state.store.record_upload_result(id, &json).await?;
        Ok::<_, WebError>(written)
    }
    .await;
    match written {
        Ok(w) => {
            tracing::info!(upload = id, user = %user.login, ?w, "import committed");
            Ok(Redirect::to(&format!("/import/{id}")).into_response())
        }
        Err(e) => {
            // Nothing was written (one transaction): give the upload back for another try.
            if let Err(release) = state.store.release_upload(id).await {
                tracing::error!(error = %release, upload = id, "could not release an import upload");
            }
            Err(PageError {
                ctx: Box::new(ctx),
                error: e,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_like_the_cli() {
        assert_eq!(Format::detect("a.JSON", b""), Format::Json);
        assert_eq!(Format::detect("a.csv", b""), Format::Csv);
        assert_eq!(Format::detect("x", b"PK\x03\x04..."), Format::Xlsx);
        assert_eq!(Format::detect("x.txt", b"  {\"a\":1}"), Format::Json);
        assert_eq!(
            Format::detect("kyustendil.txt", "ID Име".as_bytes()),
            Format::Table
        );
    }

    #[test]
    fn file_names_lose_their_path() {
        assert_eq!(clean_filename("C:\\Users\\a\\table.txt"), "table.txt");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b.csv"), "ab.csv");
    }

    #[test]
    fn fields_are_labelled_by_column() {
        assert_eq!(field_label(Lang::Bg, "settlement"), "Населено място");
        assert_eq!(
            field_label(Lang::Bg, "libraries[2].contacts.email"),
            "libraries[2].contacts.email"
        );
        assert_eq!(field_label(Lang::Bg, ""), "");
    }
}
