# Съобщения на командния ред
cli-error = Грешка
cli-migrated = Базата „{ $db }“ е на версия { $version } на схемата.
cli-invalid = Данните не са валидни:
cli-conflict = Някой друг е променил данните междувременно. Опитайте отново.
cli-database = Базата данни не може да бъде отворена или записана: { $detail }
cli-internal = Вътрешна грешка (моля, съобщете за нея): { $detail }
cli-import-invalid = Файлът не може да бъде внесен: { $count ->
    [one] открит е { $count } проблем.
   *[other] открити са { $count } проблема.
}
cli-nothing-written = Нищо не е записано.
cli-bad-option = Неправилна стойност на { $option }: { $reason }
cli-table-found = Таблицата е намерена; прескочени са { $skipped } реда преди нея.
cli-table-title = Заглавие: { $title }
cli-preview-libraries = Библиотеки: { $new } нови, { $changed } с промени, { $same } без промяна.
cli-preview-services = Услуги: { $new } нови, { $changed } с промени, { $same } без промяна.
cli-preview-activities = Записи в дневниците на дейностите: { $count } нови.
cli-dry-run = Проба (--dry-run): нищо не е записано.
cli-nothing-to-do = Няма нищо за промяна.
cli-writing = Записване…
cli-imported = Внесено: { $libraries } библиотеки и { $services } услуги.
cli-imported-activities = Внесени записи в дневниците на дейностите: { $count }.
cli-cannot-read = Файлът „{ $file }“ не може да бъде прочетен: { $reason }
cli-cannot-write = Файлът „{ $file }“ не може да бъде записан: { $reason }
cli-exported = Изнесени са { $libraries } библиотеки и { $services } услуги в „{ $file }“.
cli-binary-to-terminal = XLSX е двоичен файл: посочете файл с -o ИМЕ.xlsx.
cli-demo-present = Демонстрационните данни вече са в „{ $db }“.
cli-demo-loaded = Демонстрационните данни са заредени в „{ $db }“: { $count } записа.
cli-serving = lipa работи на { $url } (Ctrl+C спира сървъра).
cli-first-admin-name = Администратор
cli-first-admin = Създаден е първият администратор „{ $login }“ с еднократна парола: { $password }  (сменете я след първия вход; тя не се показва повече)

# Резервни копия и възстановяване (lipa backup, lipa restore, lipa serve --backup-every)
backup-written = Резервното копие е записано в „{ $file }“: { $libraries ->
    [one] { $libraries } библиотека
   *[other] { $libraries } библиотеки
}, { $entries } записа в одитния дневник, версия на схемата { $version }.
backup-no-database = тук няма база данни, от която да се направи копие
backup-same-file = „{ $file }“ е самата база данни: посочете друг файл за резервното копие.
backup-postgres = „{ $db }“ е база данни PostgreSQL: lipa прави и възстановява резервни копия само на файлове SQLite. Използвайте инструментите на PostgreSQL: pg_dump --format=custom --file=lipa.dump "URL" прави цялостно копие, докато сървърите работят; pg_restore --clean --if-exists --single-transaction --dbname="URL" lipa.dump го възстановява (първо спрете сървърите), след което изпълнете lipa search reindex на всеки сървър. Нищо не е направено.
backup-bad-every = „{ $value }“ не е продължителност от поне една секунда, например 24h, 6h, 30m или 1h 30m
backup-scheduled = Резервно копие на всеки { $every } в „{ $dir }“; пазят се последните { $keep }.
restore-server-running = Сървър използва „{ $db }“ (държи индекса за търсене { $dir }): спрете го и тогава възстановете. Нищо не е променено.
restore-not-sqlite = „{ $file }“ не е резервно копие на lipa: не е база данни SQLite. Нищо не е променено.
restore-not-lipa = „{ $file }“ е база данни SQLite, но не е резервно копие на lipa (липсват таблиците на lipa). Нищо не е променено.
restore-newer = „{ $file }“ е записан от по-нова версия на lipa (версия на схемата { $found }; тази познава до { $supported }): възстановете го с онази версия. Нищо не е променено.
restore-damaged = „{ $file }“ не минава проверката за цялост ({ $problems }): не може да бъде възстановен. Нищо не е променено.
restore-done = „{ $db }“ вече съдържа резервното копие „{ $file }“: { $libraries ->
    [one] { $libraries } библиотека
   *[other] { $libraries } библиотеки
}, версия на схемата { $version }. Индексът за търсене е изграден наново ({ $count } записа).
restore-kept = Заменената база данни е запазена като „{ $file }“: изтрийте я, когато вече не е нужна.
cli-synthetic-writing = Записване на синтетичния регистър
cli-synthetic-loaded = Синтетичният регистър е записан в „{ $db }“ за { $seconds } s: { $libraries } библиотеки, { $services } услуги ({ $rate } услуги в секунда), { $partners } партньори, { $persons } души, { $events } събития.
cli-synthetic-not-empty = В „{ $db }“ вече има библиотеки. Синтетичният регистър се записва само в празна база данни: посочете нов файл с --db.
cli-indexing = Индексиране за търсене
cli-index-behind = Индексът за търсене не беше обновен; сървърът ще го обнови при стартиране.
cli-preview-more = … и още { $count } промени (--report ФАЙЛ ги записва всичките).
cli-preview-more-in-report = … и още { $count } промени: всички са записани в „{ $file }“.
