-- lipa schema, version 1 (SQLite). Every entity row keeps its whole record as JSON in `body`
-- (the one source of truth) and copies the fields that lists filter, sort and count by into
-- indexed columns, written by the store on every save.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Reference data: the gazetteer, loaded from the compiled-in files.
CREATE TABLE districts (
    code    TEXT PRIMARY KEY,
    name_bg TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE municipalities (
    code          TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts (code),
    name_bg       TEXT NOT NULL,
    name_en       TEXT NOT NULL
);
CREATE INDEX municipalities_district ON municipalities (district_code);

CREATE TABLE settlements (
    ekatte            TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    name_bg           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    district_code     TEXT NOT NULL REFERENCES districts (code),
    lat               REAL,
    lon               REAL,
    population        INTEGER
);
CREATE INDEX settlements_municipality ON settlements (municipality_code);

-- Taxonomy: data the programme unit extends.
CREATE TABLE categories (
    code       TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE partner_kinds (
    code       TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE libraries (
    id                INTEGER PRIMARY KEY,               -- the programme ID
    body              TEXT NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    name_key          TEXT NOT NULL,                     -- folded name, for sorting
    kind              TEXT NOT NULL,
    settlement_ekatte TEXT NOT NULL REFERENCES settlements (ekatte),
    municipality_code TEXT NOT NULL,
    district_code     TEXT NOT NULL,
    settlement_kind   TEXT NOT NULL,
    coordinator       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX libraries_district ON libraries (district_code, municipality_code);
CREATE INDEX libraries_municipality ON libraries (municipality_code, settlement_kind);
CREATE INDEX libraries_settlement_kind ON libraries (settlement_kind, district_code);
CREATE INDEX libraries_settlement ON libraries (settlement_ekatte);
CREATE INDEX libraries_kind ON libraries (kind);
CREATE INDEX libraries_name ON libraries (name_key);
CREATE UNIQUE INDEX libraries_one_coordinator ON libraries (district_code) WHERE coordinator = 1;

CREATE TABLE partners (
    id                INTEGER PRIMARY KEY,
    body              TEXT NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    short_key         TEXT NOT NULL,
    kind              TEXT NOT NULL REFERENCES partner_kinds (code),
    district_code     TEXT
);
CREATE INDEX partners_name ON partners (name_key);
CREATE INDEX partners_short ON partners (short_key);
CREATE INDEX partners_kind ON partners (kind);

CREATE TABLE services (
    id                  INTEGER PRIMARY KEY,
    body                TEXT NOT NULL,
    version             INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    library_id          INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    year                INTEGER NOT NULL,
    category            TEXT NOT NULL REFERENCES categories (code),
    status              TEXT NOT NULL,
    volunteer_supported INTEGER NOT NULL,
    name_key            TEXT NOT NULL,
    district_code       TEXT NOT NULL,
    municipality_code   TEXT NOT NULL,
    settlement_kind     TEXT NOT NULL
);
CREATE INDEX services_library ON services (library_id, status);
CREATE INDEX services_category ON services (category, status, library_id);
CREATE INDEX services_district ON services (district_code, category, status);
CREATE INDEX services_municipality ON services (municipality_code, category, status);
CREATE INDEX services_year ON services (year, status);
CREATE INDEX services_status ON services (status);
CREATE INDEX services_volunteers ON services (volunteer_supported, status);
CREATE INDEX services_settlement_kind ON services (settlement_kind, status);

CREATE TABLE service_target_groups (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    PRIMARY KEY (service_id, position)
);
CREATE INDEX service_target_groups_key ON service_target_groups (name_key, service_id);

CREATE TABLE service_partners (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    partner_id INTEGER REFERENCES partners (id) ON DELETE SET NULL,
    name_key   TEXT NOT NULL,
    PRIMARY KEY (service_id, position)
);
CREATE INDEX service_partners_partner ON service_partners (partner_id, service_id);

CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    partner_id  INTEGER REFERENCES partners (id) ON DELETE SET NULL,
    library_id  INTEGER REFERENCES libraries (id) ON DELETE SET NULL
);
CREATE INDEX persons_name ON persons (name_key);
CREATE INDEX persons_partner ON persons (partner_id);
CREATE INDEX persons_library ON persons (library_id);

CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    body              TEXT NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    title_key         TEXT NOT NULL,
    kind              TEXT NOT NULL,
    starts            TEXT NOT NULL,
    ends              TEXT NOT NULL,
    district_code     TEXT,
    settlement_ekatte TEXT,
    published         INTEGER NOT NULL
);
CREATE INDEX events_starts ON events (starts);
CREATE INDEX events_district ON events (district_code, starts);

CREATE TABLE event_participants (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    person_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_participants_person ON event_participants (person_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    body          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT
);

-- Every change: who, when, which record, before and after. Its id orders the change log that
-- search indexes follow.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    note      TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);
