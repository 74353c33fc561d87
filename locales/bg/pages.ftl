# Страница на библиотека
lib-breadcrumbs = Къде се намира библиотеката
lib-crumb-district = област { $name }
lib-crumb-municipality = община { $name }
lib-id = ID по програмата
lib-kind = Вид
lib-chitalishte = Читалище
lib-chitalishte-name = НЧ „{ $name }“
lib-founded = Година на основаване
lib-place = Населено място
lib-place-value = { $settlement }, община { $municipality }
lib-coordinator = Координатор за областта
lib-coordinator-yes = да, библиотеката координира програмата в областта
lib-address = Адрес
lib-phone = Телефон
lib-email = Електронна поща
lib-website = Уебсайт
lib-history = История на промените
lib-services-heading = Иновативни услуги
lib-add-service = Добавяне на услуга
lib-no-services = Библиотеката още няма услуга.
lib-th-service = Услуга
lib-partners-heading = Партньори
lib-partners-hint = Организациите, посочени в стъпка 4 („Партньори“) на картите на услугите.
lib-no-partners = В картите на услугите още няма посочени партньори.
lib-events-heading = Събития в област { $district }
lib-events-hint = Срещите и обученията в областта, в която е библиотеката. Участието на отделните библиотеки не се отбелязва.
lib-no-events = В областта още няма събития.
lib-event-unpublished = Непубликувано

# Карта на услугата: стъпките на методиката
svc-step-1 = Избор на услугата и наименование
svc-step-2 = Цел
svc-step-3 = Целева група
svc-step-4 = Партньори
svc-step-5 = Дейности по внедряване на услугата
svc-step-6 = Ресурси/бюджет
svc-step-7 = Медийно представяне на услугата
svc-step-8 = Очаквани резултати – социален и икономически ефект, въздействие върху местната общност
svc-step-short-1 = Услуга и име
svc-step-short-2 = Цел
svc-step-short-3 = Целеви групи
svc-step-short-4 = Партньори
svc-step-short-5 = Дейности
svc-step-short-6 = Бюджет
svc-step-short-7 = Медии
svc-step-short-8 = Резултати

# Карта на услугата: страница и печат
svc-breadcrumbs = Къде се намирате
svc-caption = Иновативна услуга
svc-card-heading = Карта на услугата
svc-meta-library = Библиотека
svc-meta-status = Състояние
svc-not-given = Не е попълнено.
svc-change = Промяна
svc-th-activity = Дейност
svc-th-starts = Начало
svc-th-ends = Край
svc-th-item = Перо
svc-th-source = Осигурява
svc-th-amount = Сума
svc-th-converted = Равностойност
svc-total-in = Общо в { $currency }
svc-rate-note = Сумите се превръщат по фиксирания курс 1 EUR = 1,95583 BGN.
svc-print = Версия за печат
svc-print-back = Обратно към услугата
svc-edit = Редактиране
svc-review-link = Преглед и публикуване
svc-status-heading = Състояние на услугата
svc-status-label = Ново състояние
svc-status-hint = Планирана, действаща, завършена или отказана. Публикуваната услуга се вижда от всички.
svc-status-button = Запазване на състоянието
svc-adopt-heading = Приемане на услугата в друга библиотека
svc-adopt-text = Копие на картата се записва като чернова на избраната библиотека. Доброволците и постигнатите резултати остават към тази услуга.
svc-adopt-library = Библиотека
svc-adopt-button = Приемане като чернова

# Карта на услугата: формуляр стъпка по стъпка
svc-steps-nav = Стъпки на картата
svc-step-of = Стъпка { $step } от { $steps }
svc-error-summary = Има проблем
svc-error-prefix = Грешка:
svc-save-continue = Запазване и продължаване
svc-save-leave = Запазване като чернова и изход
svc-add-row = Добавяне на още един ред
svc-working-title = Нова услуга ({ $category })
svc-field-name = Наименование на услугата
svc-hint-name = Кратко и ясно, например „Предоставяне на информация на здравни теми“. Ако полето съдържа работното заглавие „Нова услуга“, заменете го.
svc-field-category = Категория
svc-hint-category = Основната група иновативни услуги, към която принадлежи услугата.
svc-field-year = Година
svc-hint-year = Годината, през която библиотеката ще предлага услугата.
svc-field-library = Библиотека
svc-field-goal = Цел на услугата
svc-hint-goal = Какво ще промени услугата и за кого.
svc-field-target_groups = Целеви групи
svc-legend-target_groups = Целеви групи
svc-hint-target_groups = По една група на ред, например „Местна общност“ или „Младежи“. Празните редове не се записват.
svc-row-target_groups = Целева група { $n }
svc-legend-partners = Партньори и тяхната роля
svc-hint-partners = Организациите, с които библиотеката ще предлага услугата. Изберете от регистъра или впишете ново име.
svc-row-partners = Партньор { $n }
svc-field-partners-name = Организация
svc-field-partners-role = Роля
svc-legend-volunteers = Доброволци
svc-field-volunteer_supported = С подкрепата на доброволци
svc-hint-volunteers = Имената на доброволците се виждат на публичната карта: впишете ги само с тяхно съгласие.
svc-row-volunteers = Доброволец { $n }
svc-field-volunteers-name = Име
svc-field-volunteers-role = С какво помага
svc-legend-activities = Дейности
svc-hint-activities = Стъпките по внедряването и кога ще бъдат направени. Датите не са задължителни.
svc-row-activities = Дейност { $n }
svc-field-activities-title = Какво ще се направи
svc-field-activities-starts = Начало
svc-field-activities-ends = Край
svc-legend-budget = Пера на бюджета
svc-hint-budget = Сумите се въвеждат в лева или евро, например 1500 или 1500,50. Общата сума се изчислява и в двете валути.
svc-row-budget = Перо { $n }
svc-field-budget-label = Описание
svc-field-budget-amount = Сума
svc-field-budget-currency = Валута
svc-field-budget-source = Кой го осигурява
svc-field-media = Медийно представяне
svc-hint-media = Как общността ще научи за услугата: местни медии, сайт, социални мрежи, събития.
svc-field-expected-social = Социален ефект
svc-field-expected-economic = Икономически ефект
svc-field-expected-community = Въздействие върху местната общност
svc-err-choose-category = Изберете категория.
svc-err-date = „{ $value }“ не е дата. Въведете я във вида 2012-06-06 или 06.06.2012.
svc-err-status = Изберете състояние от списъка.
svc-err-adopt-library = Изберете библиотека от списъка.

# Нова услуга
svc-new-title = Нова иновативна услуга
svc-new-lead = Изберете категорията и годината. Картата се записва веднага като чернова и продължавате стъпка по стъпка; можете да излезете по всяко време и да се върнете към нея.
svc-new-button = Създаване на чернова
svc-cancel = Отказ

# Преглед и публикуване
svc-review-title = Проверете картата преди публикуване
svc-review-lead = Прегледайте всички стъпки. Можете да промените всяка от тях.
svc-review-problems = Преди публикуване попълнете
svc-publish-heading = Публикуване
svc-publish-text = След публикуване услугата получава състояние „Планирана“ и се вижда от всички.
svc-publish-button = Публикуване
svc-keep-draft = Оставане като чернова
svc-already-published = Услугата вече е публикувана (състояние: { $status }).

# Партньори
partner-list-title = Партньори
partner-list-lead = Организациите, с които библиотеките предлагат иновативните си услуги.
partner-search-label = Търсене по име
partner-search-hint = Пълно или кратко име, например „РЗИ“
partner-search-button = Търсене
partner-facet-kind = Вид партньор
partner-any-kind = Всички видове
partner-count = { $count ->
    [one] { $count } партньор
   *[other] { $count } партньори
}
partner-none = Няма партньори, които отговарят на търсенето.
partner-th-name = Организация
partner-th-kind = Вид
partner-th-services = Услуги
partner-breadcrumbs = Къде се намирате
partner-short-name = Кратко име
partner-place = Населено място
partner-website = Уебсайт
partner-libraries-heading = Библиотеки, с които работи
partner-no-libraries = Партньорът още не е посочен в публикувана услуга.
partner-services-n = { $count ->
    [one] ({ $count } услуга)
   *[other] ({ $count } услуги)
}
partner-services-heading = Услуги, в които участва
partner-th-service = Услуга
partner-th-library = Библиотека
partner-th-role = Роля
svc-conflict-heading = Някой друг е записал картата междувременно
svc-conflict-text = Докато попълвахте тази стъпка, картата е записана от друг човек (версия { $version }, { $at }). Нищо от написаното от вас не е изгубено: то е във формуляра по-долу, върху записаната карта.
svc-conflict-same = В тази стъпка двата записа съвпадат; другият човек е променил други стъпки.
svc-conflict-how = Прегледайте формуляра, вземете от записаното каквото трябва и запишете отново: вашият запис ще замени стъпката.

## Дневникът на дейностите по услуга (crates/web/src/pages/services/activities.rs)
act-heading = Проведени дейности
act-none = Все още няма записани дейности.
act-field-date = Дата
act-field-kind = Вид
act-field-hours = Часове
act-field-volunteers = Доброволци
act-field-volunteer_hours = Часове на доброволците
act-field-reached = Достигнати хора
act-field-target_group = Целева група
act-field-count = Брой хора
act-field-estimated = Броят е приблизителен
act-field-note = Бележка
act-field-service_id = Услуга
act-hint-date = Например 04.10.2012 или 2012-10-04.
act-hint-hours = Часове работа на служители и доброволци заедно; може и с десетични, напр. 1,5.
act-legend-reached = Достигнати хора по целеви групи
act-hint-reached = По един ред за всяка целева група; оставете излишните редове празни.
act-row-reached = Целева група { $n }
act-col-hours = Часове
act-col-volunteers = Доброволци (часове)
act-col-reached = Достигнати хора
act-col-actions = Действия
act-volunteers-cell = { $n } ({ $hours } ч.)
act-edit = Промяна
act-total = Общо
act-estimated-note = „≈“ означава приблизителен брой.
act-new-title = Запис на дейност
act-edit-title = Промяна на дейност
act-delete-heading = Изтриване на дейността
act-delete = Изтрий дейността
act-save = Запази дейността
act-add = Добави дейността
act-err-whole = „{ $value }“ не е цяло число, нула или повече.
