//! The plumbing every domain module shares: the generic read and write path of an entity, and
//! keyset paging.
//!
//! Every entity table has the same shape — `id`, `body` (the whole record as JSON, the one
//! source of truth), `version`, timestamps — plus indexed columns copied from the record by
//! [`Entity::columns`]. One generic [`insert`] / [`update`] / [`delete`] does the work for all of
//! them and records the audit entry in the same transaction; the domain modules
//! (`libraries.rs`, `services.rs`, …) implement [`Entity`], call the hooks that keep their link
//! tables in step, and own their own queries. Nothing here knows a particular entity.
//!
//! Constraint failures are told apart by sqlx's [`ErrorKind`] (never by a message text, which
//! a localised PostgreSQL translates): a unique violation is [`StoreError::AlreadyExists`], a
//! foreign-key violation an invalid reference.

use crate::audit::record_audit;
use crate::sql::{Col, Where, bind};
use crate::{Result, Store, StoreError, now};
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::geo::{Gazetteer, Settlement};
use lipa_core::ids::{DistrictCode, Keyed, LibraryId, RecordKey};
use lipa_core::{Violation, Violations};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::error::ErrorKind;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

/// A stored record with its key and version (the `ETag` of the API).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versioned<T: Keyed> {
    pub id: T::Id,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(flatten)]
    pub record: T,
}

/// What the generic code needs to know of an entity.
pub(crate) trait Entity: Keyed + Serialize + DeserializeOwned + Sized {
    const TABLE: &'static str;
    const KIND: EntityKind;

    /// Checks the record; the store refuses to write an invalid one.
    fn check(&self) -> Result<(), Violations>;

    /// Indexed columns copied from the record.
    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations>;

    /// Checks what the record refers to, inside the write's transaction (nothing by default).
    fn check_refs(&self, conn: &mut AnyConnection) -> impl Future<Output = Result<()>> + Send {
        let _ = conn;
        async { Ok(()) }
    }

    /// Removes the records that depend on this one, with their audit entries, before it is
    /// deleted in the same transaction (nothing by default: link rows go by cascade).
    fn before_delete(
        conn: &mut AnyConnection,
        actor: &Actor,
        id: Self::Id,
    ) -> impl Future<Output = Result<()>> + Send {
        let _ = (conn, actor, id);
        async { Ok(()) }
    }

    /// Keeps the record's link tables in step after a write (nothing by default).
    fn after_write(
        &self,
        conn: &mut AnyConnection,
        id: Self::Id,
    ) -> impl Future<Output = Result<()>> + Send {
        let _ = (conn, id);
        async { Ok(()) }
    }
}

/// A record the store creates, replaces and deletes the same way — partners, persons, events,
/// services and the entries of their activity logs: checked, its references checked, written
/// with its audit entry and its link tables in one transaction, at the version the writer saw.
/// (Libraries and users have writes of their own.)
#[allow(private_bounds)]
pub trait Written: Entity + PartialEq + Sync {}

impl Store {
    /// Creates a record.
    pub async fn create<E: Written>(&self, actor: &Actor, record: &E) -> Result<Versioned<E>> {
        let mut tx = self.begin_write().await?;
        record.check_refs(&mut tx).await?;
        let out = insert(&mut tx, actor, "", None, record).await?;
        record.after_write(&mut tx, out.id).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Replaces record `id` (at version `expected`, if given).
    pub async fn replace<E: Written>(
        &self,
        actor: &Actor,
        id: E::Id,
        record: &E,
        expected: Option<i64>,
    ) -> Result<Versioned<E>> {
        let mut tx = self.begin_write().await?;
        record.check_refs(&mut tx).await?;
        let out = update(&mut tx, actor, "", id, record, expected).await?;
        record.after_write(&mut tx, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Deletes record `id` (at version `expected`, if given); what referred to it loses the link.
    pub async fn delete<E: Written>(
        &self,
        actor: &Actor,
        id: E::Id,
        expected: Option<i64>,
    ) -> Result<()> {
        self.remove::<E>(actor, id, expected).await
    }
}

/// The settlement of an EKATTE code, or the violation that names it unknown.
pub(crate) fn place_of(ekatte: &str) -> Result<&'static Settlement, Violations> {
    Gazetteer::get().settlement(ekatte).ok_or_else(|| {
        Violations::from(
            Violation::new("settlement", "err-unknown-settlement").arg("value", ekatte),
        )
    })
}

/// The columns every entity row starts with, as a `SELECT` list.
pub(crate) const ROW: &str = "id, body, version, created_at, updated_at";

/// The record key in column `i` of a row.
pub(crate) fn key<K: RecordKey>(row: &AnyRow, i: usize) -> Result<K> {
    Ok(K::from_raw(row.try_get(i)?))
}

/// The record key in column `i` of a row, or none (NULL).
pub(crate) fn opt_key<K: RecordKey>(row: &AnyRow, i: usize) -> Result<Option<K>> {
    Ok(row.try_get::<Option<i64>, _>(i)?.map(K::from_raw))
}

pub(crate) fn decode<E: Keyed + DeserializeOwned>(row: &AnyRow) -> Result<Versioned<E>> {
    let body: String = row.try_get("body")?;
    Ok(Versioned {
        id: E::Id::from_raw(row.try_get("id")?),
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        record: serde_json::from_str(&body)?,
    })
}

pub(crate) async fn get<E: Entity>(
    conn: &mut AnyConnection,
    id: E::Id,
) -> Result<Option<Versioned<E>>> {
    let sql = format!("SELECT {ROW} FROM {} WHERE id = $1", E::TABLE);
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.raw())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(decode).transpose()
}

/// All rows that pass `filter`, in `order`.
pub(crate) async fn list<E: Entity>(
    conn: &mut AnyConnection,
    filter: &Where,
    order: &str,
) -> Result<Vec<Versioned<E>>> {
    let sql = format!(
        "SELECT {ROW} FROM {} WHERE {} ORDER BY {order}",
        E::TABLE,
        filter.clause()
    );
    let rows = filter.query(sql).fetch_all(conn).await?;
    rows.iter().map(decode).collect()
}

/// Inserts a record; `id` is given for libraries (their programme ID) and assigned otherwise.
pub(crate) async fn insert<E: Entity>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: Option<E::Id>,
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
        q = q.bind(id.raw());
    }
    for (_, c) in cols {
        q = bind(q, c);
    }
    let new_id = match q.fetch_one(&mut *conn).await {
        Ok(row) => E::Id::from_raw(row.try_get(0)?),
        Err(e) => return Err(constraint_error(E::KIND, e, id.map(|i| i.to_string()))),
    };
    record_audit(
        conn,
        actor,
        AuditAction::Create,
        E::KIND,
        &new_id.to_string(),
        note,
        None,
        Some(body.clone()),
    )
    .await?;
    Ok(Versioned {
        id: new_id,
        version: 1,
        created_at: at.clone(),
        updated_at: at,
        record: serde_json::from_str(&body)?,
    })
}

/// Replaces a record. With `expected`, refuses (and changes nothing) when the stored version
/// differs. Writes nothing and records no audit entry when the record is unchanged.
pub(crate) async fn update<E: Entity + PartialEq>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: E::Id,
    record: &E,
    expected: Option<i64>,
) -> Result<Versioned<E>> {
    record.check()?;
    let current = current::<E>(conn, id, expected).await?;
    if &current.record == record {
        return Ok(current);
    }
    let body = serde_json::to_string(record)?;
    let at = now();
    let done = write_row(conn, id, record, &body, &at, Some(current.version)).await?;
    if done != 1 {
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
        Some(body.clone()),
    )
    .await?;
    Ok(Versioned {
        id,
        version: current.version + 1,
        created_at: current.created_at,
        updated_at: at,
        record: serde_json::from_str(&body)?,
    })
}

/// Replaces a record's body and indexed columns without an audit entry with values: for
/// erasure only, whose caller records an `erase` entry instead (recording the values it removes
/// would keep them).
pub(crate) async fn overwrite<E: Entity>(
    conn: &mut AnyConnection,
    id: E::Id,
    record: &E,
) -> Result<()> {
    record.check()?;
    let body = serde_json::to_string(record)?;
    write_row(conn, id, record, &body, &now(), None).await?;
    Ok(())
}

/// `UPDATE` of a row's body, version, time and indexed columns (only at version `at_version`,
/// when given); the number of rows written.
async fn write_row<E: Entity>(
    conn: &mut AnyConnection,
    id: E::Id,
    record: &E,
    body: &str,
    at: &str,
    at_version: Option<i64>,
) -> Result<u64> {
    let mut w = Where::default();
    let mut sets = vec![
        format!("body = {}", w.bind(body)),
        "version = version + 1".into(),
        format!("updated_at = {}", w.bind(at)),
    ];
    for (n, c) in record.columns()? {
        sets.push(format!("{n} = {}", w.bind(c)));
    }
    w.eq("id", id.raw());
    if let Some(v) = at_version {
        w.eq("version", v);
    }
    let sql = format!(
        "UPDATE {} SET {} WHERE {}",
        E::TABLE,
        sets.join(", "),
        w.clause()
    );
    let done = w
        .query(sql)
        .execute(&mut *conn)
        .await
        .map_err(|e| constraint_error(E::KIND, e, Some(id.to_string())))?;
    Ok(done.rows_affected())
}

pub(crate) async fn delete<E: Entity>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    id: E::Id,
    expected: Option<i64>,
) -> Result<()> {
    let current = current::<E>(conn, id, expected).await?;
    E::before_delete(conn, actor, id).await?;
    let sql = format!("DELETE FROM {} WHERE id = $1", E::TABLE);
    sqlx::query(AssertSqlSafe(sql))
        .bind(id.raw())
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

/// The stored record `id`, at version `expected` if given.
async fn current<E: Entity>(
    conn: &mut AnyConnection,
    id: E::Id,
    expected: Option<i64>,
) -> Result<Versioned<E>> {
    let current = get::<E>(conn, id).await?.ok_or(StoreError::NotFound {
        entity: E::KIND.code(),
        id: id.to_string(),
    })?;
    match expected {
        Some(expected) if expected != current.version => Err(StoreError::Conflict {
            expected,
            actual: current.version,
        }),
        _ => Ok(current),
    }
}

/// Turns constraint failures into errors a user can act on, by the kind sqlx reads from the
/// database's error code (SQLite's extended result code, PostgreSQL's SQLSTATE).
pub(crate) fn constraint_error(kind: EntityKind, e: sqlx::Error, id: Option<String>) -> StoreError {
    let sqlx::Error::Database(db) = &e else {
        return StoreError::Database(e);
    };
    match db.kind() {
        // The one unique index on a value rather than a key. SQLite names no constraint; there
        // the libraries' writers check the rule first (`libraries::check_coordinator`), so that
        // this is reached only by a race, which PostgreSQL then names.
        ErrorKind::UniqueViolation if db.constraint() == Some("libraries_one_coordinator") => {
            second_coordinator()
        }
        ErrorKind::UniqueViolation => StoreError::AlreadyExists {
            entity: kind.code(),
            id: id.unwrap_or_default(),
        },
        ErrorKind::ForeignKeyViolation => {
            StoreError::Invalid(Violation::new("", "err-reference").into())
        }
        _ => StoreError::Database(e),
    }
}

/// A district has one coordinating library.
pub(crate) fn second_coordinator() -> StoreError {
    StoreError::Invalid(Violation::new("coordinator", "err-second-coordinator").into())
}

// --- link tables ------------------------------------------------------------------------------

/// Replaces the link rows of one record in two statements, whatever their number: deletes the
/// rows of `table` whose `owner` column is `id`, then inserts `rows`, each the values of
/// `columns` after the owner's.
pub(crate) async fn replace_links(
    conn: &mut AnyConnection,
    table: &str,
    owner: &str,
    id: impl RecordKey,
    columns: &[&str],
    rows: Vec<Vec<Col>>,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE {owner} = $1"
    )))
    .bind(id.raw())
    .execute(&mut *conn)
    .await?;
    let mut names = vec![owner];
    names.extend_from_slice(columns);
    let rows = rows
        .into_iter()
        .map(|row| {
            let mut r = vec![Col::Int(id.raw())];
            r.extend(row);
            r
        })
        .collect();
    crate::bulk::insert_rows(conn, table, &names, rows).await?;
    Ok(())
}

/// For each of `keys` (folded names), the one row of `table` that holds it in one of `columns`
/// — none when no row or several do — in one query.
pub(crate) async fn unique_by_key<K: RecordKey>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    keys: &[String],
) -> Result<HashMap<String, K>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let mut w = Where::default();
    let list: Vec<String> = keys.iter().map(|k| w.bind(k.as_str())).collect();
    let any: Vec<String> = columns
        .iter()
        .map(|c| format!("{c} IN ({})", list.join(", ")))
        .collect();
    let sql = format!(
        "SELECT id, {} FROM {table} WHERE {}",
        columns.join(", "),
        any.join(" OR ")
    );
    let mut holders: HashMap<&str, Vec<K>> = HashMap::new();
    for r in w.query(sql).fetch_all(conn).await? {
        let id = K::from_raw(r.try_get(0)?);
        for i in 1..=columns.len() {
            let value: String = r.try_get(i)?;
            if let Some(k) = keys.iter().find(|k| !value.is_empty() && **k == value) {
                let ids = holders.entry(k.as_str()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    Ok(holders
        .into_iter()
        .filter(|(_, ids)| ids.len() == 1)
        .map(|(k, ids)| (k.to_owned(), ids[0]))
        .collect())
}

// --- one record, one list, one deletion: what every domain module asks ---------------------

impl Store {
    /// A record by its key.
    pub(crate) async fn find<E: Entity>(&self, id: E::Id) -> Result<Option<Versioned<E>>> {
        let mut conn = self.pool.acquire().await?;
        get::<E>(&mut conn, id).await
    }

    /// The records that pass `filter`, in `order`.
    pub(crate) async fn select<E: Entity>(
        &self,
        filter: &Where,
        order: &str,
    ) -> Result<Vec<Versioned<E>>> {
        let mut conn = self.pool.acquire().await?;
        list::<E>(&mut conn, filter, order).await
    }

    /// Deletes a record (at version `expected`, if given) in a transaction of its own.
    pub(crate) async fn remove<E: Entity>(
        &self,
        actor: &Actor,
        id: E::Id,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        delete::<E>(&mut tx, actor, "", id, expected).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Walking a whole table in bounded memory: the records after a key, in key order, a page at a
/// time (what rebuilds and exports read, whatever the size of the registry).
impl Store {
    async fn rows_after<E: Entity>(&self, after: i64, limit: usize) -> Result<Vec<Versioned<E>>> {
        let sql = format!(
            "SELECT {ROW} FROM {} WHERE id > $1 ORDER BY id LIMIT {}",
            E::TABLE,
            limit.clamp(1, 100_000)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// The number of libraries, services, persons, partners and events together.
    pub async fn records_total(&self) -> Result<i64> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM libraries) + (SELECT COUNT(*) FROM services)
                  + (SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM partners)
                  + (SELECT COUNT(*) FROM events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Libraries after programme ID `after` (0 for the first page), at most `limit`.
    pub async fn libraries_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Versioned<lipa_core::library::Library>>> {
        self.rows_after(after, limit).await
    }

    /// Partners after ID `after`, at most `limit`.
    pub async fn partners_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Versioned<lipa_core::partner::Partner>>> {
        self.rows_after(after, limit).await
    }

    /// Persons after ID `after`, at most `limit`.
    pub async fn persons_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Versioned<lipa_core::person::Person>>> {
        self.rows_after(after, limit).await
    }

    /// Events after ID `after`, at most `limit`.
    pub async fn events_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Versioned<lipa_core::event::Event>>> {
        self.rows_after(after, limit).await
    }
}

// --- lists ------------------------------------------------------------------------------------

/// One value of a facet and the number of records it would give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub count: i64,
}

/// The counts of one filter of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// `district`, `municipality`, `settlement_kind`, `category`, `target_group`, `volunteers`,
    /// `year`, `status`.
    pub name: &'static str,
    pub values: Vec<FacetValue>,
}

/// The rows of a facet query: the value, then its count.
pub(crate) fn facet_values(rows: &[AnyRow]) -> Result<Vec<FacetValue>> {
    rows.iter()
        .map(|r| {
            Ok(FacetValue {
                value: r.try_get(0)?,
                count: r.try_get(1)?,
            })
        })
        .collect()
}

// --- keyset paging ----------------------------------------------------------------------------

/// One page of a keyset-paged list: rows with an id greater than `after`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Keyset {
    pub after: Option<i64>,
    pub limit: i64,
}

/// One page of a keyset-paged list.
#[derive(Debug, Clone)]
pub struct KeysetPage<T: Keyed> {
    pub items: Vec<Versioned<T>>,
    /// Rows that pass the filter, on every page.
    pub total: i64,
    /// Whether rows follow this page.
    pub more: bool,
}

/// Which unpublished records (draft services, unpublished events) a reader may see besides the
/// published ones. Who gets which is the caller's decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DraftScope {
    #[default]
    None,
    All,
    District(DistrictCode),
    Library(LibraryId),
}

impl Store {
    /// One page of a table's rows that pass `filter` ("id greater than the cursor", ordered by
    /// id, so that a client walking a list while others write never sees a row twice), and the
    /// number of all that pass.
    pub(crate) async fn keyset_page<E: Entity>(
        &self,
        mut filter: Where,
        page: Keyset,
    ) -> Result<KeysetPage<E>> {
        let count_sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {}",
            E::TABLE,
            filter.clause()
        );
        let total: i64 = filter
            .query(count_sql)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        if let Some(after) = page.after {
            filter.gt("id", after);
        }
        // One row more than asked tells whether another page follows.
        let limit = page.limit.clamp(1, 1000) + 1;
        let sql = format!(
            "SELECT {ROW} FROM {} WHERE {} ORDER BY id LIMIT {limit}",
            E::TABLE,
            filter.clause()
        );
        let rows = filter.query(sql).fetch_all(&self.pool).await?;
        let mut items = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        let more = items.len() as i64 == limit;
        items.truncate((limit - 1) as usize);
        Ok(KeysetPage { items, total, more })
    }
}
