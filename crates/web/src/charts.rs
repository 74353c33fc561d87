//! Charts and the map, drawn as SVG on the server: a horizontal bar chart and Bulgaria's districts
//! coloured by a count. No script, no tile server; the templates emit the SVG elements from the
//! numbers here, so text in them is escaped and translated like any other.
//!
//! The district outlines come from the gazetteer's GeoJSON (© OpenStreetMap contributors),
//! projected once (equirectangular, scaled by the cosine of Bulgaria's middle latitude).

use lipa_core::geo::DISTRICTS_GEOJSON;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// Width in percent of the longest bar.
    pub pct: f64,
    /// Link to the list this bar counts.
    pub href: String,
}

/// Bars scaled to the largest value.
pub fn bars(items: Vec<(String, i64, String)>) -> Vec<Bar> {
    let max = items.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1) as f64;
    items
        .into_iter()
        .map(|(label, value, href)| Bar {
            label,
            value,
            pct: (value as f64 / max * 100.0).max(0.5),
            href,
        })
        .collect()
}

/// One district on the map.
#[derive(Debug, Clone)]
pub struct MapArea {
    pub code: String,
    pub name: String,
    pub path: String,
    pub value: i64,
    /// Colour class 0 (none) to 5 (most).
    pub class: u8,
    pub label_x: f64,
    pub label_y: f64,
}

pub const MAP_WIDTH: f64 = 640.0;

struct Outline {
    code: String,
    name_bg: String,
    name_en: String,
    path: String,
    cx: f64,
    cy: f64,
}

struct Projected {
    outlines: Vec<Outline>,
    height: f64,
    /// West and north edges (degrees), the longitude factor and the scale of the projection.
    west: f64,
    north: f64,
    k: f64,
    scale: f64,
}

static MAP: LazyLock<Projected> = LazyLock::new(project);

/// A district's code, Bulgarian and English names, and outline rings as (lon, lat) points.
type DistrictRings = (String, String, String, Vec<Vec<(f64, f64)>>);

fn project() -> Projected {
    let geo: serde_json::Value =
        serde_json::from_str(DISTRICTS_GEOJSON).unwrap_or(serde_json::Value::Null);
    let features = geo["features"].as_array().cloned().unwrap_or_default();
    // Collect all rings as (lon, lat) lists per district.
    let mut rings_by: Vec<DistrictRings> = Vec::new();
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for f in &features {
        let props = &f["properties"];
        let code = props["code"].as_str().unwrap_or_default().to_owned();
        let name_bg = props["name_bg"].as_str().unwrap_or_default().to_owned();
        let name_en = props["name_en_transliterated"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let geom = &f["geometry"];
        let polys: Vec<&serde_json::Value> = match geom["type"].as_str() {
            Some("Polygon") => vec![&geom["coordinates"]],
            Some("MultiPolygon") => geom["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            _ => vec![],
        };
        let mut rings = Vec::new();
        for poly in polys {
            for ring in poly.as_array().into_iter().flatten() {
                let pts: Vec<(f64, f64)> = ring
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                    .collect();
                for &(x, y) in &pts {
                    min_x = min_x.min(x);
                    max_x = max_x.max(x);
                    min_y = min_y.min(y);
                    max_y = max_y.max(y);
                }
                rings.push(pts);
            }
        }
        rings_by.push((code, name_bg, name_en, rings));
    }
    if rings_by.is_empty() {
        return Projected {
            outlines: vec![],
            height: 1.0,
            west: 0.0,
            north: 0.0,
            k: 1.0,
            scale: 1.0,
        };
    }
    let k = ((min_y + max_y) / 2.0).to_radians().cos();
    let scale = MAP_WIDTH / ((max_x - min_x) * k);
    let height = (max_y - min_y) * scale;
    let px = |lon: f64| (lon - min_x) * k * scale;
    let py = |lat: f64| (max_y - lat) * scale;
    let outlines = rings_by
        .into_iter()
        .map(|(code, name_bg, name_en, rings)| {
            let mut d = String::new();
            let (mut sx, mut sy, mut n, mut area_best) = (0.0, 0.0, 0.0, 0.0);
            for ring in &rings {
                let mut last = (f64::NAN, f64::NAN);
                for (i, &(lon, lat)) in ring.iter().enumerate() {
                    let p = (
                        (px(lon) * 10.0).round() / 10.0,
                        (py(lat) * 10.0).round() / 10.0,
                    );
                    if p == last {
                        continue;
                    }
                    let _ = write!(d, "{}{},{}", if i == 0 { "M" } else { "L" }, p.0, p.1);
                    last = p;
                }
                d.push('Z');
                // Label at the centroid of the largest ring's points.
                let area = ring.len() as f64;
                if area > area_best {
                    area_best = area;
                    sx = ring.iter().map(|p| px(p.0)).sum::<f64>();
                    sy = ring.iter().map(|p| py(p.1)).sum::<f64>();
                    n = ring.len() as f64;
                }
            }
            Outline {
                code,
                name_bg,
                name_en,
                path: d,
                cx: sx / n.max(1.0),
                cy: sy / n.max(1.0),
            }
        })
        .collect();
    Projected {
        outlines,
        height,
        west: min_x,
        north: max_y,
        k,
        scale,
    }
}

/// Where a place (WGS 84 longitude, latitude) falls on the map, in SVG units.
pub fn project_point(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon - MAP.west) * MAP.k * MAP.scale;
    let y = (MAP.north - lat) * MAP.scale;
    ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
}

/// Height of the map in SVG units (its width is [`MAP_WIDTH`]).
pub fn map_height() -> f64 {
    (MAP.height * 10.0).round() / 10.0
}

/// The districts with their counts and colour classes.
pub fn district_map(counts: &HashMap<String, i64>, english: bool) -> Vec<MapArea> {
    let max = counts.values().copied().max().unwrap_or(0);
    MAP.outlines
        .iter()
        .map(|o| {
            let value = counts.get(&o.code).copied().unwrap_or(0);
            let class = if value == 0 || max == 0 {
                0
            } else {
                1 + ((value as f64 / max as f64) * 4.0).ceil().clamp(0.0, 4.0) as u8
            };
            MapArea {
                code: o.code.clone(),
                name: if english {
                    o.name_en.clone()
                } else {
                    o.name_bg.clone()
                },
                path: o.path.clone(),
                value,
                class: class.min(5),
                label_x: (o.cx * 10.0).round() / 10.0,
                label_y: (o.cy * 10.0).round() / 10.0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_has_all_districts_inside_the_frame() {
        let counts = HashMap::from([("KNL".to_owned(), 15)]);
        let areas = district_map(&counts, false);
        assert_eq!(areas.len(), 28);
        let knl = areas.iter().find(|a| a.code == "KNL").unwrap();
        assert_eq!(knl.class, 5);
        assert_eq!(knl.name, "Кюстендил");
        assert!(
            areas
                .iter()
                .filter(|a| a.code != "KNL")
                .all(|a| a.class == 0)
        );
        let h = map_height();
        assert!(h > 300.0 && h < 500.0, "{h}");
        for a in &areas {
            assert!(
                a.label_x >= 0.0 && a.label_x <= MAP_WIDTH && a.label_y >= 0.0 && a.label_y <= h
            );
        }
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let b = bars(vec![
            ("a".into(), 5, "/".into()),
            ("b".into(), 1, "/".into()),
        ]);
        assert_eq!(b[0].pct, 100.0);
        assert!((b[1].pct - 20.0).abs() < 1e-9);
    }
}
