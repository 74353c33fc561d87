# Търсене: имената на видовете записи (фасети), съобщенията на `lipa search`.
search-kind-library = Библиотеки
search-kind-service = Услуги
search-kind-partner = Партньори
search-kind-event = Събития
search-kind-person = Хора
search-reindexed = Индексът за търсене е изграден наново: { $count } записа в { $dir }.
search-index-busy = Индексът за търсене { $dir } се използва от друг процес (работещ сървър?). Спрете го и опитайте отново.
