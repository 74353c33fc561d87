//! The importer of the plain-text tables the programme published: one library per line, columns
//! joined by spaces and nothing else, like the table that ends the Kyustendil 2012 report:
//!
//! ```text
//! Иновативни услуги, които целевите библиотеки в област Кюстендил ще прилагат през 2012 г.
//!
//! ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група
//! 732 БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870 Бобошево гр. Бобошево
//! 705 РБ ЕМАНУИЛ ПОПДИМИТРОВ Кюстендил гр. Кюстендил Е-образование: подпомагане … Деца с двигателни увреждания
//! ```
//!
//! This module owns reading such a table into [`Library`] and [`Service`] records. It does not
//! compare them with the store (that is [`crate::preview`]) and it never guesses silently: a row it
//! cannot read is an error with its line, and one error anywhere means no result at all.
//!
//! # Where the table is
//! The input may be the whole article. The header is the first line that, folded (case, spaces,
//! punctuation dropped), holds `община`, `населено място`, `услуга` and `целева група` in that
//! order. The title is the nearest non-empty line above it; the year is the first 4-digit number
//! 1990–2100 in it, the district the name after `област` (or before `област` as an adjective,
//! `Кюстендилска област`). [`LegacyOptions`] fill what the title does not say.
//!
//! Below the header: blank lines are skipped; a line starting with a number is a row. A line with
//! no leading ID is an error (a row that lost its ID, or a cell wrapped onto its own line) unless
//! the table has ended there: no row that reads as one (an ID, then a real municipality and
//! settlement) follows it, and it is set off by a blank line or reads as a sentence (four words or
//! more, ending in `.`, `!`, `?` or `…`). Everything from that line on is the article again.
//!
//! # How a row splits
//! 1. **ID**: the leading number.
//! 2. **Place**: the anchor is a settlement-kind word (`гр.`, `гр`, `град`, `с.`, `с`, `село`, glued
//!    or not: `гр.Кюстендил`). A candidate is `<municipality> <anchor> <settlement>` where the
//!    municipality (1–3 words) is in the gazetteer and the settlement (1–4 words) is a settlement of
//!    that kind in that municipality. Candidates are ranked: followed by the end of the line or by
//!    a category label first; in the table's district first; the longer settlement name first; the
//!    leftmost first. A municipality name found in several districts with no district to prefer is
//!    an error, as is a place outside the district the title names.
//! 3. **Library**: the words before the municipality. `БИБЛИОТЕКА ПРИ НЧ|Н.Ч.|ОНЧ|ЧИТАЛИЩЕ …`,
//!    `ЧИТАЛИЩНА БИБЛИОТЕКА …`, or a bare chitalishte marker → a chitalishte library, its name and
//!    founding year (`ЗОРА-1858`, `ХРИСТО БОТЕВ-1898г.`, `ЛОЗА 1870`) split off, named by
//!    [`Library::chitalishte_library_name`]; `РБ …`/`РЕГИОНАЛНА БИБЛИОТЕКА …` → regional;
//!    `ОБЩИНСКА БИБЛИОТЕКА …` → municipal; `УЧИЛИЩНА БИБЛИОТЕКА …` or a library at a school
//!    (`ОУ`, `СУ`, `ПГ` …) → school. Anything else that mentions a chitalishte is a chitalishte
//!    library; the rest are kept as written, of kind *specialised* — the programme's other
//!    partners are university and special libraries, and a wrong guess of *chitalishte* would put
//!    a wrong host institution in the registry. Names written in capitals are title-cased, with
//!    conjunctions and prepositions (`И`, `НА` …) in lower case.
//! 4. **Service**: what follows the settlement; nothing means a library without a service. It
//!    starts with a category label (`Е-здраве:`, `Е - култура:`, `E- бизнес` with a Latin E, with
//!    or without the colon) matched by [`match_category`].
//! 5. **Service text and target group**: there is no delimiter between them. The target group is
//!    the trailing phrase that starts at a capitalised word; the split point is the best of the
//!    candidates below, and if none is left the row is an error.
//!
//! # The split rule (service text | target group)
//! A candidate is a word *k* of the text after the label, not its first word, that starts with an
//! upper-case Cyrillic letter. It is **refused** when the service text would end in a preposition
//! or conjunction (`с`, `за`, `на`, `и` … — a phrase cannot end there: `съвместно с | Ресурсен
//! център …`), when the target group would end in one, when the word right before it is a
//! settlement mark (`гр. | Дупница` is a place, not a group of people), or when the target group
//! would be longer than 12 words. The others are scored:
//! - **+6** the target group is said again in the service text, word by word (stems compared:
//!   `… за незрящи граждани” | Незрящи граждани`); **+3** when only its first word is;
//! - **+4** its first word is a word for people (`Деца`, `Ученици`, `Младежи`, `Местна`, `Хора` …,
//!   by stem; a bonus, never a requirement);
//! - **−8** the word is inside quotation marks (a title such as „Информирани и здрави“);
//! - **−3** the word before it is capitalised too (splitting a name: `Христо | Ботев`);
//! - **−3** the group would start with a proper name — two capitalised words in a row, or a
//!   capitalised word and an institution noun (`Ресурсен център`, `Районна здравна инспекция`) —
//!   and its first word is not a word for people;
//! - **−3** the word is an abbreviation in capitals (`ОИЦ`, `РЗИ`);
//! - **−1** for every three words of the target group, so that among equals the shorter group —
//!   the later split — wins; a tie goes to the later split too.
//!
//! The parser is property-tested not to panic on any input, and to recover service text and target
//! group from generated rows.
//!
//! # What a row becomes
//! A [`Library`] (no contacts, not a coordinator: the table does not say) and, when the row has a
//! service, a [`Service`] of the table's year: status *planned*, supported by volunteers (the
//! column is "services supported by volunteers"), the card's name the service text as written
//! (spaces collapsed, quotes kept) and its one target group. Errors name 1-based lines of the whole
//! input and fields `import-field-<field>`: `id`, `library`, `municipality`, `settlement`,
//! `category`, `service`, `target_group`, `year`.

use crate::encoding::{TextReading, decode_text};
use crate::error::ImportErrors;
use crate::limits::{MAX_ROWS, check_size};
use crate::{Located, Registry};
use lipa_core::Violation;
use lipa_core::geo::{Gazetteer, Municipality, Settlement, SettlementKind};
use lipa_core::ids::{DistrictCode, LibraryId, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_core::taxonomy::{Category, match_category};
use lipa_core::text::{cyrillize_homoglyphs, fold_name, is_dash, is_quote, title_case_if_shouting};
use std::collections::HashMap;

/// What the importing user says when the table's title does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyOptions {
    pub year: Option<Year>,
    pub district: Option<DistrictCode>,
}

/// A table read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyTable {
    /// Lines before the header line, skipped.
    pub skipped_lines: usize,
    /// The nearest non-empty line above the header.
    pub title: Option<String>,
    pub year: Year,
    /// From the title, else from the options, else the one district all rows share.
    pub district: Option<DistrictCode>,
    pub libraries: Vec<Located<Library>>,
    pub services: Vec<Located<Service>>,
}

impl LegacyTable {
    pub fn into_registry(self) -> Registry {
        Registry {
            libraries: self.libraries.into_iter().map(|l| l.record).collect(),
            services: self.services.into_iter().map(|s| s.record).collect(),
            ..Registry::default()
        }
    }
}

/// Reads a plain-text table from a file's bytes in any encoding [`crate::encoding`] reads
/// (UTF-8, UTF-16 with its mark, Windows-1251), and says how it was read.
pub fn read(
    bytes: &[u8],
    categories: &[Category],
    opts: &LegacyOptions,
) -> Result<(LegacyTable, TextReading), ImportErrors> {
    let (text, reading) = decode_text(bytes)?;
    parse(&text, categories, opts).map(|t| (t, reading))
}

/// Reads a plain-text table (or an article that contains one). See the module documentation for
/// the rules; every bad row is reported, and any error means no result.
pub fn parse(
    text: &str,
    categories: &[Category],
    opts: &LegacyOptions,
) -> Result<LegacyTable, ImportErrors> {
    check_size(text.as_bytes())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().take(MAX_ROWS + 1).collect();
    let mut errors = ImportErrors::default();
    if lines.len() > MAX_ROWS {
        errors.push(
            MAX_ROWS + 1,
            Violation::new("", "err-too-many-rows").arg("limit", MAX_ROWS),
        );
        return Err(errors);
    }

    let Some(header) = lines.iter().position(|l| is_header(l)) else {
        errors.push(0, Violation::new("", "err-legacy-no-header"));
        return Err(errors);
    };
    let title_index = (0..header).rev().find(|&i| !lines[i].trim().is_empty());
    let title = title_index.map(|i| collapse_spaces(lines[i]));

    let year = title.as_deref().and_then(year_in_title).or(opts.year);
    if year.is_none() {
        let line = title_index.map_or(0, |i| i + 1);
        let field = if line == 0 { "" } else { "year" };
        errors.push(line, Violation::new(field, "err-legacy-no-year"));
    }
    let known_district = title
        .as_deref()
        .and_then(district_in_title)
        .or_else(|| opts.district.clone());

    let rows = table_rows(&lines, header + 1, &mut errors);

    let mut libraries = Vec::new();
    let mut services = Vec::new();
    let mut first_line_of: HashMap<LibraryId, usize> = HashMap::new();
    for row in rows {
        let parsed = parse_row(row.rest, categories, known_district.as_ref());
        let id = match LibraryId::parse(row.id) {
            Ok(id) => Some(id),
            Err(v) => {
                errors.push(
                    row.line,
                    Violation {
                        field: "id".into(),
                        ..v
                    },
                );
                None
            }
        };
        if let Some(id) = id {
            if let Some(&first) = first_line_of.get(&id) {
                errors.push(
                    row.line,
                    Violation::new("id", "err-duplicate-id")
                        .arg("value", id)
                        .arg("first", first),
                );
            } else {
                first_line_of.insert(id, row.line);
            }
        }
        match parsed {
            Err(violations) => {
                for v in violations {
                    errors.push(row.line, v);
                }
            }
            Ok(parsed) => {
                let Some(id) = id else { continue };
                let library = Library {
                    id,
                    name: parsed.library.display,
                    kind: parsed.library.kind,
                    chitalishte: parsed.library.chitalishte,
                    settlement: parsed.settlement.ekatte.clone(),
                    coordinator: false,
                    contacts: Contacts::default(),
                };
                let mut row_ok = true;
                if let Err(vs) = library.validate() {
                    row_ok = false;
                    for v in vs.0 {
                        errors.push(
                            row.line,
                            Violation {
                                field: "library".into(),
                                ..v
                            },
                        );
                    }
                }
                if let (Some(offer), Some(year)) = (parsed.service, year) {
                    let service = Service {
                        library: id,
                        year,
                        category: offer.category,
                        status: ServiceStatus::Planned,
                        volunteer_supported: true,
                        volunteers: Vec::new(),
                        card: ServiceCard {
                            name: offer.text,
                            target_groups: vec![offer.target_group],
                            ..ServiceCard::default()
                        },
                        results: Vec::new(),
                    };
                    if let Err(vs) = service.validate() {
                        row_ok = false;
                        for v in vs.0 {
                            let field = if v.field.starts_with("card.target_groups") {
                                "target_group"
                            } else {
                                "service"
                            };
                            errors.push(
                                row.line,
                                Violation {
                                    field: field.into(),
                                    ..v
                                },
                            );
                        }
                    }
                    if row_ok {
                        services.push(Located {
                            line: row.line,
                            record: service,
                        });
                    }
                }
                if row_ok {
                    libraries.push(Located {
                        line: row.line,
                        record: library,
                    });
                }
            }
        }
    }

    // Rows outside the table's district were refused above, so a known district is the district.
    let district = known_district.or_else(|| {
        let g = Gazetteer::get();
        let mut districts = libraries
            .iter()
            .filter_map(|l| g.settlement(l.record.settlement.as_str()))
            .map(|s| s.district.clone());
        let first = districts.next()?;
        districts.all(|d| d == first).then_some(first)
    });

    match year {
        Some(year) if errors.is_empty() => Ok(LegacyTable {
            skipped_lines: header,
            title,
            year,
            district,
            libraries,
            services,
        }),
        _ => {
            errors.0.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The table in the text

/// Folded header words that must appear, in this order, on the header line.
const HEADER_WORDS: [&str; 5] = [
    "библиотека",
    "община",
    "населеномясто",
    "услуга",
    "целевагрупа",
];

fn squeeze(s: &str) -> String {
    fold_name(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn is_header(line: &str) -> bool {
    if line.chars().count() > 300 {
        return false;
    }
    let key = squeeze(line);
    let mut rest = key.as_str();
    for word in HEADER_WORDS {
        match rest.find(word) {
            Some(at) => rest = &rest[at + word.len()..],
            None => return false,
        }
    }
    true
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first 4-digit number 1990–2100 that is not part of a longer number.
fn year_in_title(title: &str) -> Option<Year> {
    let chars: Vec<char> = title.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let n: i32 = chars[start..i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0);
                if (1990..=2100).contains(&n) {
                    return Year::new(n).ok();
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

/// `… в област Кюстендил …`, `… Кюстендилска област …`, `Kyustendil district`.
fn district_in_title(title: &str) -> Option<DistrictCode> {
    let folded = fold_name(title);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '(' || c == ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let g = Gazetteer::get();
    let mut best: Option<(usize, DistrictCode)> = None;
    for d in g.districts() {
        let mut names = vec![fold_name(&d.name_bg), fold_name(&d.name_en)];
        if d.code.as_str() == "SOF" {
            names.extend([
                "софия-град".to_owned(),
                "столица".to_owned(),
                "sofia-city".to_owned(),
            ]);
        }
        for name in names {
            let name_words: Vec<&str> = name.split(' ').collect();
            let n = name_words.len();
            for i in 0..words.len() {
                if words.get(i..i + n) != Some(&name_words[..]) {
                    continue;
                }
                let before = i.checked_sub(1).map(|j| words[j]);
                let after = words.get(i + n).copied();
                if before == Some("област") || after == Some("district") {
                    let len = name.chars().count();
                    if best.as_ref().is_none_or(|(l, _)| len > *l) {
                        best = Some((len, d.code.clone()));
                    }
                }
            }
        }
    }
    if let Some((_, code)) = best {
        return Some(code);
    }
    // The adjective: `кюстендилска област`, `пловдивска област`.
    for pair in words.windows(2) {
        let [adjective, "област"] = pair else {
            continue;
        };
        let Some(stem) = adjective.strip_suffix("ска") else {
            continue;
        };
        let found: Vec<_> = g
            .districts()
            .iter()
            .filter(|d| {
                let name = fold_name(&d.name_bg).replace(' ', "");
                let name_stem = name.trim_end_matches(['а', 'я', 'о', 'е', 'и']);
                name_stem.chars().count() >= 4 && stem.starts_with(name_stem)
                    || stem.chars().count() >= 4 && name_stem.starts_with(stem)
            })
            .collect();
        if let [d] = found[..] {
            return Some(d.code.clone());
        }
    }
    None
}

struct RawRow<'a> {
    line: usize,
    id: &'a str,
    rest: &'a str,
}

/// `705 РБ …` → (`705`, `РБ …`). A number followed by a dot or a bracket (`705.`) counts too.
fn leading_id(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if end == 0 {
        return None;
    }
    let (id, rest) = t.split_at(end);
    let rest = rest.strip_prefix(['.', ')']).unwrap_or(rest);
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((id, rest.trim()))
}

/// A line that is a row as far as the importer can tell: an ID, then a real place.
fn reads_as_row(line: &str) -> bool {
    leading_id(line).is_some_and(|(_, rest)| {
        let toks = tokenize(rest);
        !place_candidates(&toks, None).is_empty()
    })
}

fn reads_as_sentence(line: &str) -> bool {
    let t = line.trim();
    t.split_whitespace().count() >= 4 && t.ends_with(['.', '!', '?', '…'])
}

/// The rows of the table, from the line after the header to its end (see the module doc).
fn table_rows<'a>(lines: &[&'a str], start: usize, errors: &mut ImportErrors) -> Vec<RawRow<'a>> {
    let mut rows = Vec::new();
    let mut after_blank = false;
    for i in start..lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if let Some((id, rest)) = leading_id(line) {
            rows.push(RawRow {
                line: i + 1,
                id,
                rest,
            });
        } else {
            let row_follows = lines[i + 1..].iter().any(|l| reads_as_row(l));
            let ends_table = !row_follows && (after_blank || reads_as_sentence(line));
            if ends_table {
                break;
            }
            errors.push(i + 1, Violation::new("id", "err-legacy-no-id"));
        }
        after_blank = false;
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Words of a row

/// A word of a row and whether it was glued to the next one in the input (`гр.Кюстендил` is read
/// as `гр.` + `Кюстендил` but written back unchanged).
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    glued: bool,
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for word in s.split_whitespace() {
        match split_glued_mark(word) {
            Some((mark, name)) => {
                out.push(Tok {
                    text: mark,
                    glued: true,
                });
                out.push(Tok {
                    text: name,
                    glued: false,
                });
            }
            None => out.push(Tok {
                text: word,
                glued: false,
            }),
        }
    }
    out
}

/// `гр.Кюстендил` → (`гр.`, `Кюстендил`); only when a capital letter follows the dot.
fn split_glued_mark(word: &str) -> Option<(&str, &str)> {
    let dot = word.find('.')?;
    let (mark, name) = (&word[..=dot], &word[dot + 1..]);
    (settlement_mark(mark).is_some() && name.chars().next().is_some_and(char::is_uppercase))
        .then_some((mark, name))
}

fn join(toks: &[Tok<'_>]) -> String {
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        out.push_str(t.text);
        if !t.glued && i + 1 < toks.len() {
            out.push(' ');
        }
    }
    out
}

/// `гр.`, `гр`, `град`, `с.`, `с`, `село` (also with a Latin c).
fn settlement_mark(word: &str) -> Option<SettlementKind> {
    if word.chars().count() > 6 {
        return None;
    }
    SettlementKind::from_abbr(&word.replace(['c', 'C'], "с"))
}

const PLACE_PUNCTUATION: [char; 4] = [',', ';', ':', '.'];

fn place_name(toks: &[Tok<'_>]) -> String {
    join(toks).trim_end_matches(PLACE_PUNCTUATION).to_owned()
}

// ---------------------------------------------------------------------------------------------
// Place

#[derive(Debug, Clone)]
struct PlaceMatch {
    /// Index of the first municipality word.
    start: usize,
    /// Index of the settlement mark.
    mark: usize,
    /// Index after the settlement name.
    end: usize,
    municipality: &'static Municipality,
    settlement: &'static Settlement,
}

fn place_candidates(toks: &[Tok<'_>], district: Option<&DistrictCode>) -> Vec<PlaceMatch> {
    let g = Gazetteer::get();
    let mut out = Vec::new();
    for (mark, tok) in toks.iter().enumerate() {
        let Some(kind) = settlement_mark(tok.text) else {
            continue;
        };
        for m_len in 1..=3.min(mark) {
            let start = mark - m_len;
            let m_name = place_name(&toks[start..mark]);
            for municipality in g.municipalities_named(&m_name, None) {
                for s_len in 1..=4 {
                    let end = mark + 1 + s_len;
                    if end > toks.len() {
                        break;
                    }
                    let s_name = place_name(&toks[mark + 1..end]);
                    let found =
                        g.settlements_named(&s_name, Some(municipality.code.as_str()), Some(kind));
                    if let [settlement] = found[..] {
                        out.push(PlaceMatch {
                            start,
                            mark,
                            end,
                            municipality,
                            settlement,
                        });
                    }
                }
            }
        }
    }
    if let Some(d) = district {
        // Ranking alone would keep a candidate of another district when the district's own
        // candidate is a worse fit; a table is about one district, so its candidates come first.
        if out.iter().any(|c| &c.municipality.district == d) {
            out.retain(|c| &c.municipality.district == d);
        }
    }
    out
}

fn looks_like_label(text: &str) -> bool {
    let mut chars = text.chars().filter(|c| !c.is_whitespace());
    matches!(chars.next(), Some('Е' | 'е' | 'E' | 'e')) && chars.next().is_some_and(is_dash)
}

fn is_only_punctuation(text: &str) -> bool {
    text.chars().all(|c| !c.is_alphanumeric())
}

fn locate_place(
    toks: &[Tok<'_>],
    district: Option<&DistrictCode>,
) -> Result<PlaceMatch, Violation> {
    let candidates = place_candidates(toks, district);
    let follows_well = |c: &PlaceMatch| {
        let rest = join(&toks[c.end..]);
        rest.is_empty() || is_only_punctuation(&rest) || looks_like_label(&rest)
    };
    let best = candidates.iter().max_by_key(|c| {
        (
            follows_well(c),
            district.is_none_or(|d| &c.municipality.district == d),
            c.end - c.mark,
            std::cmp::Reverse(c.start),
        )
    });
    let Some(best) = best else {
        return Err(diagnose_place(toks));
    };
    if let Some(d) = district
        && &best.municipality.district != d
    {
        let name = Gazetteer::get()
            .district(d.as_str())
            .map_or(d.to_string(), |d| d.name_bg.clone());
        return Err(
            Violation::new("municipality", "err-legacy-outside-district")
                .arg("value", &best.municipality.name_bg)
                .arg("district", name),
        );
    }
    let rivals: Vec<&PlaceMatch> = candidates
        .iter()
        .filter(|c| c.start == best.start && c.end == best.end)
        .collect();
    if rivals.len() > 1 {
        let g = Gazetteer::get();
        let mut names: Vec<String> = rivals
            .iter()
            .filter_map(|c| g.district(c.municipality.district.as_str()))
            .map(|d| d.name_bg.clone())
            .collect();
        names.dedup();
        return Err(Violation::new("municipality", "err-legacy-ambiguous-place")
            .arg("value", &best.municipality.name_bg)
            .arg("districts", names.join(", ")));
    }
    Ok(best.clone())
}

/// Why no place was found: the most telling error for a row without a valid candidate.
fn diagnose_place(toks: &[Tok<'_>]) -> Violation {
    let g = Gazetteer::get();
    let capitalised = |i: usize| {
        toks.get(i)
            .is_some_and(|t| t.text.chars().next().is_some_and(char::is_uppercase))
    };
    // Marks that stand between two capitalised words first: `Кюстендил с. Жиленци`, not the
    // preposition `с` of `работа с деца`.
    let mut marks: Vec<usize> = (0..toks.len())
        .filter(|&i| settlement_mark(toks[i].text).is_some())
        .collect();
    marks.sort_by_key(|&i| !(i > 0 && capitalised(i - 1) && capitalised(i + 1)));
    for &mark in &marks {
        for m_len in (1..=3.min(mark)).rev() {
            let m_name = place_name(&toks[mark - m_len..mark]);
            if let Some(m) = g.municipalities_named(&m_name, None).first() {
                let name_end = (mark + 1..toks.len())
                    .find(|&i| looks_like_label(toks[i].text) || i >= mark + 4)
                    .unwrap_or(toks.len());
                let s_name = place_name(&toks[(mark + 1).min(name_end)..name_end]);
                return Violation::new("settlement", "err-legacy-unknown-settlement")
                    .arg("value", format!("{} {s_name}", toks[mark].text).trim())
                    .arg("municipality", &m.name_bg);
            }
        }
    }
    match marks.first() {
        Some(&mark) if mark > 0 => {
            Violation::new("municipality", "err-legacy-unknown-municipality")
                .arg("value", place_name(&toks[mark - 1..mark]))
        }
        _ => Violation::new("settlement", "err-legacy-no-place"),
    }
}

// ---------------------------------------------------------------------------------------------
// Library name

#[derive(Debug, Clone, PartialEq)]
struct LibraryName {
    kind: LibraryKind,
    display: String,
    chitalishte: Option<Chitalishte>,
}

/// Folded, dots dropped: `Н.Ч.` → `нч`.
fn bare(word: &str) -> String {
    fold_name(word)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Length in words of a chitalishte marker at the start of `words` (already [`bare`]).
fn chitalishte_marker(words: &[String]) -> Option<usize> {
    let w = |i: usize| words.get(i).map(String::as_str);
    match (w(0), w(1), w(2)) {
        (Some("обединено"), Some("народно"), Some("читалище")) => Some(3),
        (Some("народно"), Some("читалище"), _)
        | (Some("н"), Some("ч"), _)
        | (Some("о"), Some("нч"), _) => Some(2),
        (Some("нч" | "онч" | "читалище" | "читалището"), _, _) => Some(1),
        _ => None,
    }
}

const SCHOOL_MARKERS: &[&str] = &[
    "оу",
    "су",
    "соу",
    "ноу",
    "пг",
    "пгт",
    "смг",
    "пмг",
    "гимназия",
    "училище",
];

/// Abbreviations that stay in capitals when a name in capitals is title-cased.
const ABBREVIATIONS: &[&str] = &[
    "нч", "онч", "рб", "оу", "су", "соу", "ноу", "пг", "пгт", "смг", "пмг", "бан", "оиц", "рзи",
];

fn parse_library_name(words: &[Tok<'_>]) -> Result<LibraryName, Violation> {
    let raw = join(words);
    let bad = || Violation::new("library", "err-legacy-library-name").arg("value", &raw);
    // `НЧ„ЛОЗА“` → `НЧ „ЛОЗА“`: quotes glued to a marker.
    let spaced: String = raw
        .chars()
        .flat_map(|c| if is_quote(c) { vec![' ', c] } else { vec![c] })
        .collect();
    let toks = tokenize(&spaced);
    let b: Vec<String> = toks.iter().map(|t| bare(t.text)).collect();
    let w = |i: usize| b.get(i).map(String::as_str);
    let rest_after = |n: usize| join(&toks[n.min(toks.len())..]);

    let chitalishte = |n: usize| -> Result<LibraryName, Violation> {
        let (name, founded) = split_founding_year(&rest_after(n));
        if name.is_empty() {
            return Err(bad());
        }
        let c = Chitalishte { name, founded };
        Ok(LibraryName {
            kind: LibraryKind::Chitalishte,
            display: Library::chitalishte_library_name(&c),
            chitalishte: Some(c),
        })
    };
    let named = |kind: LibraryKind, n: usize, label: &str| -> Result<LibraryName, Violation> {
        let name = proper_name(&rest_after(n));
        let display = if name.is_empty() {
            label.to_owned()
        } else {
            format!("{label} „{name}“")
        };
        Ok(LibraryName {
            kind,
            display,
            chitalishte: None,
        })
    };

    match (w(0), w(1), w(2)) {
        (Some("библиотека"), Some("при"), _) => {
            if let Some(m) = chitalishte_marker(&b[2..]) {
                return chitalishte(2 + m);
            }
            if w(2).is_some_and(|s| SCHOOL_MARKERS.contains(&s)) {
                return Ok(LibraryName {
                    kind: LibraryKind::School,
                    display: proper_name_keep_first(&raw),
                    chitalishte: None,
                });
            }
        }
        (Some("читалищна"), Some("библиотека"), _) => {
            let mut n = 2;
            if w(n) == Some("при") {
                n += 1;
            }
            n += chitalishte_marker(&b[n.min(b.len())..]).unwrap_or(0);
            return chitalishte(n);
        }
        (Some("рб"), _, _) => return named(LibraryKind::Regional, 1, "Регионална библиотека"),
        (Some("регионална"), Some("библиотека"), _) => {
            return named(LibraryKind::Regional, 2, "Регионална библиотека");
        }
        (Some("общинска"), Some("библиотека"), _) => {
            return named(LibraryKind::Municipal, 2, "Общинска библиотека");
        }
        (Some("училищна"), Some("библиотека"), _) => {
            return named(LibraryKind::School, 2, "Училищна библиотека");
        }
        _ => {}
    }
    if let Some(m) = chitalishte_marker(&b) {
        return chitalishte(m);
    }
    // A chitalishte named further on: `БИБЛИОТЕКАТА НА НЧ …`.
    if let Some(at) = (0..b.len()).find(|&i| chitalishte_marker(&b[i..]).is_some()) {
        let m = chitalishte_marker(&b[at..]).unwrap_or(1);
        return chitalishte(at + m);
    }
    let display = proper_name_keep_first(&raw);
    if display.is_empty() {
        return Err(bad());
    }
    Ok(LibraryName {
        kind: LibraryKind::Specialised,
        display,
        chitalishte: None,
    })
}

/// `ЗОРА-1858` → (`Зора`, 1858); `ХРИСТО БОТЕВ-1898г.` → (`Христо Ботев`, 1898);
/// `„Лоза“ (1870)` → (`Лоза`, 1870); `ПРОБУДА` → (`Пробуда`, none).
fn split_founding_year(s: &str) -> (String, Option<Year>) {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if is_quote(c) || c == '(' || c == ')' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut t = cleaned.trim().trim_end_matches(['.', ',', ' ']);
    for suffix in ["година", "год", "г"] {
        if let Some(cut) = strip_suffix_folded(t, suffix)
            && cut.trim_end().ends_with(|c: char| c.is_ascii_digit())
        {
            t = cut.trim_end();
            break;
        }
    }
    let digits_start = t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let digits = &t[digits_start..];
    let head = &t[..digits_start];
    let separated =
        head.is_empty() || head.ends_with(|c: char| c.is_whitespace() || is_dash(c) || c == ',');
    let year = (digits.len() == 4 && separated)
        .then(|| digits.parse::<i32>().ok())
        .flatten()
        .and_then(|n| Year::new(n).ok());
    let name = match year {
        Some(_) => head.trim_end_matches(|c: char| c.is_whitespace() || is_dash(c) || c == ','),
        None => t,
    };
    (proper_name(name), year)
}

/// `t` without `suffix` at its end, compared in lower case.
fn strip_suffix_folded<'a>(t: &'a str, suffix: &str) -> Option<&'a str> {
    let n = suffix.chars().count();
    let (cut, tail) = t.split_at(t.char_indices().rev().nth(n - 1)?.0);
    (tail.to_lowercase() == suffix).then_some(cut)
}

/// Words that stay in lower case inside a title-cased name (`Кирил и Методий`, `Братя на Тракия`).
const LOWER_IN_NAMES: &[&str] = &["и", "на", "от", "в", "във", "за", "с", "със", "по"];

/// A name as it should be shown: quotes dropped, spaces collapsed, capitals title-cased.
fn proper_name(s: &str) -> String {
    let cleaned: String = s.chars().filter(|c| !is_quote(*c)).collect();
    let collapsed = collapse_spaces(&cleaned);
    let shouting = !collapsed.chars().any(char::is_lowercase);
    let cased = title_case_if_shouting(&collapsed);
    if !shouting {
        return cased;
    }
    cased
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if (i > 0 && LOWER_IN_NAMES.contains(&lower.as_str()))
                || w.starts_with(|c: char| c.is_ascii_digit())
            {
                // `9-ТИ СЕПТЕМВРИ` → `9-ти Септември`.
                lower
            } else if ABBREVIATIONS.contains(&bare(w).as_str()) {
                w.to_uppercase()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A whole name in capitals (`БИБЛИОТЕКА ПРИ ОУ ХРИСТО БОТЕВ`) read as a sentence: the first
/// words in sentence case, then the proper name title-cased — short of a lexicon, the common
/// words of a library's name are the ones before an abbreviation or the first capitalised name.
fn proper_name_keep_first(s: &str) -> String {
    let name = proper_name(s);
    let mut words: Vec<String> = name.split(' ').map(str::to_owned).collect();
    for (i, w) in words.iter_mut().enumerate() {
        let b = bare(w);
        if i > 0 && matches!(b.as_str(), "библиотека" | "библиотеката" | "при" | "към")
        {
            *w = w.to_lowercase();
        }
    }
    words.join(" ")
}

// ---------------------------------------------------------------------------------------------
// Service

#[derive(Debug, Clone, PartialEq)]
struct Offer {
    category: lipa_core::ids::CategoryCode,
    text: String,
    target_group: String,
}

/// The ways the start of `s` may be a category label, most likely first, each with the text
/// after it: the words before a colon close to the start (`Е - социално включване:`), then the
/// mark, a dash and one word (`Е-здраве Предоставяне …`, `E - бизнес: …`).
fn label_candidates(s: &str) -> Vec<(&str, &str)> {
    let s = s.trim_start();
    let mut out = Vec::new();
    if let Some(colon) = s.find(':')
        && s[..colon].split_whitespace().count() <= 5
        && looks_like_label(&s[..colon])
    {
        out.push((&s[..colon], &s[colon + 1..]));
    }
    if let Some(word) = dash_word_label(s) {
        out.push(word);
    }
    out
}

fn dash_word_label(s: &str) -> Option<(&str, &str)> {
    let mut chars = s.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !matches!(first, 'Е' | 'е' | 'E' | 'e') {
        return None;
    }
    let mut seen_dash = false;
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() || (is_dash(c) && !seen_dash) {
            seen_dash |= is_dash(c);
            chars.next();
        } else {
            break;
        }
    }
    if !seen_dash {
        return None;
    }
    let word_start = chars.peek().map(|&(i, _)| i)?;
    let word_end = s[word_start..]
        .find(|c: char| !c.is_alphabetic())
        .map_or(s.len(), |e| word_start + e);
    if word_end == word_start {
        return None;
    }
    let rest = s[word_end..].trim_start().trim_start_matches([':', '.']);
    Some((&s[..word_end], rest))
}

fn parse_offer(s: &str, categories: &[Category]) -> Result<Option<Offer>, Vec<Violation>> {
    if is_only_punctuation(s) {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let labels = label_candidates(s);
    let matched = labels
        .iter()
        .find_map(|&(label, rest)| match_category(categories, label).map(|c| (c, rest)));
    let (category, rest) = match (matched, labels.last()) {
        (Some((c, rest)), _) => (Some(c.code.clone()), rest),
        (None, Some(&(label, rest))) => {
            errors.push(
                Violation::new("category", "err-unknown-category").arg("value", label.trim()),
            );
            (None, rest)
        }
        (None, None) => {
            let first: String = s.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            errors.push(Violation::new("category", "err-legacy-no-category").arg("value", first));
            (None, s)
        }
    };
    let toks: Vec<&str> = rest.split_whitespace().collect();
    let split = split_target_group(&toks);
    if split.is_none() {
        errors.push(
            Violation::new("target_group", "err-legacy-no-target-group")
                .arg("value", collapse_spaces(rest)),
        );
    }
    match (category, split) {
        (Some(category), Some(k)) if errors.is_empty() => Ok(Some(Offer {
            category,
            text: trim_separators(&toks[..k].join(" ")),
            target_group: trim_separators(&toks[k..].join(" ")),
        })),
        _ => Err(errors),
    }
}

/// Drops the commas, semicolons and lone dashes a cell boundary leaves behind.
fn trim_separators(s: &str) -> String {
    s.trim_end_matches(|c: char| c == ',' || c == ';' || c.is_whitespace() || is_dash(c))
        .trim()
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// The split of service text and target group

/// Prepositions and conjunctions: a phrase does not end on one.
const FUNCTION_WORDS: &[&str] = &[
    "в",
    "във",
    "с",
    "със",
    "за",
    "на",
    "и",
    "или",
    "от",
    "до",
    "по",
    "при",
    "към",
    "чрез",
    "без",
    "над",
    "под",
    "пред",
    "през",
    "след",
    "между",
    "около",
    "срещу",
    "а",
    "но",
    "като",
    "че",
    "ако",
    "да",
    "не",
    "ни",
    "нито",
    "както",
    "относно",
    "сред",
    "спрямо",
    "върху",
    "у",
    "из",
    "освен",
    "според",
    "заради",
    "поради",
    "покрай",
    "е",
];

/// Stems of words for people that open target groups in the programme's tables: a bonus when
/// choosing a split, never a requirement (a group that starts with another word still splits).
const PEOPLE_STEMS: &[&str] = &[
    "деца",
    "детс",
    "ученик",
    "учени",
    "младеж",
    "млад",
    "възрастн",
    "пенсионер",
    "жител",
    "граждан",
    "хора",
    "лица",
    "родител",
    "безработн",
    "местн",
    "общност",
    "население",
    "учител",
    "студент",
    "кандидат",
    "абитуриент",
    "земедел",
    "фермер",
    "овощар",
    "стопан",
    "производител",
    "предприемач",
    "работещ",
    "служител",
    "специалист",
    "потребител",
    "читател",
    "посетител",
    "незрящ",
    "слеп",
    "глух",
    "инвалид",
    "увреден",
    "жени",
    "майки",
    "семейств",
    "турист",
    "роми",
    "ромск",
    "малцинств",
    "юнош",
    "тийнейджър",
    "всички",
    "начинаещ",
    "търсещ",
    "самотн",
    "малк",
    "бизнес",
    "представител",
    "членов",
    "доброволц",
];

/// Nouns that make a capitalised word before them the name of an institution, not a group.
const INSTITUTION_NOUNS: &[&str] = &[
    "център",
    "библиотека",
    "читалище",
    "община",
    "училище",
    "гимназия",
    "инспекция",
    "агенция",
    "дирекция",
    "бюро",
    "музей",
    "университет",
    "администрация",
    "каса",
    "служба",
    "фондация",
];

fn word_key(w: &str) -> String {
    cyrillize_homoglyphs(&w.to_lowercase())
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}

fn same_stem(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4 && common + 2 >= shorter
}

fn is_people_word(key: &str) -> bool {
    PEOPLE_STEMS.iter().any(|s| key.starts_with(s))
}

fn is_function_word(key: &str) -> bool {
    FUNCTION_WORDS.contains(&key)
}

fn starts_upper_cyrillic(word: &str) -> bool {
    cyrillize_homoglyphs(word)
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() && lipa_core::text::is_cyrillic(c))
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_capitals_abbreviation(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Quote depth before each word: Bulgarian „…“ and «…», English “…” and straight "…"; a closing
/// mark with nothing open is a stray and is ignored.
fn quote_depths(words: &[&str]) -> Vec<u32> {
    let mut depth = 0u32;
    let mut straight_open = false;
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        out.push(depth + u32::from(straight_open));
        for c in w.chars() {
            match c {
                '„' | '«' => depth += 1,
                '»' | '”' => depth = depth.saturating_sub(1),
                '“' => {
                    if depth > 0 {
                        depth -= 1;
                    } else {
                        depth += 1;
                    }
                }
                '"' => straight_open = !straight_open,
                _ => {}
            }
        }
    }
    out
}

/// The maximal number of words of a target group.
const MAX_GROUP_WORDS: usize = 12;

/// Where the target group starts in `words` (service text before, group from there on), by the
/// rule in the module documentation; `None` when no split is plausible.
fn split_target_group(words: &[&str]) -> Option<usize> {
    let keys: Vec<String> = words.iter().map(|w| word_key(w)).collect();
    let depths = quote_depths(words);
    let mut best: Option<(i32, usize)> = None;
    for k in 1..words.len() {
        if !starts_upper_cyrillic(words[k]) {
            continue;
        }
        let group_len = words.len() - k;
        if group_len > MAX_GROUP_WORDS {
            continue;
        }
        let Some(service_end) = (0..k).rev().find(|&i| !keys[i].is_empty()) else {
            continue;
        };
        if is_function_word(&keys[service_end]) || settlement_mark(words[k - 1]).is_some() {
            continue;
        }
        let Some(group_end) = (k..words.len()).rev().find(|&i| !keys[i].is_empty()) else {
            continue;
        };
        if is_function_word(&keys[group_end]) {
            continue;
        }

        let service_keys: Vec<&str> = keys[..k]
            .iter()
            .map(String::as_str)
            .filter(|k| !k.is_empty())
            .collect();
        let group_keys: Vec<&str> = keys[k..]
            .iter()
            .map(String::as_str)
            .filter(|k| !k.is_empty())
            .collect();
        let mut score = 0i32;
        let echoed = !group_keys.is_empty()
            && service_keys
                .windows(group_keys.len())
                .any(|win| win.iter().zip(&group_keys).all(|(a, b)| same_stem(a, b)));
        if echoed {
            score += 6;
        } else if keys[k].chars().count() >= 3
            && service_keys.iter().any(|s| same_stem(s, &keys[k]))
        {
            score += 3;
        }
        let people = is_people_word(&keys[k]);
        if people {
            score += 4;
        }
        if depths[k] > 0 {
            score -= 8;
        }
        if k >= 2 && starts_upper(words[k - 1]) {
            score -= 3;
        }
        let next_is_name = words.get(k + 1).is_some_and(|w| {
            starts_upper(w) || INSTITUTION_NOUNS.iter().any(|n| word_key(w).starts_with(n))
        });
        if next_is_name && !people {
            score -= 3;
        }
        if is_capitals_abbreviation(words[k]) {
            score -= 3;
        }
        score -= (group_len / 3) as i32;
        if best.is_none_or(|(s, _)| score >= s) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

// ---------------------------------------------------------------------------------------------
// A row

struct ParsedRow {
    library: LibraryName,
    settlement: &'static Settlement,
    service: Option<Offer>,
}

fn parse_row(
    rest: &str,
    categories: &[Category],
    district: Option<&DistrictCode>,
) -> Result<ParsedRow, Vec<Violation>> {
    let toks = tokenize(rest);
    let place = locate_place(&toks, district).map_err(|v| vec![v])?;
    let mut errors = Vec::new();
    let library = parse_library_name(&toks[..place.start])
        .map_err(|v| errors.push(v))
        .ok();
    let service = parse_offer(&join(&toks[place.end..]), categories)
        .map_err(|vs| errors.extend(vs))
        .ok()
        .flatten();
    match library {
        Some(library) if errors.is_empty() => Ok(ParsedRow {
            library,
            settlement: place.settlement,
            service,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
#[path = "legacy_tests.rs"]
mod tests;
