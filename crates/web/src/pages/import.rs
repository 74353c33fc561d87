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
//!
//! A body over [`crate::MAX_UPLOAD`] is answered 413 with this form again, its message at the
//! file field naming the limit: refused before reading when the client announces its length,
//! when the limit is reached otherwise (a chunked body). So this route is the one page route
//! without the pages' body limit layer in front of it (`pages::routes`), whose bare 413 would
//! leave the user without their form.

use crate::AppState;
use crate::http::ctx::Ctx;
use crate::http::error::{PageResult, WebError};
use crate::render::{render, render_status};
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lipa_app::import::{Format, OutOfScope, ReadOptions, parse_blocking};
use lipa_app::{Applied, Upload};
use lipa_core::Lang;
use lipa_core::geo::Gazetteer;
use lipa_core::i18n::{has_key, tr};
use lipa_core::ids::{DistrictCode, LibraryId, Year};
use lipa_io::ImportErrors;
use lipa_io::preview::Change;
use serde::{Deserialize, Serialize};

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

/// The refused records, as the page lists them.
fn scope_rows(ctx: &Ctx, refused: &[OutOfScope]) -> Vec<ScopeRow> {
    refused
        .iter()
        .map(|o| ScopeRow {
            what: out_of_scope_text(ctx, o),
        })
        .collect()
}

/// How a refused record reads on the page.
fn out_of_scope_text(ctx: &Ctx, o: &OutOfScope) -> String {
    match o {
        OutOfScope::Library { id, name } => ctx.t2("imp-scope-library", "id", id, "name", name),
        OutOfScope::Partners(n) => ctx.t1("imp-scope-partners", "count", n),
        OutOfScope::Persons(n) => ctx.t1("imp-scope-persons", "count", n),
        OutOfScope::Events(n) => ctx.t1("imp-scope-events", "count", n),
    }
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
    scope: Vec<ScopeRow>,
}

/// One refused record, as the page shows it.
pub struct ScopeRow {
    pub what: String,
}

impl FormPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    fn limit(&self) -> String {
        upload_limit()
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
    ctx.require_user()?;
    let page = form_page(ctx.clone(), &Sent::default());
    Ok(render(&page))
}

/// The largest upload as people write it (`20 MB`), for the form's hint and its error.
fn upload_limit() -> String {
    format!("{} MB", crate::MAX_UPLOAD / (1024 * 1024))
}

/// Whether the client announced a body larger than [`crate::MAX_UPLOAD`].
fn announced_too_large(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
        .is_some_and(|len| len > crate::MAX_UPLOAD as u64)
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
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let _user = ctx.require_user()?.clone();
    let sent = match multipart {
        // Not a byte of it is read.
        _ if announced_too_large(&headers) => Err("imp-err-too-large"),
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
                message: ctx.t1(key, "limit", upload_limit()),
            });
            let status = if key == "imp-err-too-large" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            return Ok(render_status(status, &page));
        }
    };
    ctx.check_csrf(&sent.csrf)?;
    // A viewer changes nothing: refused before the file is read at all.
    if ctx.access().role() == Some(&lipa_core::user::Role::Viewer) {
        return Err(WebError::Forbidden);
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
    let categories = state.app.categories().await?;
    let read = parse_blocking(filename.clone(), bytes.clone(), opts.clone(), categories);
    let incoming = match read.await? {
        Ok(r) => r,
        Err(errors) => {
            page.rows = row_errors(ctx.lang, &errors);
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let scope = state
        .app
        .import_out_of_scope(&ctx.access(), &incoming.registry)
        .await?;
    if !scope.is_empty() {
        page.scope = scope_rows(&ctx, &scope);
        return Ok(render_status(StatusCode::FORBIDDEN, &page));
    }
    let id = state
        .app
        .save_upload(&ctx.access(), filename, &opts, bytes)
        .await?;
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
    /// Entries of activity logs (absent from what an older lipa kept).
    #[serde(default)]
    pub activities_created: usize,
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
            activities_created: a.activities_created.len(),
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

async fn load_upload(state: &AppState, ctx: &Ctx, id: i64) -> Result<Upload, WebError> {
    Ok(state.app.upload(&ctx.access(), id).await?)
}

/// The stored file no longer reads (the taxonomy changed since): the errors, as on upload.
fn unreadable(ctx: &Ctx, errors: &ImportErrors) -> Response {
    let mut page = form_page(ctx.clone(), &Sent::default());
    page.rows = row_errors(ctx.lang, errors);
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn show_upload(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let _user = ctx.require_user()?.clone();
    let upload = load_upload(&state, &ctx, id).await?;
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
            ("imp-done-activities", written.activities_created),
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
    let (incoming, reading) = match state.app.reread_upload(&upload).await? {
        Ok(r) => (r.registry, r.reading),
        Err(errors) => return Ok(unreadable(&ctx, &errors)),
    };
    let preview = state.app.plan_import(&incoming).await?;
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
        ("imp-new-activities", preview.changes.new_activities.len()),
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
    let user = ctx.require_user()?.clone();
    ctx.check_csrf(&form.csrf)?;
    let upload = load_upload(&state, &ctx, id).await?;
    if upload.committed_at.is_some() {
        // A second click: the first one wrote it; show what it wrote.
        return Ok(Redirect::to(&format!("/import/{id}")).into_response());
    }
    let incoming = match state.app.reread_upload(&upload).await? {
        Ok(r) => r.registry,
        Err(errors) => return Ok(unreadable(&ctx, &errors)),
    };
    // The role may have changed since the upload: the scope is checked again.
    let access = ctx.access();
    let scope = state.app.import_out_of_scope(&access, &incoming).await?;
    if !scope.is_empty() {
        let mut page = form_page(ctx.clone(), &Sent::default());
        page.scope = scope_rows(&ctx, &scope);
        return Ok(render_status(StatusCode::FORBIDDEN, &page));
    }
    let committed = state
        .app
        .commit_upload(&access, &upload, &incoming, |applied| {
            serde_json::to_string(&Written::from(applied)).unwrap_or_default()
        })
        .await?;
    if let Some(applied) = committed {
        let w = Written::from(&applied);
        tracing::info!(upload = id, user = %user.login, ?w, "import committed");
    }
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
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
