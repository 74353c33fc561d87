//! How the registry's lists scale: loads N synthetic libraries (real settlements of the
//! gazetteer, about 2.5 services each) into a fresh SQLite file and prints the median time of
//! each list, facet and count query over 7 runs.
//!
//! `cargo run --release -p lipa-store --example bench_lists -- 100000`

use lipa_core::audit::Actor;
use lipa_core::changes::ChangeSet;
use lipa_core::geo::Gazetteer;
use lipa_core::ids::{CategoryCode, DistrictCode, LibraryId, MunicipalityCode, Year};
use lipa_core::library::{Chitalishte, Contacts, Library, LibraryKind};
use lipa_core::service::{Service, ServiceCard, ServiceStatus};
use lipa_store::{LibraryFilter, Store};
use std::time::{Duration, Instant};

const CATEGORIES: [&str; 7] = [
    "e-health",
    "e-employment",
    "e-culture",
    "e-business",
    "e-education",
    "e-inclusion",
    "e-skills",
];
const GROUPS: [&str; 8] = [
    "Деца",
    "Ученици",
    "Младежи",
    "Пенсионери",
    "Местна общност",
    "Хора с увреждания",
    "Овощари",
    "Родители",
];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let store = Store::open_sqlite(&dir.path().join("bench.db")).await?;
    let settlements = Gazetteer::get().settlements();
    let actor = Actor("bench".into());
    let t0 = Instant::now();
    let chunk = 5_000;
    let mut id = 1u32;
    while id <= n {
        let mut cs = ChangeSet::default();
        for i in id..(id + chunk).min(n + 1) {
            let s = &settlements[(i as usize * 7919) % settlements.len()];
            cs.libraries.push(Library {
                id: LibraryId::new(i)?,
                name: format!("Библиотека при НЧ „Пробуда {i}“"),
                kind: LibraryKind::Chitalishte,
                chitalishte: Some(Chitalishte {
                    name: format!("Пробуда {i}"),
                    founded: Some(Year::new(1860 + (i % 150) as i32)?),
                }),
                settlement: s.ekatte.clone(),
                coordinator: false,
                contacts: Contacts::default(),
            });
            for k in 0..(i % 5) {
                let c = CATEGORIES[((i + k) % 7) as usize];
                cs.new_services.push(Service {
                    library: LibraryId::new(i)?,
                    year: Year::new(2012 + (k % 3) as i32)?,
                    category: CategoryCode::parse(c)?,
                    status: if (i + k) % 11 == 0 {
                        ServiceStatus::Draft
                    } else {
                        ServiceStatus::Planned
                    },
                    volunteer_supported: (i + k) % 2 == 0,
                    volunteers: vec![],
                    card: ServiceCard {
                        name: format!("Услуга {k} на библиотека {i}"),
                        target_groups: vec![GROUPS[((i * 3 + k) % 8) as usize].into()],
                        ..Default::default()
                    },
                    results: vec![],
                });
            }
        }
        store.apply(&actor, "bench", &cs).await?;
        id += chunk;
    }
    let counts = store.counts().await?;
    println!(
        "loaded {} libraries and {} published services in {:.1} s",
        counts.libraries,
        counts.services,
        t0.elapsed().as_secs_f64()
    );
    let cases: Vec<(&str, LibraryFilter)> = vec![
        ("all libraries, page 1", LibraryFilter::default()),
        (
            "district SOF",
            LibraryFilter {
                district: Some(DistrictCode::parse("SOF")?),
                ..Default::default()
            },
        ),
        (
            "municipality KNL29 + e-health",
            LibraryFilter {
                municipality: Some(MunicipalityCode::parse("KNL29")?),
                category: Some(CategoryCode::parse("e-health")?),
                ..Default::default()
            },
        ),
        (
            "category e-skills",
            LibraryFilter {
                category: Some(CategoryCode::parse("e-skills")?),
                ..Default::default()
            },
        ),
        (
            "target group Овощари",
            LibraryFilter {
                target_group: Some("Овощари".into()),
                ..Default::default()
            },
        ),
        (
            "without a service",
            LibraryFilter {
                has_service: Some(false),
                ..Default::default()
            },
        ),
    ];
    println!(
        "{:<32} {:>12} {:>12} {:>10}",
        "filter", "page+count", "facets", "matches"
    );
    for (name, f) in cases {
        let mut list_times = Vec::new();
        let mut facet_times = Vec::new();
        let mut total = 0;
        for _ in 0..7 {
            let t = Instant::now();
            total = store.list_libraries(&f).await?.1;
            list_times.push(t.elapsed());
            let t = Instant::now();
            store.library_facets(&f).await?;
            facet_times.push(t.elapsed());
        }
        println!(
            "{:<32} {:>9.1} ms {:>9.1} ms {:>10}",
            name,
            median(list_times).as_secs_f64() * 1e3,
            median(facet_times).as_secs_f64() * 1e3,
            total
        );
    }
    let mut t = Vec::new();
    for _ in 0..7 {
        let s = Instant::now();
        store.counts().await?;
        t.push(s.elapsed());
    }
    println!(
        "{:<32} {:>9.1} ms",
        "home page counts",
        median(t).as_secs_f64() * 1e3
    );
    Ok(())
}
