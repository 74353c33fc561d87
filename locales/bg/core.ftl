# Грешки при проверка на данни
err-required = Полето е задължително.
err-too-long = Текстът е твърде дълъг: най-много { $max } символа.
err-ekatte = „{ $value }“ не е код по ЕКАТТЕ: очакват се пет цифри.
err-district-code = „{ $value }“ не е код на област: очакват се три главни латински букви (например KNL).
err-municipality-code = „{ $value }“ не е код на община: очакват се код на област и две цифри (например KNL29).
err-category-code = „{ $value }“ не е код от класификатора: малки латински букви, цифри и тирета.
err-library-id = „{ $value }“ не е ID на библиотека: очаква се цяло положително число.
err-record-id = „{ $value }“ не е номер на запис: очаква се цяло положително число.
err-year = „{ $value }“ не е година между { $min } и { $max }.
err-currency = „{ $value }“ не е валута: очаква се BGN или EUR.
err-amount = „{ $value }“ не е сума: очаква се неотрицателно число с най-много два знака след десетичната запетая.
err-unknown-settlement = Населено място с код „{ $value }“ няма в справочника на ЕКАТТЕ.
err-email = „{ $value }“ не е адрес на електронна поща.
err-ends-before-starts = Краят е преди началото.
err-negative = Сумата не може да е отрицателна.
err-too-large = Числото е твърде голямо: най-много { $max }.
err-number = Очаква се число.
err-day-outside-event = Денят е извън датите на събитието.
err-login = „{ $value }“ не е потребителско име: малки латински букви, цифри и знаците . _ - @.
err-unknown-category = Категория „{ $value }“ няма в класификатора.
err-unknown-library = Библиотека с ID { $value } няма в регистъра.
err-second-coordinator = Областта вече има библиотека координатор: първо снемете отметката от нея.
err-reference = Записът сочи към друг запис, който липсва.
err-unknown-partner-kind = Вид партньор „{ $value }“ няма в класификатора.

# Видове библиотеки
library-kind-regional = Регионална библиотека
library-kind-chitalishte = Читалищна библиотека
library-kind-municipal = Общинска библиотека
library-kind-school = Училищна библиотека
library-kind-specialised = Специализирана библиотека

# Състояние на услуга
service-status-draft = Чернова
service-status-planned = Планирана
service-status-active = Действаща
service-status-completed = Завършена
service-status-dropped = Отказана

# Видове събития
event-kind-meeting = Среща
event-kind-training = Обучение
event-kind-conference = Конференция
event-kind-other = Друго

# Видове населени места
settlement-kind-town = град
settlement-kind-village = село
settlement-kind-monastery = манастир

# Внос
import-at-file = Файлът
import-at-line = Ред { $line }

# Демо данни и файлове с данни
err-toml = Файлът не е валиден TOML: { $reason }
err-unknown-key = Непознато поле „{ $value }“: проверете как е изписано.
err-unknown-district = Област с код „{ $value }“ няма в справочника на ЕКАТТЕ.
err-unknown-person = „{ $value }“ не е сред хората в данните.
err-unknown-partner = Партньор „{ $value }“ няма в данните.
err-no-service = Библиотеката с ID { $value } няма услуга в таблицата.
import-row-error = { $at }, „{ $field }“: { $message }

# Внос на таблици като обикновен текст (legacy)
err-legacy-no-header = Не е намерен заглавният ред на таблицата („ID Име на библиотеката Община Населено място Услуга с подкрепата на доброволци Целева група“).
err-legacy-no-year = Годината не е посочена в заглавието на таблицата (например „през 2012 г.“): задайте я при вноса.
err-legacy-no-id = Редът не започва с ID на библиотека. Ако е продължение на предходния ред, слейте двата реда; ако е текст след таблицата, отделете го с празен ред.
err-legacy-no-place = В реда няма населено място, означено с „гр.“ или „с.“ след името на общината.
err-legacy-unknown-municipality = Община „{ $value }“ няма в справочника на ЕКАТТЕ.
err-legacy-unknown-settlement = Населено място „{ $value }“ няма в община „{ $municipality }“.
err-legacy-ambiguous-place = Община „{ $value }“ има в няколко области ({ $districts }): посочете областта в заглавието или при вноса.
err-legacy-outside-district = Община „{ $value }“ не е в област „{ $district }“, за която е таблицата.
err-legacy-no-category = Услугата не започва с категория (например „Е-здраве:“): „{ $value }“.
err-legacy-no-target-group = Текстът на услугата не може да бъде отделен от целевата група: „{ $value }“. Целевата група трябва да е в края на реда и да започва с главна буква.
err-legacy-library-name = Името на библиотеката „{ $value }“ не може да бъде разчетено.
err-duplicate-id = ID { $value } вече се среща на ред { $first }.
import-field-id = ID
import-field-library = Име на библиотеката
import-field-municipality = Община
import-field-settlement = Населено място
import-field-category = Категория
import-field-service = Услуга
import-field-target_group = Целева група
import-field-year = Година

# Регистърът като файл (JSON, CSV, XLSX)
registry-sheet = Регистър
col-library-id = ID на библиотеката
col-library-name = Име на библиотеката
col-library-kind = Вид библиотека
col-chitalishte-name = Читалище
col-chitalishte-founded = Година на основаване на читалището
col-ekatte = Код по ЕКАТТЕ
col-settlement = Населено място
col-municipality = Община
col-district = Област
col-coordinator = Координатор за областта
col-address = Адрес
col-phone = Телефон
col-email = Електронна поща
col-website = Уебсайт
col-service-year = Година на услугата
col-service-category = Категория
col-service-status = Състояние
col-volunteer-supported = С подкрепата на доброволци
col-volunteers = Доброволци
col-service-name = Услуга
col-goal = Цел
col-target-groups = Целеви групи
col-partners = Партньори
col-activities = Дейности по внедряване
col-budget = Ресурси/бюджет
col-media = Медийно представяне
col-expected-social = Очакван социален ефект
col-expected-economic = Очакван икономически ефект
col-expected-community = Въздействие върху местната общност
col-results = Постигнати резултати
err-json-syntax = Файлът не е валиден JSON (грешка в колона { $column }).
err-json-format = Файлът не е регистър на lipa: очаква се обект с „format“: „lipa-registry“.
err-json-version = Версия „{ $value }“ на файла не се поддържа: тази версия на lipa чете версия { $supported }.
err-json-not-list = Очаква се списък от записи.
err-json-record = Записът не може да бъде прочетен: { $detail }
err-json-duplicate-library = ID { $value } вече е използвано от { $first }.
err-csv-syntax = Редът не може да бъде прочетен като CSV: проверете кавичките.
err-csv-separator = Разделителят между клетките не може да бъде определен от заглавния ред: той се разделя на толкова клетки при { $first }, колкото и при { $second }. Запишете файла от Excel като „CSV UTF-8 (разделител запетая)“ и опитайте отново.
err-encoding-unreadable = Файлът не е текст в кодировка, която lipa може да прочете (може да е двоичен или в UTF-16 без знак за реда на байтовете). Запишете го от Excel като „CSV UTF-8 (разделител запетая)“ или „Текст в Unicode“, или от текстов редактор като UTF-8, и опитайте отново.
err-encoding-ambiguous = Кодировката на файла не може да бъде определена със сигурност (може да е { $guess }). Запишете го от Excel като „CSV UTF-8 (разделител запетая)“ или от текстов редактор като UTF-8 и опитайте отново.
err-encoding-malformed = Файлът е обявен като { $encoding }, но този ред съдържа байтове, които не са валиден { $encoding }. Запишете го отново като „CSV UTF-8 (разделител запетая)“ и опитайте отново.
err-file-too-large = Файлът е по-голям от { $limit } MB: разделете го на по-малки файлове.
err-too-many-rows = Файлът има повече от { $limit } реда: разделете го на по-малки файлове.
err-too-many-columns = Клетка в колона { $column }: таблицата може да има най-много { $limit } колони. Изтрийте клетките вдясно от таблицата.
err-too-many-cells = Файлът има повече от { $limit } клетки: разделете го на по-малки файлове.
err-xlsx-too-large = Работната книга се разархивира до повече от { $limit } MB: разделете я на по-малки книги.
import-read-as = Прочетен като { $encoding }.
import-read-as-csv = Прочетен като { $encoding }, с клетки, разделени с { $separator }.
import-encoding-bom = { $encoding } със знак за реда на байтовете (BOM)
import-separator-comma = запетая (,)
import-separator-semicolon = точка и запетая (;)
import-separator-tab = табулация
err-xlsx-read = Файлът не може да бъде прочетен като работна книга на Excel (XLSX).
err-xlsx-no-sheet = Работната книга няма нито един лист.
err-table-empty = Файлът е празен: липсва заглавен ред.
err-table-unknown-column = Непозната колона „{ $value }“: преименувайте я или я премахнете.
err-table-duplicate-column = Колоната „{ $value }“ се среща два пъти.
err-table-missing-column = Липсва колона „{ $value }“.
err-table-unnamed-column = Стойност в колона { $value }, която няма заглавие.
err-table-library-conflict = Данните на библиотека { $value } се различават от записаните на ред { $first }.
err-table-unknown-place = Населено място „{ $value }“ в община „{ $municipality }“ не е намерено: посочете кода по ЕКАТТЕ.
err-boolean = „{ $value }“ не е „да“ или „не“ (очаква се 1 или 0, да или не).
err-library-kind = „{ $value }“ не е вид библиотека (regional, chitalishte, municipal, school, specialised).
err-status = „{ $value }“ не е състояние на услуга (draft, planned, active, completed, dropped).
err-activity-item = Ред { $item } „{ $value }“: очаква се „дейност | 2012-09-01 | 2012-10-31“ (датите не са задължителни).
err-budget-item = Ред { $item } „{ $value }“: очаква се „перо | 150.00 | BGN | източник“ (източникът не е задължителен).
err-result-item = Ред { $item } „{ $value }“: очаква се „2012-12-31 | показател | стойност | очаквана стойност | бележка“.

## Дневникът на дейностите по услуга (crates/core/src/activity_log.rs)
activity-kind-training = Обучение
activity-kind-consultation = Консултация
activity-kind-event = Събитие
activity-kind-publication = Публикация
activity-kind-other = Друго
err-activity-date = „{ $value }“ не е дата на дейност: очаква се дата между { $min } и { $max }.
err-activity-hours-without-volunteers = Часове на доброволци изискват поне един доброволец.
err-too-many = Твърде много редове: най-много { $max }.
err-unknown-service = В регистъра няма услуга с номер { $value }.
err-json-activity-service = Дейността сочи услуга { $value }, а файлът има { $count } услуги (броят се от 0).
err-negative-number = Числото не може да е отрицателно.
