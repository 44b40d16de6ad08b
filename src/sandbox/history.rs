//! One team's history in the demo world: 18 months of clients, services, PUE/PPD invoices
//! with their cancellations and credit notes, payments in every status with refunds, and
//! receipts and users. Deterministic for a given random generator. The world's teams are
//! `world.rs`'s.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rust_decimal::Decimal;

use super::model::*;
use super::names::*;
use super::store::TeamData;

pub(super) fn build_team(
    rng: &mut StdRng,
    team: &SbTeam,
    n_invoices: usize,
    start: i64,
    now: i64,
) -> TeamData {
    let owner = format!("user_{}", alnum(rng, 20));
    let mut d = TeamData::default();
    let ts = |rng: &mut StdRng| rng.random_range(start..now - 3600);

    // Services.
    for (i, s) in SERVICES.iter().enumerate() {
        d.services.push(SbService {
            id: format!("service_{}", alnum(rng, 14)),
            description: s.0.into(),
            sku: format!("DL-{:03}", i + 1),
            product_key: s.1.into(),
            unit_key: s.2.into(),
            unit_name: s.3.into(),
            unit_price: Money(money(s.4)),
            taxes: vec![SbTax::iva16()],
            taxability: "02".into(),
            team: team.id.clone(),
            created_at: start - 86_400 * (i as i64 + 1),
        });
    }

    // Clients: companies, people, and the two generic RFCs.
    let n_clients = (n_invoices / 25).clamp(12, 4000);
    for i in 0..n_clients {
        let (name, legal, tax_id, regime, person) = match i {
            0 => (
                "Público en General".to_string(),
                "PUBLICO EN GENERAL".to_string(),
                "XAXX010101000".to_string(),
                "616",
                true,
            ),
            1 => (
                "Turismo Extranjero (Texas)".to_string(),
                "Lone Star Catering LLC".to_string(),
                "XEXX010101000".to_string(),
                "616",
                false,
            ),
            _ if rng.random_bool(0.45) => {
                let n = format!(
                    "{} {} {}",
                    FIRST.choose(rng).unwrap_or(&"José"),
                    LAST.choose(rng).unwrap_or(&"López"),
                    LAST.choose(rng).unwrap_or(&"Pérez")
                );
                let r = rfc(rng, true);
                (n.clone(), n.to_uppercase(), r, "612", true)
            }
            _ => {
                let n = format!(
                    "{} {}",
                    COMPANY_WORDS.choose(rng).unwrap_or(&"Servicios"),
                    COMPANY_NAMES.choose(rng).unwrap_or(&"Azteca")
                );
                let legal = format!("{n} {}", SUFFIXES.choose(rng).unwrap_or(&"S.A. de C.V."));
                let r = rfc(rng, false);
                (n, legal, r, "601", false)
            }
        };
        let city = CITIES.choose(rng).copied().unwrap_or(CITIES[0]);
        d.clients.push(SbClient {
            id: format!("client_{}", alnum(rng, 14)),
            email: format!("{}@ejemplo.mx", ascii_slug(&name)),
            name,
            legal_name: legal,
            phone: format!(
                "+52 55 {:04} {:04}",
                rng.random_range(1000..9999),
                rng.random_range(1000..9999)
            ),
            tax_id,
            // A share of the clients have fiscal data SAT would refuse (the fiscal check
            // finds them): a regime of two digits, or (below) a postal code of four.
            tax_system: if i % 17 == 11 {
                regime[..2].into()
            } else {
                regime.into()
            },
            cfdi_use: if person { "G03".into() } else { "G01".into() },
            address: SbAddress {
                country: "MEX".into(),
                street: format!(
                    "Calle {} {}",
                    LAST.choose(rng).unwrap_or(&"Hidalgo"),
                    rng.random_range(1..999)
                ),
                zip: if i % 10 == 7 {
                    city.3[..4].into()
                } else {
                    city.3.into()
                },
                city: city.1.into(),
                state: city.2.into(),
            },
            bcc: vec![],
            metadata: serde_json::json!({}),
            is_valid: true,
            efos: SbEfos { is_valid: true },
            from: "api".into(),
            livemode: false,
            owner: owner.clone(),
            team: team.id.clone(),
            created_at: start - rng.random_range(0..120 * 86_400),
        });
    }

    // Users of the team.
    for (j, role) in [Role::Admin, Role::Member, Role::Viewer].iter().enumerate() {
        let first = FIRST[(j * 5 + team.id.len()) % FIRST.len()];
        let last = LAST[(j * 7 + n_invoices) % LAST.len()];
        d.users.push(SbUser {
            id: format!("user_{}", alnum(rng, 20)),
            email: format!(
                "{}@{}",
                ascii_slug(&format!("{first}.{last}")),
                "donalupe.mx"
            ),
            name: format!("{first} {last}"),
            first_name: first.into(),
            last_name: last.into(),
            role: role.as_str().into(),
            created_at: start,
            last_login: now - rng.random_range(0..30 * 86_400),
            teams: vec![SbUserTeam {
                team_id: team.id.clone(),
                team_name: team.name.clone(),
                role: role.as_str().into(),
            }],
        });
    }

    // Invoices and the payments that go with them.
    let n_egress = (n_invoices / 40).max(1);
    let n_income = n_invoices.saturating_sub(n_egress).max(1);
    let mut refunds_left = n_egress;
    for n in 0..n_income {
        let created = ts(rng);
        let ci = if rng.random_bool(0.1) {
            0
        } else {
            rng.random_range(0..d.clients.len())
        };
        let client = d.clients[ci].summary();
        let usd = rng.random_bool(0.06);
        let ppd = rng.random_bool(0.2);
        let mut items = Vec::new();
        let mut subtotal = Decimal::ZERO;
        for _ in 0..rng.random_range(1..=3) {
            let s = &d.services[rng.random_range(0..d.services.len())];
            let q = Decimal::from(rng.random_range(1..=8));
            let mut price = s.unit_price.0;
            if usd {
                price = (price / Decimal::from(18)).round_dp(2);
            }
            subtotal += q * price;
            items.push(SbItem {
                id: format!("item_{}", alnum(rng, 12)),
                description: s.description.clone(),
                quantity: Money(q),
                unit_price: Money(price),
                product_key: s.product_key.clone(),
                unit_key: s.unit_key.clone(),
                unit_name: s.unit_name.clone(),
                taxes: vec![SbTax::iva16()],
                discount: None,
                taxability: None,
                sku: None,
                third_party: None,
            });
        }
        let taxes = Money::round2(subtotal * Decimal::new(16, 2));
        let total = Money(subtotal + taxes.0);
        let uuid = uuid(rng);
        let form = if ppd {
            "99".to_string()
        } else {
            ["01", "03", "04", "28"][rng.random_range(0..4)].to_string()
        };
        let mut inv = SbInvoice {
            uuid: uuid.clone(),
            client: client.clone(),
            status: "valid".into(),
            invoice_type: "I".into(),
            currency: if usd { "USD".into() } else { "MXN".into() },
            exchange_rate: if usd {
                Money(Decimal::new(rng.random_range(168_000..205_000), 4))
            } else {
                Money(Decimal::ONE)
            },
            subtotal: Money(subtotal),
            taxes,
            withholdings: None,
            discount: Money(Decimal::ZERO),
            total,
            series: if ppd { "B".into() } else { "A".into() },
            folio_number: 0,
            payment_method: if ppd { "PPD".into() } else { "PUE".into() },
            payment_form: form.clone(),
            cfdi_use: d.clients[ci].cfdi_use.clone(),
            items: items.clone(),
            verification_url: format!(
                "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id={uuid}"
            ),
            stamp: SbStamp {
                stamp_at: created,
                sello: alnum(rng, 24),
            },
            last_balance: None,
            payment_complements: 0,
            cancellation_status: None,
            cancellation_receipt: None,
            related_documents: vec![],
            created_at: created,
            livemode: false,
            owner: owner.clone(),
            team: team.id.clone(),
            metadata: serde_json::json!({}),
            cancel_due: None,
        };
        // Every team shows at least one canceled and one pending-cancellation invoice.
        let roll: f64 = match n {
            3 => 0.0,
            7 => 0.045,
            _ => rng.random(),
        };
        let (currency, rate) = (inv.currency.clone(), inv.exchange_rate);
        let payment =
            |rng: &mut StdRng, status: &str, amount: Decimal, at: i64, ppd_link: bool| SbPayment {
                id: format!("payment_{}", alnum(rng, 14)),
                status: status.into(),
                client: client.clone(),
                items: if ppd_link { vec![] } else { items.clone() },
                currency: currency.clone(),
                exchange_rate: rate,
                subtotal: Money::round2(amount / Decimal::new(116, 2)),
                taxes: Money(amount - Money::round2(amount / Decimal::new(116, 2)).0),
                withholdings: None,
                discount: Money(Decimal::ZERO),
                total: Money(amount),
                payment_form: if status == "succeeded" || status == "refunded" {
                    if ppd { "03".into() } else { form.clone() }
                } else {
                    "99".into()
                },
                allowed_payment_methods: vec![
                    serde_json::json!({"id": "card"}),
                    serde_json::json!({"id": "bank"}),
                ],
                emails: vec![client.email.clone()],
                metadata: serde_json::json!({}),
                automation_type: if ppd_link {
                    "ppd_invoice_and_complement".into()
                } else {
                    "pue_invoice".into()
                },
                invoices: vec![uuid.clone()],
                receipts: vec![],
                payments: vec![],
                refunds: vec![],
                short_url: format!("https://pay.gigstack.io/p/{}", alnum(rng, 8)),
                payment_processor: if rng.random_bool(0.5) {
                    "stripe".into()
                } else {
                    "api".into()
                },
                idempotency_key: None,
                created_at: at,
                succeeded_at: if status == "succeeded" || status == "refunded" {
                    Some(at + 300)
                } else {
                    None
                },
                from: "api".into(),
                livemode: false,
                team: team.id.clone(),
                owner: owner.clone(),
                ppd_invoice: if ppd_link { Some(uuid.clone()) } else { None },
            };
        if roll < 0.04 {
            inv.status = "canceled".into();
            inv.cancellation_status = Some("accepted".into());
            inv.cancellation_receipt = Some(format!("acuse_{}", alnum(rng, 10)));
        } else if roll < 0.07 && now - created < 14 * 86_400 {
            // A cancellation waits for the receiver at most 3 business days (silence is
            // acceptance), so the ones still waiting were asked lately: of recent invoices,
            // as operators cancel what was issued with errors.
            inv.cancellation_status = Some("pending".into());
            inv.cancel_due = Some(now + 3 * 86_400);
        }
        if ppd {
            let k = rng.random_range(0..=2u32);
            let mut paid = Decimal::ZERO;
            let mut last = (Decimal::ZERO, 0i64);
            for j in 0..k {
                let part = Money::round2(total.0 * Decimal::new(rng.random_range(20..45), 2)).0;
                paid += part;
                let at = (created + (j as i64 + 1) * 20 * 86_400).min(now - 60);
                last = (part, at);
                d.payments.push(payment(rng, "succeeded", part, at, true));
            }
            inv.payment_complements = if inv.status == "canceled" { 0 } else { k };
            // Month end is near: half of the PPD invoices paid in the last 45 days have no
            // complement for that last payment yet (the balance still counts it as owed).
            let uncovered = inv.status == "valid"
                && k > 0
                && last.1 >= now - 45 * 86_400
                && inv.folio_number.is_multiple_of(2);
            let mut covered = paid;
            if uncovered {
                inv.payment_complements -= 1;
                covered -= last.0;
            }
            inv.last_balance = Some(Money(total.0 - covered));
            if inv.status == "valid" && rng.random_bool(0.5) {
                let status =
                    ["requires_payment_method", "pending", "processing"][rng.random_range(0..3)];
                d.payments.push(payment(
                    rng,
                    status,
                    total.0 - paid,
                    (created + 86_400).min(now - 60),
                    true,
                ));
            }
        } else if inv.status == "valid" {
            let mut p = payment(rng, "succeeded", total.0, created, false);
            if refunds_left > 0 && rng.random_bool(0.06) {
                refunds_left -= 1;
                let full = rng.random_bool(0.5);
                let amount = if full {
                    total.0
                } else {
                    Money::round2(total.0 / Decimal::from(4)).0
                };
                p.refunds.push(SbRefund {
                    id: format!("refund_{}", alnum(rng, 12)),
                    amount: Money(amount),
                    reason: Some(if full {
                        "duplicate".into()
                    } else {
                        "Producto incompleto".into()
                    }),
                    created_at: (created + 7 * 86_400).min(now - 60),
                });
                if full {
                    p.status = "refunded".into();
                }
                d.egress.push(credit_note(
                    rng,
                    &inv,
                    amount,
                    (created + 7 * 86_400).min(now - 60),
                ));
            }
            d.payments.push(p);
        }
        d.income.push(inv);
    }
    while d.egress.len() < n_egress {
        if let Some(inv) = d.income.get(rng.random_range(0..d.income.len())).cloned() {
            let amount = Money::round2(inv.total.0 / Decimal::from(10)).0;
            let at = (inv.created_at + 3 * 86_400).min(now - 60);
            d.egress.push(credit_note(rng, &inv, amount, at));
        }
    }

    // Payments not tied to an invoice: every status, links sent but not collected.
    let extra = (n_income / 6).max(6);
    let statuses = [
        "requires_payment_method",
        "requires_payment_method",
        "pending",
        "pending",
        "processing",
        "failed",
        "canceled",
        "succeeded",
    ];
    for i in 0..extra {
        let status = statuses[i % statuses.len()];
        let client = d.clients[rng.random_range(0..d.clients.len())].summary();
        let s = &d.services[rng.random_range(0..d.services.len())];
        let q = Decimal::from(rng.random_range(1..=4));
        let subtotal = q * s.unit_price.0;
        let taxes = Money::round2(subtotal * Decimal::new(16, 2));
        let at = if status == "succeeded" {
            ts(rng)
        } else {
            rng.random_range(now - 45 * 86_400..now - 600)
        };
        d.payments.push(SbPayment {
            id: format!("payment_{}", alnum(rng, 14)),
            status: status.into(),
            client,
            items: vec![SbItem {
                id: s.id.clone(),
                description: s.description.clone(),
                quantity: Money(q),
                unit_price: s.unit_price,
                product_key: s.product_key.clone(),
                unit_key: s.unit_key.clone(),
                unit_name: s.unit_name.clone(),
                taxes: vec![SbTax::iva16()],
                discount: None,
                taxability: None,
                sku: None,
                third_party: None,
            }],
            currency: "MXN".into(),
            exchange_rate: Money(Decimal::ONE),
            subtotal: Money(subtotal),
            taxes,
            withholdings: None,
            discount: Money(Decimal::ZERO),
            total: Money(subtotal + taxes.0),
            payment_form: if status == "succeeded" {
                "03".into()
            } else {
                "99".into()
            },
            allowed_payment_methods: vec![
                serde_json::json!({"id": "card"}),
                serde_json::json!({"id": "spei"}),
            ],
            emails: vec![],
            metadata: serde_json::json!({}),
            automation_type: "none".into(),
            invoices: vec![],
            receipts: vec![],
            payments: vec![],
            refunds: vec![],
            short_url: format!("https://pay.gigstack.io/p/{}", alnum(rng, 8)),
            payment_processor: "stripe".into(),
            idempotency_key: None,
            created_at: at,
            succeeded_at: if status == "succeeded" {
                Some(at + 120)
            } else {
                None
            },
            from: "api".into(),
            livemode: false,
            team: team.id.clone(),
            owner: owner.clone(),
            ppd_invoice: None,
        });
    }

    // Receipts (self-invoice links), some expired or invoiced. About half the pending
    // ones are still within their 30 days (made in the last month: some expire this
    // week), the rest past them (a stamp then fails: it goes into the global invoice).
    for _ in 0..(n_income / 10).max(3) {
        let mut at = ts(rng);
        let subtotal = money(rng.random_range(5_000..250_000));
        let taxes = Money::round2(subtotal * Decimal::new(16, 2));
        let status = ["pending", "completed", "expired", "cancelled"][rng.random_range(0..4)];
        const MONTH: i64 = 30 * 86_400;
        if status == "pending" && at % 2 == 0 && now - 3600 - at > MONTH {
            // No draw of its own: the world's other documents stay as they were.
            at = now - 3600 - (now - 3600 - at) % (MONTH - 3600);
        }
        let id = format!("receipt_{}", alnum(rng, 14));
        d.receipts.push(SbReceipt {
            client: if rng.random_bool(0.3) {
                Some(d.clients[rng.random_range(0..d.clients.len())].summary())
            } else {
                None
            },
            status: status.into(),
            subtotal: Money(subtotal),
            taxes,
            total: Money(subtotal + taxes.0),
            currency: "MXN".into(),
            periodicity: "month".into(),
            payment_form: "01".into(),
            created: at,
            valid_until: at + 30 * 86_400,
            created_at: at,
            url: format!("https://invoicing.gigstack.pro/autofactura?id={id}"),
            id,
            livemode: false,
            team: team.id.clone(),
            owner: owner.clone(),
            items: vec![],
            invoice_id: None,
        });
    }

    d.sort_all();
    let mut folio_a = 1000;
    let mut folio_b = 1;
    for inv in d.income.iter_mut() {
        if inv.series == "A" {
            folio_a += 1;
            inv.folio_number = folio_a;
        } else {
            folio_b += 1;
            inv.folio_number = folio_b;
        }
    }
    for (i, inv) in d.egress.iter_mut().enumerate() {
        inv.folio_number = i as u64 + 1;
    }
    d
}

fn credit_note(rng: &mut StdRng, original: &SbInvoice, amount: Decimal, at: i64) -> SbInvoice {
    let subtotal = Money::round2(amount / Decimal::new(116, 2));
    let uuid = uuid(rng);
    SbInvoice {
        uuid: uuid.clone(),
        client: original.client.clone(),
        status: "valid".into(),
        invoice_type: "E".into(),
        currency: original.currency.clone(),
        exchange_rate: original.exchange_rate,
        subtotal,
        taxes: Money(amount - subtotal.0),
        withholdings: None,
        discount: Money(Decimal::ZERO),
        total: Money(amount),
        series: "NC".into(),
        folio_number: 0,
        payment_method: "PUE".into(),
        payment_form: "03".into(),
        cfdi_use: "G02".into(),
        items: vec![SbItem {
            id: format!("item_{}", alnum(rng, 12)),
            description: "Devolución / bonificación".into(),
            quantity: Money(Decimal::ONE),
            unit_price: subtotal,
            product_key: "84111506".into(),
            unit_key: "ACT".into(),
            unit_name: "Actividad".into(),
            taxes: vec![SbTax::iva16()],
            discount: None,
            taxability: None,
            sku: None,
            third_party: None,
        }],
        verification_url: format!(
            "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id={uuid}"
        ),
        stamp: SbStamp {
            stamp_at: at,
            sello: alnum(rng, 24),
        },
        last_balance: None,
        payment_complements: 0,
        cancellation_status: None,
        cancellation_receipt: None,
        related_documents: vec![SbRelated {
            relationship: "01".into(),
            documents: vec![original.uuid.clone()],
        }],
        created_at: at,
        livemode: false,
        owner: original.owner.clone(),
        team: original.team.clone(),
        metadata: serde_json::json!({}),
        cancel_due: None,
    }
}
