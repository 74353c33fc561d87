# Page frame
skip-to-content = Skip to content
brand-sub = libraries, innovation, partnerships
lang-switch = Language
nav-label = Main menu
nav-home = Home
nav-libraries = Libraries
nav-partners = Partners
nav-events = Events
nav-reports = Reports
nav-import = Import
nav-admin = Administration
nav-sign-in = Sign in
nav-sign-out = Sign out
footer-about = lipa is the information system of the programme for innovative services in public libraries.
footer-data = The data is open:
footer-api = API (OpenAPI)
footer-open-data = open data
footer-osm = Map and coordinates: © OpenStreetMap contributors; EKATTE: NSI.

# Errors
error-404-title = Page not found
error-404-text = Check the address, or start from the home page.
error-401-title = Please sign in
error-401-text = Sign in with your account to continue.
error-403-title = No access
error-403-text = Your account may not do this.
error-csrf-title = The form has expired
error-csrf-text = Open the page again and send the form once more. Nothing was saved.
error-409-title = The record was changed meanwhile
error-409-text = Someone else saved changes after you opened the page. Open it again; your data was not saved.
error-413-title = Too much sent at once
error-413-text = lipa does not accept this much in one request. Go back and send less at once; nothing was saved.
error-400-title = The request is not valid
error-400-text = Check what you entered.
error-500-title = Something went wrong
error-500-text = Sorry, something went wrong on our side. Please try again in a moment.
error-go-home = Go to the home page
error-code = Error code: { $code }

# Home
home-title = The library network
home-lead = The innovative e-services that libraries and chitalishta offer with their partners and volunteers.
home-stats-label = The network at a glance
stat-libraries = libraries
stat-services = services
stat-partners = partners
stat-volunteer-services = services with volunteers
stat-events = events
stat-without-service = libraries without a service
home-coverage = { $pct }% of the libraries already offer at least one service.
home-by-category = Services by category
home-no-services = No services yet.
home-map = Services by district
home-map-desc = Map of Bulgaria's districts; the darker the colour, the more services in the district.
home-map-table = The same as a table
map-few = few
map-most = most

# Table columns
th-category = Category
th-services = Services
th-district = District
th-id = ID
th-library = Library
th-place = Settlement

# Libraries list
libraries-title = Libraries
libraries-search-label = Search
libraries-search-hint = Name of a library, chitalishte or settlement, in Cyrillic or Latin
libraries-search-button = Search
libraries-active-filters = Active filters
libraries-count = { $count ->
    [one] { $count } library
   *[other] { $count } libraries
}
libraries-none = No library matches the selection. Remove a filter.
facets-title = Filters
filter-remove = remove the filter
filter-clear-all = Clear all filters
filter-any = Any
export-view = Download this view:
municipality-of = { $name } municipality
no-service-yet = no service yet
sort-label = Sort by
sort-id = ID
sort-name = name
sort-place = place
sort-services = number of services
pagination = Pages
page-prev = Previous
page-next = Next
page-of = Page { $page } of { $pages }
facet-district = District
facet-municipality = Municipality
facet-kind = Kind of settlement
facet-category = Category
facet-group = Target group
facet-volunteers = With volunteers
facet-year = Year
facet-status = Status
facet-has = Services
facet-q = Search
answer-yes = yes
answer-no = no
has-service-yes = has a service
has-service-no = no service yet

# Sign in
login-title = Sign in
login-name = User name
login-password = Password
login-submit = Sign in
login-help = No account? Ask your district coordinator or the programme unit.
login-failed = The user name or the password is wrong.
login-throttled = Too many failed attempts. Try again in 15 minutes.
form-error-summary = There is a problem

# View export
libraries-export-title = Libraries and their services (a view from lipa)
th-library-kind = Kind of library
th-municipality = Municipality
th-service = Service
th-target-groups = Target groups
th-year = Year
th-status = Status
th-volunteers = With volunteers

# A form that lost the race to another save (pages/conflict.rs)
conflict-caption = Fields where the two saves differ
conflict-field = Field
conflict-saved = Saved by the other person
conflict-yours = Your text (in the form)
