//! Accounts: signing in and out, sessions and API tokens, one's own password, and the users an
//! admin keeps. Secrets never reach the database in the clear (sessions and tokens as SHA-256 of
//! random values, passwords as Argon2id). Password hashes run on the blocking pool, at most
//! [`CONCURRENT_HASHES`] at once, so that a burst of sign-ins cannot exhaust memory (each hash
//! takes 19 MiB).
//!
//! The last enabled administrator stays: the store checks it inside the transaction of every
//! change of a user ([`crate::AppError::LastAdmin`]), so two concurrent demotions cannot both pass.
//! A password an admin hands over (created user, reset, first start) is one-time: its owner must
//! choose their own before anything else.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use base64::Engine;
use lipa_core::ids::UserId;
use lipa_core::user::{Role, User};
use lipa_core::{Violation, Violations};
use lipa_store::{ApiToken, LiveSession, NewPassword, Versioned};
use rand::RngExt;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Shortest password accepted (characters, not bytes: Cyrillic counts one per letter).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted: Argon2 would take any length, but a megabyte is an attack.
pub const MAX_PASSWORD_CHARS: usize = 1000;
/// What every API token starts with, so that a leaked one is easy to recognise and search for.
pub const TOKEN_PREFIX: &str = "lipa_";
/// How long a browser session lives.
pub const SESSION_HOURS: i64 = 12;
/// How long a one-time password an administrator hands over works: long enough for a letter or
/// a phone call to reach a village library, short enough that a forgotten one dies.
pub const ONE_TIME_PASSWORD_DAYS: i64 = 7;
/// The lifetimes a new API token may be given, in days; the first is the default.
pub const TOKEN_DAYS: [u16; 3] = [90, 30, 365];
/// Password hashes running at once (the rest wait their turn).
pub const CONCURRENT_HASHES: usize = 4;

static HASHES: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(CONCURRENT_HASHES));

/// Letters of one-time passwords: no 0/o, 1/l/i to confuse.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A one-time password to hand over: 16 characters (about 79 bits) in groups of four.
pub fn one_time_password() -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let k = rng.random_range(0..PASSWORD_ALPHABET.len());
        out.push(char::from(PASSWORD_ALPHABET[k]));
    }
    out
}

/// A fresh random secret, URL-safe.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps of a secret.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The problems of a new password: its length, in characters.
pub fn password_violations(password: &str) -> Violations {
    let n = password.chars().count();
    let mut v = Violations::default();
    if n < MIN_PASSWORD_CHARS {
        v.push(Violation::new("password", "acc-err-password-short").arg("min", MIN_PASSWORD_CHARS));
    } else if n > MAX_PASSWORD_CHARS {
        v.push(Violation::new("password", "acc-err-password-long").arg("max", MAX_PASSWORD_CHARS));
    }
    v
}

/// Hashes a password on the blocking pool, taking a turn among [`CONCURRENT_HASHES`].
pub async fn hash_password(password: String) -> Result<String> {
    let _turn = HASHES
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(tokio::task::spawn_blocking(move || lipa_store::hash_password(&password)).await??)
}

/// Checks a password against a stored hash, on the blocking pool, taking a turn.
pub async fn verify_password(password: String, hash: String) -> bool {
    let Ok(_turn) = HASHES.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || lipa_store::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// The hash of the password an admin sets for someone: `password` (checked), or a generated
/// one-time password, returned beside the hash to be shown once.
async fn handed_password(password: Option<&str>) -> Result<(String, Option<String>)> {
    let (chosen, one_time) = match password {
        Some(p) => {
            password_violations(p).into_result()?;
            (p.to_owned(), None)
        }
        None => {
            let p = one_time_password();
            (p.clone(), Some(p))
        }
    };
    Ok((hash_password(chosen).await?, one_time))
}

/// The moment `after` from now, as the store keeps moments.
fn from_now(after: jiff::SignedDuration) -> String {
    lipa_store::timestamp(jiff::Timestamp::now() + after)
}

/// The outcome of a sign-in.
#[derive(Debug)]
pub enum SignIn {
    Accepted(Versioned<User>),
    /// Unknown login, disabled account or wrong password: not told apart.
    Refused,
    /// The right one-time password, too late: an administrator must hand over a new one.
    OneTimePasswordExpired,
}

/// Who a session cookie or an API token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The session's anti-forgery token (empty for an API token: no forms).
    pub csrf: String,
    /// Signed in with a one-time password that must be replaced before anything else.
    pub must_change_password: bool,
}

impl Authenticated {
    pub fn access(&self) -> Access {
        Access::user(self.id, self.login.clone(), self.role.clone())
    }
}

/// A new browser session: the secret for the cookie, and how long it lives.
pub struct NewSession {
    pub token: String,
    pub hours: i64,
}

/// A user as the admin's pages show them.
pub struct UserWithTokens {
    pub user: Versioned<User>,
    pub tokens: Vec<ApiToken>,
}

impl From<LiveSession> for Authenticated {
    fn from(s: LiveSession) -> Self {
        Authenticated {
            id: s.user.id,
            login: s.user.record.login,
            display_name: s.user.record.display_name,
            role: s.user.record.role,
            csrf: s.csrf,
            must_change_password: s.must_change_password,
        }
    }
}

impl App {
    /// The user of a live session, by the cookie's secret.
    pub async fn session_user(&self, secret: &str) -> Result<Option<Authenticated>> {
        Ok(self
            .store
            .session(&hash_secret(secret))
            .await?
            .map(Authenticated::from))
    }

    /// The user of a live API token.
    pub async fn token_user(&self, secret: &str) -> Result<Option<Authenticated>> {
        Ok(self
            .store
            .api_token_user(&hash_secret(secret))
            .await?
            .map(|user| Authenticated {
                id: user.id,
                login: user.record.login,
                display_name: user.record.display_name,
                role: user.record.role,
                csrf: String::new(),
                // A token is a credential of its own, made after the first password change.
                must_change_password: false,
            }))
    }

    /// Checks a sign-in: the user when the login exists, is enabled and the password is right
    /// (and, for a one-time password, not expired). A login that does not exist costs the same
    /// time as one that does.
    pub async fn check_sign_in(&self, login: &str, password: &str) -> Result<SignIn> {
        let found = self.store.user_by_login(login).await?;
        let ok = match &found {
            Some((user, Some(hash))) if !user.record.disabled => {
                verify_password(password.to_owned(), hash.clone()).await
            }
            _ => {
                let _ = hash_password(password.to_owned()).await;
                false
            }
        };
        let Some((user, _)) = found.filter(|_| ok) else {
            return Ok(SignIn::Refused);
        };
        // Told apart only after the password proved right: a guesser learns nothing.
        if let Some(until) = self.store.password_expires_at(user.id).await?
            && until <= lipa_store::timestamp(jiff::Timestamp::now())
        {
            return Ok(SignIn::OneTimePasswordExpired);
        }
        Ok(SignIn::Accepted(user))
    }

    /// Starts a session for a user who just proved who they are.
    pub async fn start_session(&self, user_id: UserId) -> Result<NewSession> {
        let token = new_secret();
        let csrf = new_secret();
        let expires = from_now(jiff::SignedDuration::from_hours(SESSION_HOURS));
        self.store
            .create_session(user_id, &hash_secret(&token), &csrf, &expires)
            .await?;
        Ok(NewSession {
            token,
            hours: SESSION_HOURS,
        })
    }

    /// Ends the session of a cookie's secret.
    pub async fn end_session(&self, secret: &str) -> Result<()> {
        Ok(self.store.delete_session(&hash_secret(secret)).await?)
    }

    /// Ends every session of the signed-in user.
    pub async fn end_all_sessions(&self, access: &Access) -> Result<u64> {
        let me = access.require_user()?;
        Ok(self.store.delete_sessions_of(me.id).await?)
    }

    /// The signed-in user's own record and API tokens.
    pub async fn my_account(&self, access: &Access) -> Result<UserWithTokens> {
        let me = access.require_user()?;
        let user = self.store.user(me.id).await?.ok_or(AppError::NotFound)?;
        let tokens = self.store.api_tokens_of(me.id).await?;
        Ok(UserWithTokens { user, tokens })
    }

    /// Whether `password` is the signed-in user's current password (for a form's feedback).
    pub async fn verify_my_password(&self, access: &Access, password: &str) -> Result<bool> {
        let me = access.require_user()?;
        let stored = self
            .store
            .user_by_login(&me.login)
            .await?
            .and_then(|(_, hash)| hash);
        Ok(match stored {
            Some(hash) => verify_password(password.to_owned(), hash).await,
            None => false,
        })
    }

    /// Changes one's own password after checking the current one; ends the other sessions. A
    /// wrong current password is a violation of the field `current_password`.
    pub async fn change_my_password(
        &self,
        access: &Access,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let me = access.require_user()?;
        if !self.verify_my_password(access, current).await? {
            return Err(Violation::new("current_password", "acc-err-current-wrong").into());
        }
        password_violations(new).into_result()?;
        let hash = hash_password(new.to_owned()).await?;
        Ok(self
            .store
            .set_password(&access.actor(), me.id, NewPassword::chosen(&hash))
            .await?)
    }

    /// A new API token for the signed-in user, valid for `days` (one of [`TOKEN_DAYS`]): the
    /// secret, shown once.
    pub async fn create_my_token(&self, access: &Access, name: &str, days: u16) -> Result<String> {
        let me = access.require_user()?;
        if !TOKEN_DAYS.contains(&days) {
            return Err(Violation::new("days", "acc-err-token-days").into());
        }
        let token = format!("{TOKEN_PREFIX}{}", new_secret());
        let expires = from_now(jiff::SignedDuration::from_hours(24 * i64::from(days)));
        self.store
            .create_api_token(&access.actor(), me.id, name, &hash_secret(&token), &expires)
            .await?;
        Ok(token)
    }

    /// Revokes one of the signed-in user's tokens (not found when it is not theirs).
    pub async fn revoke_my_token(&self, access: &Access, id: i64) -> Result<()> {
        let me = access.require_user()?;
        if self
            .store
            .revoke_api_token(&access.actor(), me.id, id)
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    // --- the users an admin keeps ------------------------------------------------------------

    pub async fn users(&self, access: &Access) -> Result<Vec<Versioned<User>>> {
        access.require_admin()?;
        Ok(self.store.users().await?)
    }

    pub async fn user(&self, access: &Access, id: UserId) -> Result<Versioned<User>> {
        access.require_admin()?;
        self.store.user(id).await?.ok_or(AppError::NotFound)
    }

    pub async fn user_by_login(&self, access: &Access, login: &str) -> Result<Versioned<User>> {
        access.require_admin()?;
        self.store
            .user_by_login(login)
            .await?
            .map(|(u, _)| u)
            .ok_or(AppError::NotFound)
    }

    /// Whether a login is taken (for the new-user form).
    pub async fn login_taken(&self, access: &Access, login: &str) -> Result<bool> {
        access.require_admin()?;
        Ok(self.store.user_by_login(login).await?.is_some())
    }

    /// How many users there are (the first start creates the first admin when there are none).
    pub async fn user_count(&self) -> Result<i64> {
        Ok(self.store.user_count().await?)
    }

    /// Checks that a role's scope exists: a district of the gazetteer, a library of the registry.
    pub async fn check_role_scope(&self, role: &Role) -> Result<()> {
        Ok(self.store.check_role_scope(role).await?)
    }

    /// Creates a user with `password`, or with a one-time password that is returned.
    pub async fn create_user(
        &self,
        access: &Access,
        user: &User,
        password: Option<&str>,
    ) -> Result<(Versioned<User>, Option<String>)> {
        access.require_admin()?;
        user.validate()?;
        self.check_role_scope(&user.role).await?;
        let (hash, one_time) = handed_password(password).await?;
        let otp_expiry = from_now(jiff::SignedDuration::from_hours(
            24 * ONE_TIME_PASSWORD_DAYS,
        ));
        let new = if one_time.is_some() {
            NewPassword::one_time(&hash, &otp_expiry)
        } else {
            NewPassword::chosen(&hash)
        };
        let created = self
            .store
            .create_user(&access.actor(), user, Some(new))
            .await?;
        Ok((created, one_time))
    }

    /// Changes a user's name, role or enabled state; the last enabled admin stays.
    pub async fn update_user(
        &self,
        access: &Access,
        id: UserId,
        user: &User,
        expected: Option<i64>,
    ) -> Result<Versioned<User>> {
        access.require_admin()?;
        user.validate()?;
        self.check_role_scope(&user.role).await?;
        Ok(self
            .store
            .update_user(&access.actor(), id, user, expected)
            .await?)
    }

    /// Sets a user's password: `password`, or a one-time password that is returned. Ends their
    /// sessions.
    pub async fn reset_password(
        &self,
        access: &Access,
        id: UserId,
        password: Option<&str>,
    ) -> Result<Option<String>> {
        access.require_admin()?;
        let (hash, one_time) = handed_password(password).await?;
        let otp_expiry = from_now(jiff::SignedDuration::from_hours(
            24 * ONE_TIME_PASSWORD_DAYS,
        ));
        let new = if one_time.is_some() {
            NewPassword::one_time(&hash, &otp_expiry)
        } else {
            NewPassword::chosen(&hash)
        };
        self.store.set_password(&access.actor(), id, new).await?;
        Ok(one_time)
    }

    /// The first start of a server with no user: an admin `admin` with a one-time password,
    /// returned to be shown once. `None` when users exist.
    pub async fn create_first_admin(&self, display_name: &str) -> Result<Option<String>> {
        if self.store.user_count().await? > 0 {
            return Ok(None);
        }
        let admin = User {
            login: "admin".into(),
            display_name: display_name.to_owned(),
            role: Role::Admin,
            disabled: false,
        };
        match self.create_user(&Access::cli(), &admin, None).await {
            Ok((_, password)) => Ok(password),
            // Another server created it meanwhile.
            Err(AppError::AlreadyExists { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_long_and_unambiguous() {
        let p = one_time_password();
        assert_eq!(p.len(), 19);
        assert!(p.split('-').all(|g| g.len() == 4));
        assert!(!p.contains(['0', 'o', '1', 'l', 'i']));
        assert_ne!(p, one_time_password());
    }

    #[test]
    fn password_length_counts_characters() {
        assert!(password_violations("дълга парола").is_empty());
        assert!(!password_violations("късa").is_empty());
        assert!(!password_violations(&"я".repeat(MAX_PASSWORD_CHARS + 1)).is_empty());
    }
}
