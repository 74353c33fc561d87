//! Accounts: users with their role and scope, password hashes (Argon2id), sessions and API
//! tokens, and the rules on roles the store can check (a role's scope exists; how many enabled
//! administrators there are). Secrets never reach the database: sessions and tokens are stored as SHA-256 hashes of
//! random values, passwords as Argon2id PHC strings, and none of them appears in the audit log.

use crate::audit::record_audit;
use crate::record::{Entity, Versioned, decode, insert, list, update};
use crate::sql::{Col, Where};
use crate::{Result, Store, StoreError, now};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use lipa_core::audit::{Actor, AuditAction, EntityKind};
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{RecordKey, UserId};
use lipa_core::user::{Role, User};
use lipa_core::{Violation, Violations};
use sqlx::Row;

/// `pg_advisory_xact_lock` key that orders changes of users on PostgreSQL.
const USERS_LOCK: i64 = 0x6c69_7061_7573;

impl Entity for User {
    const TABLE: &'static str = "users";
    const KIND: EntityKind = EntityKind::User;

    fn check(&self) -> Result<(), Violations> {
        self.validate()
    }

    fn columns(&self) -> Result<Vec<(&'static str, Col)>, Violations> {
        Ok(vec![
            ("login", Col::Text(self.login.clone())),
            ("role", Col::Text(self.role.code().into())),
        ])
    }
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("password hash: {e}")))
}

/// Whether `password` matches a stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A password to store: its Argon2id hash, and whether it was handed over (a one-time password
/// that its owner must replace at their next sign-in) or chosen by its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPassword<'a> {
    pub hash: &'a str,
    pub one_time: bool,
    /// When a one-time password stops working (a [`crate::timestamp`]).
    pub expires_at: Option<&'a str>,
}

impl<'a> NewPassword<'a> {
    /// A password its owner chose.
    pub fn chosen(hash: &'a str) -> Self {
        NewPassword {
            hash,
            one_time: false,
            expires_at: None,
        }
    }

    /// A password someone else handed over: the owner must change it before anything else,
    /// and before `expires_at` (a [`crate::timestamp`]), when it stops working.
    pub fn one_time(hash: &'a str, expires_at: &'a str) -> Self {
        NewPassword {
            hash,
            one_time: true,
            expires_at: Some(expires_at),
        }
    }
}

/// A live session: its user (enabled), its anti-forgery token, and whether the user still has
/// to replace a one-time password.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSession {
    pub user: Versioned<User>,
    pub csrf: String,
    pub must_change_password: bool,
}

/// An API token as its owner sees it (never the secret, which is shown once at creation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub expires_at: String,
}

impl Store {
    /// Creates a user, with a password if given.
    pub async fn create_user(
        &self,
        actor: &Actor,
        user: &User,
        password: Option<NewPassword<'_>>,
    ) -> Result<Versioned<User>> {
        let mut tx = self.begin_write().await?;
        let v = insert(&mut tx, actor, "", None, user).await?;
        if let Some(p) = password {
            sqlx::query(
                "UPDATE users SET password_hash = $1, must_change_password = $2,
                 password_expires_at = $3 WHERE id = $4",
            )
            .bind(p.hash)
            .bind(i64::from(p.one_time))
            .bind(p.expires_at)
            .bind(v.id.raw())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(v)
    }

    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        user: &User,
        expected: Option<i64>,
    ) -> Result<Versioned<User>> {
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            // Changes of users take turns, so that two demotions cannot both see the other's
            // admin still there (SQLite has one writer at a time anyway).
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(USERS_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let v = update(&mut tx, actor, "", id, user, expected).await?;
        // The last enabled administrator stays: checked after the change, inside its
        // transaction, so no other change can slip in between the check and the write.
        let mut admin = Where::default();
        admin.eq("role", "admin");
        let admins = list::<User>(&mut tx, &admin, "login").await?;
        if !admins.iter().any(|a| !a.record.disabled) {
            return Err(StoreError::LastAdmin);
        }
        if user.disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.raw())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(v)
    }

    pub async fn user(&self, id: UserId) -> Result<Option<Versioned<User>>> {
        self.find::<User>(id).await
    }

    pub async fn users(&self) -> Result<Vec<Versioned<User>>> {
        self.select::<User>(&Where::default(), "login").await
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }

    /// A user and their password hash, by sign-in name.
    pub async fn user_by_login(
        &self,
        login: &str,
    ) -> Result<Option<(Versioned<User>, Option<String>)>> {
        let row = sqlx::query(
            "SELECT id, body, version, created_at, updated_at, password_hash FROM users WHERE login = $1",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((decode(&r)?, r.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// When the user's one-time password stops working; `None` for a password they chose.
    pub async fn password_expires_at(&self, id: UserId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT password_expires_at FROM users WHERE id = $1")
            .bind(id.raw())
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("password_expires_at")?,
            None => None,
        })
    }

    /// Sets a user's password and ends all their sessions. The audit log records that the
    /// password changed (and whether it is a one-time password), not the hash.
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: UserId,
        password: NewPassword<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2,
             password_expires_at = $3 WHERE id = $4",
        )
        .bind(password.hash)
        .bind(i64::from(password.one_time))
        .bind(password.expires_at)
        .bind(id.raw())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                entity: "user",
                id: id.to_string(),
            });
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.raw())
            .execute(&mut *tx)
            .await?;
        // Whoever knew the old password may have made a token with it: a new password (reset
        // or chosen) ends the tokens too.
        revoke_tokens_of(&mut tx, id).await?;
        record_audit(
            &mut tx,
            actor,
            AuditAction::Update,
            EntityKind::User,
            &id.to_string(),
            if password.one_time {
                "one-time password set"
            } else {
                "password changed"
            },
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session for `token_hash` until `expires_at` (RFC 3339).
    pub async fn create_session(
        &self,
        user_id: UserId,
        token_hash: &str,
        csrf: &str,
        expires_at: &str,
    ) -> Result<()> {
        // Expired sessions are swept here, where sessions are written anyway.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id.raw())
            .bind(csrf)
            .bind(now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session of `token_hash`, if its user is enabled.
    pub async fn session(&self, token_hash: &str) -> Result<Option<LiveSession>> {
        let row = sqlx::query(
            "SELECT u.id, u.body, u.version, u.created_at, u.updated_at, s.csrf,
                    u.must_change_password
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user: Versioned<User> = decode(&r)?;
        if user.record.disabled {
            return Ok(None);
        }
        Ok(Some(LiveSession {
            user,
            csrf: r.try_get("csrf")?,
            must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Signs a user out everywhere.
    /// "Sign out everywhere": ends every session of the user and revokes their API tokens, in
    /// one transaction; the number of sessions ended.
    pub async fn delete_sessions_of(&self, user_id: UserId) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.raw())
            .execute(&mut *tx)
            .await?;
        revoke_tokens_of(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: UserId,
        name: &str,
        token_hash: &str,
        expires_at: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id.raw())
        .bind(name)
        .bind(token_hash)
        .bind(now())
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        record_audit(
            &mut tx,
            actor,
            AuditAction::Create,
            EntityKind::User,
            &user_id.to_string(),
            &format!("api token {id} “{name}” created"),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The enabled user of a live (not revoked, not expired) API token; notes its use.
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<Versioned<User>>> {
        let row = sqlx::query(
            "SELECT u.id, u.body, u.version, u.created_at, u.updated_at, t.id AS token_id
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user: Versioned<User> = decode(&r)?;
        if user.record.disabled {
            return Ok(None);
        }
        let token_id: i64 = r.try_get("token_id")?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now())
            .bind(token_id)
            .execute(&self.pool)
            .await?;
        Ok(Some(user))
    }

    pub async fn api_tokens_of(&self, user_id: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_used_at, revoked_at, expires_at FROM api_tokens
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id.raw())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of the user's tokens; false when there is no such live token.
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        user_id: UserId,
        token_id: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(token_id)
            .bind(user_id.raw())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            record_audit(
                &mut tx,
                actor,
                AuditAction::Update,
                EntityKind::User,
                &user_id.to_string(),
                &format!("api token {token_id} revoked"),
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many enabled administrators there are: the last one may not be disabled or demoted,
    /// or no one could administer the system any more.
    pub async fn enabled_admin_count(&self) -> Result<usize> {
        let mut w = Where::default();
        w.eq("role", Role::Admin.code());
        let admins = self.select::<User>(&w, "id").await?;
        Ok(admins.iter().filter(|u| !u.record.disabled).count())
    }

    /// Checks that a role's scope exists: a district of the gazetteer, a library of the registry.
    pub async fn check_role_scope(&self, role: &Role) -> Result<()> {
        match role {
            Role::Coordinator { district }
                if Gazetteer::get().district(district.as_str()).is_none() =>
            {
                Err(Violations::from(
                    Violation::new("district", "err-unknown-district").arg("value", district),
                )
                .into())
            }
            Role::Librarian { library } if self.library(*library).await?.is_none() => {
                Err(Violations::from(
                    Violation::new("library", "err-unknown-library").arg("value", library),
                )
                .into())
            }
            _ => Ok(()),
        }
    }
}

/// Revokes every live API token of a user (inside the caller's transaction).
async fn revoke_tokens_of(conn: &mut sqlx::AnyConnection, user_id: UserId) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now())
        .bind(user_id.raw())
        .execute(conn)
        .await?;
    Ok(())
}
