//! Reading and writing the entities. Every entity table has the same shape — `id`, `body` (the
//! whole record as JSON), `version`, timestamps — plus indexed columns copied from the record;
//! one generic insert / update / delete does the work for all of them, records the audit entry in
//! the same transaction, and calls the entity's hook to keep link tables in step.

use crate::{Result, Store, StoreError, now};
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{LibraryId, RecordId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::service::Service;
use lipa_core::taxonomy::{Category, PartnerKind};
use lipa_core::text::fold_name;
use lipa_core::{Violation, Violations};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// A stored record with its key and version (the `ETag` of the API).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versioned<T> {
    pub id: RecordId,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(flatten)]
    pub record: T,
}

/// A value for an indexed column.
pub enum Col {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

/// What the generic code needs to know of an entity.
pub trait Entity: Serialize + DeserializeOwned + Sized {
    const TABLE: &'static str;
    const KIND: EntityKind;

    /// Checks the record; the store refuses to write an invalid one.
    fn check(&self) -> Result<(), Violations>;

    /// Indexed columns copied from the record.
    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations>;
}

fn place_of(ekatte: &str) -> Result<&'static lipa_core::geo::Settlement, Violations> {
    Gazetteer::get().settlement(ekatte).ok_or_else(|| {
        Violations::from(
            Violation::new("settlement", "err-unknown-settlement").arg("value", ekatte),
        )
    })
}

impl Entity for Library {
    const TABLE: &'static str = "libraries";
    const KIND: EntityKind = EntityKind::Library;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let s = place_of(self.settlement.as_str())?;
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            ("kind", Col::Text(self.kind.code().into())),
            ("settlement_ekatte", Col::Text(s.ekatte.to_string())),
            ("municipality_code", Col::Text(s.municipality.to_string())),
            ("district_code", Col::Text(s.district.to_string())),
            ("settlement_kind", Col::Text(s.kind.code().into())),
            ("coordinator", Col::Int(i64::from(self.coordinator))),
        ])
    }
}

impl Entity for Service {
    const TABLE: &'static str = "services";
    const KIND: EntityKind = EntityKind::Service;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    /// The place columns are filled from the library by [`Service::after_write`]'s caller; here
    /// they start empty and are set in the same statement batch.
    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("library_id", Col::Int(i64::from(self.library.get()))),
            ("year", Col::Int(i64::from(self.year.get()))),
            ("category", Col::Text(self.category.to_string())),
            ("status", Col::Text(self.status.code().into())),
            (
                "volunteer_supported",
                Col::Int(i64::from(self.volunteer_supported)),
            ),
            ("name_key", Col::Text(fold_name(&self.card.name))),
            ("district_code", Col::Text(String::new())),
            ("municipality_code", Col::Text(String::new())),
            ("settlement_kind", Col::Text(String::new())),
        ])
    }
}

impl Entity for Partner {
    const TABLE: &'static str = "partners";
    const KIND: EntityKind = EntityKind::Partner;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let district = match &self.settlement {
            Some(e) => Some(place_of(e.as_str())?.district.to_string()),
            None => None,
        };
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            ("short_key", Col::Text(fold_name(&self.short_name))),
            ("kind", Col::Text(self.kind.to_string())),
            ("district_code", Col::OptText(district)),
        ])
    }
}

impl Entity for Person {
    const TABLE: &'static str = "persons";
    const KIND: EntityKind = EntityKind::Person;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("name_key", Col::Text(fold_name(&self.name))),
            ("partner_id", Col::OptInt(self.partner_id)),
            (
                "library_id",
                Col::OptInt(self.library.map(|l| i64::from(l.get()))),
            ),
        ])
    }
}

impl Entity for Event {
    const TABLE: &'static str = "events";
    const KIND: EntityKind = EntityKind::Event;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        let district = match (&self.district, &self.settlement) {
            (Some(d), _) => Some(d.to_string()),
            (None, Some(e)) => Some(place_of(e.as_str())?.district.to_string()),
            (None, None) => None,
        };
        if let Some(e) = &self.settlement {
            place_of(e.as_str())?;
        }
        Ok(vec![
            ("title_key", Col::Text(fold_name(&self.title))),
            ("kind", Col::Text(self.kind.code().into())),
            ("starts", Col::Text(self.starts.to_string())),
            ("ends", Col::Text(self.ends.to_string())),
            ("district_code", Col::OptText(district)),
            (
                "settlement_ekatte",
                Col::OptText(self.settlement.as_ref().map(|e| e.to_string())),
            ),
            ("published", Col::Int(i64::from(self.published))),
        ])
    }
}

fn bind_col<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    c: Col,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match c {
        Col::Text(s) => q.bind(s),
        Col::OptText(s) => q.bind(s),
        Col::Int(n) => q.bind(n),
        Col::OptInt(n) => q.bind(n),
    }
}

pub(crate) fn decode<E: Entity>(row: &AnyRow) -> Result<Versioned<E>> {
    let body: String = row.try_get("body")?;
    Ok(Versioned {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        record: serde_json::from_str(&body)?,
    })
}

/// `pg_advisory_xact_lock` key that orders the writers of the audit log on PostgreSQL.
const AUDIT_LOCK: i64 = 0x6c69_7061_6175_6474;

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; called from every write path"
)]
pub(crate) async fn record_audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    entity: EntityKind,
    entity_id: &str,
    note: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        // Search indexes follow the log by id and never look back: ids must become visible in
        // order. A PostgreSQL identity is taken at insert but seen at commit, so concurrent
        // writers (several servers, or one server's pool) take turns from here to their commit.
        // SQLite has one writer at a time anyway.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, note, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(&actor.0)
    .bind(action.code())
    .bind(entity.code())
    .bind(entity_id)
    .bind(note)
    .bind(before)
    .bind(after)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn get<E: Entity>(
    conn: &mut AnyConnection,
    id: RecordId,
) -> Result<Option<Versioned<E>>> {
    let sql = format!(
        "SELECT id, body, version, created_at, updated_at FROM {} WHERE id = $1",
        E::TABLE
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(decode).transpose()
}

/// All rows matching `filter` (an SQL condition over the table's columns with `$n` binds).
pub(crate) async fn list<E: Entity>(
    conn: &mut AnyConnection,
    filter: &str,
    binds: Vec<Col>,
    order: &str,
) -> Result<Vec<Versioned<E>>> {
    let sql = format!(
        "SELECT id, body, version, created_at, updated_at FROM {} WHERE {filter} ORDER BY {order}",
        E::TABLE
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = bind_col(q, b);
    }
    q.fetch_all(conn).await?.iter().map(decode).collect()
}

/// Inserts a record; `id` is given for libraries (their programme ID) and assigned otherwise.
pub(crate) async fn insert<E: Entity>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: Option<RecordId>,
    record: &E,
) -> Result<Versioned<E>> {
    record.check()?;
    let cols = record.columns()?;
    let body = serde_json::to_string(record)?;
    let at = now();
    let mut names = vec!["body", "version", "created_at", "updated_at"];
    if id.is_some() {
        names.push("id");
    }
    names.extend(cols.iter().map(|(n, _)| *n));
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING id",
        E::TABLE,
        names.join(", "),
        placeholders.join(", ")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql))
        .bind(body.clone())
        .bind(1_i64)
        .bind(at.clone())
        .bind(at.clone());
    if let Some(id) = id {
        q = q.bind(id);
    }
    for (_, c) in cols {
        q = bind_col(q, c);
    }
    let new_id: i64 = match q.fetch_one(&mut *conn).await {
        Ok(row) => row.try_get(0)?,
        Err(e) => return Err(constraint_error::<E>(e, id)),
    };
    record_audit(
        conn,
        actor,
        AuditAction::Create,
        E::KIND,
        &new_id.to_string(),
        note,
        None,
        Some(body),
    )
    .await?;
    let stored = Versioned {
        id: new_id,
        version: 1,
        created_at: at.clone(),
        updated_at: at,
        record: serde_json::from_str(&serde_json::to_string(record)?)?,
    };
    Ok(stored)
}

/// Replaces a record. With `expected`, refuses (and changes nothing) when the stored version
/// differs. Writes nothing and records no audit entry when the record is unchanged.
pub(crate) async fn update<E: Entity + PartialEq>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: RecordId,
    record: &E,
    expected: Option<i64>,
) -> Result<Versioned<E>> {
    record.check()?;
    let current = get::<E>(conn, id).await?.ok_or(StoreError::NotFound {
        entity: E::KIND.code(),
        id: id.to_string(),
    })?;
    if let Some(expected) = expected
        && expected != current.version
    {
        return Err(StoreError::Conflict {
            expected,
            actual: current.version,
        });
    }
    if &current.record == record {
        return Ok(current);
    }
    let cols = record.columns()?;
    let body = serde_json::to_string(record)?;
    let at = now();
    let mut sets = vec![
        "body = $1".to_owned(),
        "version = version + 1".into(),
        "updated_at = $2".into(),
    ];
    for (i, (n, _)) in cols.iter().enumerate() {
        sets.push(format!("{n} = ${}", i + 3));
    }
    let n = cols.len();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ${} AND version = ${}",
        E::TABLE,
        sets.join(", "),
        n + 3,
        n + 4
    );
    let mut q = sqlx::query(AssertSqlSafe(sql))
        .bind(body.clone())
        .bind(at.clone());
    for (_, c) in cols {
        q = bind_col(q, c);
    }
    let done = q
        .bind(id)
        .bind(current.version)
        .execute(&mut *conn)
        .await
        .map_err(|e| constraint_error::<E>(e, Some(id)))?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            expected: current.version,
            actual: current.version + 1,
        });
    }
    let before = serde_json::to_string(&current.record)?;
    record_audit(
        conn,
        actor,
        AuditAction::Update,
        E::KIND,
        &id.to_string(),
        note,
        Some(before),
        Some(body),
    )
    .await?;
    Ok(Versioned {
        id,
        version: current.version + 1,
        created_at: current.created_at,
        updated_at: at,
        record: serde_json::from_str(&serde_json::to_string(record)?)?,
    })
}

pub(crate) async fn delete<E: Entity>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: RecordId,
    expected: Option<i64>,
) -> Result<()> {
    let current = get::<E>(conn, id).await?.ok_or(StoreError::NotFound {
        entity: E::KIND.code(),
        id: id.to_string(),
    })?;
    if let Some(expected) = expected
        && expected != current.version
    {
        return Err(StoreError::Conflict {
            expected,
            actual: current.version,
        });
    }
    let sql = format!("DELETE FROM {} WHERE id = $1", E::TABLE);
    sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let before = serde_json::to_string(&current.record)?;
    record_audit(
        conn,
        actor,
        AuditAction::Delete,
        E::KIND,
        &id.to_string(),
        note,
        Some(before),
        None,
    )
    .await
}

/// Turns constraint failures into errors a user can act on.
fn constraint_error<E: Entity>(e: sqlx::Error, id: Option<RecordId>) -> StoreError {
    let msg = e.to_string();
    // SQLite names the columns of a violated index, PostgreSQL the index.
    if msg.contains("UNIQUE constraint failed: libraries.district_code")
        || msg.contains("\"libraries_one_coordinator\"")
    {
        return StoreError::Invalid(Violation::new("coordinator", "err-second-coordinator").into());
    }
    if msg.contains("UNIQUE constraint failed") || msg.contains("duplicate key") {
        return StoreError::AlreadyExists {
            entity: E::KIND.code(),
            id: id.map(|i| i.to_string()).unwrap_or_default(),
        };
    }
    if msg.contains("FOREIGN KEY constraint failed") || msg.contains("violates foreign key") {
        return StoreError::Invalid(Violation::new("", "err-reference").into());
    }
    StoreError::Database(e)
}

// --- hooks that keep indexed copies and link tables in step -----------------------------------

/// Copies the library's place into a service row and rewrites its target-group and partner links.
pub(crate) async fn after_service_write(
    conn: &mut AnyConnection,
    id: RecordId,
    s: &Service,
) -> Result<()> {
    let lib = get::<Library>(conn, i64::from(s.library.get()))
        .await?
        .ok_or_else(|| {
            StoreError::Invalid(
                Violation::new("library", "err-unknown-library")
                    .arg("value", s.library)
                    .into(),
            )
        })?;
    let place = place_of(lib.record.settlement.as_str())?;
    sqlx::query(
        "UPDATE services SET district_code = $1, municipality_code = $2, settlement_kind = $3 WHERE id = $4",
    )
    .bind(place.district.as_str())
    .bind(place.municipality.as_str())
    .bind(place.kind.code())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM service_target_groups WHERE service_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, t) in s.card.target_groups.iter().enumerate() {
        sqlx::query(
            "INSERT INTO service_target_groups (service_id, position, name, name_key) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(t.trim())
        .bind(fold_name(t))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM service_partners WHERE service_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, p) in s.card.partners.iter().enumerate() {
        let key = fold_name(&p.name);
        let partner_id = match p.partner_id {
            Some(pid) => Some(pid),
            None => find_partner_by_name(conn, &key).await?,
        };
        sqlx::query(
            "INSERT INTO service_partners (service_id, position, partner_id, name_key) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(partner_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn find_partner_by_name(conn: &mut AnyConnection, key: &str) -> Result<Option<RecordId>> {
    let rows = sqlx::query("SELECT id FROM partners WHERE name_key = $1 OR (short_key = $1 AND short_key <> '') LIMIT 2")
        .bind(key)
        .fetch_all(conn)
        .await?;
    Ok(if rows.len() == 1 {
        Some(rows[0].try_get(0)?)
    } else {
        None
    })
}

/// Keeps the place columns of a library's services in step when the library moves.
pub(crate) async fn after_library_write(conn: &mut AnyConnection, lib: &Library) -> Result<()> {
    let place = place_of(lib.settlement.as_str())?;
    sqlx::query(
        "UPDATE services SET district_code = $1, municipality_code = $2, settlement_kind = $3
         WHERE library_id = $4 AND (district_code <> $1 OR municipality_code <> $2 OR settlement_kind <> $3)",
    )
    .bind(place.district.as_str())
    .bind(place.municipality.as_str())
    .bind(place.kind.code())
    .bind(i64::from(lib.id.get()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Links an event's participants to people of the registry (by ID, or by a name only one person
/// has).
pub(crate) async fn after_event_write(
    conn: &mut AnyConnection,
    id: RecordId,
    e: &Event,
) -> Result<()> {
    sqlx::query("DELETE FROM event_participants WHERE event_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, p) in e.participants.iter().enumerate() {
        let person_id = match p.person_id {
            Some(pid) => Some(pid),
            None => {
                let rows = sqlx::query("SELECT id FROM persons WHERE name_key = $1 LIMIT 2")
                    .bind(fold_name(&p.name))
                    .fetch_all(&mut *conn)
                    .await?;
                if rows.len() == 1 {
                    Some(rows[0].try_get::<i64, _>(0)?)
                } else {
                    None
                }
            }
        };
        sqlx::query("INSERT INTO event_participants (event_id, position, person_id, role) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i as i64)
            .bind(person_id)
            .bind(p.role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Checks what the foreign keys would catch, with messages a user understands.
pub(crate) async fn check_service_refs(conn: &mut AnyConnection, s: &Service) -> Result<()> {
    let mut v = Violations::default();
    let cat = sqlx::query("SELECT 1 FROM categories WHERE code = $1")
        .bind(s.category.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if cat.is_none() {
        v.push(Violation::new("category", "err-unknown-category").arg("value", &s.category));
    }
    let lib = sqlx::query("SELECT 1 FROM libraries WHERE id = $1")
        .bind(i64::from(s.library.get()))
        .fetch_optional(&mut *conn)
        .await?;
    if lib.is_none() {
        v.push(Violation::new("library", "err-unknown-library").arg("value", s.library));
    }
    v.into_result().map_err(StoreError::from)
}

pub(crate) async fn check_partner_refs(conn: &mut AnyConnection, p: &Partner) -> Result<()> {
    let kind = sqlx::query("SELECT 1 FROM partner_kinds WHERE code = $1")
        .bind(p.kind.as_str())
        .fetch_optional(conn)
        .await?;
    if kind.is_none() {
        return Err(Violations::from(
            Violation::new("kind", "err-unknown-partner-kind").arg("value", &p.kind),
        )
        .into());
    }
    Ok(())
}

// --- the public interface ---------------------------------------------------------------------

fn lib_key(id: LibraryId) -> RecordId {
    i64::from(id.get())
}

impl Store {
    pub async fn library(&self, id: LibraryId) -> Result<Option<Versioned<Library>>> {
        let mut conn = self.pool.acquire().await?;
        get::<Library>(&mut conn, lib_key(id)).await
    }

    /// Every library, by programme ID.
    pub async fn libraries(&self) -> Result<Vec<Versioned<Library>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Library>(&mut conn, "1 = 1", vec![], "id").await
    }

    pub async fn libraries_by_ids(&self, ids: &[LibraryId]) -> Result<Vec<Versioned<Library>>> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(l) = get::<Library>(&mut conn, lib_key(*id)).await? {
                out.push(l);
            }
        }
        Ok(out)
    }

    pub async fn create_library(&self, actor: &Actor, lib: &Library) -> Result<Versioned<Library>> {
        let mut tx = self.pool.begin().await?;
        let out = insert(&mut tx, actor, "", Some(lib_key(lib.id)), lib).await?;
        after_library_write(&mut tx, lib).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_library(
        &self,
        actor: &Actor,
        lib: &Library,
        expected: Option<i64>,
    ) -> Result<Versioned<Library>> {
        let mut tx = self.pool.begin().await?;
        let out = update(&mut tx, actor, "", lib_key(lib.id), lib, expected).await?;
        after_library_write(&mut tx, lib).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Deletes a library and, with it, its services (each recorded in the audit log).
    pub async fn delete_library(
        &self,
        actor: &Actor,
        id: LibraryId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let services = list::<Service>(
            &mut tx,
            "library_id = $1",
            vec![Col::Int(lib_key(id))],
            "id",
        )
        .await?;
        for s in services {
            delete::<Service>(&mut tx, actor, "library deleted", s.id, None).await?;
        }
        delete::<Library>(&mut tx, actor, "", lib_key(id), expected).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn service(&self, id: RecordId) -> Result<Option<Versioned<Service>>> {
        let mut conn = self.pool.acquire().await?;
        get::<Service>(&mut conn, id).await
    }

    pub async fn services(&self) -> Result<Vec<Versioned<Service>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Service>(&mut conn, "1 = 1", vec![], "library_id, year, id").await
    }

    /// The services of some libraries, by library, year and ID.
    pub async fn services_of(&self, ids: &[LibraryId]) -> Result<Vec<Versioned<Service>>> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for id in ids {
            out.extend(
                list::<Service>(
                    &mut conn,
                    "library_id = $1",
                    vec![Col::Int(lib_key(*id))],
                    "year, id",
                )
                .await?,
            );
        }
        Ok(out)
    }

    pub async fn create_service(&self, actor: &Actor, s: &Service) -> Result<Versioned<Service>> {
        let mut tx = self.pool.begin().await?;
        check_service_refs(&mut tx, s).await?;
        let out = insert(&mut tx, actor, "", None, s).await?;
        after_service_write(&mut tx, out.id, s).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_service(
        &self,
        actor: &Actor,
        id: RecordId,
        s: &Service,
        expected: Option<i64>,
    ) -> Result<Versioned<Service>> {
        let mut tx = self.pool.begin().await?;
        check_service_refs(&mut tx, s).await?;
        let out = update(&mut tx, actor, "", id, s, expected).await?;
        after_service_write(&mut tx, id, s).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn delete_service(
        &self,
        actor: &Actor,
        id: RecordId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        delete::<Service>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn partner(&self, id: RecordId) -> Result<Option<Versioned<Partner>>> {
        let mut conn = self.pool.acquire().await?;
        get::<Partner>(&mut conn, id).await
    }

    pub async fn partners(&self) -> Result<Vec<Versioned<Partner>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Partner>(&mut conn, "1 = 1", vec![], "name_key, id").await
    }

    pub async fn create_partner(&self, actor: &Actor, p: &Partner) -> Result<Versioned<Partner>> {
        let mut tx = self.pool.begin().await?;
        check_partner_refs(&mut tx, p).await?;
        let out = insert(&mut tx, actor, "", None, p).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_partner(
        &self,
        actor: &Actor,
        id: RecordId,
        p: &Partner,
        expected: Option<i64>,
    ) -> Result<Versioned<Partner>> {
        let mut tx = self.pool.begin().await?;
        check_partner_refs(&mut tx, p).await?;
        let out = update(&mut tx, actor, "", id, p, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn delete_partner(
        &self,
        actor: &Actor,
        id: RecordId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        delete::<Partner>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn person(&self, id: RecordId) -> Result<Option<Versioned<Person>>> {
        let mut conn = self.pool.acquire().await?;
        get::<Person>(&mut conn, id).await
    }

    pub async fn persons(&self) -> Result<Vec<Versioned<Person>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Person>(&mut conn, "1 = 1", vec![], "name_key, id").await
    }

    pub async fn create_person(&self, actor: &Actor, p: &Person) -> Result<Versioned<Person>> {
        let mut tx = self.pool.begin().await?;
        let out = insert(&mut tx, actor, "", None, p).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        id: RecordId,
        p: &Person,
        expected: Option<i64>,
    ) -> Result<Versioned<Person>> {
        let mut tx = self.pool.begin().await?;
        let out = update(&mut tx, actor, "", id, p, expected).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn event(&self, id: RecordId) -> Result<Option<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        get::<Event>(&mut conn, id).await
    }

    /// Events, latest first.
    pub async fn events(&self) -> Result<Vec<Versioned<Event>>> {
        let mut conn = self.pool.acquire().await?;
        list::<Event>(&mut conn, "1 = 1", vec![], "starts DESC, id DESC").await
    }

    pub async fn create_event(&self, actor: &Actor, e: &Event) -> Result<Versioned<Event>> {
        let mut tx = self.pool.begin().await?;
        let out = insert(&mut tx, actor, "", None, e).await?;
        after_event_write(&mut tx, out.id, e).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn update_event(
        &self,
        actor: &Actor,
        id: RecordId,
        e: &Event,
        expected: Option<i64>,
    ) -> Result<Versioned<Event>> {
        let mut tx = self.pool.begin().await?;
        let out = update(&mut tx, actor, "", id, e, expected).await?;
        after_event_write(&mut tx, id, e).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn delete_event(
        &self,
        actor: &Actor,
        id: RecordId,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        delete::<Event>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The service categories, in their display order.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        let rows = sqlx::query("SELECT body FROM categories ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>(0)?)?))
            .collect()
    }

    pub async fn partner_kinds(&self) -> Result<Vec<PartnerKind>> {
        let rows = sqlx::query("SELECT body FROM partner_kinds ORDER BY position, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>(0)?)?))
            .collect()
    }

    /// Adds a category to the taxonomy (or renames one), recorded in the audit log.
    pub async fn save_category(&self, actor: &Actor, c: &Category) -> Result<()> {
        let mut v = Violations::default();
        lipa_core::error::check_text(&mut v, "name_bg", &c.name_bg, true, 100);
        lipa_core::error::check_text(&mut v, "name_en", &c.name_en, true, 100);
        v.into_result()?;
        let mut tx = self.pool.begin().await?;
        let before: Option<String> = sqlx::query("SELECT body FROM categories WHERE code = $1")
            .bind(c.code.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.get(0));
        let body = serde_json::to_string(c)?;
        sqlx::query(
            "INSERT INTO categories (code, position, body) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET position = excluded.position, body = excluded.body,
               version = categories.version + 1",
        )
        .bind(c.code.as_str())
        .bind(i64::from(c.position))
        .bind(body.clone())
        .execute(&mut *tx)
        .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_audit(
            &mut tx,
            actor,
            action,
            EntityKind::Category,
            c.code.as_str(),
            "",
            before,
            Some(body),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
