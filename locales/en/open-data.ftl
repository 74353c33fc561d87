# The map of libraries, GeoJSON and the open-data page (crates/web/src/pages/libraries_map.rs,
# open_data.rs).

libraries-map-link = Show on the map
home-map-libraries = Map of the libraries
map-title = Libraries on the map
map-lead = Each dot is a library; a circle with a number is several libraries in one place. The filters are the same as the list's; the table below the map says the same.
map-as-list = Show as a list
map-level-libraries = A dot for each library; a number in a circle is several libraries in one settlement.
map-level-settlements = A circle for each settlement with the number of its libraries.
map-level-municipalities = A circle for each municipality with the number of its libraries; choose a municipality to see its settlements.
map-table-caption = The same as a table
map-th-libraries = Libraries
map-not-on-map = no coordinates, not on the map
map-library-label = { $name }, { $place }
map-settlement-label = { $name }: { $count ->
    [one] { $count } library
   *[other] { $count } libraries
}
map-municipality-label = { $name } municipality: { $count ->
    [one] { $count } library
   *[other] { $count } libraries
}

od-title = Open data
od-lead = The public part of the registry — libraries, published services, partners and published meetings — free to download and reuse. People's personal data is not published.
od-updated = Last change to the registry: { $at }
od-never-updated = no changes yet
od-datasets = Datasets
od-th-dataset = Dataset
od-th-files = Files
od-th-licence = Licence
od-th-updated = Updated
od-machines = For machines
od-catalog-link = DCAT-AP catalogue (JSON-LD) for open-data portals
od-licence-cc-by = Attribution 4.0 International (CC BY 4.0)
od-licence-odbl = Open Database License (ODbL 1.0)
od-ds-registry-title = Registry of libraries and innovative services
od-ds-registry-desc = Libraries, their published e-services, partners and published meetings: JSON in the format that “lipa import” reads, CSV and XLSX.
od-ds-libraries-geo-title = Libraries on the map (GeoJSON)
od-ds-libraries-geo-desc = Each library as a point in its settlement, with the number and categories of its services. The coordinates come from OpenStreetMap, hence the ODbL.
od-ds-events-title = Calendar of meetings (iCalendar)
od-ds-events-desc = The published regional meetings and working groups as a calendar a calendar program can subscribe to.
od-catalog-title = lipa open data
od-catalog-desc = The datasets of the public-library innovation programme: registry, map and calendar of meetings.
od-publisher = Global Libraries – Bulgaria
