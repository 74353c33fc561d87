//! GeoJSON (RFC 7946) of libraries: a `FeatureCollection` with one `Feature` per library, a
//! `Point` at its settlement's coordinates from the compiled-in gazetteer, and properties a GIS
//! program can show and filter by (programme ID, name, kind, place with codes and names, the
//! number of services and their categories, the library's page).
//!
//! Written feature by feature to any [`Write`], so a caller can stream a million libraries in
//! batches without holding them all. What the writer guarantees (RFC 7946):
//!
//! - positions are `[longitude, latitude]` in WGS 84, as the specification requires (§3.1.1,
//!   §4), never the latitude-first order of the gazetteer's tuple;
//! - no `crs` member (§4); a settlement without coordinates (three new villages) gives a
//!   feature with `"geometry": null` (§3.2), so that the features are exactly the libraries given;
//! - each feature's `id` is the programme ID (§3.2).
//!
//! This module formats what it is given; which libraries and services count is the caller's
//! decision.

use lipa_core::geo::Gazetteer;
use lipa_core::library::Library;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The media type of GeoJSON (RFC 7946 §12).
pub const MEDIA_TYPE: &str = "application/geo+json";

/// One library as a GeoJSON `Feature`. `categories` are its counted services by category code;
/// `url` is its page.
pub fn feature(lib: &Library, categories: &[(String, i64)], url: &str) -> Value {
    let g = Gazetteer::get();
    let s = g.settlement(lib.settlement.as_str());
    let m = s.and_then(|s| g.municipality(s.municipality.as_str()));
    let d = s.and_then(|s| g.district(s.district.as_str()));
    let geometry = match s.and_then(|s| s.coords) {
        Some((lat, lon)) => json!({"type": "Point", "coordinates": [lon, lat]}),
        None => Value::Null,
    };
    json!({
        "type": "Feature",
        "id": lib.id.get(),
        "geometry": geometry,
        "properties": {
            "id": lib.id.get(),
            "name": lib.name,
            "kind": lib.kind.code(),
            "ekatte": lib.settlement.as_str(),
            "settlement": s.map(|s| s.label_bg()),
            "settlement_en": s.map(|s| s.name_en.clone()),
            "municipality_code": s.map(|s| s.municipality.to_string()),
            "municipality": m.map(|m| m.name_bg.clone()),
            "municipality_en": m.map(|m| m.name_en.clone()),
            "district_code": s.map(|s| s.district.to_string()),
            "district": d.map(|d| d.name_bg.clone()),
            "district_en": d.map(|d| d.name_en.clone()),
            "services": categories.iter().map(|(_, n)| n).sum::<i64>(),
            "categories": categories.iter().map(|(c, _)| c).collect::<Vec<_>>(),
            "url": url,
        }
    })
}

/// Writes a `FeatureCollection` one feature at a time: [`GeoJsonWriter::new`] opens it,
/// [`GeoJsonWriter::push`] adds a library, [`GeoJsonWriter::finish`] closes it.
pub struct GeoJsonWriter<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> GeoJsonWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        Ok(Self { out, count: 0 })
    }

    /// Adds one library (see [`feature`]).
    pub fn push(
        &mut self,
        lib: &Library,
        categories: &[(String, i64)],
        url: &str,
    ) -> io::Result<()> {
        if self.count > 0 {
            self.out.write_all(b",\n")?;
        } else {
            self.out.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut self.out, &feature(lib, categories, url))?;
        self.count += 1;
        Ok(())
    }

    /// The features written so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The output, e.g. to take what a batch wrote to a buffer.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Closes the collection and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lipa_core::ids::{Ekatte, LibraryId};
    use lipa_core::library::{Contacts, LibraryKind};

    fn library(id: u32, ekatte: &str) -> Library {
        Library {
            id: LibraryId::new(id).unwrap(),
            name: format!("Библиотека „Тест {id}“"),
            kind: LibraryKind::Chitalishte,
            chitalishte: None,
            settlement: Ekatte::parse(ekatte).unwrap(),
            coordinator: false,
            contacts: Contacts::default(),
        }
    }

    #[test]
    fn a_collection_follows_rfc_7946_with_longitude_first() {
        let mut w = GeoJsonWriter::new(Vec::new()).unwrap();
        // 41112 гр. Кюстендил: about 42.28° N, 22.69° E.
        w.push(
            &library(7, "41112"),
            &[("e-health".into(), 2), ("e-skills".into(), 1)],
            "/libraries/7",
        )
        .unwrap();
        w.push(&library(8, "68134"), &[], "/libraries/8").unwrap();
        assert_eq!(w.count(), 2);
        let bytes = w.finish().unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert!(v.get("crs").is_none(), "RFC 7946 §4: no crs member");
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        let f = &features[0];
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], 7);
        assert_eq!(f["geometry"]["type"], "Point");
        let pos = f["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(pos.len(), 2);
        let (lon, lat) = (pos[0].as_f64().unwrap(), pos[1].as_f64().unwrap());
        assert!((22.0..23.5).contains(&lon), "longitude first: {lon}");
        assert!((41.9..42.6).contains(&lat), "latitude second: {lat}");
        let p = &f["properties"];
        assert_eq!(p["name"], "Библиотека „Тест 7“");
        assert_eq!(p["kind"], "chitalishte");
        assert_eq!(p["settlement"], "гр. Кюстендил");
        assert_eq!(p["municipality_code"], "KNL29");
        assert_eq!(p["district_code"], "KNL");
        assert_eq!(p["services"], 3);
        assert_eq!(p["categories"], json!(["e-health", "e-skills"]));
        assert_eq!(p["url"], "/libraries/7");
        // 68134 гр. София.
        let sofia = features[1]["geometry"]["coordinates"].as_array().unwrap();
        assert!((23.0..23.6).contains(&sofia[0].as_f64().unwrap()));
        assert!((42.5..42.9).contains(&sofia[1].as_f64().unwrap()));
    }

    #[test]
    fn an_empty_collection_is_valid_json() {
        let bytes = GeoJsonWriter::new(Vec::new()).unwrap().finish().unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["features"], json!([]));
    }

    #[test]
    fn a_settlement_without_coordinates_gives_a_null_geometry() {
        let g = Gazetteer::get();
        let s = g
            .settlements()
            .iter()
            .find(|s| s.coords.is_none())
            .expect("the gazetteer has new villages without coordinates");
        let f = feature(&library(9, s.ekatte.as_str()), &[], "/libraries/9");
        assert!(f["geometry"].is_null());
        assert_eq!(f["id"], 9);
    }
}
