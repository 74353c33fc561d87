# Search: the names of the kinds of records (facets), the messages of `lipa search`.
search-kind-library = Libraries
search-kind-service = Services
search-kind-partner = Partners
search-kind-event = Events
search-kind-person = People
search-reindexed = The search index has been rebuilt: { $count } records in { $dir }.
search-index-busy = The search index { $dir } is in use by another process (a running server?). Stop it and try again.
