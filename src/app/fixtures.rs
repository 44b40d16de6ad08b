//! Deterministic teams and rows for tests, snapshots and benchmarks (built through the API
//! models, so they exercise the same conversions as live data).

use crate::app::state::Asking;
use std::sync::Arc;

use serde_json::json;

use crate::api::{ApiError, Client, Invoice, Payment, Team, TeamId};
use crate::app::Dataset;
use crate::app::Msg;
use crate::app::Rows;
use crate::app::State;
use crate::app::Update;
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow, Row};
use crate::app::update;
use crate::i18n::Lang;

/// 2026-11-24 13:33 in Mexico City.
pub const NOW: i64 = 1_795_548_800;

const NAMES: &[&str] = &[
    "Distribuidora Peñasco",
    "José Ángel Núñez Ibáñez",
    "Eventos Río Bravo",
    "Público en General",
    "Comercializadora Olmeca",
    "Renata Muñoz Castañeda",
    "Hotelería del Bajío",
];

pub fn team_id(tag: &str) -> TeamId {
    TeamId::new(format!("team_{tag}"))
}

pub fn teams() -> Vec<Team> {
    [
        ("master", "Grupo Doña Lupe", "GDL850101AB1"),
        ("coyoacan", "Doña Lupe Coyoacán", "DLC900202CD2"),
        ("juriquilla", "Doña Lupe Juriquilla", "DLJ910303EF3"),
    ]
    .iter()
    .map(|(tag, name, rfc)| {
        serde_json::from_value(json!({"id": format!("team_{tag}"), "name": name, "tax_id": rfc}))
            .expect("fixture team")
    })
    .collect()
}

pub fn invoices(tag: &str, n: usize) -> Vec<InvoiceRow> {
    invoices_in(tag, n, Lang::En)
}

pub fn invoices_in(tag: &str, n: usize, lang: Lang) -> Vec<InvoiceRow> {
    (0..n)
        .map(|i| {
            let ppd = i % 5 == 4;
            let usd = i % 11 == 10;
            let total = format!("{}.{:02}", 1000 + (i * 7919) % 250_000, (i * 37) % 100);
            let status = if i % 13 == 12 { "canceled" } else { "valid" };
            let cancel = if i % 17 == 16 { json!("pending") } else { json!(null) };
            let v = json!({
                "uuid": format!("{:08x}-{:04x}-4000-8000-{:012x}", i * 2654435761usize % 0xffff_ffff, tag.bytes().map(|b| b as usize).sum::<usize>() % 0xffff, i),
                "client": {"id": format!("client_{tag}_{}", i % 7), "name": NAMES[i % NAMES.len()], "tax_id": if i % 7 == 3 { "XAXX010101000".to_string() } else { format!("PEGJ8001{:02}AB{}", i % 7, i % 7) }},
                "status": status,
                "cancellation_status": cancel,
                "invoice_type": "I",
                "currency": if usd { "USD" } else { "MXN" },
                "exchange_rate": if usd { json!(18.25) } else { json!(1) },
                "total": total,
                "series": if ppd { "B" } else { "A" },
                "folio_number": 1000 + n - i,
                "payment_method": if ppd { "PPD" } else { "PUE" },
                "payment_form": if ppd { "99" } else { "03" },
                "last_balance": if ppd { json!(500) } else { json!(null) },
                "created_at": NOW - (i as i64) * 7 * 3600,
            });
            let inv: Invoice = serde_json::from_value(v).expect("fixture invoice");
            InvoiceRow::from_api(&inv, lang)
        })
        .collect()
}

pub fn payments(tag: &str, n: usize) -> Vec<PaymentRow> {
    payments_in(tag, n, Lang::En)
}

pub fn payments_in(tag: &str, n: usize, lang: Lang) -> Vec<PaymentRow> {
    const STATUSES: &[&str] = &[
        "succeeded",
        "pending",
        "requires_payment_method",
        "failed",
        "canceled",
        "refunded",
        "processing",
    ];
    (0..n)
        .map(|i| {
            let status = STATUSES[i % STATUSES.len()];
            let created = NOW - (i as i64) * 5 * 3600;
            let v = json!({
                "id": format!("payment_{tag}_{i:05}"),
                "status": status,
                "client": {"id": format!("client_{tag}_{}", i % 7), "name": NAMES[(i + 3) % NAMES.len()]},
                "currency": "MXN",
                "total": format!("{}.50", 200 + (i * 104_729) % 90_000),
                "payment_form": if status == "succeeded" { "03" } else { "99" },
                "invoices": [],
                "created_at": created,
                "succeeded_at": if status == "succeeded" || status == "refunded" { json!(created + 60) } else { json!(null) },
            });
            let p: Payment = serde_json::from_value(v).expect("fixture payment");
            PaymentRow::from_api(&p, lang)
        })
        .collect()
}

pub fn clients(tag: &str, n: usize) -> Vec<ClientRow> {
    clients_in(tag, n, Lang::En)
}

pub fn clients_in(tag: &str, n: usize, lang: Lang) -> Vec<ClientRow> {
    (0..n)
        .map(|i| {
            let v = json!({
                "id": format!("client_{tag}_{i}"),
                "name": NAMES[i % NAMES.len()],
                "tax_id": format!("AAA{:06}X{:02}", 800101 + i, i % 100),
                "email": format!("contacto{i}@ejemplo.mx"),
                "tax_system": if i % 2 == 0 { "601" } else { "612" },
                "created_at": NOW - (i as i64) * 86_400,
            });
            let c: Client = serde_json::from_value(v).expect("fixture client");
            ClientRow::from_api(&c, lang)
        })
        .collect()
}

/// Delivers a complete dataset for `team` at the current generation.
pub fn deliver(state: &mut State, team: &TeamId, rows: Rows) {
    let generation = state.asked.current(Asking::Team);
    update(
        state,
        Msg::Worker(Box::new(Update::Page {
            team: team.clone(),
            generation,
            rows,
            first: true,
            done: true,
            total: None,
            now: NOW,
            cached_age: None,
        })),
    );
}

/// The current team's `dataset` load fails with the error `error` builds for that team.
pub fn fail_load(state: &mut State, dataset: Dataset, error: impl FnOnce(TeamId) -> ApiError) {
    let team = state.current.clone().expect("a current team");
    let generation = state.asked.current(Asking::Team);
    update(
        state,
        Msg::Worker(Box::new(Update::LoadFailed {
            team: team.clone(),
            generation,
            dataset,
            error: error(team),
        })),
    );
}

/// A state just connected, in `lang`, on the sandbox key of `own_team`; nothing loaded.
pub fn connected_state(size: (u16, u16), lang: Lang, own_team: &str) -> State {
    let mut s = State::new(size);
    s.lang = lang;
    s.writes.session = "test".into();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Connected {
            own_team: Some(team_id(own_team)),
            live: false,
            demo: true,
            base_url: "http://127.0.0.1:9/v2".into(),
        })),
    );
    s
}

/// A connected state on the master team with `n` rows in every table.
pub fn loaded_state(size: (u16, u16), n: usize) -> State {
    loaded_state_in(size, n, Lang::En)
}

/// `loaded_state` read in `lang`.
pub fn loaded_state_in(size: (u16, u16), n: usize, lang: Lang) -> State {
    let mut s = connected_state(size, lang, "master");
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams())))));
    let team = team_id("master");
    deliver(
        &mut s,
        &team,
        Rows::Clients(Arc::new(clients_in("master", n.min(500), lang))),
    );
    deliver(
        &mut s,
        &team,
        Rows::Invoices(Arc::new(invoices_in("master", n, lang))),
    );
    deliver(
        &mut s,
        &team,
        Rows::Payments(Arc::new(payments_in("master", n, lang))),
    );
    // More than one team opens the Group tab first; these fixtures show a team's tabs.
    s.group.open = false;
    s.status = None;
    s
}

/// A PPD income invoice: `total`, what it still owes, and how many complements it has.
pub fn ppd_invoice(
    uuid: &str,
    total: &str,
    balance: &str,
    complements: u32,
    status: &str,
    lang: Lang,
) -> InvoiceRow {
    let i: Invoice = serde_json::from_value(json!({
        "uuid": uuid, "status": status, "invoice_type": "I", "payment_method": "PPD",
        "currency": "MXN", "total": total, "last_balance": balance,
        "payment_complements": complements, "series": "B", "folio_number": 7,
        "client": {"name": "Abarrotes Olmeca"}, "created_at": NOW - 90 * 86_400,
    }))
    .unwrap_or_default();
    InvoiceRow::from_api(&i, lang)
}

/// A payment of `amount` on `invoice`, paid (or not, by `status`) at `at`.
pub fn ppd_payment(
    id: &str,
    invoice: &str,
    amount: &str,
    at: i64,
    status: &str,
    lang: Lang,
) -> PaymentRow {
    let p: Payment = serde_json::from_value(json!({
        "id": id, "status": status, "currency": "MXN", "total": amount,
        "invoices": [invoice], "created_at": at, "succeeded_at": at,
    }))
    .unwrap_or_default();
    PaymentRow::from_api(&p, lang)
}

/// `loaded_state_in` whose team has PPD invoices with complements owed: two overdue
/// (October's, past November 5), one due December 5, one covered.
pub fn complements_state(size: (u16, u16), lang: Lang) -> State {
    let mut s = loaded_state_in(size, 10, lang);
    let team = team_id("master");
    let day = 86_400;
    let invoices = vec![
        ppd_invoice("inv-a", "12000", "8000", 1, "valid", lang),
        ppd_invoice("inv-b", "5800", "5800", 0, "valid", lang),
        ppd_invoice("inv-c", "2320", "0", 2, "valid", lang),
    ];
    let payments = vec![
        ppd_payment("pay_a1", "inv-a", "4000", NOW - 60 * day, "succeeded", lang),
        ppd_payment("pay_a2", "inv-a", "3000", NOW - 40 * day, "succeeded", lang),
        ppd_payment("pay_a3", "inv-a", "2500", NOW - 5 * day, "succeeded", lang),
        ppd_payment(
            "pay_b1",
            "inv-b",
            "1450.50",
            NOW - 35 * day,
            "succeeded",
            lang,
        ),
        ppd_payment("pay_c1", "inv-c", "2320", NOW - 50 * day, "succeeded", lang),
    ];
    deliver(&mut s, &team, Rows::Invoices(Arc::new(invoices)));
    deliver(&mut s, &team, Rows::Payments(Arc::new(payments)));
    s
}

fn fiscal_check(
    id: &str,
    name: &str,
    result: Result<crate::api::FiscalCheck, String>,
) -> crate::app::data::fiscal::ClientCheck {
    crate::app::data::fiscal::ClientCheck {
        id: id.into(),
        name: name.into(),
        rfc: "XAXX010101000".into(),
        result,
    }
}

/// `loaded_state_in` after `:validate` answered: four clients, one valid, two failing
/// (postal code and regime; RFC and EFOS), one answer of another shape.
pub fn fiscal_checked_state(size: (u16, u16), lang: Lang) -> State {
    let mut s = loaded_state_in(size, 20, lang);
    let team = s.current.clone().unwrap();
    for c in ":validate".chars() {
        update(
            &mut s,
            Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            )),
        );
    }
    let reqs = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Enter,
        )),
    );
    let Some(super::Request::Validate { generation, teams }) = reqs.first().cloned() else {
        return s;
    };
    let _ = teams;
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Validating {
            generation,
            done: 2,
            of: 4,
        })),
    );
    // The first four clients of the team: one valid, two failing, one unreadable answer.
    let ids: Vec<(String, String)> = s
        .views
        .get(&team)
        .map(|v| {
            v.clients
                .rows
                .iter()
                .take(4)
                .map(|r| (r.id().to_string(), r.name().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let answers = [
        Ok(crate::api::FiscalCheck::Valid),
        Ok(crate::api::FiscalCheck::Invalid(vec![
            "zip".into(),
            "tax_system".into(),
        ])),
        Ok(crate::api::FiscalCheck::Unknown),
        Ok(crate::api::FiscalCheck::Invalid(vec![
            "tax_id".into(),
            "efos".into(),
        ])),
    ];
    let result = crate::app::data::fiscal::TeamCheck {
        at: NOW,
        clients: ids
            .iter()
            .zip(answers)
            .map(|((id, name), r)| fiscal_check(id, name, r))
            .collect(),
    };
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Validated {
            generation,
            team,
            result: Ok(result),
        })),
    );
    s
}

/// `n` receipts of team `tag`: pending ones expiring at different times (one already
/// past its date), invoiced, expired into the global invoice, cancelled.
pub fn receipts_in(tag: &str, n: usize, lang: Lang) -> Vec<crate::app::data::receipts::ReceiptRow> {
    let statuses = [
        "pending",
        "pending",
        "invoiced",
        "expired",
        "pending",
        "cancelled",
    ];
    (0..n)
        .map(|i| {
            let status = statuses[i % statuses.len()];
            // Pending ones expire in 3 days, in 5 hours, or went 2 days ago.
            let valid_until = match i % 4 {
                1 => NOW + 5 * 3_600 + 60,
                2 => NOW - 2 * 86_400 - 60,
                _ => NOW + 3 * 86_400 + 60,
            };
            let r: crate::api::Receipt = serde_json::from_value(json!({
                "id": format!("receipt_{tag}_{i}"),
                "status": status,
                "client": {"id": format!("client_{tag}_{}", i % 7), "name": NAMES[i % NAMES.len()]},
                "total": format!("{}.50", 100 + i * 37),
                "currency": "MXN",
                "created": NOW - (i as i64) * 3_600,
                "validUntil": valid_until,
                "url": format!("https://invoicing.gigstack.pro/autofactura?id=receipt_{tag}_{i}"),
            }))
            .unwrap_or_default();
            crate::app::data::receipts::ReceiptRow::from_api(&r, lang, NOW)
        })
        .collect()
}

/// The places the branch fixtures are named after (the Group tab's use the first 8).
pub const PLACES: [&str; 16] = [
    "Matriz",
    "Centro",
    "Polanco",
    "Coyoacán",
    "Satélite",
    "Peñasco",
    "Tlalpan",
    "Ñuñoa",
    "Roma",
    "Condesa",
    "Del Valle",
    "Narvarte",
    "Juriquilla",
    "Cholula",
    "Tepic",
    "Mérida",
];

/// 2025-11-24 13:05 in Mexico City: the moment the branch fixtures are read at.
pub const BRANCHES_NOW: i64 = 1_764_011_100;

/// Branch `i` of a franchise as the sandbox's world has it: one CSD in eight expired, two
/// due within 30 days, credits from plenty to none, series `A` (and `B` on some), the
/// owner an admin everywhere plus the branch's own staff, Stripe disconnected on one.
pub fn branch_config(i: usize) -> crate::api::TeamConfig {
    use serde_json::json;
    const CSD_DAYS: [i64; 8] = [400, 900, -12, 21, 610, 1_200, 5, 730];
    const CREDITS: [i64; 8] = [5_000, 1_200, 850, 40, 8_000, 0, 15_000, 300];
    let id = format!("team_b{i:02}");
    let place = match i / PLACES.len() {
        0 => PLACES[i].to_string(),
        n => format!("{} {}", PLACES[i % PLACES.len()], n + 1),
    };
    let team = json!({
        "id": id,
        "legal_name": format!("Doña Lupe {place} SA de CV"),
        "brand": {"alias": format!("Doña Lupe {place}")},
        "tax_id": crate::app::form::rfc::with_check_digit(&format!(
            "DLU010101{}{}",
            (b'A' + (i / 26) as u8) as char,
            (b'A' + (i % 26) as u8) as char
        )),
        "tax_system": "601",
        "address": {"country": "MEX", "zip": format!("0{}100", i % 10)},
        "sat": {"completed": true, "csd_expires_at": BRANCHES_NOW + CSD_DAYS[i % 8] * 86_400 - 3_600},
        "billing": {"credits": CREDITS[i % 8]},
    });
    let mut series = vec![json!({"series": "A", "live": 0, "test": 100 + i})];
    if i.is_multiple_of(3) {
        series.push(json!({"series": "B", "live": 0, "test": 3}));
    }
    let members = json!([
        {"id": "user_owner", "email": "dueno@donalupe.mx", "role": "admin"},
        {"id": format!("user_m{i:02}"), "email": format!("gerente{i:02}@donalupe.mx"), "role": "member"},
        {"id": format!("user_v{i:02}"), "email": format!("caja{i:02}@donalupe.mx"), "role": "viewer"},
    ]);
    let settings = json!({
        "product_key": "81112209", "unit_key": "E48", "use": "G03",
        "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "withholding": false}],
        "automate_complement_for_ppd_invoices": true,
    });
    let integrations = json!({
        "sat": {"completed": true, "provider": "facturapi", "hasCertificate": true},
        "stripe": {"completed": i % 16 != 7, "hasKeys": i % 16 != 7},
    });
    crate::api::TeamConfig {
        id: TeamId(id),
        team,
        settings: Ok(settings),
        series: Ok(json!(series)),
        members: Ok(members),
        integrations: Ok(integrations),
    }
}

/// A key reaching `n` branches, on the Branches tab with `loaded` of them read (each as
/// `branch_config`, `tweak` applied first).
pub fn branches_state(
    size: (u16, u16),
    lang: Lang,
    n: usize,
    loaded: usize,
    tweak: impl Fn(usize, &mut crate::api::TeamConfig),
) -> State {
    let mut s = connected_state(size, lang, "b00");
    let teams: Vec<Team> = (0..n)
        .map(|i| {
            let c = branch_config(i);
            serde_json::from_value(c.team).unwrap()
        })
        .collect();
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams)))));
    // Leave the Group tab the list opened: the branches alone.
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('6'),
        )),
    );
    let generation = s.asked.current(crate::app::state::Asking::Branches);
    for i in 0..loaded {
        let mut c = branch_config(i);
        tweak(i, &mut c);
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Branch {
                generation,
                config: Box::new(c),
                now: BRANCHES_NOW,
            })),
        );
    }
    s.status = None;
    s
}
