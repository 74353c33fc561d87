# Събития: срещи, обучения, работни групи и докладът след тях (префикс ev-)

# Списък
ev-list-title = Събития
ev-list-lead = Регионални срещи, обучения и работните групи, в които се раждат нови услуги.
ev-upcoming = Предстоящи
ev-past = Минали
ev-none-upcoming = Няма предстоящи събития.
ev-none-past = Няма минали събития.
ev-new = Ново събитие
ev-unpublished = непубликувано
ev-participants-count = { $count ->
    [one] { $count } участник
   *[other] { $count } участници
}
ev-th-dates = Дати
ev-th-event = Събитие
ev-th-place = Място
ev-th-kind = Вид
ev-th-participants = Участници

# Страница на събитието
ev-details = Подробности
ev-kind = Вид
ev-dates = Дати
ev-place = Населено място
ev-venue = Място на провеждане
ev-organisers = Организатори
ev-purpose = Цел на срещата
ev-expected = Очаквани участници
ev-reported = Отчетен брой участници
ev-reported-over = над { $count }
ev-agenda = Програма
ev-participants = Участници
ev-groups = Работни групи
ev-no-agenda = Програмата още не е въведена.
ev-no-participants = Участниците още не са въведени.
ev-no-groups = Няма работни групи.
ev-th-day = Ден
ev-th-time = Час
ev-th-speaker = Говорител
ev-th-organisation = Организация
ev-th-topic = Тема
ev-th-name = Име
ev-th-position = Длъжност
ev-th-role = Роля
ev-th-attended = Присъствие
ev-th-group = Група
ev-th-actions = Действия
ev-group-members = Членове
ev-group-spokesperson = Говорител на групата
ev-group-category = Категория
ev-group-no-card = Групата още не е попълнила карта на услуга.
ev-report-link = Доклад за събитието
ev-ics-link = Добави в календара (.ics)
ev-xlsx-link = Списък на участниците (XLSX)
ev-manage = Управление
ev-edit = Редактирай данните
ev-edit-agenda = Програма
ev-edit-participants = Участници и присъствие
ev-edit-groups = Работни групи
ev-publish = Публикувай доклада
ev-publish-hint = С публикуването събитието, програмата, участниците (без контакти) и докладът стават видими за всички.
ev-not-published-notice = Събитието още не е публикувано: виждат го само координаторите на областта и звеното за управление на програмата.
ev-saved = Промените са записани.
ev-published-notice = Събитието е публикувано.
ev-adopted-notice = Картата е приета като чернова на услуга.
ev-back = Обратно към събитието
ev-breadcrumbs = Навигация

# Роли на участниците
ev-role-organiser = организатор
ev-role-guest = гост
ev-role-speaker = лектор
ev-role-facilitator = водещ
ev-role-participant = участник
ev-attended-yes = да
ev-attended-no = не

# Списък на участниците (XLSX)
ev-col-name = Име
ev-col-position = Длъжност
ev-col-organisation = Организация
ev-col-role = Роля
ev-col-attended = Присъствал
ev-xlsx-title = Участници в „{ $title }“, { $starts } – { $ends }
ev-xlsx-sheet = Участници

# Формуляр на събитието
ev-form-new-title = Ново събитие
ev-form-edit-title = Редактиране на „{ $title }“
ev-f-title = Наименование
ev-f-title-hint = Както ще стои в доклада, без кавички: например Библиотеката и нейните партньори.
ev-f-kind = Вид на събитието
ev-f-starts = Начална дата
ev-f-ends = Крайна дата
ev-f-date-hint = Във вида ГГГГ-ММ-ДД, например 2012-06-06.
ev-f-district = Област
ev-f-district-choose = Покажи населените места на областта
ev-f-settlement = Населено място
ev-f-settlement-none = — не е посочено —
ev-f-venue = Място на провеждане
ev-f-venue-hint = Зала, сграда или адрес, например синята зала на НЧ „Братство“.
ev-f-organisers = Организатори
ev-f-organisers-hint = По един на ред.
ev-f-purpose = Цел на срещата
ev-f-purpose-hint = Защо се събират участниците: фокусът на срещата, с едно-две изречения.
ev-f-expected = Очакван брой участници
ev-f-reported = Отчетен брой участници
ev-f-reported-hint = Ако списъкът не е пълен: в доклада ще пише „над …“.
ev-f-group-method = Методика на работните групи
ev-f-group-method-hint = По една стъпка на ред. Ако е празно, докладът изброява 8-те стъпки на програмата.
ev-f-save = Запиши
ev-f-create = Създай събитието
ev-f-cancel = Отказ
ev-conflict-heading = Някой друг е записал събитието междувременно
ev-conflict-text = Докато попълвахте този формуляр, събитието е записано от друг човек (версия { $version }, { $at }). Нищо от написаното от вас не е изгубено: то е във формуляра по-долу.
ev-conflict-same = В този формуляр двата записа съвпадат; другият човек е променил други части на събитието.
ev-conflict-how = Прегледайте формуляра, вземете от записаното каквото трябва и запишете отново: вашият запис ще замени тези данни.
ev-err-date = Въведете дата във вида ГГГГ-ММ-ДД.
ev-err-time = Въведете час във вида ЧЧ:ММ.
ev-err-number = Въведете цяло неотрицателно число.
ev-err-settlement = Изберете населено място от областта.
ev-err-district = Изберете област.
ev-err-kind = Изберете вид на събитието.
ev-err-role = Изберете роля.
ev-err-category = Изберете категория от класификатора.
ev-err-library = Изберете библиотека.
ev-err-index = Редът вече не съществува: отворете страницата отново.

# Програма
ev-agenda-title = Програма на „{ $title }“
ev-agenda-add = Добави точка от програмата
ev-f-day = Ден
ev-f-day-none = — не е посочен —
ev-f-time = Час
ev-f-time-hint = По желание, във вида ЧЧ:ММ.
ev-f-speaker = Говорител
ev-f-speaker-hint = Името на човека; ако е сред участниците, изберете го от подсказките.
ev-f-organisation = Организация
ev-f-topic = Тема
ev-remove = Премахни
ev-remove-what = Премахни „{ $what }“

# Участници
ev-participants-title = Участници в „{ $title }“
ev-participant-add = Добави участник
ev-f-name = Име и фамилия
ev-f-position = Длъжност
ev-f-role = Роля
ev-f-attended = Присъства
ev-attendance = Присъствие и роли
ev-attendance-save = Запиши присъствието и ролите
ev-contacts-note = Контактите на хората не се въвеждат тук: те са лични данни и се пазят в регистъра на хората.

# Работни групи
ev-groups-title = Работни групи на „{ $title }“
ev-group-add = Създай група
ev-f-group-name = Наименование на групата
ev-f-group-name-hint = Например Група 1.
ev-f-group-service = Работно наименование на услугата
ev-f-group-service-hint = Услугата, която групата избира да разработи; може да се промени в картата на групата.
ev-assign = Разпределение на участниците по групи
ev-assign-none = — без група —
ev-assign-save = Запиши разпределението
ev-group-open = Карта на услугата на { $group }
ev-card-title = { $group }: карта на услугата
ev-card-lead = Групата избира категория, попълва осемте стъпки и посочва говорител, който ще представи услугата пред всички.
ev-f-category = Категория на услугата
ev-f-choose = — изберете —
ev-f-spokesperson = Говорител на групата
ev-f-spokesperson-hint = Кой представя услугата пред всички участници.
ev-f-card-name = Наименование на услугата
ev-f-goal = Цел
ev-f-target-groups = Целеви групи
ev-f-target-groups-hint = По една на ред, например ученици.
ev-f-partner-name = Партньор
ev-f-partner-role = Роля на партньора
ev-f-activity-title = Дейност
ev-f-activity-starts = От
ev-f-activity-ends = До
ev-f-budget-label = Перо
ev-f-budget-amount = Сума
ev-f-budget-currency = Валута
ev-f-budget-source = Източник
ev-f-media = Медийно представяне
ev-f-expected-social = Социален ефект
ev-f-expected-economic = Икономически ефект
ev-f-expected-community = Въздействие върху местната общност
ev-row = Ред { $n }
ev-rows-hint = Празните редове се пропускат. След запис се добавят нови празни редове.

# Стъпките на методиката (както в доклада от Кюстендил, 2012)
ev-step-1 = Избор на услугата и наименование
ev-step-2 = Цел
ev-step-3 = Целева група
ev-step-4 = Партньори
ev-step-5 = Дейности по внедряване на услугата
ev-step-6 = Ресурси/бюджет
ev-step-7 = Медийно представяне на услугата
ev-step-8 = Очаквани резултати – социален и икономически ефект, въздействие върху местната общност

# Приемане на карта на група като услуга на библиотека
ev-adopt-title = Приемане като услуга на библиотека
ev-adopt-hint = Картата се копира като чернова на услуга на избраната библиотека за { $year } г.; библиотеката я допълва и публикува сама.
ev-f-library = Библиотека
ev-adopt-submit = Приеми като чернова
ev-adopt-need-card = Преди да бъде приета, картата трябва да има наименование на услугата и категория.

# Докладът
ev-month-1 = януари
ev-month-2 = февруари
ev-month-3 = март
ev-month-4 = април
ev-month-5 = май
ev-month-6 = юни
ev-month-7 = юли
ev-month-8 = август
ev-month-9 = септември
ev-month-10 = октомври
ev-month-11 = ноември
ev-month-12 = декември
ev-date-full = { $day } { $month } { $year }
ev-date-day-month = { $day } { $month }
ev-dates-two = { $first } и { $second }
ev-dates-range = { $first } – { $second }
ev-and = и
ev-report-title = { $kind ->
    [meeting] Регионална тематична среща „{ $title }“ в { $place }
    [meeting-local] Тематична среща „{ $title }“ в { $place }
    [training] Обучение „{ $title }“ в { $place }
    [conference] Конференция „{ $title }“ в { $place }
   *[other] „{ $title }“ в { $place }
}
ev-report-title-noplace = { $kind ->
    [meeting] Регионална тематична среща „{ $title }“
    [meeting-local] Тематична среща „{ $title }“
    [training] Обучение „{ $title }“
    [conference] Конференция „{ $title }“
   *[other] „{ $title }“
}
ev-what = { $kind ->
    [meeting] регионална тематична среща
    [meeting-local] тематична среща
    [training] обучение
    [conference] конференция
   *[other] събитието
}
ev-in-event = { $kind ->
    [meeting] срещата
    [meeting-local] срещата
    [training] обучението
    [conference] конференцията
   *[other] събитието
}
ev-report-held = На { $dates } в { $place } се проведе { $what } „{ $title }“{ $count ->
    [0] .
    [one] , организирана от { $organisers }.
   *[other] , съвместна инициатива на { $organisers }.
}
ev-report-held-noplace = На { $dates } се проведе { $what } „{ $title }“{ $count ->
    [0] .
    [one] , организирана от { $organisers }.
   *[other] , съвместна инициатива на { $organisers }.
}
ev-report-venue = Форумът се проведе в { $venue }.
ev-report-count-over = В { $in_event } участваха над { $count } души.
ev-report-count = В { $in_event } участваха { $count } души.
ev-report-guests = { $count ->
    [one] Официален гост на събитието беше { $guests }.
   *[other] Официални гости на събитието бяха { $guests }.
}
ev-report-present = Присъстваха { $list }.
ev-report-spoke = { $speaker } говори на тема „{ $topic }“.
ev-report-spoke-org = { $speaker }, { $organisation }, говори на тема „{ $topic }“.
ev-report-h-who = Кой се срещна, къде и защо
ev-report-h-agenda = Кой за какво говори
ev-report-h-groups = Работа по групи
ev-report-h-table = Услугите в областта
ev-report-groups-intro = { $count ->
    [one] Участниците работиха в една група, като им беше предоставена възможността да изберат иновативната услуга, която ще разработват, от основните групи иновативни услуги на програмата.
   *[other] Участниците бяха разделени в { $count } групи, като им беше предоставена възможността да изберат иновативната услуга, която ще разработват, от основните групи иновативни услуги на програмата.
}
ev-report-method = Иновативните услуги се разработиха в следната последователност:
ev-report-spokespeople = След приключване на работата в групите говорител, излъчен от всяка група, представи пред всички участници идентифицираната нова услуга.
ev-report-results = Резултатите по групи са:
ev-report-result = { $category }: { $service }. Целева група - { $target }.
ev-report-result-nocat = { $service }. Целева група - { $target }.
ev-report-result-notarget = { $category }: { $service }.
ev-report-result-bare = { $service }.
ev-report-table-caption = Иновативни услуги, които целевите библиотеки в област { $district } ще прилагат през { $year } г.
ev-report-col-id = ID
ev-report-col-library = Име на библиотеката
ev-report-col-municipality = Община
ev-report-col-settlement = Населено място
ev-report-col-service = Услуга с подкрепата на доброволци
ev-report-col-target = Целева група
ev-report-draft-notice = Преглед на доклада: събитието още не е публикувано и докладът не се вижда публично.
ev-report-download = Изтегли като HTML страница за сайт
ev-report-print-hint = Страницата е подготвена за печат: използвайте командата за печат на браузъра.
ev-report-source = Докладът е съставен от lipa по въведените данни за събитието.
