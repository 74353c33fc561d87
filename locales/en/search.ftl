# Search: the names of the kinds of records (facets), the messages of `lipa search`.
search-kind-library = Libraries
search-kind-service = Services
search-kind-partner = Partners
search-kind-event = Events
search-kind-person = People
search-hit-kind-library = Library
search-hit-kind-service = Service
search-hit-kind-partner = Partner
search-hit-kind-event = Event
search-hit-kind-person = Person
search-reindexed = The search index has been rebuilt: { $count } records in { $dir }.
search-index-busy = The search index { $dir } is in use by another process (a running server?). Stop it and try again.
search-index-shared = The search index { $dir } is held by another server on this machine: this server keeps its own index in memory, made from the database.

# The search page (/search) and the search box at the top of every page.
search-page-title = Search
search-page-title-for = Search: “{ $q }”
search-label = Search libraries, services, partners and events
search-placeholder = Search…
search-header-label = Site search
search-hint = In Cyrillic or Latin letters (“Кюстендил” or “Kyustendil”); finds other forms of a word and forgives a typo.
search-button = Search
search-lead = Type the name of a library, chitalishte, place, service, partner or event.
search-facet-kind = Kind of record
search-facet-category = Service category
search-facet-none = No results to count.
search-any-kind = All kinds
search-count = { $count ->
    [0] No results
    [one] { $count } result
   *[other] { $count } results
}
search-shown = The first { $count } are shown.
search-none = Nothing was found for “{ $q }”.
search-none-hint = Check the spelling, try a shorter or more general word, or remove the filter by kind.
search-any-category = All categories
search-did-you-mean = Did you mean
search-or = {" "}or{" "}
search-index-building = The search index is being built: { $percent } %. Until it is ready, results may be incomplete.
