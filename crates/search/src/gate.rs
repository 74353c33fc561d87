//! Which words of the index's dictionaries a reader may be led to. Typo tolerance, prefixes, the
//! Latin readings and the "did you mean" suggestions all read the term dictionaries, which hold
//! the words of every document: drafts, people, unpublished events, and deleted documents until
//! their segment is merged. A word is *visible* to a reader when some live document the reader
//! may see holds it; nothing else may steer a search, so that what an anonymous visitor finds
//! never changes with private text.
//!
//! The check walks the word's postings and asks each document's scope (the `scope_codes` fast
//! field, the same rule as the query's filter) until one passes. A word of public records passes
//! at its first document; the walk is bounded ([`MAX_WALK`]), and a word no visible document
//! holds within it counts as absent.

use crate::Viewer;
use crate::schema;
use lipa_core::user::Role;
use std::cell::RefCell;
use std::collections::HashMap;
use tantivy::columnar::Column;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED, Term};

/// Postings read for one word in one segment before it counts as absent.
pub const MAX_WALK: usize = 20_000;

/// The words a reader may be led to, for one search.
pub struct Gate<'s> {
    searcher: &'s Searcher,
    /// The scope codes the reader may see; `None` for everything (the programme unit).
    allowed: Option<Vec<u64>>,
    /// Per segment, its documents' scope codes.
    columns: Vec<Option<Column<u64>>>,
    seen: RefCell<HashMap<(Field, Vec<u8>), bool>>,
}

impl<'s> Gate<'s> {
    pub fn new(searcher: &'s Searcher, viewer: &Viewer) -> Self {
        let mut terms = vec![schema::PUBLIC.to_owned()];
        let allowed = match viewer {
            Viewer::SignedIn(Role::Admin) => None,
            Viewer::SignedIn(Role::Coordinator { district }) => {
                terms.push(schema::district_term(district.as_str()));
                Some(terms)
            }
            Viewer::SignedIn(Role::Librarian { library }) => {
                terms.push(schema::library_term(library.get()));
                Some(terms)
            }
            Viewer::SignedIn(Role::Viewer) | Viewer::Anonymous => Some(terms),
        }
        .map(|terms| terms.iter().filter_map(|t| schema::scope_code(t)).collect());
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64(schema::SCOPE_CODES).ok())
            .collect();
        Gate {
            searcher,
            allowed,
            columns,
            seen: RefCell::new(HashMap::new()),
        }
    }

    /// The gate of what every reader may see: public records only (suggestions come from
    /// there, whoever asks).
    pub fn public(searcher: &'s Searcher) -> Self {
        Self::new(searcher, &Viewer::Anonymous)
    }

    pub fn searcher(&self) -> &'s Searcher {
        self.searcher
    }

    /// Whether document `doc` of segment `ord` is live and the reader may see it.
    fn sees(&self, ord: usize, segment: &SegmentReader, doc: u32) -> bool {
        if segment.is_deleted(doc) {
            return false;
        }
        let Some(allowed) = &self.allowed else {
            return true;
        };
        let Some(Some(column)) = self.columns.get(ord) else {
            return false;
        };
        column
            .values_for_doc(doc)
            .any(|code| allowed.contains(&code))
    }

    fn walk(&self, ord: usize, segment: &SegmentReader, mut postings: SegmentPostings) -> bool {
        let mut doc = postings.doc();
        let mut walked = 0;
        while doc != TERMINATED && walked < MAX_WALK {
            if self.sees(ord, segment, doc) {
                return true;
            }
            walked += 1;
            doc = postings.advance();
        }
        false
    }

    /// Whether the term (already found in segment `ord`'s dictionary, `info`) is held by a
    /// document of that segment the reader may see.
    pub fn visible_in(&self, ord: usize, field: Field, bytes: &[u8], info: &TermInfo) -> bool {
        let key = (field, bytes.to_vec());
        if self.seen.borrow().get(&key) == Some(&true) {
            return true;
        }
        let segment = &self.searcher.segment_readers()[ord];
        let found = segment.inverted_index(field).is_ok_and(|inverted| {
            inverted
                .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                .is_ok_and(|postings| self.walk(ord, segment, postings))
        });
        if found {
            self.seen.borrow_mut().insert(key, true);
        }
        found
    }

    /// Whether some document the reader may see holds `text` as a term of `field`.
    pub fn visible(&self, field: Field, text: &str) -> bool {
        let key = (field, text.as_bytes().to_vec());
        if let Some(&known) = self.seen.borrow().get(&key) {
            return known;
        }
        let term = Term::from_field_text(field, text);
        let found = self
            .searcher
            .segment_readers()
            .iter()
            .enumerate()
            .any(|(ord, segment)| {
                segment.inverted_index(field).is_ok_and(|inverted| {
                    match inverted.read_postings(&term, IndexRecordOption::Basic) {
                        Ok(Some(postings)) => self.walk(ord, segment, postings),
                        _ => false,
                    }
                })
            });
        self.seen.borrow_mut().insert(key, found);
        found
    }

    /// Whether some visible term of `field` starts with `prefix`, looking at no more than
    /// `scan` terms of each segment.
    pub fn visible_prefix(&self, field: Field, prefix: &str, scan: usize) -> bool {
        self.searcher
            .segment_readers()
            .iter()
            .enumerate()
            .any(|(ord, segment)| {
                let Ok(inverted) = segment.inverted_index(field) else {
                    return false;
                };
                let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
                else {
                    return false;
                };
                let mut scanned = 0;
                while scanned < scan && stream.advance() {
                    if !stream.key().starts_with(prefix.as_bytes()) {
                        return false;
                    }
                    if self.visible_in(ord, field, stream.key(), stream.value()) {
                        return true;
                    }
                    scanned += 1;
                }
                false
            })
    }
}
