# Грешки при проверка на данни
err-required = Полето е задължително.
err-too-long = Текстът е твърде дълъг: най-много { $max } символа.
err-ekatte = „{ $value }“ не е код по ЕКАТТЕ: очакват се пет цифри.
err-district-code = „{ $value }“ не е код на област: очакват се три главни латински букви (например KNL).
err-municipality-code = „{ $value }“ не е код на община: очакват се код на област и две цифри (например KNL29).
err-category-code = „{ $value }“ не е код от класификатора: малки латински букви, цифри и тирета.
err-library-id = „{ $value }“ не е ID на библиотека: очаква се цяло положително число.
err-year = „{ $value }“ не е година между { $min } и { $max }.
err-currency = „{ $value }“ не е валута: очаква се BGN или EUR.
err-amount = „{ $value }“ не е сума: очаква се неотрицателно число с най-много два знака след десетичната запетая.
err-unknown-settlement = Населено място с код „{ $value }“ няма в справочника на ЕКАТТЕ.
err-email = „{ $value }“ не е адрес на електронна поща.
err-ends-before-starts = Краят е преди началото.
err-negative = Сумата не може да е отрицателна.
err-number = Очаква се число.
err-day-outside-event = Денят е извън датите на събитието.
err-login = „{ $value }“ не е потребителско име: малки латински букви, цифри и знаците . _ - @.
err-unknown-category = Категория „{ $value }“ няма в класификатора.
err-unknown-library = Библиотека с ID { $value } няма в регистъра.

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
