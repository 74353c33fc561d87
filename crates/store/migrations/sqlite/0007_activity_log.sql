-- The activity log of a service (issue 13): what a library actually did, one row per entry.
-- The body holds the whole entry; the service and the date are copied out for the service's
-- list (by date) and for the roll-ups to come. An entry goes with its service: the service's
-- delete removes its entries with their audit entries first; the cascade is the safety net.
CREATE TABLE activity_entries (
    id         INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL
);
CREATE INDEX activity_entries_service ON activity_entries (service_id, date, id);
