# Validation errors
err-required = This field is required.
err-too-long = The text is too long: at most { $max } characters.
err-ekatte = “{ $value }” is not an EKATTE code: five digits expected.
err-district-code = “{ $value }” is not a district code: three capital Latin letters expected (e.g. KNL).
err-municipality-code = “{ $value }” is not a municipality code: a district code and two digits expected (e.g. KNL29).
err-category-code = “{ $value }” is not a taxonomy code: lowercase Latin letters, digits and dashes.
err-library-id = “{ $value }” is not a library ID: a positive whole number expected.
err-year = “{ $value }” is not a year between { $min } and { $max }.
err-currency = “{ $value }” is not a currency: BGN or EUR expected.
err-amount = “{ $value }” is not an amount: a non-negative number with at most two decimals expected.
err-unknown-settlement = There is no settlement with code “{ $value }” in the EKATTE gazetteer.
err-email = “{ $value }” is not an email address.
err-ends-before-starts = The end is before the start.
err-negative = The amount cannot be negative.
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
