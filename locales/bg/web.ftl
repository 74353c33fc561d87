# Обща рамка на страниците
skip-to-content = Към съдържанието
brand-sub = библиотеки, иновации, партньорства
lang-switch = Език
nav-label = Основно меню
nav-home = Начало
nav-libraries = Библиотеки
nav-partners = Партньори
nav-events = Събития
nav-reports = Справки
nav-import = Внос
nav-admin = Администриране
nav-sign-in = Вход
nav-sign-out = Изход
footer-about = lipa е информационната система на програмата за иновативни услуги в обществените библиотеки.
footer-data = Данните са отворени:
footer-api = API (OpenAPI)
footer-open-data = отворени данни
footer-osm = Карта и координати: © OpenStreetMap contributors; ЕКАТТЕ: НСИ.

# Грешки
error-404-title = Страницата не е намерена
error-404-text = Проверете адреса или започнете от началната страница.
error-401-title = Нужен е вход
error-401-text = Влезте с профила си, за да продължите.
error-403-title = Нямате достъп
error-403-text = Профилът ви няма права за това действие.
error-csrf-title = Формулярът е остарял
error-csrf-text = Отворете страницата отново и изпратете формуляра пак. Нищо не е записано.
error-409-title = Записът е променен междувременно
error-409-text = Някой друг е записал промени след като отворихте страницата. Отворете я отново; вашите данни не са записани.
error-413-title = Изпратеното е твърде голямо
error-413-text = lipa не приема толкова много данни наведнъж. Върнете се и изпратете по-малко; нищо не е записано.
error-400-title = Заявката не е правилна
error-400-text = Проверете въведените данни.
error-500-title = Възникна грешка
error-500-text = Съжаляваме, нещо се обърка от наша страна. Опитайте отново след малко.
error-go-home = Към началната страница
error-code = Код на грешката: { $code }

# Начало
home-title = Мрежата на библиотеките
home-lead = Иновативните е-услуги, които библиотеките и читалищата предлагат с партньори и доброволци.
home-stats-label = Мрежата накратко
stat-libraries = библиотеки
stat-services = услуги
stat-partners = партньори
stat-volunteer-services = услуги с доброволци
stat-events = събития
stat-without-service = библиотеки без услуга
home-coverage = { $pct } % от библиотеките вече предлагат поне една услуга.
home-by-category = Услуги по категории
home-no-services = Още няма услуги.
home-map = Услуги по области
home-map-desc = Карта на областите на България; колкото по-тъмен е цветът, толкова повече услуги има в областта.
home-map-table = Същото като таблица
map-few = малко
map-most = най-много

# Колони на таблици
th-category = Категория
th-services = Услуги
th-district = Област
th-id = ID
th-library = Библиотека
th-place = Населено място

# Списък с библиотеки
libraries-title = Библиотеки
libraries-search-label = Търсене
libraries-search-hint = Име на библиотека, читалище или населено място, на кирилица или латиница
libraries-search-button = Търси
libraries-active-filters = Избрани филтри
libraries-count = { $count ->
    [one] { $count } библиотека
   *[other] { $count } библиотеки
}
libraries-none = Няма библиотеки, които отговарят на избраното. Премахнете някой филтър.
facets-title = Филтри
filter-remove = премахни филтъра
filter-clear-all = Изчисти всички филтри
filter-any = Всички
export-view = Изтегляне на този изглед:
municipality-of = община { $name }
no-service-yet = още без услуга
sort-label = Подреди по
sort-id = ID
sort-name = име
sort-place = място
sort-services = брой услуги
pagination = Страници
page-prev = Предишна
page-next = Следваща
page-of = Страница { $page } от { $pages }
facet-district = Област
facet-municipality = Община
facet-kind = Вид населено място
facet-category = Категория
facet-group = Целева група
facet-volunteers = С доброволци
facet-year = Година
facet-status = Състояние
facet-has = Услуги
facet-q = Търсене
answer-yes = да
answer-no = не
has-service-yes = има услуга
has-service-no = още без услуга

# Вход
login-title = Вход
login-name = Потребителско име
login-password = Парола
login-submit = Вход
login-help = Нямате профил? Обърнете се към координатора на областта или към звеното за управление на програмата.
login-failed = Потребителското име или паролата не са верни.
login-throttled = Твърде много неуспешни опити. Опитайте отново след 15 минути.
form-error-summary = Има проблем

# Изтегляне на изглед
libraries-export-title = Библиотеки и техните услуги (изглед от lipa)
th-library-kind = Вид библиотека
th-municipality = Община
th-service = Услуга
th-target-groups = Целеви групи
th-year = Година
th-status = Състояние
th-volunteers = С доброволци

# Формуляр, изпреварен от друг запис (pages/conflict.rs)
conflict-caption = Полета, в които двата записа се различават
conflict-field = Поле
conflict-saved = Записано от другия човек
conflict-yours = Вашият текст (във формуляра)
