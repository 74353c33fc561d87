# Търсене: имената на видовете записи (фасети), съобщенията на `lipa search`.
search-kind-library = Библиотеки
search-kind-service = Услуги
search-kind-partner = Партньори
search-kind-event = Събития
search-kind-person = Хора
search-hit-kind-library = Библиотека
search-hit-kind-service = Услуга
search-hit-kind-partner = Партньор
search-hit-kind-event = Събитие
search-hit-kind-person = Човек
search-reindexed = Индексът за търсене е изграден наново: { $count } записа в { $dir }.
search-index-busy = Индексът за търсене { $dir } се използва от друг процес (работещ сървър?). Спрете го и опитайте отново.
search-index-shared = Индексът за търсене { $dir } се държи от друг сървър на тази машина: този сървър поддържа свой индекс в паметта, изграден от базата данни.

# Страницата за търсене (/search) и полето за търсене в горната част на всяка страница.
search-page-title = Търсене
search-page-title-for = Търсене: „{ $q }“
search-label = Търсене в библиотеки, услуги, партньори и събития
search-placeholder = Търсене…
search-header-label = Търсене в сайта
search-hint = На кирилица или на латиница („Кюстендил“ или „Kyustendil“); намира и други форми на думата и прощава по някоя печатна грешка.
search-button = Търси
search-lead = Напишете име на библиотека, читалище, населено място, услуга, партньор или събитие.
search-facet-kind = Вид запис
search-facet-category = Категория услуги
search-facet-none = Няма резултати за разпределяне.
search-any-kind = Всички видове
search-count = { $count ->
    [0] Няма резултати
    [one] { $count } резултат
   *[other] { $count } резултата
}
search-shown = Показани са първите { $count }.
search-none = Нищо не е намерено за „{ $q }“.
search-none-hint = Проверете правописа, опитайте с по-кратка или по-обща дума или махнете филтъра по вид запис.
search-any-category = Всички категории
search-did-you-mean = Може би търсите
search-or = {" "}или{" "}
search-index-building = Индексът за търсене се изгражда: { $percent } %. Докато стане готов, резултатите може да са непълни.
