//! A synthetic network for the search evaluation: libraries in real settlements of the gazetteer
//! (two in every district centre, the rest drawn by population), each with services drawn from
//! templates that read like the programme's cards. The same seed gives the same network, so the
//! evaluation's expectations (`data/search/eval.toml`) can name what must be found by rule
//! (template, settlement) rather than by ID.

use lipa_core::changes::ChangeSet;
use lipa_core::geo::{Gazetteer, Settlement};
use lipa_core::ids::{CategoryCode, Ekatte, LibraryId, ServiceId, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::sample::{CHITALISHTE_NAMES, SplitMix64 as Rng};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};

/// A service template: what many libraries run under one name.
pub struct Template {
    /// Short handle the evaluation refers to.
    pub id: &'static str,
    pub category: &'static str,
    pub name: &'static str,
    pub goal: &'static str,
    pub groups: &'static [&'static str],
}

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "computer-literacy",
        category: "e-skills",
        name: "Обучение на възрастни хора в начална компютърна грамотност",
        goal: "Възрастните хора да ползват интернет, електронна поща и видеоразговори с близките си.",
        groups: &["Пенсионери"],
    },
    Template {
        id: "fruit-growers",
        category: "e-business",
        name: "Информационно-административни услуги за овощари",
        goal: "Овощарите да получават информация за субсидии, пазари и защита на насажденията.",
        groups: &["Овощари", "Земеделски производители"],
    },
    Template {
        id: "health-info",
        category: "e-health",
        name: "Предоставяне на информация на здравни теми",
        goal: "Информация за профилактика, записване при личен лекар и здравни права.",
        groups: &["Местна общност"],
    },
    Template {
        id: "job-search",
        category: "e-employment",
        name: "Търсене на работа по интернет",
        goal: "Безработните да намират обяви, да пишат автобиография и да кандидатстват онлайн.",
        groups: &["Безработни", "Младежи"],
    },
    Template {
        id: "e-government",
        category: "e-government",
        name: "Електронни административни услуги за гражданите",
        goal: "Подаване на заявления и плащане на местни данъци по електронен път.",
        groups: &["Местна общност"],
    },
    Template {
        id: "local-heritage",
        category: "e-culture",
        name: "Дигитализация на местното културно наследство",
        goal: "Снимки, спомени и документи за историята на селището в електронна колекция.",
        groups: &["Местна общност", "Туристи"],
    },
    Template {
        id: "school-choice",
        category: "e-education",
        name: "Помощ при избора на училище след седми клас",
        goal: "Учениците и родителите им да сравняват училища и да подават документи онлайн.",
        groups: &["Ученици", "Родители"],
    },
    Template {
        id: "blind-access",
        category: "e-inclusion",
        name: "Достъп до електронни услуги за незрящи граждани",
        goal: "Говорещ софтуер и обучение, за да ползват незрящите електронни услуги сами.",
        groups: &["Незрящи граждани"],
    },
    Template {
        id: "farmers",
        category: "e-business",
        name: "Консултации за земеделски стопани по европейски програми",
        goal: "Земеделските стопани да кандидатстват по програмите за развитие на селските райони.",
        groups: &["Земеделски производители"],
    },
    Template {
        id: "english-online",
        category: "e-education",
        name: "Онлайн обучение по английски език за деца",
        goal: "Децата да учат английски с образователни игри и видеоуроци в библиотеката.",
        groups: &["Деца"],
    },
    Template {
        id: "addiction-prevention",
        category: "e-health",
        name: "Превенция на зависимости сред младите хора",
        goal: "Беседи и онлайн материали за вредата от наркотици, тютюнопушене и алкохол.",
        groups: &["Младежи"],
    },
    Template {
        id: "reading-club",
        category: "e-culture",
        name: "Клуб за четене и детски блог",
        goal: "Децата пишат за прочетените книги в блога на читалището.",
        groups: &["Деца"],
    },
    Template {
        id: "social-aid",
        category: "e-government",
        name: "Подаване на документи за социални помощи",
        goal: "Хората в неравностойно положение да получат помощ без да пътуват до града.",
        groups: &["Хора в неравностойно положение"],
    },
    Template {
        id: "tourism",
        category: "e-culture",
        name: "Туристически информационен център в библиотеката",
        goal: "Информация за забележителностите, маршрутите и местата за настаняване в района.",
        groups: &["Туристи"],
    },
    Template {
        id: "disabled-training",
        category: "e-inclusion",
        name: "Обучение на хора с двигателни увреждания",
        goal: "Хората с увреждания да работят с компютър и да намират работа от разстояние.",
        groups: &["Хора с увреждания"],
    },
    Template {
        id: "beekeepers",
        category: "e-business",
        name: "Информационни услуги за пчелари",
        goal: "Пчеларите да следят пазара на мед и изискванията за подпомагане.",
        groups: &["Пчелари"],
    },
];

/// The first programme ID of the synthetic libraries (the demo's are below 10,000).
pub const FIRST_ID: u32 = 100_001;

/// A generated network: the records, and for each service its template.
pub struct Network {
    pub libraries: Vec<Library>,
    /// Services with the index of their template in [`TEMPLATES`].
    pub services: Vec<(Service, usize)>,
}

/// Makes `n` libraries with their services from `seed`.
pub fn network(n: usize, seed: u64) -> Network {
    let g = Gazetteer::get();
    let mut rng = Rng(seed);
    let mut settlements: Vec<&Settlement> = Vec::with_capacity(n);
    // Two libraries in every district centre, so that every district's main town is there.
    for d in g.districts() {
        if let Some(s) = g.settlement(d.center.as_str()) {
            settlements.push(s);
            settlements.push(s);
        }
    }
    // The rest by population: a town is more likely to have a library than a hamlet.
    let weighted: Vec<(&Settlement, u64)> = g
        .settlements()
        .iter()
        .filter_map(|s| {
            let p = u64::from(s.population.unwrap_or(0));
            (p >= 50).then(|| (s, (p as f64).sqrt() as u64 + 1))
        })
        .collect();
    let total: u64 = weighted.iter().map(|(_, w)| w).sum();
    while settlements.len() < n && total > 0 {
        let mut pick = rng.next_u64() % total;
        for (s, w) in &weighted {
            if pick < *w {
                settlements.push(s);
                break;
            }
            pick -= w;
        }
    }
    settlements.truncate(n);
    let mut libraries = Vec::with_capacity(n);
    let mut services = Vec::new();
    for (i, s) in settlements.into_iter().enumerate() {
        let Ok(id) = LibraryId::new(FIRST_ID + i as u32) else {
            continue;
        };
        let Ok(settlement) = Ekatte::parse(s.ekatte.as_str()) else {
            continue;
        };
        let chitalishte = Chitalishte {
            name: CHITALISHTE_NAMES[rng.below(CHITALISHTE_NAMES.len())].to_owned(),
            founded: Year::new(1860 + rng.below(100) as i32).ok(),
        };
        let library = Library {
            id,
            name: Library::chitalishte_library_name(&chitalishte),
            kind: LibraryKind::Chitalishte,
            chitalishte: Some(chitalishte),
            settlement,
            coordinator: false,
            contacts: Contacts {
                address: format!("{}, ул. „Читалищна“ {}", s.label_bg(), 1 + rng.below(40)),
                ..Default::default()
            },
        };
        let count = [0, 1, 1, 1, 2, 2, 3][rng.below(7)];
        let mut used = Vec::new();
        for _ in 0..count {
            let t = rng.below(TEMPLATES.len());
            if used.contains(&t) {
                continue;
            }
            used.push(t);
            let template = &TEMPLATES[t];
            let status = match rng.below(10) {
                0 => ServiceStatus::Draft,
                1..=4 => ServiceStatus::Planned,
                5..=8 => ServiceStatus::Active,
                _ => ServiceStatus::Completed,
            };
            let (Ok(category), Ok(year)) = (
                CategoryCode::parse(template.category),
                Year::new(2012 + rng.below(3) as i32),
            ) else {
                continue;
            };
            let service = Service {
                library: id,
                year,
                category,
                status,
                volunteer_supported: rng.below(2) == 0,
                volunteers: Vec::new(),
                card: ServiceCard {
                    name: template.name.to_owned(),
                    goal: format!("{} За жителите на {}.", template.goal, s.label_bg()),
                    target_groups: template.groups.iter().map(|g| (*g).to_owned()).collect(),
                    ..Default::default()
                },
                results: Vec::new(),
            };
            services.push((service, t));
        }
        libraries.push(library);
    }
    Network {
        libraries,
        services,
    }
}

impl Network {
    /// The records as one change set for `Store::apply`.
    pub fn changes(&self) -> ChangeSet {
        ChangeSet {
            libraries: self.libraries.clone(),
            new_services: self.services.iter().map(|(s, _)| s.clone()).collect(),
            ..Default::default()
        }
    }
}

/// A generated network as stored: service record IDs in the order of [`Network::services`].
pub struct StoredNetwork {
    pub network: Network,
    pub service_ids: Vec<ServiceId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_network() {
        let a = network(300, 7);
        let b = network(300, 7);
        assert_eq!(a.libraries, b.libraries);
        assert_eq!(a.services.len(), b.services.len());
        assert_eq!(a.libraries.len(), 300);
        // Every district centre has its two libraries.
        let g = Gazetteer::get();
        for d in g.districts() {
            let here = a
                .libraries
                .iter()
                .filter(|l| l.settlement.as_str() == d.center.as_str())
                .count();
            assert!(here >= 2, "{}", d.name_bg);
        }
        for l in &a.libraries {
            l.validate().unwrap();
        }
        for (s, _) in &a.services {
            s.validate().unwrap();
        }
    }
}
