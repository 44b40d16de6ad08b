//! The seeded demo world's teams: a franchise billing account (a master team with Connect
//! and 8–12 branches, or `--teams N` uneven ones with a closed and an empty branch) and a
//! second billing account the demo keys cannot reach. Each team's 18 months of documents
//! come from `history.rs`. Deterministic for a given seed and anchor time.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::model::*;
use super::names::*;
use super::store::{Store, TeamData};

pub struct WorldConfig {
    pub seed: u64,
    /// About this many invoices in total (income and egress).
    pub scale: usize,
    /// "Now" for the world: history runs 18 months back from here (epoch seconds).
    pub anchor: i64,
    /// Teams of the franchise account, master included (`--teams`); `None`: 9 to 13.
    pub teams: Option<usize>,
}

struct TeamSpec {
    name: String,
    legal: String,
    billing: &'static str,
    connect: bool,
    active: bool,
    weight: u32,
    city: (&'static str, &'static str, &'static str, &'static str),
}

pub fn build(cfg: &WorldConfig) -> Store {
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut cities: Vec<_> = CITIES.to_vec();
    cities.shuffle(&mut rng);
    // At operator scale (`--teams N`) the branches are uneven, as real franchises are: a
    // few big ones and a long tail (weights fall as 1/rank), one closed branch and one
    // with no data at all.
    let scaled = cfg.teams.map(|n| n.clamp(2, 500));
    // `--teams N` counts what the key lists: the master, the branches and the empty one
    // (the closed branch is not listed).
    let branches = match scaled {
        Some(n) => n.saturating_sub(2).max(1),
        None => 8 + (cfg.seed % 5) as usize,
    };

    let mut specs = vec![TeamSpec {
        name: "Grupo Doña Lupe".into(),
        legal: "Grupo Doña Lupe S.A. de C.V.".into(),
        billing: "ba_donalupe",
        connect: true,
        active: true,
        weight: 2,
        city: CITIES[1],
    }];
    for i in 0..branches {
        let city = cities[i % cities.len()];
        // Past the list of cities, branches are numbered: «Doña Lupe Centro 2».
        let round = i / cities.len();
        let place = if round == 0 {
            city.0.to_string()
        } else {
            format!("{} {}", city.0, round + 1)
        };
        specs.push(TeamSpec {
            name: format!("Doña Lupe {place}"),
            legal: format!("Tacos Doña Lupe {place} S. de R.L. de C.V."),
            billing: "ba_donalupe",
            connect: false,
            active: true,
            weight: match scaled {
                Some(_) => (120 / (i as u32 + 1)).max(1),
                None => 3,
            },
            city,
        });
    }
    if scaled.is_some() {
        specs.push(TeamSpec {
            name: "Doña Lupe Mérida Norte (nueva)".into(),
            legal: "Tacos Doña Lupe Mérida Norte S. de R.L. de C.V.".into(),
            billing: "ba_donalupe",
            connect: false,
            active: true,
            weight: 0,
            city: ("Altabrisa", "Mérida", "Yucatán", "97130"),
        });
    }
    specs.push(TeamSpec {
        name: "Doña Lupe Acapulco (cerrada)".into(),
        legal: "Tacos Doña Lupe Acapulco S. de R.L. de C.V.".into(),
        billing: "ba_donalupe",
        connect: false,
        active: false,
        weight: 1,
        city: ("Costera", "Acapulco", "Guerrero", "39850"),
    });
    specs.push(TeamSpec {
        name: "Ferretería Núñez Hermanos".into(),
        legal: "Ferretería Núñez Hermanos S.A. de C.V.".into(),
        billing: "ba_nunez",
        connect: true,
        active: true,
        weight: 1,
        city: ("Centro", "Saltillo", "Coahuila", "25000"),
    });
    specs.push(TeamSpec {
        name: "Ferretería Núñez Monclova".into(),
        legal: "Ferretería Núñez Monclova S.A. de C.V.".into(),
        billing: "ba_nunez",
        connect: false,
        active: true,
        weight: 1,
        city: ("Centro", "Monclova", "Coahuila", "25700"),
    });

    let total_weight: u32 = specs.iter().map(|s| s.weight).sum();
    let start = cfg.anchor - 548 * 86_400;
    let mut store = Store::new();
    let mut jobs: Vec<(SbTeam, usize, u64, bool)> = Vec::new();

    for (k, spec) in specs.iter().enumerate() {
        let id = format!("team_{}", alnum(&mut rng, 14));
        // What decides whether a branch can invoice, spread without a draw of its own (the
        // rest of the world stays as it was): one CSD in eight expired, one due within 30
        // days (at 5 and at 21 days), the rest valid for a year or more; the stamping credits of the
        // team, one in eight at 0 and one nearly out.
        const CSD_DAYS: [i64; 8] = [400, 900, -12, 21, 610, 1_200, 5, 730];
        const CREDITS: [i64; 8] = [5_000, 1_200, 850, 40, 8_000, 0, 15_000, 300];
        let csd_expires_at = cfg.anchor + CSD_DAYS[k % 8] * 86_400;
        let team = SbTeam {
            id: id.clone(),
            name: spec.name.clone(),
            legal_name: spec.legal.clone(),
            tax_id: rfc(&mut rng, false),
            tax_system: "601".into(),
            brand: SbBrand {
                alias: spec.name.clone(),
                primary_color: "#B4302B".into(),
                secondary_color: "#F2C14E".into(),
            },
            address: SbAddress {
                country: "MEX".into(),
                street: format!("Av. Juárez {}", rng.random_range(10..900)),
                zip: spec.city.3.into(),
                city: spec.city.1.into(),
                state: spec.city.2.into(),
            },
            support_email: format!("soporte@{}.mx", ascii_slug(&spec.name).replace('.', "")),
            sat: Shaped::new(SbSat {
                completed: true,
                csd_expires_at: Some(csd_expires_at),
                connected_at: Some(csd_expires_at - 4 * 365 * 86_400),
            }),
            billing: Shaped::new(SbBilling {
                credits: CREDITS[k % 8],
            }),
            created_at: start - rng.random_range(86_400..400 * 86_400),
            billing_account: spec.billing.into(),
            connect: spec.connect,
            active: spec.active,
            // One branch in sixteen whose payment integration was disconnected.
            stripe_connected: k % 16 != 7,
        };
        let invoices = if spec.weight == 0 {
            0
        } else {
            ((cfg.scale as u64 * spec.weight as u64) / total_weight as u64).max(12) as usize
        };
        if scaled.is_some() {
            // Operator scale: each team's history from a seed of its own, built on every
            // core at once below (a million invoices in seconds, still deterministic).
            let team_seed: u64 = rng.random();
            jobs.push((team, invoices, team_seed, spec.weight == 0));
            continue;
        }
        let data = if spec.weight == 0 {
            TeamData::default()
        } else {
            super::history::build_team(&mut rng, &team, invoices, start, cfg.anchor)
        };
        store.add_team(team, data);
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = jobs.len().div_ceil(cores).max(1);
    let built: Vec<(SbTeam, TeamData)> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(team, invoices, seed, empty)| {
                            let data = if *empty {
                                TeamData::default()
                            } else {
                                let mut rng = StdRng::seed_from_u64(*seed);
                                super::history::build_team(
                                    &mut rng, team, *invoices, start, cfg.anchor,
                                )
                            };
                            (team.clone(), data)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for (team, data) in built {
        store.add_team(team, data);
    }
    store
}
