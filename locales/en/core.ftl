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
