//! Exit codes, after BSD `sysexits.h`, so that scripts can tell a bad file from a broken disk:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done (or, with `--dry-run`, the input is valid) |
//! | 2 | wrong command-line usage (from clap) |
//! | 65 | the input is invalid: nothing was written; every problem is listed |
//! | 66 | the input file cannot be opened |
//! | 69 | not available for this database: `lipa backup`/`restore` on PostgreSQL (use `pg_dump`) |
//! | 70 | an internal error (a bug): see the log |
//! | 73 | the output file cannot be written |
//! | 74 | the database cannot be opened or written |
//! | 75 | someone else changed the data meanwhile: try again |

use crate::output::Out;
use lipa_app::AppError;
use lipa_core::Lang;
use std::process::ExitCode;

pub const DATA_ERR: u8 = 65;
pub const NO_INPUT: u8 = 66;
pub const UNAVAILABLE: u8 = 69;
pub const SOFTWARE: u8 = 70;
pub const CANT_CREATE: u8 = 73;
pub const IO_ERR: u8 = 74;
pub const TEMP_FAIL: u8 = 75;

/// An error that already told the user what went wrong, with the exit code to return.
#[derive(Debug)]
pub struct Reported(pub u8);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Reported {}

pub fn from_error(lang: Lang, e: &anyhow::Error) -> ExitCode {
    if let Some(Reported(code)) = e.downcast_ref::<Reported>() {
        return ExitCode::from(*code);
    }
    let out = Out::new(lang);
    if let Some(se) = e.downcast_ref::<AppError>() {
        return match se {
            AppError::Invalid(v) => {
                out.error("cli-invalid", &[]);
                for m in v.messages(lang) {
                    out.line(&format!("  {m}"));
                }
                ExitCode::from(DATA_ERR)
            }
            AppError::Conflict { .. } => {
                out.error("cli-conflict", &[]);
                ExitCode::from(TEMP_FAIL)
            }
            AppError::Database(_) => {
                out.error("cli-database", &[("detail", &format!("{e:#}"))]);
                ExitCode::from(IO_ERR)
            }
            _ => internal(lang, e),
        };
    }
    internal(lang, e)
}

pub fn internal(lang: Lang, e: &anyhow::Error) -> ExitCode {
    Out::new(lang).error("cli-internal", &[("detail", &format!("{e:#}"))]);
    ExitCode::from(SOFTWARE)
}
