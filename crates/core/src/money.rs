//! Amounts of money in a service's budget. Bulgaria used the lev (BGN) until 2025 and the euro
//! since 1 January 2026, at the fixed rate 1 EUR = 1.95583 BGN; the programme's 2012 figures are
//! in leva and stay so, converted only for display and totals.

use crate::error::Violation;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Leva per euro, fixed by the Council of the EU.
pub const BGN_PER_EUR: f64 = 1.95583;
/// The same rate as an exact fraction: 195 583 stotinki per 100 000 cents.
const RATE_NUM: i128 = 195_583;
const RATE_DEN: i128 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Bgn,
    Eur,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Bgn => "BGN",
            Currency::Eur => "EUR",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Violation> {
        match s.trim().to_uppercase().as_str() {
            "BGN" | "ЛВ" | "ЛВ." | "ЛЕВА" => Ok(Currency::Bgn),
            "EUR" | "€" | "ЕВРО" => Ok(Currency::Eur),
            other => Err(Violation::new("", "err-currency").arg("value", other)),
        }
    }
}

/// An amount in minor units (stotinki or cents) and its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses `1500`, `1 500,50`, `1500.5` as an amount in `currency`. At most two decimals;
    /// negative amounts are refused.
    pub fn parse(s: &str, currency: Currency) -> Result<Self, Violation> {
        let bad = || Violation::new("", "err-amount").arg("value", s.trim());
        let cleaned: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let cleaned = cleaned.replace(',', ".");
        let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
            return Err(bad());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac_minor: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac_minor))
            .ok_or_else(bad)?;
        Ok(Self { minor, currency })
    }

    /// The amount in `to`, rounded half away from zero to the minor unit.
    pub fn convert(self, to: Currency) -> Money {
        let minor = match (self.currency, to) {
            (a, b) if a == b => self.minor,
            (Currency::Bgn, Currency::Eur) => div_round(self.minor as i128 * RATE_DEN, RATE_NUM),
            (Currency::Eur, Currency::Bgn) => div_round(self.minor as i128 * RATE_NUM, RATE_DEN),
            _ => unreachable!("two currencies"),
        };
        Money {
            minor,
            currency: to,
        }
    }
}

fn div_round(n: i128, d: i128) -> i64 {
    let q = (2 * n + d.signum() * n.signum() * d) / (2 * d);
    q as i64
}

impl fmt::Display for Money {
    /// `1500.50 BGN`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let a = self.minor.unsigned_abs();
        write!(
            f,
            "{sign}{}.{:02} {}",
            a / 100,
            a % 100,
            self.currency.code()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_at_the_fixed_rate() {
        let lev = Money::new(195_583, Currency::Bgn);
        assert_eq!(
            lev.convert(Currency::Eur),
            Money::new(100_000, Currency::Eur)
        );
        let eur = Money::new(100, Currency::Eur);
        assert_eq!(eur.convert(Currency::Bgn), Money::new(196, Currency::Bgn));
        assert_eq!(
            Money::new(100, Currency::Bgn).convert(Currency::Eur).minor,
            51
        );
    }

    #[test]
    fn parses_amounts() {
        assert_eq!(
            Money::parse("1 500,50", Currency::Bgn).unwrap().minor,
            150_050
        );
        assert_eq!(Money::parse("12.5", Currency::Eur).unwrap().minor, 1250);
        assert!(Money::parse("-3", Currency::Eur).is_err());
        assert!(Money::parse("1.234", Currency::Eur).is_err());
        assert!(Money::parse("abc", Currency::Eur).is_err());
        assert_eq!(
            Money::new(150_050, Currency::Bgn).to_string(),
            "1500.50 BGN"
        );
    }

    proptest::proptest! {
        #[test]
        fn round_trip_loses_at_most_a_cent(minor in 0i64..1_000_000_000) {
            let back = Money::new(minor, Currency::Eur).convert(Currency::Bgn).convert(Currency::Eur);
            proptest::prop_assert!((back.minor - minor).abs() <= 1);
        }
    }
}
