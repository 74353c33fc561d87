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
cli-dry-run = Проба (--dry-run): нищо не е записано.
cli-nothing-to-do = Няма нищо за промяна.
cli-writing = Записване…
cli-imported = Внесено: { $libraries } библиотеки и { $services } услуги.
cli-cannot-read = Файлът „{ $file }“ не може да бъде прочетен: { $reason }
cli-cannot-write = Файлът „{ $file }“ не може да бъде записан: { $reason }
cli-exported = Изнесени са { $libraries } библиотеки и { $services } услуги в „{ $file }“.
cli-binary-to-terminal = XLSX е двоичен файл: посочете файл с -o ИМЕ.xlsx.
cli-demo-present = Демонстрационните данни вече са в „{ $db }“.
cli-demo-loaded = Демонстрационните данни са заредени в „{ $db }“: { $count } записа.
cli-serving = lipa работи на { $url } (Ctrl+C спира сървъра).
cli-first-admin-name = Администратор
cli-first-admin = Създаден е първият администратор „{ $login }“ с еднократна парола: { $password }  (сменете я след първия вход; тя не се показва повече)
