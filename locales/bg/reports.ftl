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
rep-district-summary = { $with } от { $total } библиотеки имат услуга за годината.
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
