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
cli-dry-run = Dry run (--dry-run): nothing was written.
cli-nothing-to-do = Nothing to change.
cli-writing = Writing…
cli-imported = Imported: { $libraries } libraries and { $services } services.
cli-cannot-read = The file “{ $file }” cannot be read: { $reason }
cli-cannot-write = The file “{ $file }” cannot be written: { $reason }
cli-exported = Exported { $libraries } libraries and { $services } services to “{ $file }”.
cli-binary-to-terminal = XLSX is a binary file: name a file with -o NAME.xlsx.
cli-demo-present = The demo data is already in “{ $db }”.
cli-demo-loaded = The demo data is loaded into “{ $db }”: { $count } records.
cli-serving = lipa is running at { $url } (Ctrl+C stops the server).
cli-first-admin-name = Administrator
cli-first-admin = The first administrator “{ $login }” was created with a one-time password: { $password }  (change it after the first sign-in; it is not shown again)
