# Validation errors
err-required = This field is required.
err-too-long = The text is too long: at most { $max } characters.
err-ekatte = “{ $value }” is not an EKATTE code: five digits expected.
err-district-code = “{ $value }” is not a district code: three capital Latin letters expected (e.g. KNL).
err-municipality-code = “{ $value }” is not a municipality code: a district code and two digits expected (e.g. KNL29).
err-category-code = “{ $value }” is not a taxonomy code: lowercase Latin letters, digits and dashes.
err-library-id = “{ $value }” is not a library ID: a positive whole number expected.
err-record-id = “{ $value }” is not a record number: a positive whole number expected.
err-year = “{ $value }” is not a year between { $min } and { $max }.
err-currency = “{ $value }” is not a currency: BGN or EUR expected.
err-amount = “{ $value }” is not an amount: a non-negative number with at most two decimals expected.
err-unknown-settlement = There is no settlement with code “{ $value }” in the EKATTE gazetteer.
err-email = “{ $value }” is not an email address.
err-ends-before-starts = The end is before the start.
err-negative = The amount cannot be negative.
err-too-large = The number is too large: at most { $max }.
err-number = A number is expected.
err-day-outside-event = The day is outside the event's dates.
err-login = “{ $value }” is not a user name: lowercase Latin letters, digits and . _ - @.
err-unknown-category = There is no category “{ $value }” in the taxonomy.
err-unknown-library = There is no library with ID { $value } in the registry.
err-second-coordinator = The district already has a coordinating library: clear its flag first.
err-reference = The record refers to another record that does not exist.
err-unknown-partner-kind = There is no partner kind “{ $value }” in the taxonomy.

# Library kinds
library-kind-regional = Regional library
library-kind-chitalishte = Chitalishte library
library-kind-municipal = Municipal library
library-kind-school = School library
library-kind-specialised = Specialised library

# Service status
service-status-draft = Draft
service-status-planned = Planned
service-status-active = Active
service-status-completed = Completed
service-status-dropped = Dropped

# Event kinds
event-kind-meeting = Meeting
event-kind-training = Training
event-kind-conference = Conference
event-kind-other = Other

# Settlement kinds
settlement-kind-town = town
settlement-kind-village = village
settlement-kind-monastery = monastery

# Import
import-at-file = The file
import-at-line = Line { $line }

# Demo data and data files
err-toml = The file is not valid TOML: { $reason }
err-unknown-key = Unknown field “{ $value }”: check its spelling.
err-unknown-district = There is no district with code “{ $value }” in the EKATTE gazetteer.
err-unknown-person = “{ $value }” is not among the people in the data.
err-unknown-partner = There is no partner “{ $value }” in the data.
err-no-service = The library with ID { $value } has no service in the table.
import-row-error = { $at }, “{ $field }”: { $message }

# Import of plain-text tables (legacy)
err-legacy-no-header = The header line of the table was not found (“ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група”).
err-legacy-no-year = The table's title does not give the year (e.g. “през 2012 г.”): set it when importing.
err-legacy-no-id = The line does not start with a library ID. If it continues the line above, join the two lines; if it is text after the table, separate it with a blank line.
err-legacy-no-place = The line has no settlement marked with “гр.” or “с.” after the municipality's name.
err-legacy-unknown-municipality = There is no municipality “{ $value }” in the EKATTE gazetteer.
err-legacy-unknown-settlement = There is no settlement “{ $value }” in the municipality of “{ $municipality }”.
err-legacy-ambiguous-place = There is a municipality “{ $value }” in several districts ({ $districts }): name the district in the title or when importing.
err-legacy-outside-district = The municipality “{ $value }” is not in the district of “{ $district }” the table is about.
err-legacy-no-category = The service does not start with a category (e.g. “Е-здраве:”): “{ $value }”.
err-legacy-no-target-group = The service text cannot be told apart from the target group: “{ $value }”. The target group must end the line and start with a capital letter.
err-legacy-library-name = The library name “{ $value }” cannot be read.
err-duplicate-id = ID { $value } already appears on line { $first }.
import-field-id = ID
import-field-library = Library name
import-field-municipality = Municipality
import-field-settlement = Settlement
import-field-category = Category
import-field-service = Service
import-field-target_group = Target group
import-field-year = Year

# The registry as a file (JSON, CSV, XLSX)
registry-sheet = Registry
col-library-id = Library ID
col-library-name = Library name
col-library-kind = Library kind
col-chitalishte-name = Chitalishte
col-chitalishte-founded = Chitalishte founded
col-ekatte = EKATTE code
col-settlement = Settlement
col-municipality = Municipality
col-district = District
col-coordinator = District coordinator
col-address = Address
col-phone = Phone
col-email = Email
col-website = Website
col-service-year = Service year
col-service-category = Category
col-service-status = Status
col-volunteer-supported = Supported by volunteers
col-volunteers = Volunteers
col-service-name = Service
col-goal = Goal
col-target-groups = Target groups
col-partners = Partners
col-activities = Implementation activities
col-budget = Resources/budget
col-media = Media presentation
col-expected-social = Expected social effect
col-expected-economic = Expected economic effect
col-expected-community = Impact on the community
col-results = Results reached
err-json-syntax = The file is not valid JSON (error at column { $column }).
err-json-format = The file is not a lipa registry: an object with "format": "lipa-registry" is expected.
err-json-version = Version “{ $value }” of the file is not supported: this version of lipa reads version { $supported }.
err-json-not-list = A list of records is expected.
err-json-record = The record cannot be read: { $detail }
err-json-duplicate-library = ID { $value } is already used by { $first }.
err-csv-syntax = The line cannot be read as CSV: check the quotes.
err-csv-separator = The separator between cells cannot be told from the header line: it splits into as many cells at { $first } as at { $second }. Save the file from Excel as “CSV UTF-8 (comma delimited)” and try again.
err-encoding-unreadable = The file is not text in an encoding lipa can read (it may be binary, or UTF-16 without its byte-order mark). Save it from Excel as “CSV UTF-8 (comma delimited)” or “Unicode text”, or from a text editor as UTF-8, and try again.
err-encoding-ambiguous = The encoding of the file cannot be told for sure (it may be { $guess }). Save it from Excel as “CSV UTF-8 (comma delimited)”, or from a text editor as UTF-8, and try again.
err-encoding-malformed = The file says it is { $encoding }, but this line holds bytes that are not valid { $encoding }. Save it again as “CSV UTF-8 (comma delimited)” and try again.
err-file-too-large = The file is larger than { $limit } MB: split it into smaller files.
err-too-many-rows = The file has more than { $limit } rows: split it into smaller files.
err-too-many-columns = A cell in column { $column }: a table has at most { $limit } columns. Delete the cells to the right of the table.
err-too-many-cells = The file has more than { $limit } cells: split it into smaller files.
err-xlsx-too-large = The workbook unpacks to more than { $limit } MB: split it into smaller workbooks.
import-read-as = Read as { $encoding }.
import-read-as-csv = Read as { $encoding }, cells separated by { $separator }.
import-encoding-bom = { $encoding } with a byte-order mark
import-separator-comma = commas (,)
import-separator-semicolon = semicolons (;)
import-separator-tab = tabs
err-xlsx-read = The file cannot be read as an Excel workbook (XLSX).
err-xlsx-no-sheet = The workbook has no sheet.
err-table-empty = The file is empty: the header row is missing.
err-table-unknown-column = Unknown column “{ $value }”: rename or remove it.
err-table-duplicate-column = The column “{ $value }” appears twice.
err-table-missing-column = The column “{ $value }” is missing.
err-table-unnamed-column = A value in column { $value }, which has no header.
err-table-library-conflict = The data of library { $value } differ from those given on line { $first }.
err-table-unknown-place = The settlement “{ $value }” in the municipality of “{ $municipality }” was not found: give its EKATTE code.
err-boolean = “{ $value }” is not yes or no (1 or 0, yes or no expected).
err-library-kind = “{ $value }” is not a library kind (regional, chitalishte, municipal, school, specialised).
err-status = “{ $value }” is not a service status (draft, planned, active, completed, dropped).
err-activity-item = Line { $item } “{ $value }”: “activity | 2012-09-01 | 2012-10-31” expected (the dates are optional).
err-budget-item = Line { $item } “{ $value }”: “item | 150.00 | BGN | source” expected (the source is optional).
err-result-item = Line { $item } “{ $value }”: “2012-12-31 | indicator | value | expected value | note” expected.

## The activity log of a service (crates/core/src/activity_log.rs)
activity-kind-training = Training
activity-kind-consultation = Consultation
activity-kind-event = Event
activity-kind-publication = Publication
activity-kind-other = Other
err-activity-date = “{ $value }” is not a date of an activity: between { $min } and { $max } expected.
err-activity-hours-without-volunteers = Volunteer hours need at least one volunteer.
err-too-many = Too many rows: at most { $max }.
err-unknown-service = There is no service with number { $value } in the registry.
err-json-activity-service = The activity names service { $value }, but the file has { $count } services (counted from 0).
err-negative-number = The number cannot be negative.
