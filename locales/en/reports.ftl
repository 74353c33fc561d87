# Reports
rep-index-title = Reports
rep-index-lead = Reports are drawn from the services published in the registry. Every table can be downloaded or printed.
rep-breadcrumbs = You are here
rep-district-title = District table
rep-district-desc = The innovative services the target libraries of a district will run in a year — the table of the programme's regional meetings, downloadable as CSV and XLSX.
rep-matrix-title = Categories by municipality
rep-matrix-desc = Number of services by category and municipality (or by category and district for the whole country), with row and column totals.
rep-coverage-title = Libraries without a service
rep-coverage-desc = The libraries that have no published innovative service yet — where support is needed.
rep-target-groups-title = Target groups
rep-target-groups-desc = Whom the services reach: the number of services and libraries for each target group, and in which categories.
rep-volunteers-title = Volunteer support
rep-volunteers-desc = How many services are run with the support of volunteers, by district and by category.
rep-partners-title = Partner network
rep-partners-desc = The partners by kind, with the number of services and libraries they work with.

rep-filter-district = District
rep-filter-year = Year
rep-filter-show = Show
rep-filter-all-districts = All districts
rep-filter-all-years = All years
rep-export = Download the table:
rep-no-data = There are no data for this choice.
rep-period-year = { $year }
rep-period-all = all years
rep-total = Total

rep-col-id = ID
rep-col-library = Library name
rep-col-municipality = Municipality
rep-col-settlement = Settlement
rep-col-service = Service supported by volunteers
rep-col-target = Target group
rep-col-district = District
rep-col-category = Category
rep-col-categories = Categories
rep-col-services = Services
rep-col-libraries = Libraries
rep-col-volunteer-services = With volunteers
rep-col-share = Share
rep-col-partner-kind = Kind of partner
rep-col-partners = Partners
rep-col-partner = Partner

rep-district-heading = Innovative services the target libraries in { $district } district will run in { $year }
rep-district-summary = { $total ->
    [one] One library
   *[other] { $total } libraries
}, { $with ->
    [one] one published service
   *[other] { $with } published services
} for the year.
rep-matrix-heading-district = Services by category and municipality in { $district } district, { $period }
rep-matrix-heading-all = Services by category and district, { $period }
rep-matrix-corner-municipality = Category / municipality
rep-matrix-corner-district = Category / district
rep-coverage-heading-district = Libraries without a service in { $district } district
rep-coverage-summary = { $gaps ->
    [one] { $gaps } of { $total } libraries has no published service yet.
   *[other] { $gaps } of { $total } libraries have no published service yet.
}
rep-coverage-none = Every library has at least one published service.
rep-target-groups-heading-district = Target groups in { $district } district
rep-target-groups-chart = Services by target group
rep-target-groups-table = Reach of the target groups
rep-volunteers-heading = Volunteer support, { $period }
rep-volunteers-summary = { $volunteer } of { $all } services are run with the support of volunteers.
rep-volunteers-by-district = By district
rep-volunteers-by-category = By category
rep-partners-heading-district = Partner network in { $district } district
rep-partners-by-kind = Partners by kind

# Import
imp-title = Import data
imp-lead = Upload a table of libraries and services. You will see what would change first; nothing is written until you confirm.
imp-file = File
imp-file-hint = A text table (.txt) like the table in the programme's reports, or a registry file in CSV, XLSX or JSON. Up to { $limit }.
imp-format = Format
imp-format-hint = “Automatic” tells the format from the file's name and content.
imp-format-auto = Automatic
imp-format-table = Text table
imp-format-csv = CSV
imp-format-xlsx = XLSX (Excel)
imp-format-json = JSON
imp-table-options = For a text table only
imp-table-options-hint = Fill in if the table's title does not give the year or the district.
imp-year = Year of the services
imp-district = District
imp-district-from-title = As the table's title says
imp-submit = Upload and preview
imp-again = Choose the file again
imp-error-prefix = Error:
imp-nothing-written = Nothing has been written.
imp-rows-invalid = { $count ->
    [one] The file “{ $file }” has { $count } error
   *[other] The file “{ $file }” has { $count } errors
}
imp-rows-title = Errors in the file
imp-col-line = Line
imp-col-field = Field
imp-col-problem = Problem
imp-whole-file = whole file
imp-scope-refused = { $count ->
    [one] { $count } record is outside your permissions
   *[other] { $count } records are outside your permissions
}
imp-scope-title = Records outside your permissions
imp-scope-library = Library { $id } (“{ $name }”): your account cannot change it.
imp-scope-partners = { $count } partners: only an administrator imports partners.
imp-scope-persons = { $count } people: only an administrator imports data about people.
imp-scope-events = { $count } events: only an administrator imports events.
imp-err-too-large = The file is larger than { $limit }, the largest file lipa accepts. Choose a smaller file, or split the table into several files.
imp-err-bad-form = The form could not be read. Choose the file and try again.
imp-err-district = Choose a district from the list.
imp-err-no-file = Choose a file.
imp-err-empty-file = The chosen file is empty.

imp-preview-title = Import preview
imp-preview-lead = What the file “{ $file }” would change in the registry.
imp-preview-note = This compares with the registry as it is now. When you commit, the file is compared again, so changes made in the meantime are not lost.
imp-counts-caption = Changes
imp-col-new = New
imp-col-changed = Changed
imp-col-same = Unchanged
imp-count-libraries = Libraries
imp-count-services = Services
imp-new-partners = New partners: { $count }
imp-new-persons = New people: { $count }
imp-new-events = New events: { $count }
imp-new-activities = New activity log entries: { $count }
imp-libraries = Libraries in the file
imp-services = Services in the file
imp-col-library-id = Library ID
imp-col-name = Name
imp-col-service = Service
imp-col-change = Change
imp-col-fields = Changed fields
imp-change-new = new
imp-change-changed = changed
imp-change-same = unchanged
imp-commit = Commit the changes
imp-cancel = Cancel
imp-nothing-to-do = The file changes nothing in the registry.
imp-expires = This preview is valid until { $at } (UTC).
imp-field-name = name
imp-field-kind = kind
imp-field-chitalishte = chitalishte
imp-field-settlement = settlement
imp-field-coordinator = coordinator
imp-field-contacts = contacts
imp-field-goal = goal
imp-field-target_groups = target groups
imp-field-partners = partners
imp-field-activities = activities
imp-field-budget = budget
imp-field-media = media presentation
imp-field-expected = expected results
imp-field-status = status
imp-field-volunteer_supported = volunteer support
imp-field-volunteers = volunteers
imp-field-results = results reached

imp-done-title = The import is written
imp-done-lead = The changes from the file “{ $file }” are written to the registry.
imp-done-nothing = There was nothing to write.
imp-done-libraries-created = New libraries: { $count }
imp-done-libraries-updated = Updated libraries: { $count }
imp-done-services-created = New services: { $count }
imp-done-services-updated = Updated services: { $count }
imp-done-partners = New partners: { $count }
imp-done-persons = New people: { $count }
imp-done-events = New events: { $count }
imp-done-activities = New entries of activity logs: { $count }
imp-to-libraries = To the libraries
imp-another = Import another file
