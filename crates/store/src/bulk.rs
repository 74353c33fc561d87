//! Many new records at once: the write path of imports and the demo, which create thousands of
//! rows in one transaction. The same rows and audit entries as [`crate::record::insert`], but a
//! statement inserts hundreds of rows, IDs are taken in one step, and what each record refers to
//! is looked up once per batch — not a dozen statements per record.

use crate::audit::AUDIT_LOCK;
use crate::record::{Entity, constraint_error};
use crate::sql::{Col, Where};
use crate::{Result, StoreError, now};
use lipa_core::Violations;
use lipa_core::audit::{Actor, AuditAction};
use lipa_core::ids::RecordKey;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// Bound parameters per statement. SQLite finds a numbered parameter by walking the
/// statement's list of them, so binding costs grow with the square of their number: at 30,000 a
/// load spent a third of its time there (`perf`, issue 11); at a thousand it is noise.
const MAX_BINDS: usize = 1_000;
/// Rows per statement, whatever their width: longer statements gain nothing measurable.
const MAX_ROWS: usize = 500;

fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// Inserts `rows` into `table`, many per statement.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Col>>,
) -> std::result::Result<(), sqlx::Error> {
    let per = (MAX_BINDS / columns.len().max(1)).clamp(1, MAX_ROWS);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut w = Where::default();
        let values: Vec<String> = rows
            .by_ref()
            .take(per)
            .map(|row| {
                let v: Vec<String> = row.into_iter().map(|c| w.bind(c)).collect();
                format!("({})", v.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            values.join(", ")
        );
        w.query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// `n` new IDs for `table`, taken inside the writer's transaction: the sequence's next values on
/// PostgreSQL; on SQLite (one writer at a time) the ones after the largest.
pub(crate) async fn reserve_ids(
    conn: &mut AnyConnection,
    table: &str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if is_postgres(conn) {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        )))
        .bind(n as i64)
        .fetch_all(&mut *conn)
        .await?;
        return rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0).map_err(StoreError::from))
            .collect();
    }
    let max: i64 = sqlx::query(AssertSqlSafe(format!(
        "SELECT COALESCE(MAX(id), 0) FROM {table}"
    )))
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    Ok((1..=n as i64).map(|i| max + i).collect())
}

/// A new record for [`create_many`]: its ID when it brings one (a library's programme ID), and
/// columns that replace what [`Entity::columns`] gives (a service's place, known to the batch).
pub(crate) struct New<'a, E: Entity> {
    pub record: &'a E,
    pub id: Option<E::Id>,
    pub overrides: Vec<(&'static str, Col)>,
}

/// Creates `records` with their audit entries, as [`crate::record::insert`] does one by one —
/// but the entry of a record created in bulk names the import and does not copy the record
/// (`after` is empty): its first version is the record itself until it changes, and then the
/// change's `before`. A million imported records are not written twice.
/// Every record is checked first; the violations of all of them come back at once, each under
/// `path(i)` (`libraries[3]`), and then nothing is written. Returns the IDs in order.
pub(crate) async fn create_many<E: Entity>(
    conn: &mut AnyConnection,
    actor: &Actor,
    note: &str,
    records: Vec<New<'_, E>>,
    path: impl Fn(usize) -> String,
) -> Result<Vec<E::Id>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let mut bad = Violations::default();
    let mut prepared = Vec::with_capacity(records.len());
    for (i, new) in records.iter().enumerate() {
        let columns = new.record.check().and_then(|()| new.record.columns());
        match columns {
            Ok(mut cols) => {
                for (name, value) in &new.overrides {
                    if let Some(c) = cols.iter_mut().find(|(n, _)| n == name) {
                        c.1 = value.clone();
                    }
                }
                prepared.push((serde_json::to_string(new.record)?, cols));
            }
            Err(v) => bad.extend_under(&path(i), v),
        }
    }
    if !bad.is_empty() {
        return Err(StoreError::Invalid(bad));
    }
    let ids: Vec<i64> = if records.iter().all(|n| n.id.is_some()) {
        records
            .iter()
            .filter_map(|n| n.id.map(RecordKey::raw))
            .collect()
    } else {
        reserve_ids(conn, E::TABLE, records.len()).await?
    };
    let at = now();
    let mut names = vec!["id", "body", "version", "created_at", "updated_at"];
    names.extend(prepared[0].1.iter().map(|(n, _)| *n));
    let mut rows = Vec::with_capacity(prepared.len());
    let mut audit = Vec::with_capacity(prepared.len());
    for (id, (body, cols)) in ids.iter().zip(prepared) {
        audit.push(vec![
            Col::Text(at.clone()),
            Col::Text(actor.0.clone()),
            Col::Text(AuditAction::Create.code().into()),
            Col::Text(E::KIND.code().into()),
            Col::Text(id.to_string()),
            Col::Text(note.to_owned()),
            Col::OptText(None),
            Col::OptText(None),
        ]);
        let mut row = vec![
            Col::Int(*id),
            Col::Text(body),
            Col::Int(1),
            Col::Text(at.clone()),
            Col::Text(at.clone()),
        ];
        row.extend(cols.into_iter().map(|(_, c)| c));
        rows.push(row);
    }
    if let Err(e) = insert_rows(conn, E::TABLE, &names, rows).await {
        return Err(constraint_error(E::KIND, e, None));
    }
    if is_postgres(conn) {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    insert_rows(
        conn,
        "audit_log",
        &[
            "at",
            "actor",
            "action",
            "entity",
            "entity_id",
            "note",
            "before",
            "after",
        ],
        audit,
    )
    .await?;
    Ok(ids.into_iter().map(E::Id::from_raw).collect())
}
