# The map of libraries, GeoJSON and the open-data page (crates/web/src/pages/libraries_map.rs,
# open_data.rs).

libraries-map-link = Покажи на картата
home-map-libraries = Карта на библиотеките
map-title = Библиотеките на картата
map-lead = Всяка точка е библиотека, а кръг с число — няколко библиотеки на едно място. Филтрите са същите като в списъка; таблицата под картата казва същото.
map-as-list = Покажи като списък
map-level-libraries = Точка за всяка библиотека; число в кръга — няколко библиотеки в едно селище.
map-level-settlements = Кръг за всяко селище с броя на библиотеките в него.
map-level-municipalities = Кръг за всяка община с броя на библиотеките в нея; изберете община, за да видите селищата ѝ.
map-table-caption = Същото като таблица
map-th-libraries = Библиотеки
map-not-on-map = няма координати, не е на картата
map-library-label = { $name }, { $place }
map-settlement-label = { $name }: { $count ->
    [one] { $count } библиотека
   *[other] { $count } библиотеки
}
map-municipality-label = Община { $name }: { $count ->
    [one] { $count } библиотека
   *[other] { $count } библиотеки
}

od-title = Отворени данни
od-lead = Публичната част от регистъра — библиотеки, публикувани услуги, партньори и публикувани срещи — за свободно изтегляне и повторна употреба. Личните данни на хората не се публикуват.
od-updated = Последна промяна в регистъра: { $at }
od-never-updated = още няма промени
od-datasets = Набори от данни
od-th-dataset = Набор от данни
od-th-files = Файлове
od-th-licence = Лиценз
od-th-updated = Обновен
od-machines = За машини
od-catalog-link = Каталог DCAT-AP (JSON-LD) за порталите за отворени данни
od-licence-cc-by = „Признание 4.0 Международен“ (CC BY 4.0)
od-licence-odbl = Open Database License (ODbL 1.0)
od-ds-registry-title = Регистър на библиотеките и иновативните услуги
od-ds-registry-desc = Библиотеки, публикуваните им е-услуги, партньори и публикувани срещи: JSON във формата, който „lipa import“ чете, CSV и XLSX.
od-ds-libraries-geo-title = Библиотеките на картата (GeoJSON)
od-ds-libraries-geo-desc = Всяка библиотека като точка в селището ѝ, с брой и категории на услугите. Координатите са от OpenStreetMap, затова лицензът е ODbL.
od-ds-events-title = Календар на срещите (iCalendar)
od-ds-events-desc = Публикуваните регионални срещи и работни групи като календар, за абонамент от календарна програма.
od-catalog-title = Отворени данни на lipa
od-catalog-desc = Наборите от данни на програмата за иновации в обществените библиотеки: регистър, карта и календар на срещите.
od-publisher = Глоб@лни библиотеки – България
