//! Geography: Bulgaria's 28 districts, 265 municipalities and 5,256 settlements, compiled in from
//! `data/gazetteer/` (NSI EKATTE classifier; coordinates © OpenStreetMap contributors — see
//! `data/gazetteer/SOURCES.md`). A library is always attached to a settlement of this gazetteer.
//!
//! Lookups by name fold case, quotes, dashes and Latin look-alike letters, so that the ways
//! people write a place name in a table find the one settlement they mean.

use crate::ids::{DistrictCode, Ekatte, MunicipalityCode};
use crate::text::fold_name;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Credit line the coordinates and boundaries require wherever they are shown.
pub const OSM_CREDIT: &str = "© OpenStreetMap contributors";

const DISTRICTS_CSV: &str = include_str!("../../../data/gazetteer/districts.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../../../data/gazetteer/municipalities.csv");
const SETTLEMENTS_CSV: &str = include_str!("../../../data/gazetteer/settlements.csv");
/// District boundaries (GeoJSON, WGS84), for maps.
pub const DISTRICTS_GEOJSON: &str = include_str!("../../../data/gazetteer/districts.geojson");

#[derive(Debug, Clone, Serialize)]
pub struct District {
    pub code: DistrictCode,
    pub name_bg: String,
    pub name_en: String,
    pub nuts3: String,
    pub center: Ekatte,
}

#[derive(Debug, Clone, Serialize)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name_bg: String,
    pub name_en: String,
    pub district: DistrictCode,
    pub center: Ekatte,
}

/// Kind of settlement, as EKATTE tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SettlementKind {
    Town,
    Village,
    Monastery,
}

impl SettlementKind {
    pub const ALL: [SettlementKind; 3] = [
        SettlementKind::Town,
        SettlementKind::Village,
        SettlementKind::Monastery,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SettlementKind::Town => "town",
            SettlementKind::Village => "village",
            SettlementKind::Monastery => "monastery",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The abbreviation written before a name: `гр.`, `с.`, `ман.`.
    pub fn abbr_bg(self) -> &'static str {
        match self {
            SettlementKind::Town => "гр.",
            SettlementKind::Village => "с.",
            SettlementKind::Monastery => "ман.",
        }
    }

    /// Recognises `гр.`, `гр`, `град`, `с.`, `с`, `село`, `ман.` (folded).
    pub fn from_abbr(s: &str) -> Option<Self> {
        match fold_name(s).trim_end_matches('.') {
            "гр" | "град" => Some(SettlementKind::Town),
            "с" | "село" => Some(SettlementKind::Village),
            "ман" | "манастир" => Some(SettlementKind::Monastery),
            _ => None,
        }
    }

    fn from_ekatte_kind(s: &str) -> Option<Self> {
        match s {
            "град" => Some(SettlementKind::Town),
            "село" => Some(SettlementKind::Village),
            "манастир" => Some(SettlementKind::Monastery),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Settlement {
    pub ekatte: Ekatte,
    pub kind: SettlementKind,
    pub name_bg: String,
    pub name_en: String,
    pub municipality: MunicipalityCode,
    pub district: DistrictCode,
    /// WGS84 latitude and longitude, © OpenStreetMap contributors; absent for 3 new villages.
    pub coords: Option<(f64, f64)>,
    pub population: Option<u32>,
}

impl Settlement {
    /// `гр. Кюстендил`
    pub fn label_bg(&self) -> String {
        format!("{} {}", self.kind.abbr_bg(), self.name_bg)
    }
}

/// The whole gazetteer, built once from the compiled-in files.
#[derive(Debug)]
pub struct Gazetteer {
    districts: Vec<District>,
    municipalities: Vec<Municipality>,
    settlements: Vec<Settlement>,
    district_by_code: HashMap<String, usize>,
    municipality_by_code: HashMap<String, usize>,
    settlement_by_ekatte: HashMap<String, usize>,
    municipalities_by_name: HashMap<String, Vec<usize>>,
    settlements_by_name: HashMap<String, Vec<usize>>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::parse(DISTRICTS_CSV, MUNICIPALITIES_CSV, SETTLEMENTS_CSV)
        .expect("the compiled-in gazetteer is valid (checked by tests)")
});

#[derive(Debug, Deserialize)]
struct DistrictRow {
    code: String,
    name_bg: String,
    name_en_transliterated: String,
    nuts3: String,
    center_ekatte: String,
}

#[derive(Debug, Deserialize)]
struct MunicipalityRow {
    code: String,
    name_bg: String,
    district_code: String,
    name_en_transliterated: String,
    center_ekatte: String,
}

#[derive(Debug, Deserialize)]
struct SettlementRow {
    ekatte: String,
    kind: String,
    name_bg: String,
    municipality_code: String,
    district_code: String,
    lat: Option<f64>,
    lon: Option<f64>,
    population: Option<u32>,
    name_en_transliterated: String,
}

impl Gazetteer {
    /// The gazetteer compiled into this build.
    pub fn get() -> &'static Gazetteer {
        &GAZETTEER
    }

    fn parse(districts: &str, municipalities: &str, settlements: &str) -> Result<Self, String> {
        fn rows<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>, String> {
            csv::Reader::from_reader(text.as_bytes())
                .deserialize()
                .collect::<Result<Vec<T>, _>>()
                .map_err(|e| e.to_string())
        }
        let e = |v: crate::Violation| v.to_string();
        let districts = rows::<DistrictRow>(districts)?
            .into_iter()
            .map(|r| {
                Ok(District {
                    code: DistrictCode::parse(&r.code).map_err(e)?,
                    name_bg: r.name_bg,
                    name_en: r.name_en_transliterated,
                    nuts3: r.nuts3,
                    center: Ekatte::parse(&r.center_ekatte).map_err(e)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let municipalities = rows::<MunicipalityRow>(municipalities)?
            .into_iter()
            .map(|r| {
                Ok(Municipality {
                    code: MunicipalityCode::parse(&r.code).map_err(e)?,
                    name_bg: r.name_bg,
                    name_en: r.name_en_transliterated,
                    district: DistrictCode::parse(&r.district_code).map_err(e)?,
                    center: Ekatte::parse(&r.center_ekatte).map_err(e)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let settlements = rows::<SettlementRow>(settlements)?
            .into_iter()
            .map(|r| {
                Ok(Settlement {
                    kind: SettlementKind::from_ekatte_kind(&r.kind)
                        .ok_or_else(|| format!("{}: kind {}", r.ekatte, r.kind))?,
                    ekatte: Ekatte::parse(&r.ekatte).map_err(e)?,
                    name_bg: r.name_bg,
                    name_en: r.name_en_transliterated,
                    municipality: MunicipalityCode::parse(&r.municipality_code).map_err(e)?,
                    district: DistrictCode::parse(&r.district_code).map_err(e)?,
                    coords: r.lat.zip(r.lon),
                    population: r.population,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;

        let mut g = Gazetteer {
            district_by_code: districts
                .iter()
                .enumerate()
                .map(|(i, d)| (d.code.to_string(), i))
                .collect(),
            municipality_by_code: municipalities
                .iter()
                .enumerate()
                .map(|(i, m)| (m.code.to_string(), i))
                .collect(),
            settlement_by_ekatte: settlements
                .iter()
                .enumerate()
                .map(|(i, s)| (s.ekatte.to_string(), i))
                .collect(),
            municipalities_by_name: HashMap::new(),
            settlements_by_name: HashMap::new(),
            districts,
            municipalities,
            settlements,
        };
        for (i, m) in g.municipalities.iter().enumerate() {
            g.municipalities_by_name
                .entry(fold_name(&m.name_bg))
                .or_default()
                .push(i);
            g.municipalities_by_name
                .entry(fold_name(&m.name_en))
                .or_default()
                .push(i);
        }
        for (i, s) in g.settlements.iter().enumerate() {
            g.settlements_by_name
                .entry(fold_name(&s.name_bg))
                .or_default()
                .push(i);
            g.settlements_by_name
                .entry(fold_name(&s.name_en))
                .or_default()
                .push(i);
        }
        for list in g
            .municipalities_by_name
            .values_mut()
            .chain(g.settlements_by_name.values_mut())
        {
            list.dedup();
        }
        Ok(g)
    }

    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    pub fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }

    pub fn settlements(&self) -> &[Settlement] {
        &self.settlements
    }

    pub fn district(&self, code: &str) -> Option<&District> {
        self.district_by_code.get(code).map(|&i| &self.districts[i])
    }

    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipality_by_code
            .get(code)
            .map(|&i| &self.municipalities[i])
    }

    pub fn settlement(&self, ekatte: &str) -> Option<&Settlement> {
        self.settlement_by_ekatte
            .get(ekatte)
            .map(|&i| &self.settlements[i])
    }

    /// Municipalities of this name (Bulgarian or transliterated), in `district` if given.
    pub fn municipalities_named(&self, name: &str, district: Option<&str>) -> Vec<&Municipality> {
        self.municipalities_by_name
            .get(&fold_name(name))
            .into_iter()
            .flatten()
            .map(|&i| &self.municipalities[i])
            .filter(|m| district.is_none_or(|d| m.district.as_str() == d))
            .collect()
    }

    /// Settlements of this name in `municipality`, of `kind` if given.
    pub fn settlements_named(
        &self,
        name: &str,
        municipality: Option<&str>,
        kind: Option<SettlementKind>,
    ) -> Vec<&Settlement> {
        self.settlements_by_name
            .get(&fold_name(name))
            .into_iter()
            .flatten()
            .map(|&i| &self.settlements[i])
            .filter(|s| municipality.is_none_or(|m| s.municipality.as_str() == m))
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .collect()
    }

    /// Settlements of a municipality.
    pub fn settlements_in(&self, municipality: &str) -> impl Iterator<Item = &Settlement> {
        self.settlements
            .iter()
            .filter(move |s| s.municipality.as_str() == municipality)
    }

    /// Municipalities of a district.
    pub fn municipalities_in(&self, district: &str) -> impl Iterator<Item = &Municipality> {
        self.municipalities
            .iter()
            .filter(move |m| m.district.as_str() == district)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_gazetteer_loads_and_is_consistent() {
        let g = Gazetteer::get();
        assert_eq!(g.districts().len(), 28);
        assert_eq!(g.municipalities().len(), 265);
        assert_eq!(g.settlements().len(), 5256);
        for s in g.settlements() {
            let m = g
                .municipality(s.municipality.as_str())
                .expect("municipality exists");
            assert_eq!(m.district, s.district);
            assert!(g.district(s.district.as_str()).is_some());
        }
        for m in g.municipalities() {
            assert_eq!(m.code.district(), m.district);
            assert!(g.settlement(m.center.as_str()).is_some());
        }
    }

    #[test]
    fn finds_places_of_kyustendil_district() {
        let g = Gazetteer::get();
        let kn = g.municipalities_named("Кюстендил", Some("KNL"));
        assert_eq!(kn.len(), 1);
        let town = g.settlements_named(
            "Кюстендил",
            Some(kn[0].code.as_str()),
            Some(SettlementKind::Town),
        );
        assert_eq!(town.len(), 1);
        assert_eq!(town[0].ekatte.as_str(), "41112");
        let sb = g.municipalities_named("Сапарева баня", None);
        let sb_town = g.settlements_named("Сапарева Баня", Some(sb[0].code.as_str()), None);
        assert_eq!(sb_town[0].kind, SettlementKind::Town);
        assert_eq!(g.municipalities_named("kyustendil", None).len(), 1);
    }
}
