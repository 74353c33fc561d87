# Справки
rep-index-title = Справки
rep-index-lead = Справките се съставят от публикуваните услуги в регистъра. Всяка таблица може да се изтегли или отпечата.
rep-breadcrumbs = Път до страницата
rep-district-title = Таблица на областта
rep-district-desc = Иновативните услуги, които целевите библиотеки в една област ще прилагат през дадена година — таблицата от регионалните срещи на програмата, с изтегляне в CSV и XLSX.
rep-matrix-title = Категории по общини
rep-matrix-desc = Брой услуги по категория и община (или по категория и област за цялата страна), със сборове по редове и колони.
rep-coverage-title = Библиотеки без услуга
rep-coverage-desc = Библиотеките, които още нямат публикувана иновативна услуга — къде е нужна подкрепа.
rep-target-groups-title = Целеви групи
rep-target-groups-desc = До кого достигат услугите: брой услуги и библиотеки за всяка целева група и в кои категории.
rep-volunteers-title = Подкрепа от доброволци
rep-volunteers-desc = Колко от услугите се прилагат с подкрепата на доброволци, по области и по категории.
rep-partners-title = Партньорска мрежа
rep-partners-desc = Партньорите по вид, с броя на услугите и библиотеките, с които работят.

rep-filter-district = Област
rep-filter-year = Година
rep-filter-show = Покажи
rep-filter-all-districts = Всички области
rep-filter-all-years = Всички години
rep-export = Изтегляне на таблицата:
rep-no-data = Няма данни за избраното.
rep-period-year = { $year } г.
rep-period-all = всички години
rep-total = Общо

rep-col-id = ID
rep-col-library = Име на библиотеката
rep-col-municipality = Община
rep-col-settlement = Населено място
rep-col-service = Услуга с подкрепата на доброволци
rep-col-target = Целева група
rep-col-district = Област
rep-col-category = Категория
rep-col-categories = Категории
rep-col-services = Услуги
rep-col-libraries = Библиотеки
rep-col-volunteer-services = С доброволци
rep-col-share = Дял
rep-col-partner-kind = Вид партньор
rep-col-partners = Партньори
rep-col-partner = Партньор

rep-district-heading = Иновативни услуги, които целевите библиотеки в област { $district } ще прилагат през { $year } г.
rep-district-summary = { $total ->
    [one] Една библиотека
   *[other] { $total } библиотеки
}, { $with ->
    [one] една публикувана услуга
   *[other] { $with } публикувани услуги
} за годината.
rep-matrix-heading-district = Услуги по категории и общини в област { $district }, { $period }
rep-matrix-heading-all = Услуги по категории и области, { $period }
rep-matrix-corner-municipality = Категория / община
rep-matrix-corner-district = Категория / област
rep-coverage-heading-district = Библиотеки без услуга в област { $district }
rep-coverage-summary = { $gaps ->
    [one] { $gaps } от { $total } библиотеки още няма публикувана услуга.
   *[other] { $gaps } от { $total } библиотеки още нямат публикувана услуга.
}
rep-coverage-none = Всички библиотеки вече имат поне една публикувана услуга.
rep-target-groups-heading-district = Целеви групи в област { $district }
rep-target-groups-chart = Услуги по целева група
rep-target-groups-table = Обхват на целевите групи
rep-volunteers-heading = Подкрепа от доброволци, { $period }
rep-volunteers-summary = { $volunteer } от { $all } услуги се прилагат с подкрепата на доброволци.
rep-volunteers-by-district = По области
rep-volunteers-by-category = По категории
rep-partners-heading-district = Партньорска мрежа в област { $district }
rep-partners-by-kind = Партньори по вид

# Внос
imp-title = Внос на данни
imp-lead = Качете таблица с библиотеки и услуги. Първо ще видите какво ще се промени; нищо не се записва, преди да потвърдите.
imp-file = Файл
imp-file-hint = Текстова таблица (.txt) като таблицата в докладите на програмата, или файл на регистъра във формат CSV, XLSX или JSON. До { $limit }.
imp-format = Формат
imp-format-hint = „Автоматично“ разпознава формата по името и съдържанието на файла.
imp-format-auto = Автоматично
imp-format-table = Текстова таблица
imp-format-csv = CSV
imp-format-xlsx = XLSX (Excel)
imp-format-json = JSON
imp-table-options = Само за текстова таблица
imp-table-options-hint = Попълнете, ако заглавието на таблицата не посочва годината или областта.
imp-year = Година на услугите
imp-district = Област
imp-district-from-title = Според заглавието на таблицата
imp-submit = Качване и преглед
imp-again = Изберете файла отново
imp-error-prefix = Грешка:
imp-nothing-written = Нищо не е записано.
imp-rows-invalid = { $count ->
    [one] Файлът „{ $file }“ има { $count } грешка
   *[other] Файлът „{ $file }“ има { $count } грешки
}
imp-rows-title = Грешки във файла
imp-col-line = Ред
imp-col-field = Поле
imp-col-problem = Проблем
imp-whole-file = целият файл
imp-scope-refused = { $count ->
    [one] { $count } запис е извън правата ви
   *[other] { $count } записа са извън правата ви
}
imp-scope-title = Записи извън правата ви
imp-scope-library = Библиотека { $id } („{ $name }“): профилът ви не може да я променя.
imp-scope-partners = { $count } партньори: партньори се внасят само от администратор.
imp-scope-persons = { $count } души: данни за хора се внасят само от администратор.
imp-scope-events = { $count } събития: събития се внасят само от администратор.
imp-err-too-large = Файлът е по-голям от { $limit } — най-големия файл, който lipa приема. Изберете по-малък файл или разделете таблицата на няколко файла.
imp-err-bad-form = Формулярът не можа да бъде прочетен. Изберете файла и опитайте отново.
imp-err-district = Изберете област от списъка.
imp-err-no-file = Изберете файл.
imp-err-empty-file = Избраният файл е празен.

imp-preview-title = Преглед на вноса
imp-preview-lead = Какво ще промени файлът „{ $file }“ в регистъра.
imp-preview-note = Сравнението е с регистъра в момента. При записа файлът се сравнява отново, така че промени, направени междувременно, не се губят.
imp-counts-caption = Промени
imp-col-new = Нови
imp-col-changed = Променени
imp-col-same = Без промяна
imp-count-libraries = Библиотеки
imp-count-services = Услуги
imp-new-partners = Нови партньори: { $count }
imp-new-persons = Нови хора: { $count }
imp-new-events = Нови събития: { $count }
imp-new-activities = Нови записи в дневниците на дейностите: { $count }
imp-libraries = Библиотеки във файла
imp-services = Услуги във файла
imp-col-library-id = ID на библиотеката
imp-col-name = Име
imp-col-service = Услуга
imp-col-change = Промяна
imp-col-fields = Променени полета
imp-change-new = нова
imp-change-changed = променена
imp-change-same = без промяна
imp-commit = Запиши промените
imp-cancel = Отказ
imp-nothing-to-do = Файлът не променя нищо в регистъра.
imp-expires = Прегледът е валиден до { $at } (UTC).
imp-field-name = име
imp-field-kind = вид
imp-field-chitalishte = читалище
imp-field-settlement = населено място
imp-field-coordinator = координатор
imp-field-contacts = контакти
imp-field-goal = цел
imp-field-target_groups = целеви групи
imp-field-partners = партньори
imp-field-activities = дейности
imp-field-budget = бюджет
imp-field-media = медийно представяне
imp-field-expected = очаквани резултати
imp-field-status = състояние
imp-field-volunteer_supported = подкрепа от доброволци
imp-field-volunteers = доброволци
imp-field-results = постигнати резултати

imp-done-title = Вносът е записан
imp-done-lead = Промените от файла „{ $file }“ са записани в регистъра.
imp-done-nothing = Нямаше какво да се запише.
imp-done-libraries-created = Нови библиотеки: { $count }
imp-done-libraries-updated = Обновени библиотеки: { $count }
imp-done-services-created = Нови услуги: { $count }
imp-done-services-updated = Обновени услуги: { $count }
imp-done-partners = Нови партньори: { $count }
imp-done-persons = Нови хора: { $count }
imp-done-events = Нови събития: { $count }
imp-done-activities = Нови записи в дневниците на дейностите: { $count }
imp-to-libraries = Към библиотеките
imp-another = Внос на друг файл
