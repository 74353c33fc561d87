//! Identifiers and small values that are checked once, when built, and trusted after that.

use crate::error::Violation;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! string_newtype {
    ($(#[$m:meta])* $name:ident, $check:expr, $code:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, Violation> {
                let s = s.trim();
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(Violation::new("", $code).arg("value", s))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Violation;
            fn try_from(s: String) -> Result<Self, Violation> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl FromStr for $name {
            type Err = Violation;
            fn from_str(s: &str) -> Result<Self, Violation> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_newtype!(
    /// EKATTE code of a settlement: five digits, zero-padded (`41112` Кюстендил, `00014`).
    Ekatte,
    |s| s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()),
    "err-ekatte"
);

string_newtype!(
    /// EKATTE code of a district (област): three capital Latin letters (`KNL`).
    DistrictCode,
    |s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()),
    "err-district-code"
);

string_newtype!(
    /// EKATTE code of a municipality (община): district code and two digits (`KNL29`).
    MunicipalityCode,
    |s| s.len() == 5
        && s.as_bytes()[..3].iter().all(|b| b.is_ascii_uppercase())
        && s.as_bytes()[3..].iter().all(|b| b.is_ascii_digit()),
    "err-municipality-code"
);

string_newtype!(
    /// Code of a service category or partner kind in the taxonomy: `e-health`, `e-culture` …
    /// (lowercase Latin letters, digits and dashes, at most 40).
    CategoryCode,
    |s| !s.is_empty()
        && s.len() <= 40
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-'),
    "err-category-code"
);

impl MunicipalityCode {
    /// The district this municipality belongs to (its first three letters).
    pub fn district(&self) -> DistrictCode {
        DistrictCode(self.0[..3].to_owned())
    }
}

/// The programme's ID of a library (`705`, `3007`): a positive whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct LibraryId(u32);

impl LibraryId {
    pub const MAX: u32 = 999_999_999;

    pub fn new(n: u32) -> Result<Self, Violation> {
        if (1..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(Violation::new("", "err-library-id").arg("value", n))
        }
    }

    pub fn parse(s: &str) -> Result<Self, Violation> {
        let t = s.trim();
        if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Violation::new("", "err-library-id").arg("value", t));
        }
        Self::new(
            t.parse()
                .map_err(|_| Violation::new("", "err-library-id").arg("value", t))?,
        )
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for LibraryId {
    type Error = Violation;
    fn try_from(n: u32) -> Result<Self, Violation> {
        Self::new(n)
    }
}

impl From<LibraryId> for u32 {
    fn from(v: LibraryId) -> u32 {
        v.0
    }
}

impl FromStr for LibraryId {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::parse(s)
    }
}

impl fmt::Display for LibraryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A calendar year the programme can speak of: a chitalishte's founding year (the oldest were
/// founded in 1856) or a service's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct Year(i32);

impl Year {
    pub const MIN: i32 = 1800;
    pub const MAX: i32 = 2100;

    pub fn new(n: i32) -> Result<Self, Violation> {
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(Violation::new("", "err-year")
                .arg("value", n)
                .arg("min", Self::MIN)
                .arg("max", Self::MAX))
        }
    }

    pub fn parse(s: &str) -> Result<Self, Violation> {
        let t = s.trim();
        match t.parse::<i32>() {
            Ok(n) => Self::new(n),
            Err(_) => Err(Violation::new("", "err-year")
                .arg("value", t)
                .arg("min", Self::MIN)
                .arg("max", Self::MAX)),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for Year {
    type Error = Violation;
    fn try_from(n: i32) -> Result<Self, Violation> {
        Self::new(n)
    }
}

impl From<Year> for i32 {
    fn from(v: Year) -> i32 {
        v.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The key of a stored record of one kind. Each kind has its own type, so a person's key cannot
/// be passed where a partner's is expected; the store reads and writes them as `i64`.
pub trait RecordKey:
    Copy + Eq + std::hash::Hash + Ord + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    /// The key as the database holds it.
    fn raw(self) -> i64;
    /// A key read back from the database (trusted: the database made it).
    fn from_raw(raw: i64) -> Self;
}

/// A record whose key type is known: what a stored `Versioned<T>` is keyed by.
pub trait Keyed {
    type Id: RecordKey + Serialize;
}

macro_rules! record_key {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// A key as the store made it.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl RecordKey for $name {
            fn raw(self) -> i64 {
                self.0
            }
            fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
        }

        impl FromStr for $name {
            type Err = Violation;
            /// A key typed by a user or in a URL: a positive whole number.
            fn from_str(s: &str) -> Result<Self, Violation> {
                let t = s.trim();
                match t.parse::<i64>() {
                    Ok(n) if n > 0 && t.bytes().all(|b| b.is_ascii_digit()) => Ok(Self(n)),
                    _ => Err(Violation::new("", "err-record-id").arg("value", t)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

record_key!(
    /// The key of a service (an e-service card).
    ServiceId
);
record_key!(
    /// The key of a partner organisation.
    PartnerId
);
record_key!(
    /// The key of a person (staff, volunteer, partner's contact).
    PersonId
);
record_key!(
    /// The key of an event (a meeting with its agenda, participants and working groups).
    EventId
);
record_key!(
    /// The key of a user account.
    UserId
);
record_key!(
    /// The key of an entry of a service's activity log.
    ActivityId
);

impl RecordKey for LibraryId {
    fn raw(self) -> i64 {
        i64::from(self.0)
    }
    fn from_raw(raw: i64) -> Self {
        // A library's key is its programme ID, checked when it was written.
        Self(u32::try_from(raw).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked() {
        assert!(Ekatte::parse("41112").is_ok());
        assert!(Ekatte::parse("4111").is_err());
        assert!(DistrictCode::parse("KNL").is_ok());
        assert!(DistrictCode::parse("knl").is_err());
        let m = MunicipalityCode::parse("KNL29").unwrap();
        assert_eq!(m.district().as_str(), "KNL");
        assert!(MunicipalityCode::parse("KN129").is_err());
        assert!(CategoryCode::parse("e-health").is_ok());
        assert!(CategoryCode::parse("E-health").is_err());
    }

    #[test]
    fn library_ids_and_years() {
        assert_eq!(LibraryId::parse(" 3007 ").unwrap().get(), 3007);
        assert!(LibraryId::parse("0").is_err());
        assert!(LibraryId::parse("-5").is_err());
        assert!(LibraryId::parse("12a").is_err());
        assert!(Year::parse("1870").is_ok());
        assert!(Year::parse("170").is_err());
    }

    #[test]
    fn record_keys_are_positive_numbers() {
        assert_eq!("42".parse::<ServiceId>().unwrap().get(), 42);
        assert!("0".parse::<PersonId>().is_err());
        assert!("-3".parse::<PartnerId>().is_err());
        assert!("+3".parse::<EventId>().is_err());
        assert!("9223372036854775808".parse::<UserId>().is_err());
        assert_eq!(
            serde_json::to_string(&ServiceId::new(7)).unwrap(),
            "7",
            "a key is a plain number in JSON"
        );
    }
}
