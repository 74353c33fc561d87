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
rep-district-summary = { $with } of { $total } libraries have a service for the year.
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
