//! The fields of the index and how an [`IndexDoc`] becomes a tantivy document.
//!
//! Searchable text goes into five fields of one analyzer, so that a field's weight, not its
//! analysis, says how much a match counts: `names` > `titles` > `latin` > `place` > `body`.
//! `words` holds the unstemmed words of all of them: the vocabulary a Latin query word is read
//! against, and where a longer form of a word or a typo in its ending is found.
//! `scope` holds who may see the document (for the filter of every search) and `scope_codes` the
//! same as numbers (a fast field: whether a word of the dictionaries is in a document the
//! reader may see, see `crate::gate`); `facets` holds its kind and category for the counts.

use crate::analyzer;
use crate::docs::{IndexDoc, Scope};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// Goes up whenever the fields change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// The fields, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub library_id: Field,
    pub title: Field,
    pub snippet: Field,
    pub scope: Field,
    pub scope_codes: Field,
    pub facets: Field,
    pub names: Field,
    pub titles: Field,
    pub latin: Field,
    pub place: Field,
    pub body: Field,
    pub words: Field,
}

/// How much a match in each text field counts.
pub const BOOST_NAMES: f32 = 3.0;
pub const BOOST_TITLES: f32 = 2.0;
pub const BOOST_LATIN: f32 = 2.0;
pub const BOOST_PLACE: f32 = 1.2;
pub const BOOST_BODY: f32 = 1.0;
/// The vocabulary (whole words of every field): another form of a word, or a typo in its
/// ending, counts as a match in the body would.
pub const BOOST_WORDS: f32 = 1.0;

impl Fields {
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::TERMS)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::WORDS)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let key = b.add_text_field("key", STRING);
        let kind = b.add_text_field("kind", STRING | STORED);
        let id = b.add_i64_field("id", STORED);
        let library_id = b.add_u64_field(LIBRARY_ID, STORED | FAST);
        let title = b.add_text_field("title", STORED);
        let snippet = b.add_text_field("snippet", STORED);
        let scope = b.add_text_field("scope", STRING);
        let scope_codes = b.add_u64_field(SCOPE_CODES, FAST);
        let facets = b.add_facet_field("facets", FacetOptions::default());
        let names = b.add_text_field("names", text.clone());
        let titles = b.add_text_field("titles", text.clone());
        let latin = b.add_text_field("latin", text.clone());
        let place = b.add_text_field("place", text.clone());
        let body = b.add_text_field("body", text);
        let words = b.add_text_field("words", words);
        Fields {
            schema: b.build(),
            key,
            kind,
            id,
            library_id,
            title,
            snippet,
            scope,
            scope_codes,
            facets,
            names,
            titles,
            latin,
            place,
            body,
            words,
        }
    }

    /// The searchable text fields with their weights.
    pub fn weighted(&self) -> [(Field, f32); 5] {
        [
            (self.names, BOOST_NAMES),
            (self.titles, BOOST_TITLES),
            (self.latin, BOOST_LATIN),
            (self.place, BOOST_PLACE),
            (self.body, BOOST_BODY),
        ]
    }

    /// The tantivy document of a record.
    pub fn document(&self, d: &IndexDoc) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.key, d.key());
        doc.add_text(self.kind, d.kind.code());
        doc.add_i64(self.id, d.id);
        if let Some(l) = d.library_id {
            doc.add_u64(self.library_id, u64::from(l));
        }
        doc.add_text(self.title, &d.title);
        doc.add_text(self.snippet, d.snippet_text());
        for term in scope_terms(&d.scope) {
            if let Some(code) = scope_code(&term) {
                doc.add_u64(self.scope_codes, code);
            }
            doc.add_text(self.scope, term);
        }
        doc.add_facet(
            self.facets,
            tantivy::schema::Facet::from_path(["kind", d.kind.code()]),
        );
        if let Some(c) = &d.category {
            doc.add_facet(
                self.facets,
                tantivy::schema::Facet::from_path(["category", c.as_str()]),
            );
        }
        let groups = [
            (self.names, &d.names),
            (self.titles, &d.titles),
            (self.latin, &d.latin),
            (self.place, &d.place),
            (self.body, &d.body),
        ];
        for (field, texts) in groups {
            for t in texts.iter().filter(|t| !t.trim().is_empty()) {
                doc.add_text(field, t);
                if field != self.latin {
                    doc.add_text(self.words, t);
                }
            }
        }
        doc
    }
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}

/// The `scope` terms of a document: `public`, or `private` with the place it sits at.
pub fn scope_terms(scope: &Scope) -> Vec<String> {
    match scope {
        Scope::Public => vec![PUBLIC.into()],
        Scope::Private { district, library } => {
            let mut out = vec!["private".to_owned()];
            if let Some(d) = district {
                out.push(district_term(d.as_str()));
            }
            if let Some(l) = library {
                out.push(library_term(l.get()));
            }
            out
        }
    }
}

pub const PUBLIC: &str = "public";
/// The name of the fast field of [`scope_code`]s.
pub const SCOPE_CODES: &str = "scope_codes";
/// The name of the field of the library a record belongs to.
pub const LIBRARY_ID: &str = "library_id";

/// A `scope` term as a number: `public` 1, a district `2 << 32` + its code's bytes, a library
/// `3 << 32` + its ID; `None` for `private`, which no reader is given by name.
pub fn scope_code(term: &str) -> Option<u64> {
    if term == PUBLIC {
        return Some(1);
    }
    if let Some(code) = term.strip_prefix("district:") {
        let packed = code
            .bytes()
            .take(4)
            .fold(0u64, |acc, b| (acc << 8) | u64::from(b));
        return Some((2 << 32) | packed);
    }
    term.strip_prefix("library:")
        .and_then(|id| id.parse::<u32>().ok())
        .map(|id| (3 << 32) | u64::from(id))
}

pub fn district_term(code: &str) -> String {
    format!("district:{code}")
}

pub fn library_term(id: u32) -> String {
    format!("library:{id}")
}
