# Command-line messages
cli-error = Error
cli-migrated = The database “{ $db }” is at schema version { $version }.
cli-invalid = The data is not valid:
cli-conflict = Someone else changed the data meanwhile. Please try again.
cli-database = The database cannot be opened or written: { $detail }
cli-internal = Internal error (please report it): { $detail }
cli-import-invalid = The file cannot be imported: { $count ->
    [one] { $count } problem found.
   *[other] { $count } problems found.
}
cli-nothing-written = Nothing was written.
cli-bad-option = Wrong value of { $option }: { $reason }
cli-table-found = Table found; { $skipped } lines before it were skipped.
cli-table-title = Title: { $title }
cli-preview-libraries = Libraries: { $new } new, { $changed } changed, { $same } unchanged.
cli-preview-services = Services: { $new } new, { $changed } changed, { $same } unchanged.
cli-preview-activities = Activity log entries: { $count } new.
cli-dry-run = Dry run (--dry-run): nothing was written.
cli-nothing-to-do = Nothing to change.
cli-writing = Writing…
cli-imported = Imported: { $libraries } libraries and { $services } services.
cli-imported-activities = Activity log entries imported: { $count }.
cli-cannot-read = The file “{ $file }” cannot be read: { $reason }
cli-cannot-write = The file “{ $file }” cannot be written: { $reason }
cli-exported = Exported { $libraries } libraries and { $services } services to “{ $file }”.
cli-binary-to-terminal = XLSX is a binary file: name a file with -o NAME.xlsx.
cli-demo-present = The demo data is already in “{ $db }”.
cli-demo-loaded = The demo data is loaded into “{ $db }”: { $count } records.
cli-serving = lipa is running at { $url } (Ctrl+C stops the server).
cli-first-admin-name = Administrator
cli-first-admin = The first administrator “{ $login }” was created with a one-time password: { $password }  (change it after the first sign-in; it is not shown again)

# Backups and restores (lipa backup, lipa restore, lipa serve --backup-every)
backup-written = Backup written to “{ $file }”: { $libraries ->
    [one] { $libraries } library
   *[other] { $libraries } libraries
}, { $entries } audit entries, schema version { $version }.
backup-no-database = there is no database here to back up
backup-same-file = “{ $file }” is the database itself: name another file for the backup.
backup-postgres = “{ $db }” is a PostgreSQL database: lipa backs up and restores SQLite files only. Use PostgreSQL's tools: pg_dump --format=custom --file=lipa.dump "URL" makes a consistent backup while the servers run; pg_restore --clean --if-exists --single-transaction --dbname="URL" lipa.dump restores it (stop the servers first), then run lipa search reindex on each server. Nothing was done.
backup-bad-every = “{ $value }” is not a duration of at least a second, such as 24h, 6h, 30m or 1h 30m
backup-scheduled = A backup every { $every } into “{ $dir }”; the newest { $keep } are kept.
restore-server-running = A server is using “{ $db }” (it holds the search index { $dir }): stop it, then restore. Nothing was changed.
restore-not-sqlite = “{ $file }” is not a lipa backup: it is not a SQLite database. Nothing was changed.
restore-not-lipa = “{ $file }” is a SQLite database but not a lipa backup (lipa's tables are missing). Nothing was changed.
restore-newer = “{ $file }” was written by a newer lipa (schema version { $found }; this one knows up to { $supported }): restore it with that version. Nothing was changed.
restore-damaged = “{ $file }” fails the integrity check ({ $problems }): it cannot be restored. Nothing was changed.
restore-done = “{ $db }” now holds the backup “{ $file }”: { $libraries ->
    [one] { $libraries } library
   *[other] { $libraries } libraries
}, schema version { $version }. The search index was rebuilt ({ $count } records).
restore-kept = The database it replaced is kept as “{ $file }”: delete it when it is no longer needed.
cli-synthetic-writing = Writing the synthetic registry
cli-synthetic-loaded = The synthetic registry is written to “{ $db }” in { $seconds } s: { $libraries } libraries, { $services } services ({ $rate } services a second), { $partners } partners, { $persons } people, { $events } events.
cli-synthetic-not-empty = “{ $db }” already has libraries. The synthetic registry is written only into an empty database: name a new file with --db.
cli-indexing = Indexing for search
cli-index-behind = The search index was not brought up to date; the server will do it when it starts.
cli-preview-more = … and { $count } more changes (--report FILE writes them all).
cli-preview-more-in-report = … and { $count } more changes: all of them are in “{ $file }”.
