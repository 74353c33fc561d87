//! `lipa user …` (accounts from the command line: for the first admin, scripts, and the day the
//! web page cannot be reached) and `lipa person …` (a person's personal data: export for a
//! subject-access request, erasure on request).
//!
//! Passwords never appear in the command line (where `ps` and the shell history would keep
//! them): one is read from standard input with `--password-stdin`, or generated and printed
//! once on standard output — alone on its line, so a script can capture it — while the
//! messages go to standard error.
//!
//! Exit codes, beside those of [`crate::exit`]:
//!
//! | code | meaning |
//! |---|---|
//! | 65 | invalid input: a bad login or name, an unknown district or library, a short password, a login already taken, or a change that would leave no enabled admin; nothing was written |
//! | 67 | no such user or person (`EX_NOUSER`) |

use crate::database::Database;
use crate::exit::{DATA_ERR, Reported};
use crate::output::Out;
use anyhow::Context;
use clap::{Args, Subcommand};
use lipa_app::accounts::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use lipa_app::{Access, App, AppError, Versioned};
use lipa_core::ids::{DistrictCode, LibraryId, PersonId};
use lipa_core::user::{Role, User};
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// No such user or person (`EX_NOUSER` of `sysexits.h`).
pub const NO_USER: u8 = 67;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a one-time password unless --password-stdin gives one.
    Add {
        /// Sign-in name: lowercase Latin letters, digits, . _ - @.
        login: String,
        /// The name shown in the application.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        role: RoleArgs,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a user's role and scope.
    Role {
        login: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    /// Set a new password (generated unless --password-stdin gives one); ends the user's sessions.
    ResetPassword {
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users: login, name, role, scope, disabled.
    List,
    /// Disable a user: they can no longer sign in; their sessions and tokens stop working.
    Disable { login: String },
    /// Enable a disabled user again.
    Enable { login: String },
}

/// Exactly one role, with its scope.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct RoleArgs {
    /// Programme unit: everything.
    #[arg(long)]
    admin: bool,
    /// District coordinator of a district (its code, e.g. KNL).
    #[arg(long, value_name = "DISTRICT")]
    coordinator: Option<String>,
    /// Librarian of a library (its programme ID, e.g. 705).
    #[arg(long, value_name = "LIBRARY_ID")]
    librarian: Option<String>,
    /// Reads, changes nothing.
    #[arg(long)]
    viewer: bool,
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Print a person's record, the events they appear in and the audit entries about them
    /// (JSON, on standard output).
    Export { id: PersonId },
    /// Erase a person's personal data everywhere, including earlier audit entries. Irreversible.
    Erase { id: PersonId },
}

fn fail(out: &Out, code: u8, key: &str, args: &[(&str, &str)]) -> anyhow::Error {
    out.error(key, args);
    Reported(code).into()
}

async fn open(db: &Database) -> anyhow::Result<App> {
    db.open().await
}

/// A change that would leave no enabled administrator, refused with exit 65.
fn last_admin(out: &Out, login: &str) -> anyhow::Error {
    fail(out, DATA_ERR, "cli-user-last-admin", &[("login", login)])
}

impl RoleArgs {
    /// The role, with its scope checked against the gazetteer and the registry.
    async fn role(&self, app: &App, out: &Out) -> anyhow::Result<Role> {
        let role = if self.admin {
            Role::Admin
        } else if self.viewer {
            Role::Viewer
        } else if let Some(d) = &self.coordinator {
            // Accept `knl` as readily as `KNL`.
            let district = DistrictCode::parse(&d.to_uppercase()).map_err(|v| {
                fail(
                    out,
                    DATA_ERR,
                    "cli-user-invalid",
                    &[("reason", &v.message(out.lang))],
                )
            })?;
            Role::Coordinator { district }
        } else if let Some(l) = &self.librarian {
            let library = LibraryId::parse(l).map_err(|v| {
                fail(
                    out,
                    DATA_ERR,
                    "cli-user-invalid",
                    &[("reason", &v.message(out.lang))],
                )
            })?;
            Role::Librarian { library }
        } else {
            unreachable!("clap requires one role")
        };
        match app.check_role_scope(&role).await {
            Ok(()) => Ok(role),
            Err(AppError::Invalid(v)) => {
                let reason = v.messages(out.lang).join(" ");
                Err(fail(
                    out,
                    DATA_ERR,
                    "cli-user-invalid",
                    &[("reason", &reason)],
                ))
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// The password of `--password-stdin` (its first line), checked; `None`: generate a one-time
/// password.
fn password(from_stdin: bool, out: &Out) -> anyhow::Result<Option<String>> {
    if !from_stdin {
        return Ok(None);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(fail(
            out,
            DATA_ERR,
            "cli-user-password-short",
            &[("min", &MIN_PASSWORD_CHARS.to_string())],
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(fail(
            out,
            DATA_ERR,
            "cli-user-password-long",
            &[("max", &MAX_PASSWORD_CHARS.to_string())],
        ));
    }
    Ok(Some(password))
}

/// Prints a generated password alone on standard output, with a note on standard error.
fn show_password(out: &Out, login: &str, password: &str) -> anyhow::Result<()> {
    out.say("cli-user-one-time-password", &[("login", login)]);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{password}")?;
    stdout.flush()?;
    Ok(())
}

async fn find_user(app: &App, login: &str, out: &Out) -> anyhow::Result<Versioned<User>> {
    let login = login.trim().to_lowercase();
    match app.user_by_login(&Access::cli(), &login).await {
        Ok(u) => Ok(u),
        Err(AppError::NotFound) => {
            Err(fail(out, NO_USER, "cli-user-unknown", &[("login", &login)]))
        }
        Err(e) => Err(e.into()),
    }
}

/// `role` and `scope` as codes (`coordinator`, `KNL`): the same in every language.
fn role_codes(role: &Role) -> (&'static str, String) {
    let scope = match role {
        Role::Admin => "*".to_owned(),
        Role::Viewer => "-".to_owned(),
        Role::Coordinator { district } => district.to_string(),
        Role::Librarian { library } => library.to_string(),
    };
    (role.code(), scope)
}

pub async fn user(db: &Database, command: UserCommand, out: &Out) -> anyhow::Result<ExitCode> {
    let app = open(db).await?;
    let result = run_user(&app, command, out).await;
    app.close().await;
    result
}

async fn run_user(app: &App, command: UserCommand, out: &Out) -> anyhow::Result<ExitCode> {
    let access = Access::cli();
    match command {
        UserCommand::Add {
            login,
            name,
            role,
            password_stdin,
        } => {
            let role = role.role(app, out).await?;
            let user = User {
                login: login.trim().to_lowercase(),
                display_name: name.trim().to_owned(),
                role,
                disabled: false,
            };
            if let Err(v) = user.validate() {
                let reason = v.messages(out.lang).join(" ");
                return Err(fail(
                    out,
                    DATA_ERR,
                    "cli-user-invalid",
                    &[("reason", &reason)],
                ));
            }
            if app.login_taken(&access, &user.login).await? {
                return Err(fail(
                    out,
                    DATA_ERR,
                    "cli-user-exists",
                    &[("login", &user.login)],
                ));
            }
            let chosen = password(password_stdin, out)?;
            let generated = match app.create_user(&access, &user, chosen.as_deref()).await {
                Ok((_, generated)) => generated,
                Err(AppError::AlreadyExists { .. }) => {
                    return Err(fail(
                        out,
                        DATA_ERR,
                        "cli-user-exists",
                        &[("login", &user.login)],
                    ));
                }
                Err(e) => return Err(e.into()),
            };
            let (role, scope) = role_codes(&user.role);
            out.say(
                "cli-user-added",
                &[("login", &user.login), ("role", role), ("scope", &scope)],
            );
            if let Some(password) = generated {
                show_password(out, &user.login, &password)?;
            }
        }
        UserCommand::Role { login, role } => {
            let current = find_user(app, &login, out).await?;
            let role = role.role(app, out).await?;
            let changed = User {
                role,
                ..current.record.clone()
            };
            match app.update_user(&access, current.id, &changed, None).await {
                Ok(_) => {}
                Err(AppError::LastAdmin) => return Err(last_admin(out, &changed.login)),
                Err(e) => return Err(e.into()),
            }
            let (role, scope) = role_codes(&changed.role);
            out.say(
                "cli-user-role-changed",
                &[("login", &changed.login), ("role", role), ("scope", &scope)],
            );
        }
        UserCommand::ResetPassword {
            login,
            password_stdin,
        } => {
            let user = find_user(app, &login, out).await?;
            let chosen = password(password_stdin, out)?;
            let generated = app
                .reset_password(&access, user.id, chosen.as_deref())
                .await?;
            out.say("cli-user-password-set", &[("login", &user.record.login)]);
            if let Some(password) = generated {
                show_password(out, &user.record.login, &password)?;
            }
        }
        UserCommand::List => {
            let users = app.users(&access).await?;
            let mut rows: Vec<[String; 5]> = vec![[
                out.text("cli-user-th-login", &[]),
                out.text("cli-user-th-name", &[]),
                out.text("cli-user-th-role", &[]),
                out.text("cli-user-th-scope", &[]),
                out.text("cli-user-th-disabled", &[]),
            ]];
            for u in &users {
                let (role, scope) = role_codes(&u.record.role);
                let disabled = if u.record.disabled {
                    "cli-user-yes"
                } else {
                    "cli-user-no"
                };
                rows.push([
                    u.record.login.clone(),
                    u.record.display_name.clone(),
                    role.to_owned(),
                    scope,
                    out.text(disabled, &[]),
                ]);
            }
            print!("{}", table(&rows));
        }
        UserCommand::Disable { login } => set_disabled(app, &login, true, out).await?,
        UserCommand::Enable { login } => set_disabled(app, &login, false, out).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_disabled(app: &App, login: &str, disabled: bool, out: &Out) -> anyhow::Result<()> {
    let current = find_user(app, login, out).await?;
    let login = current.record.login.clone();
    if current.record.disabled == disabled {
        let key = if disabled {
            "cli-user-already-disabled"
        } else {
            "cli-user-already-enabled"
        };
        out.say(key, &[("login", &login)]);
        return Ok(());
    }
    let changed = User {
        disabled,
        ..current.record.clone()
    };
    match app
        .update_user(&Access::cli(), current.id, &changed, None)
        .await
    {
        Ok(_) => {}
        Err(AppError::LastAdmin) => return Err(last_admin(out, &login)),
        Err(e) => return Err(e.into()),
    }
    let key = if disabled {
        "cli-user-disabled"
    } else {
        "cli-user-enabled"
    };
    out.say(key, &[("login", &login)]);
    Ok(())
}

/// Columns padded to their widest cell, counted in characters (Cyrillic is one per letter).
fn table(rows: &[[String; 5]]) -> String {
    let mut widths = [0usize; 5];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

pub async fn person(db: &Database, command: PersonCommand, out: &Out) -> anyhow::Result<ExitCode> {
    let app = open(db).await?;
    let result = run_person(&app, command, out).await;
    app.close().await;
    result
}

async fn run_person(app: &App, command: PersonCommand, out: &Out) -> anyhow::Result<ExitCode> {
    let access = Access::cli();
    let unknown = |id: PersonId| {
        fail(
            out,
            NO_USER,
            "cli-person-unknown",
            &[("id", &id.to_string())],
        )
    };
    match command {
        PersonCommand::Export { id } => {
            let dossier = match app.person_dossier(&access, id).await {
                Ok(d) => d,
                Err(AppError::NotFound) => return Err(unknown(id)),
                Err(e) => return Err(e.into()),
            };
            let json = serde_json::to_string_pretty(&dossier)?;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{json}")?;
            stdout.flush()?;
            out.say(
                "cli-person-exported",
                &[
                    ("id", &id.to_string()),
                    ("events", &dossier.events.len().to_string()),
                    ("entries", &dossier.audit.len().to_string()),
                ],
            );
        }
        PersonCommand::Erase { id } => match app.erase_person(&access, id).await {
            Ok(done) => out.say(
                "cli-person-erased",
                &[
                    ("id", &id.to_string()),
                    ("events", &done.events.len().to_string()),
                    ("entries", &done.audit_entries.to_string()),
                ],
            ),
            Err(AppError::NotFound) => return Err(unknown(id)),
            Err(e) => return Err(e.into()),
        },
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pads_by_characters() {
        let rows = [
            [
                "a".into(),
                "Мария".into(),
                "admin".into(),
                "*".into(),
                "не".into(),
            ],
            [
                "bb".into(),
                "X".into(),
                "viewer".into(),
                "-".into(),
                "да".into(),
            ],
        ];
        assert_eq!(
            table(&rows),
            "a   Мария  admin   *  не\nbb  X      viewer  -  да\n"
        );
    }
}
