//! What the index holds of each record: one [`IndexDoc`] per library, service, partner, event and
//! person, with its text sorted by weight (names, then titles, then place, then body) and who may
//! see it. Built from the domain records alone (plus the gazetteer and the taxonomy), so that a
//! rebuild and a catch-up make the same document of the same record.
//!
//! Personal contacts are never indexed: a person's e-mail and phone are not searchable by anyone.

use lipa_core::Lang;
use lipa_core::event::Event;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{DistrictCode, EventId, LibraryId, PartnerId, PersonId, RecordKey, ServiceId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::search_text::to_latin;
use lipa_core::service::{Service, ServiceStatus};
use lipa_core::taxonomy::{Category, PartnerKind};
use serde::{Deserialize, Serialize};

/// What kind of record a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Library,
    Service,
    Partner,
    Event,
    Person,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Library,
        Kind::Service,
        Kind::Partner,
        Kind::Event,
        Kind::Person,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Library => "library",
            Kind::Service => "service",
            Kind::Partner => "partner",
            Kind::Event => "event",
            Kind::Person => "person",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Who may see a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everyone, signed in or not.
    Public,
    /// Signed-in users whose role covers this place (see `lipa_core::user::Role::covers`); with
    /// neither district nor library, only the programme unit.
    Private {
        district: Option<DistrictCode>,
        library: Option<LibraryId>,
    },
}

/// One record as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    pub kind: Kind,
    pub id: i64,
    /// The library a service or person belongs to (a library's own ID for a library).
    pub library_id: Option<u32>,
    /// What a hit shows as its heading.
    pub title: String,
    /// A service's category code.
    pub category: Option<String>,
    pub scope: Scope,
    /// Names: the strongest match.
    pub names: Vec<String>,
    /// Titles and labels: category, target groups, agenda topics, position.
    pub titles: Vec<String>,
    /// Where: settlement, municipality, district, the library a record belongs to.
    pub place: Vec<String>,
    /// Everything else worth finding.
    pub body: Vec<String>,
    /// Official Latin spellings of the names and English place names.
    pub latin: Vec<String>,
}

impl IndexDoc {
    fn new(kind: Kind, id: i64, title: &str, scope: Scope) -> Self {
        IndexDoc {
            kind,
            id,
            library_id: None,
            title: title.to_owned(),
            category: None,
            scope,
            names: Vec::new(),
            titles: Vec::new(),
            place: Vec::new(),
            body: Vec::new(),
            latin: Vec::new(),
        }
    }

    /// The key that identifies the document in the index (`service:12`).
    pub fn key(&self) -> String {
        key(self.kind, self.id)
    }

    /// The text snippets are cut from: all but the names, which the hit shows as its title.
    pub fn snippet_text(&self) -> String {
        self.titles
            .iter()
            .chain(&self.place)
            .chain(&self.body)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn push_latin_of_names(&mut self) {
        let latin: Vec<String> = self.names.iter().map(|n| to_latin(n)).collect();
        self.latin.extend(latin);
    }
}

/// The key of a record in the index.
pub fn key(kind: Kind, id: i64) -> String {
    format!("{}:{id}", kind.code())
}

/// The taxonomy a document's labels come from.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub categories: Vec<Category>,
    pub partner_kinds: Vec<PartnerKind>,
}

/// Settlement, municipality and district names of a place, in Bulgarian and in English.
fn place_names(ekatte: &str) -> (Vec<String>, Vec<String>, Option<DistrictCode>) {
    let g = Gazetteer::get();
    let Some(s) = g.settlement(ekatte) else {
        return (Vec::new(), Vec::new(), None);
    };
    let mut bg = vec![s.label_bg()];
    let mut en = vec![s.name_en.clone()];
    if let Some(m) = g.municipality(s.municipality.as_str()) {
        bg.push(format!("община {}", m.name_bg));
        en.push(m.name_en.clone());
    }
    if let Some(d) = g.district(s.district.as_str()) {
        bg.push(format!("област {}", d.name_bg));
        en.push(d.name_en.clone());
    }
    (bg, en, Some(s.district.clone()))
}

/// The district of a library's settlement.
pub fn district_of(lib: &Library) -> Option<DistrictCode> {
    Gazetteer::get()
        .settlement(lib.settlement.as_str())
        .map(|s| s.district.clone())
}

pub fn library_doc(lib: &Library) -> IndexDoc {
    let mut d = IndexDoc::new(
        Kind::Library,
        i64::from(lib.id.get()),
        &lib.name,
        Scope::Public,
    );
    d.library_id = Some(lib.id.get());
    d.names.push(lib.name.clone());
    d.names.push(lib.id.to_string());
    if let Some(c) = &lib.chitalishte {
        d.names.push(format!("народно читалище {}", c.name));
        if let Some(y) = c.founded {
            d.body.push(y.to_string());
        }
    }
    let (bg, en, _) = place_names(lib.settlement.as_str());
    d.titles.extend(bg);
    d.body.push(lib.kind.label(Lang::Bg));
    d.body.push(lib.kind.label(Lang::En));
    d.body.push(lib.contacts.address.clone());
    d.push_latin_of_names();
    d.latin.extend(en);
    d
}

/// A service and the library it belongs to (its name and place are part of what finds it).
pub fn service_doc(id: ServiceId, s: &Service, lib: Option<&Library>, labels: &Labels) -> IndexDoc {
    let district = lib.and_then(district_of);
    let scope = if s.status.is_published() {
        Scope::Public
    } else {
        Scope::Private {
            district,
            library: Some(s.library),
        }
    };
    let c = &s.card;
    let mut d = IndexDoc::new(Kind::Service, id.raw(), &c.name, scope);
    d.library_id = Some(s.library.get());
    d.category = Some(s.category.to_string());
    d.names.push(c.name.clone());
    if let Some(cat) = labels.categories.iter().find(|k| k.code == s.category) {
        d.titles.push(cat.name_bg.clone());
        d.titles.push(cat.name_en.clone());
    }
    d.titles.extend(c.target_groups.iter().cloned());
    if let Some(lib) = lib {
        d.place.push(lib.name.clone());
        let (bg, en, _) = place_names(lib.settlement.as_str());
        d.place.extend(bg);
        d.latin.extend(en);
    }
    d.body.push(c.goal.clone());
    for p in &c.partners {
        d.body.push(p.name.clone());
        d.body.push(p.role.clone());
    }
    d.body.extend(c.activities.iter().map(|a| a.title.clone()));
    for b in &c.budget {
        d.body.push(b.label.clone());
        d.body.push(b.source.clone());
    }
    d.body.push(c.media.clone());
    d.body.push(c.expected.social.clone());
    d.body.push(c.expected.economic.clone());
    d.body.push(c.expected.community.clone());
    for v in &s.volunteers {
        d.body.push(v.name.clone());
        d.body.push(v.role.clone());
    }
    for r in &s.results {
        d.body.push(r.indicator.clone());
        d.body.push(r.note.clone());
    }
    d.body.push(s.year.to_string());
    if s.status != ServiceStatus::Draft {
        d.body.push(s.status.label(Lang::Bg));
    }
    d.push_latin_of_names();
    d
}

pub fn partner_doc(id: PartnerId, p: &Partner, labels: &Labels) -> IndexDoc {
    let mut d = IndexDoc::new(Kind::Partner, id.raw(), &p.name, Scope::Public);
    d.names.push(p.name.clone());
    d.names.push(p.short_name.clone());
    if let Some(k) = labels.partner_kinds.iter().find(|k| k.code == p.kind) {
        d.titles.push(k.name_bg.clone());
        d.titles.push(k.name_en.clone());
    }
    if let Some(s) = &p.settlement {
        let (bg, en, _) = place_names(s.as_str());
        d.place.extend(bg);
        d.latin.extend(en);
    }
    d.body.push(p.description.clone());
    d.body.push(p.website.clone());
    d.push_latin_of_names();
    d
}

pub fn event_doc(id: EventId, e: &Event) -> IndexDoc {
    let scope = if e.published {
        Scope::Public
    } else {
        Scope::Private {
            district: e.district.clone(),
            library: None,
        }
    };
    let mut d = IndexDoc::new(Kind::Event, id.raw(), &e.title, scope);
    d.names.push(e.title.clone());
    d.titles.extend(e.agenda.iter().map(|a| a.topic.clone()));
    d.titles.push(e.kind.label(Lang::Bg));
    if let Some(s) = &e.settlement {
        let (bg, en, _) = place_names(s.as_str());
        d.place.extend(bg);
        d.latin.extend(en);
    }
    d.place.push(e.venue.clone());
    d.body.push(e.purpose.clone());
    d.body.extend(e.organisers.iter().cloned());
    for a in &e.agenda {
        d.body.push(a.speaker.clone());
        d.body.push(a.organisation.clone());
    }
    // Names and positions of the people at a published event are public with it; contacts are
    // not part of an event.
    for p in &e.participants {
        d.body.push(p.name.clone());
        d.body.push(p.position.clone());
        d.body.push(p.organisation.clone());
    }
    for g in &e.working_groups {
        d.body.push(g.name.clone());
        d.body.push(g.card.name.clone());
        d.body.push(g.card.goal.clone());
    }
    d.body.push(e.starts.year().to_string());
    d.push_latin_of_names();
    d
}

/// A person, with the library they work in (which decides who may find them).
pub fn person_doc(id: PersonId, p: &Person, lib: Option<&Library>) -> IndexDoc {
    let scope = Scope::Private {
        district: lib.and_then(district_of),
        library: p.library,
    };
    let mut d = IndexDoc::new(Kind::Person, id.raw(), &p.name, scope);
    d.library_id = p.library.map(LibraryId::get);
    d.names.push(p.name.clone());
    d.titles.push(p.position.clone());
    d.titles.push(p.organisation.clone());
    if let Some(lib) = lib {
        d.place.push(lib.name.clone());
        let (bg, _, _) = place_names(lib.settlement.as_str());
        d.place.extend(bg);
    }
    d.push_latin_of_names();
    d
}
