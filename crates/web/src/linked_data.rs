//! What public pages say to machines: schema.org JSON-LD for a library (`Library`), a service
//! (`Service`) and an event (`Event`), built with serde_json and embedded as
//! `<script type="application/ld+json">`, and the site's absolute address that JSON-LD, GeoJSON
//! and the DCAT catalogue link with.
//!
//! The JSON goes into the page unescaped by the template (an HTML entity would not be decoded
//! inside a script element), so [`script_json`] writes `<`, `>` and `&` as JSON `\u` escapes:
//! the text can never close the element, and the JSON parses to the same value. The CSP
//! (`script-src 'self'`) stays as it is: a data block is never run, so it needs no permission.
//!
//! It says only what the page itself shows to everyone; a page that is not public gets none.

use crate::AppState;
use axum::http::{HeaderMap, header};
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::Ekatte;
use lipa_core::library::Library;
use lipa_core::service::Service;
use serde_json::{Value, json};

/// `https://host` of the request (from its `Host` header; `https` when the server is told it is
/// behind TLS), for absolute links in data other systems keep. Without a usable `Host`, empty:
/// links then stay relative to the document, which JSON-LD and DCAT resolve.
pub fn origin(headers: &HeaderMap, state: &AppState) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    match host {
        Some(h) if state.inner.secure_cookies => format!("https://{h}"),
        Some(h) => format!("http://{h}"),
        None => String::new(),
    }
}

/// `value` as the text of a `<script type="application/ld+json">` element.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Where a settlement is, in schema.org terms (Bulgarian names).
struct Whereabouts {
    /// `PostalAddress`: the settlement, the district, the country.
    address: Value,
    /// `GeoCoordinates`, when the gazetteer has them.
    geo: Option<Value>,
    /// The municipality, inside the district, as `AdministrativeArea`s.
    area: Option<Value>,
}

fn whereabouts(ekatte: &Ekatte, street: &str) -> Whereabouts {
    let g = Gazetteer::get();
    let Some(s) = g.settlement(ekatte.as_str()) else {
        return Whereabouts {
            address: json!({"@type": "PostalAddress", "addressCountry": "BG"}),
            geo: None,
            area: None,
        };
    };
    let district = g
        .district(s.district.as_str())
        .map(|d| format!("област {}", d.name_bg));
    let mut address = json!({
        "@type": "PostalAddress",
        "addressLocality": s.label_bg(),
        "addressRegion": district,
        "addressCountry": "BG",
    });
    if !street.trim().is_empty() {
        address["streetAddress"] = json!(street.trim());
    }
    Whereabouts {
        address,
        geo: s.coords.map(
            |(lat, lon)| json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
        ),
        area: g.municipality(s.municipality.as_str()).map(|m| {
            json!({
                "@type": "AdministrativeArea",
                "name": format!("община {}", m.name_bg),
                "containedInPlace": {"@type": "AdministrativeArea", "name": district},
            })
        }),
    }
}

/// A library as a schema.org `Library`, its programme ID as the identifier.
pub fn library(origin: &str, lib: &Library) -> Value {
    let url = format!("{origin}/libraries/{}", lib.id);
    let w = whereabouts(&lib.settlement, &lib.contacts.address);
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Library",
        "@id": url,
        "url": url,
        "name": lib.name,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "lipa-programme-id",
            "value": lib.id.get().to_string(),
        },
        "address": w.address,
    });
    if let Some(geo) = w.geo {
        v["geo"] = geo;
    }
    if let Some(area) = w.area {
        v["containedInPlace"] = area;
    }
    let c = &lib.contacts;
    for (key, value) in [
        ("telephone", &c.phone),
        ("email", &c.email),
        ("sameAs", &c.website),
    ] {
        if !value.trim().is_empty() {
            v[key] = json!(value.trim());
        }
    }
    v
}

/// A library's e-service as a schema.org `Service` the library provides.
pub fn service(origin: &str, url: &str, s: &Service, category: &str, lib: &Library) -> Value {
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": format!("{origin}{url}"),
        "url": format!("{origin}{url}"),
        "name": s.card.name,
        "serviceType": category,
        "provider": {
            "@type": "Library",
            "@id": format!("{origin}/libraries/{}", lib.id),
            "name": lib.name,
        },
        "audience": s.card.target_groups.iter().map(|g| json!({"@type": "Audience", "audienceType": g})).collect::<Vec<_>>(),
    });
    if !s.card.goal.trim().is_empty() {
        v["description"] = json!(s.card.goal.trim());
    }
    v
}

/// An event as a schema.org `Event`: its dates (whole days) and place.
pub fn event(origin: &str, url: &str, e: &Event) -> Value {
    let mut location = json!({"@type": "Place"});
    if !e.venue.trim().is_empty() {
        location["name"] = json!(e.venue.trim());
    }
    if let Some(ekatte) = &e.settlement {
        let w = whereabouts(ekatte, "");
        location["address"] = w.address;
        if let Some(geo) = w.geo {
            location["geo"] = geo;
        }
        if let Some(area) = w.area {
            location["containedInPlace"] = area;
        }
    }
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": format!("{origin}{url}"),
        "url": format!("{origin}{url}"),
        "name": e.title,
        "startDate": e.starts.to_string(),
        "endDate": e.ends.to_string(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
    });
    if !e.purpose.trim().is_empty() {
        v["description"] = json!(e.purpose.trim());
    }
    if !e.organisers.is_empty() {
        v["organizer"] = e
            .organisers
            .iter()
            .map(|o| json!({"@type": "Organization", "name": o}))
            .collect();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element_and_parses_back() {
        let v = json!({"name": "</script><script>alert(1)</script> & „Лоза“"});
        let text = script_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }
}
