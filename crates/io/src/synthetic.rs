//! A synthetic registry for trying lipa at world size: `lipa demo --synthetic N [--seed S]`.
//!
//! N libraries in the real gazetteer's settlements (one regional library, the district's
//! coordinator, in every district centre; the rest drawn by population, so towns get more),
//! each with 1–5 services whose eight steps are filled from templates that read like the
//! programme's cards (goal, target groups, partners with roles, activities with dates, budget in
//! BGN before 2026 and in EUR after, media, expected results), volunteers, results of completed
//! services, a librarian, the municipality's and the district's partners, and a regional meeting
//! per district with its agenda and participants.
//!
//! The same N and seed give the same registry on every machine. It is made in batches
//! ([`Synthetic`] is an iterator of change sets), so a million libraries never sit in memory at
//! once.

use lipa_core::changes::ChangeSet;
use lipa_core::event::{AgendaItem, Event, EventKind, Participant, ParticipantRole};
use lipa_core::geo::{Gazetteer, Settlement, SettlementKind};
use lipa_core::ids::{CategoryCode, DistrictCode, Ekatte, LibraryId, MunicipalityCode, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::money::{Currency, Money};
use lipa_core::partner::Partner;
use lipa_core::person::Person;
use lipa_core::sample::{CHITALISHTE_NAMES, SplitMix64 as Rng};
use lipa_core::service::{
    Activity, BudgetItem, ExpectedResults, ResultReport, Service, ServiceCard, ServicePartner,
    ServiceStatus, Volunteer,
};
use std::collections::HashSet;

/// Libraries per change set.
pub const BATCH: usize = 2_000;

/// The first programme ID of the synthetic libraries (the demo's are below 10,000).
pub const FIRST_ID: u32 = 100_001;

/// What many libraries run under one name.
struct Template {
    category: &'static str,
    name: &'static str,
    goal: &'static str,
    groups: &'static [&'static str],
    activities: &'static [&'static str],
    social: &'static str,
    economic: &'static str,
    indicator: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        category: "e-skills",
        name: "Обучение на възрастни хора в начална компютърна грамотност",
        goal: "Възрастните хора да ползват интернет, електронна поща и видеоразговори с близките си.",
        groups: &["Пенсионери"],
        activities: &[
            "Набиране на участници",
            "Курс от десет занятия",
            "Открит урок за близките",
        ],
        social: "Възрастните хора общуват по-лесно с близките си в чужбина.",
        economic: "По-малко разходи за пътуване до общинския център.",
        indicator: "обучени пенсионери",
    },
    Template {
        category: "e-business",
        name: "Информационно-административни услуги за овощари",
        goal: "Овощарите да получават информация за субсидии, пазари и защита на насажденията.",
        groups: &["Овощари", "Земеделски производители"],
        activities: &[
            "Среща с агроном",
            "Абонамент за пазарни бюлетини",
            "Консултации в библиотеката",
        ],
        social: "Стопаните се обединяват и споделят опит.",
        economic: "По-добри цени на продукцията и по-малко загуби от болести.",
        indicator: "консултирани стопани",
    },
    Template {
        category: "e-health",
        name: "Предоставяне на информация на здравни теми",
        goal: "Информация за профилактика, записване при личен лекар и здравни права.",
        groups: &["Местна общност", "Майки с малки деца"],
        activities: &[
            "Беседа с регионалната здравна инспекция",
            "Информационни табла",
            "Онлайн консултации",
        ],
        social: "Хората знаят повече за профилактиката и правата си.",
        economic: "По-малко пътувания до областния град за справки.",
        indicator: "потребители на здравна информация",
    },
    Template {
        category: "e-employment",
        name: "Търсене на работа по интернет",
        goal: "Безработните да намират обяви, да пишат автобиография и да кандидатстват онлайн.",
        groups: &["Безработни", "Младежи"],
        activities: &[
            "Работилница за автобиографии",
            "Среща с бюрото по труда",
            "Дни на отворените врати",
        ],
        social: "Младите хора остават в селището.",
        economic: "Назначени на работа безработни.",
        indicator: "безработни, намерили работа",
    },
    Template {
        category: "e-government",
        name: "Електронни административни услуги за гражданите",
        goal: "Подаване на заявления и плащане на местни данъци по електронен път.",
        groups: &["Местна общност"],
        activities: &[
            "Обучение на библиотекаря",
            "Помощ при подаване на заявления",
            "Кампания в кметството",
        ],
        social: "Гражданите получават услуги без да пътуват.",
        economic: "Спестени време и пари за пътуване.",
        indicator: "подадени електронни заявления",
    },
    Template {
        category: "e-culture",
        name: "Дигитализация на местното културно наследство",
        goal: "Снимки, спомени и документи за историята на селището в електронна колекция.",
        groups: &["Местна общност", "Туристи"],
        activities: &[
            "Събиране на снимки и спомени",
            "Сканиране и описание",
            "Представяне на колекцията",
        ],
        social: "Паметта на селището е запазена за следващите поколения.",
        economic: "Повече посетители и туристи.",
        indicator: "дигитализирани документи",
    },
    Template {
        category: "e-education",
        name: "Помощ при избора на училище след седми клас",
        goal: "Учениците и родителите им да сравняват училища и да подават документи онлайн.",
        groups: &["Ученици", "Родители"],
        activities: &[
            "Среща с училищата",
            "Консултации за класирането",
            "Онлайн подаване на документи",
        ],
        social: "Децата избират училище според интересите си.",
        economic: "По-малко разходи на семействата за пътуване.",
        indicator: "консултирани ученици",
    },
    Template {
        category: "e-inclusion",
        name: "Достъп до електронни услуги за незрящи граждани",
        goal: "Говорещ софтуер и обучение, за да ползват незрящите електронни услуги сами.",
        groups: &["Незрящи граждани"],
        activities: &[
            "Инсталиране на говорещ софтуер",
            "Индивидуални обучения",
            "Среща със съюза на слепите",
        ],
        social: "Незрящите ползват услугите сами, без придружител.",
        economic: "Достъп до работа от разстояние.",
        indicator: "обучени незрящи граждани",
    },
    Template {
        category: "e-business",
        name: "Консултации за земеделски стопани по европейски програми",
        goal: "Земеделските стопани да кандидатстват по програмите за развитие на селските райони.",
        groups: &["Земеделски производители"],
        activities: &[
            "Информационен ден",
            "Помощ при попълване на формуляри",
            "Отчетна среща",
        ],
        social: "Стопаните кандидатстват сами и с увереност.",
        economic: "Одобрени проекти и привлечени средства в селището.",
        indicator: "подадени проекти",
    },
    Template {
        category: "e-education",
        name: "Онлайн обучение по английски език за деца",
        goal: "Децата да учат английски с образователни игри и видеоуроци в библиотеката.",
        groups: &["Деца"],
        activities: &[
            "Лятно училище",
            "Занимания два пъти седмично",
            "Празник на езиците",
        ],
        social: "Децата прекарват свободното си време полезно.",
        economic: "Спестени разходи за частни уроци.",
        indicator: "деца в заниманията",
    },
    Template {
        category: "e-health",
        name: "Превенция на зависимости сред младите хора",
        goal: "Беседи и онлайн материали за вредата от наркотици, тютюнопушене и алкохол.",
        groups: &["Младежи", "Ученици"],
        activities: &["Беседи в училище", "Конкурс за плакат", "Онлайн викторина"],
        social: "Младите хора познават рисковете и търсят помощ навреме.",
        economic: "По-малко разходи за лечение в бъдеще.",
        indicator: "участници в беседите",
    },
    Template {
        category: "e-culture",
        name: "Клуб за четене и детски блог",
        goal: "Децата пишат за прочетените книги в блога на читалището.",
        groups: &["Деца"],
        activities: &["Сбирки на клуба", "Писане в блога", "Среща с автор"],
        social: "Децата четат повече и пишат по-добре.",
        economic: "Повече читатели на библиотеката.",
        indicator: "публикации в блога",
    },
    Template {
        category: "e-government",
        name: "Подаване на документи за социални помощи",
        goal: "Хората в неравностойно положение да получат помощ без да пътуват до града.",
        groups: &["Хора в неравностойно положение"],
        activities: &[
            "Среща с дирекция „Социално подпомагане“",
            "Помощ при документите",
            "Проследяване на случаите",
        ],
        social: "Помощта стига до хората, които имат нужда от нея.",
        economic: "Спестени разходи за пътуване.",
        indicator: "подадени заявления",
    },
    Template {
        category: "e-culture",
        name: "Туристически информационен център в библиотеката",
        goal: "Информация за забележителностите, маршрутите и местата за настаняване в района.",
        groups: &["Туристи", "Местен бизнес"],
        activities: &[
            "Карта на маршрутите",
            "Страница в интернет",
            "Обучение на домакините",
        ],
        social: "Селището е по-известно и по-посещавано.",
        economic: "Повече нощувки в къщите за гости.",
        indicator: "посетители на центъра",
    },
    Template {
        category: "e-inclusion",
        name: "Обучение на хора с двигателни увреждания",
        goal: "Хората с увреждания да работят с компютър и да намират работа от разстояние.",
        groups: &["Хора с увреждания"],
        activities: &[
            "Достъпно работно място",
            "Обучения у дома",
            "Среща с работодатели",
        ],
        social: "Хората с увреждания участват в живота на общността.",
        economic: "Работа от разстояние и собствени доходи.",
        indicator: "обучени хора с увреждания",
    },
    Template {
        category: "e-business",
        name: "Информационни услуги за пчелари",
        goal: "Пчеларите да следят пазара на мед и изискванията за подпомагане.",
        groups: &["Пчелари"],
        activities: &[
            "Среща с пчеларското дружество",
            "Бюлетин за пазара на мед",
            "Консултации",
        ],
        social: "Пчеларите обменят опит и се сдружават.",
        economic: "По-добра цена на меда.",
        indicator: "консултирани пчелари",
    },
    Template {
        category: "e-skills",
        name: "Безопасен интернет за деца и родители",
        goal: "Децата и родителите им да разпознават измами и опасно съдържание в мрежата.",
        groups: &["Деца", "Родители"],
        activities: &[
            "Работилници за родители",
            "Игри за безопасност",
            "Ден на безопасния интернет",
        ],
        social: "Децата ползват мрежата по-безопасно.",
        economic: "Избегнати измами и загуби.",
        indicator: "участници в работилниците",
    },
    Template {
        category: "e-employment",
        name: "Клуб за предприемачи в селото",
        goal: "Млади хора да започнат собствен бизнес с помощта на онлайн ресурси.",
        groups: &["Младежи", "Местен бизнес"],
        activities: &[
            "Сбирки на клуба",
            "Среща с успешни предприемачи",
            "Бизнес план за един ден",
        ],
        social: "Младите хора виждат бъдеще в селището.",
        economic: "Новорегистрирани фирми.",
        indicator: "нови фирми",
    },
];

const FIRST_NAMES: &[&str] = &[
    "Мария",
    "Иванка",
    "Елена",
    "Йорданка",
    "Пенка",
    "Росица",
    "Даниела",
    "Светла",
    "Галина",
    "Цветелина",
    "Надежда",
    "Стефка",
    "Албена",
    "Валентина",
    "Десислава",
    "Снежана",
];
const LAST_NAMES: &[&str] = &[
    "Иванова",
    "Петрова",
    "Георгиева",
    "Димитрова",
    "Николова",
    "Стоянова",
    "Христова",
    "Тодорова",
    "Колева",
    "Атанасова",
    "Василева",
    "Маринова",
    "Ангелова",
    "Павлова",
];
const VOLUNTEER_NAMES: &[&str] = &[
    "Георги Петров",
    "Иван Стоянов",
    "Никола Димитров",
    "Петя Колева",
    "Калина Маринова",
    "Стефан Тодоров",
    "Виктория Ангелова",
    "Борис Христов",
];

/// The synthetic registry, a change set of at most [`BATCH`] libraries at a time.
pub struct Synthetic {
    total: usize,
    made: usize,
    rng: Rng,
    gazetteer: &'static Gazetteer,
    /// Settlements with at least 50 inhabitants and their cumulative weight.
    weighted: Vec<(&'static Settlement, u64)>,
    municipalities: HashSet<MunicipalityCode>,
    districts: HashSet<DistrictCode>,
}

impl Synthetic {
    /// `n` libraries from `seed`.
    pub fn new(n: usize, seed: u64) -> Self {
        let gazetteer = Gazetteer::get();
        let mut weighted = Vec::new();
        let mut sum = 0u64;
        for s in gazetteer.settlements() {
            let p = u64::from(s.population.unwrap_or(0));
            if p >= 50 {
                // Towns get more libraries than their size alone would give them.
                let town = if s.kind == SettlementKind::Town { 4 } else { 1 };
                sum += ((p as f64).sqrt() as u64 + 1) * town;
                weighted.push((s, sum));
            }
        }
        Synthetic {
            total: n,
            made: 0,
            rng: Rng(seed),
            gazetteer,
            weighted,
            municipalities: HashSet::new(),
            districts: HashSet::new(),
        }
    }

    /// The number of libraries it makes.
    pub fn total(&self) -> usize {
        self.total
    }

    fn settlement(&mut self, i: usize) -> &'static Settlement {
        let districts = self.gazetteer.districts();
        if let Some(d) = districts.get(i) {
            // The district centre; for a district whose centre lies outside it (Sofia's), its
            // largest settlement.
            let center = self
                .gazetteer
                .settlement(d.center.as_str())
                .filter(|s| s.district == d.code);
            let largest = || {
                self.gazetteer
                    .settlements()
                    .iter()
                    .filter(|s| s.district == d.code)
                    .max_by_key(|s| s.population.unwrap_or(0))
            };
            if let Some(s) = center.or_else(largest) {
                return s;
            }
        }
        let total = self.weighted.last().map_or(1, |w| w.1);
        let pick = self.rng.next_u64() % total;
        let at = self.weighted.partition_point(|(_, w)| *w <= pick);
        self.weighted[at.min(self.weighted.len() - 1)].0
    }

    /// The municipality's and the district's partners, the first time a library is there.
    fn partners(&mut self, s: &Settlement, out: &mut ChangeSet) {
        let g = self.gazetteer;
        if self.municipalities.insert(s.municipality.clone())
            && let Some(m) = g.municipality(s.municipality.as_str())
        {
            out.new_partners.push(partner(
                format!("Община {}", m.name_bg),
                "local-government",
                &m.center,
                "Осигурява помещения, реклама и връзка с кметствата.",
            ));
        }
        if self.districts.insert(s.district.clone())
            && let Some(d) = g.district(s.district.as_str())
        {
            out.new_partners.push(partner(
                format!("Регионална здравна инспекция – {}", d.name_bg),
                "health-inspectorate",
                &d.center,
                "Лектори и материали на здравни теми.",
            ));
            out.new_partners.push(partner(
                format!("Областна администрация {}", d.name_bg),
                "regional-administration",
                &d.center,
                "Подкрепя срещите на библиотеките в областта.",
            ));
        }
    }

    fn library(&mut self, i: usize, out: &mut ChangeSet) -> Option<Library> {
        let s = self.settlement(i);
        let id = LibraryId::new(FIRST_ID + i as u32).ok()?;
        let settlement = Ekatte::parse(s.ekatte.as_str()).ok()?;
        self.partners(s, out);
        let regional = i < self.gazetteer.districts().len();
        let (kind, chitalishte, name) = if regional {
            let d = self.gazetteer.district(s.district.as_str())?;
            (
                LibraryKind::Regional,
                None,
                format!("Регионална библиотека – {}", d.name_bg),
            )
        } else {
            let c = Chitalishte {
                name: (*self.rng.pick(CHITALISHTE_NAMES)).to_owned(),
                founded: Year::new(1860 + self.rng.below(100) as i32).ok(),
            };
            let name = Library::chitalishte_library_name(&c);
            (LibraryKind::Chitalishte, Some(c), name)
        };
        let library = Library {
            id,
            name,
            kind,
            chitalishte,
            settlement,
            coordinator: regional,
            contacts: Contacts {
                address: format!(
                    "{}, ул. „Читалищна“ {}",
                    s.label_bg(),
                    1 + self.rng.below(40)
                ),
                phone: format!(
                    "0{} {:06}",
                    700 + self.rng.below(200),
                    self.rng.below(1_000_000)
                ),
                ..Default::default()
            },
        };
        let librarian = format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        );
        out.new_persons.push(Person {
            name: librarian,
            position: "библиотекар".to_owned(),
            organisation: library.name.clone(),
            partner_id: None,
            library: Some(id),
            contacts: Default::default(),
        });
        let municipality = self
            .gazetteer
            .municipality(s.municipality.as_str())
            .map(|m| m.name_bg.clone())
            .unwrap_or_default();
        let count = 1 + self.rng.below(5);
        let mut used = Vec::new();
        for _ in 0..count {
            let t = self.rng.below(TEMPLATES.len());
            if used.contains(&t) {
                continue;
            }
            used.push(t);
            if let Some(service) = self.service(id, s, &municipality, &TEMPLATES[t]) {
                out.new_services.push(service);
            }
        }
        Some(library)
    }

    fn service(
        &mut self,
        library: LibraryId,
        s: &Settlement,
        municipality: &str,
        t: &Template,
    ) -> Option<Service> {
        let year_n = 2012 + self.rng.below(16) as i16;
        let year = Year::new(i32::from(year_n)).ok()?;
        let status = match (year_n, self.rng.below(10)) {
            (..2026, 0) => ServiceStatus::Dropped,
            (..2026, _) => ServiceStatus::Completed,
            (2026, 0) => ServiceStatus::Draft,
            (2026, 1..=3) => ServiceStatus::Planned,
            (2026, _) => ServiceStatus::Active,
            (_, 0..=2) => ServiceStatus::Draft,
            _ => ServiceStatus::Planned,
        };
        let currency = if year_n < 2026 {
            Currency::Bgn
        } else {
            Currency::Eur
        };
        let date = |month: i8, day: i8| jiff::civil::Date::new(year_n, month, day).ok();
        let activities = t
            .activities
            .iter()
            .enumerate()
            .map(|(k, title)| {
                let month = 2 + 3 * k as i8 + self.rng.below(2) as i8;
                Activity {
                    title: (*title).to_owned(),
                    starts: date(month, 1),
                    ends: date(month + 1, 28),
                }
            })
            .collect();
        let volunteer_supported = self.rng.below(3) > 0;
        let volunteers = if volunteer_supported {
            (0..1 + self.rng.below(3))
                .map(|_| Volunteer {
                    name: (*self.rng.pick(VOLUNTEER_NAMES)).to_owned(),
                    role: "помага в заниманията".to_owned(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let reached = 5 + self.rng.below(60);
        let results = if status == ServiceStatus::Completed {
            vec![ResultReport {
                date: date(12, 15)?,
                indicator: t.indicator.to_owned(),
                value: reached as f64,
                expected: Some((reached + self.rng.below(20)) as f64),
                note: String::new(),
            }]
        } else {
            Vec::new()
        };
        Some(Service {
            library,
            year,
            category: CategoryCode::parse(t.category).ok()?,
            status,
            volunteer_supported,
            volunteers,
            card: ServiceCard {
                name: t.name.to_owned(),
                goal: format!("{} За жителите на {}.", t.goal, s.label_bg()),
                target_groups: t.groups.iter().map(|g| (*g).to_owned()).collect(),
                partners: vec![
                    ServicePartner {
                        partner_id: None,
                        name: format!("Община {municipality}"),
                        role: "Осигурява помещение и реклама.".to_owned(),
                    },
                    ServicePartner {
                        partner_id: None,
                        name: format!("Кметство {}", s.name_bg),
                        role: "Разпространява информация сред жителите.".to_owned(),
                    },
                ],
                activities,
                budget: vec![
                    BudgetItem {
                        label: "Материали и консумативи".to_owned(),
                        amount: Money::new(100 * (50 + self.rng.below(400)) as i64, currency),
                        source: "читалището".to_owned(),
                    },
                    BudgetItem {
                        label: "Транспорт на лекторите".to_owned(),
                        amount: Money::new(100 * (20 + self.rng.below(200)) as i64, currency),
                        source: "общината".to_owned(),
                    },
                ],
                media: "Местният вестник, сайтът на читалището и страницата му в социалните мрежи."
                    .to_owned(),
                expected: ExpectedResults {
                    social: t.social.to_owned(),
                    economic: t.economic.to_owned(),
                    community: format!(
                        "Библиотеката в {} е място, където хората получават помощ.",
                        s.label_bg()
                    ),
                },
            },
            results,
        })
    }

    /// A regional meeting of the district's libraries, with the librarians of this batch there.
    fn meeting(&mut self, district: &DistrictCode, people: &[Person]) -> Option<Event> {
        let d = self.gazetteer.district(district.as_str())?;
        let year = 2012 + self.rng.below(14) as i16;
        let starts = jiff::civil::Date::new(year, 3 + self.rng.below(8) as i8, 10).ok()?;
        let participants: Vec<Participant> = people
            .iter()
            .take(12)
            .map(|p| Participant {
                name: p.name.clone(),
                position: p.position.clone(),
                organisation: p.organisation.clone(),
                role: ParticipantRole::Participant,
                attended: self.rng.below(5) > 0,
                ..Default::default()
            })
            .collect();
        let speaker = participants
            .first()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        Some(Event {
            title: format!("Регионална среща на библиотеките от област {}", d.name_bg),
            kind: EventKind::Meeting,
            starts,
            ends: starts,
            district: Some(district.clone()),
            settlement: Some(d.center.clone()),
            venue: format!("Регионална библиотека – {}", d.name_bg),
            organisers: vec![format!("Регионална библиотека – {}", d.name_bg)],
            purpose: "Представяне на иновативните услуги на библиотеките и планиране на новите."
                .to_owned(),
            expected_participants: Some(participants.len() as u32 + 5),
            reported_participants: None,
            agenda: vec![
                AgendaItem {
                    speaker: speaker.clone(),
                    topic: "Откриване и представяне на участниците".to_owned(),
                    ..Default::default()
                },
                AgendaItem {
                    speaker,
                    topic: "Добри практики от библиотеките в областта".to_owned(),
                    ..Default::default()
                },
                AgendaItem {
                    topic: "Работа по групи: услугите за следващата година".to_owned(),
                    ..Default::default()
                },
            ],
            participants,
            working_groups: Vec::new(),
            group_method: String::new(),
            published: true,
        })
    }
}

fn partner(name: String, kind: &str, center: &Ekatte, description: &str) -> Partner {
    Partner {
        short_name: String::new(),
        kind: CategoryCode::parse(kind).unwrap_or_else(|_| unreachable_kind()),
        settlement: Some(center.clone()),
        website: String::new(),
        description: description.to_owned(),
        name,
    }
}

/// The partner kinds named above are in the default taxonomy (a test checks that).
fn unreachable_kind() -> CategoryCode {
    CategoryCode::parse("other").unwrap_or_else(|_| unreachable!("'other' is a valid code"))
}

impl Iterator for Synthetic {
    type Item = ChangeSet;

    fn next(&mut self) -> Option<ChangeSet> {
        if self.made >= self.total {
            return None;
        }
        let mut out = ChangeSet::default();
        let end = (self.made + BATCH).min(self.total);
        let mut new_districts = Vec::new();
        for i in self.made..end {
            let known = self.districts.len();
            if let Some(lib) = self.library(i, &mut out) {
                if self.districts.len() > known
                    && let Some(p) = self.gazetteer.settlement(lib.settlement.as_str())
                {
                    new_districts.push(p.district.clone());
                }
                out.libraries.push(lib);
            }
        }
        self.made = end;
        for d in new_districts {
            let here: Vec<Person> = out
                .new_persons
                .iter()
                .filter(|p| {
                    p.library
                        .and_then(|l| out.libraries.iter().find(|x| x.id == l))
                        .and_then(|l| self.gazetteer.settlement(l.settlement.as_str()))
                        .is_some_and(|s| s.district == d)
                })
                .take(12)
                .cloned()
                .collect();
            if let Some(e) = self.meeting(&d, &here) {
                out.new_events.push(e);
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lipa_core::taxonomy::{default_categories, default_partner_kinds};

    #[test]
    fn the_same_seed_makes_the_same_registry_in_batches() {
        let a: Vec<ChangeSet> = Synthetic::new(2_500, 7).collect();
        let b: Vec<ChangeSet> = Synthetic::new(2_500, 7).collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 2, "two batches of at most {BATCH}");
        let c: Vec<ChangeSet> = Synthetic::new(2_500, 8).collect();
        assert_ne!(a, c, "another seed, another registry");
    }

    #[test]
    fn every_record_is_valid_and_every_district_has_its_coordinator() {
        let sets: Vec<ChangeSet> = Synthetic::new(3_000, 1).collect();
        let g = Gazetteer::get();
        let categories: HashSet<String> = default_categories()
            .into_iter()
            .map(|c| c.code.to_string())
            .collect();
        let kinds: HashSet<String> = default_partner_kinds()
            .into_iter()
            .map(|k| k.code.to_string())
            .collect();
        let mut coordinators = HashSet::new();
        let (mut libraries, mut services) = (0, 0);
        for set in &sets {
            for l in &set.libraries {
                l.validate().unwrap();
                if l.coordinator {
                    let s = g.settlement(l.settlement.as_str()).unwrap();
                    assert!(coordinators.insert(s.district.clone()), "one per district");
                }
            }
            for s in &set.new_services {
                s.validate().unwrap();
                assert!(categories.contains(s.category.as_str()));
                assert!((1..=8).all(|step| s.card.validate_step(step, false).is_empty()));
                let bgn = s
                    .card
                    .budget
                    .iter()
                    .all(|b| b.amount.currency == Currency::Bgn);
                assert_eq!(bgn, s.year.get() < 2026, "BGN before 2026, EUR after");
            }
            for p in &set.new_partners {
                p.validate().unwrap();
                assert!(kinds.contains(p.kind.as_str()), "{}", p.kind);
            }
            for p in &set.new_persons {
                p.validate().unwrap();
            }
            for e in &set.new_events {
                e.validate().unwrap();
                assert!(!e.participants.is_empty() && !e.agenda.is_empty());
            }
            libraries += set.libraries.len();
            services += set.new_services.len();
        }
        assert_eq!(libraries, 3_000);
        assert_eq!(coordinators.len(), g.districts().len());
        // 1–5 services each, some templates drawn twice: about three on average.
        let mean = services as f64 / libraries as f64;
        assert!((2.3..=3.3).contains(&mean), "{mean}");
        // Towns get more libraries than villages.
        let towns = sets
            .iter()
            .flat_map(|s| &s.libraries)
            .filter(|l| {
                g.settlement(l.settlement.as_str())
                    .is_some_and(|s| s.kind == SettlementKind::Town)
            })
            .count();
        assert!(towns > 3_000 / 3, "{towns}");
    }
}
