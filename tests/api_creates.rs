//! The typed create calls of `gigdash::api::creates` over real HTTP on loopback against the
//! sandbox: payment links and registers, clients, drafts from create to stamp, credit
//! notes and their cap, idempotent creates, and a refused field named through
//! `ApiError::field`. Every expected figure is worked by hand from cfdi-rules.md
//! "Totals of a new invoice or payment" in its comment, and again by `cfdi_total` below,
//! which knows nothing of the sandbox. Every test runs under a deadline.

mod common;

use std::future::Future;
use std::time::Duration;

use common::*;
use gigdash::api::*;
use gigdash::sandbox::Sandbox;
use rust_decimal::Decimal;
use rust_decimal::prelude::RoundingStrategy;
use serde_json::json;

/// The most one test may take, sandbox start included.
const DEADLINE: Duration = Duration::from_secs(90);

async fn within<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(DEADLINE, test)
        .await
        .unwrap_or_else(|_| panic!("the test did not finish within {DEADLINE:?}"));
}

fn amt(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}

fn iva16() -> NewTax {
    NewTax {
        kind: "IVA".into(),
        rate: amt("0.16"),
        factor: "Tasa".into(),
        withholding: false,
        inclusive: false,
    }
}

fn exempt() -> NewTax {
    NewTax {
        kind: "IVA".into(),
        rate: amt("0"),
        factor: "Exento".into(),
        withholding: false,
        inclusive: false,
    }
}

fn item(description: &str, quantity: &str, unit_price: &str, taxes: Vec<NewTax>) -> NewItem {
    NewItem {
        description: description.into(),
        quantity: amt(quantity),
        unit_price: amt(unit_price),
        product_key: "80141503".into(),
        unit_key: "E48".into(),
        taxes,
        discount: None,
        unit_name: None,
        taxability: None,
    }
}

/// cfdi-rules.md, for items without inclusive taxes: per item `base = q × p − discount`,
/// each tax `base × rate` rounded half-up to 2 decimals (none when exempt); the document
/// `Σ amount − Σ discount + transferred − withheld`.
fn cfdi_total(items: &[NewItem]) -> Amount {
    let round = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let mut total = Decimal::ZERO;
    for it in items {
        let amount = it.quantity.0 * it.unit_price.0;
        let discount = it.discount.map(|d| d.0).unwrap_or_default();
        let base = amount - discount;
        total += base;
        for t in it.taxes.iter().filter(|t| t.factor != "Exento") {
            assert!(!t.inclusive, "the oracle does not do inclusive taxes");
            let tax = round(base * t.rate.0);
            total += if t.withholding { -tax } else { tax };
        }
    }
    Amount(round(total))
}

fn own_team(sb: &Sandbox) -> TeamId {
    TeamId::new(sb.keys[0].team.clone())
}

/// A team the admin key reaches only through Connect (`?team=`).
async fn connect_team(sb: &Sandbox, c: &ApiClient) -> TeamId {
    let own = own_team(sb);
    c.list_teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .find(|t| *t != own)
        .expect("the admin key reaches another team through Connect")
}

fn new_client(name: &str, tax_id: &str) -> NewClient {
    NewClient {
        name: name.into(),
        legal_name: name.to_uppercase(),
        tax_id: tax_id.into(),
        tax_system: "601".into(),
        cfdi_use: "G03".into(),
        email: String::new(),
        address: NewAddress {
            zip: "03100".into(),
        },
    }
}

async fn a_client(c: &ApiClient, team: &TeamId) -> Client {
    c.create_client(
        team,
        &new_client("Tlapalería Centro", "TCE010101AB1"),
        &IdempotencyKey::generate("client"),
    )
    .await
    .unwrap()
}

fn invoice_for(client: &Client, items: Vec<NewItem>) -> NewInvoice {
    NewInvoice {
        client: ClientId {
            id: client.id.clone(),
        }
        .into(),
        items,
        currency: "MXN".into(),
        exchange_rate: None,
        cfdi_use: "G03".into(),
        payment_form: "03".into(),
        payment_method: "PUE".into(),
        series: None,
        related_documents: vec![],
        invoice_pdf_notes: None,
    }
}

/// An income invoice stamped from a draft of `items`.
async fn stamped_income(
    c: &ApiClient,
    team: &TeamId,
    client: &Client,
    items: Vec<NewItem>,
) -> Invoice {
    let draft = c
        .create_draft(
            team,
            &invoice_for(client, items),
            &IdempotencyKey::generate("draft"),
        )
        .await
        .unwrap();
    c.stamp_draft(team, &draft.id, &IdempotencyKey::generate("stamp"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_payment_request_in_a_connect_team_is_computed_per_item_and_has_a_link() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = connect_team(&sb, &c).await;
        let buyer = a_client(&c, &team).await;
        // 2 × 500.00 with IVA 16 %: 1,000.00 + 160.00. 1 × 300.00 exempt: 300.00, no tax.
        // subtotal 1,300.00, taxes 160.00, total 1,460.00.
        let items = vec![
            item("Mantenimiento", "2", "500.00", vec![iva16()]),
            item("Libro", "1", "300.00", vec![exempt()]),
        ];
        assert_eq!(cfdi_total(&items), amt("1460.00"));
        let key = IdempotencyKey::generate("request");
        let sent = c
            .request_payment(
                &team,
                &PaymentRequest {
                    client: ClientId {
                        id: buyer.id.clone(),
                    }
                    .into(),
                    items,
                    currency: "MXN".into(),
                    exchange_rate: None,
                    allowed_payment_methods: vec!["card".into(), "bank".into()],
                    automation_type: "none".into(),
                    send_email: false,
                    emails: vec![],
                },
                &key,
            )
            .await
            .unwrap();
        let p = c.get_payment(&team, &sent.id).await.unwrap();
        assert_eq!(p.subtotal, Some(amt("1300")), "{p:?}");
        assert_eq!(p.taxes, Some(amt("160")), "{p:?}");
        assert_eq!(p.total, amt("1460"), "{p:?}");
        assert_eq!(p.total_source, TotalSource::Total);
        assert!(
            p.short_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
            "{p:?}"
        );
        assert_eq!(p.status(), PaymentStatus::RequiresPaymentMethod);
        assert_eq!(p.idempotency_key.as_deref(), Some(key.as_str()));
        // It lives in the Connect team, not in the key's own.
        let elsewhere = c.get_payment(&own_team(&sb), &sent.id).await.unwrap_err();
        assert_eq!(elsewhere.kind(), "not_found", "{elsewhere:?}");
    })
    .await;
}

#[tokio::test]
async fn the_register_example_of_the_reference_succeeds_with_an_invoice_of_1160() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        // gigstack-api.md §5.3, verbatim: 1 × 1,000 with IVA 16 % = 1,160.00.
        let example = json!({
          "client": {"search": {"on_key": "email", "on_value": "ana@example.com", "auto_create": true}, "name": "Ana", "email": "ana@example.com"},
          "automation_type": "pue_invoice", "currency": "MXN", "payment_form": "03",
          "items": [{"description": "Plan Pro", "quantity": 1, "unit_price": 1000, "product_key": "84111506", "unit_key": "E48",
                     "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "withholding": false}]}],
          "idempotency_key": "order-1001", "send_email": false
        });
        let p = c.register_payment(&team, &example, None).await.unwrap();
        assert_eq!(p.status(), PaymentStatus::Succeeded, "{p:?}");
        assert_eq!(p.total, amt("1160"));
        let [uuid] = p.invoices.as_slice() else {
            panic!("one invoice for pue_invoice: {p:?}")
        };
        let inv = c.get_invoice(&team, &uuid.0).await.unwrap();
        assert_eq!(inv.total, Some(amt("1160")), "{inv:?}");
        assert_eq!(inv.payment_method.as_deref(), Some("PUE"));
    })
    .await;
}

#[tokio::test]
async fn a_typed_register_stamps_a_pue_invoice_with_form_01() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        // 3 × 123.45 = 370.35 with IVA 16 % = 59.256 → 59.26; total 429.61.
        let items = vec![item("Refacción", "3", "123.45", vec![iva16()])];
        assert_eq!(cfdi_total(&items), amt("429.61"));
        let key = IdempotencyKey::generate("register");
        let p = c
            .register(
                &team,
                &RegisterPayment {
                    client: ClientId {
                        id: buyer.id.clone(),
                    }
                    .into(),
                    items,
                    payment_form: "01".into(),
                    automation_type: "pue_invoice".into(),
                    currency: "MXN".into(),
                    exchange_rate: None,
                    ppd_invoice_id: None,
                    send_email: false,
                    emails: vec![],
                },
                &key,
            )
            .await
            .unwrap();
        assert_eq!(p.status(), PaymentStatus::Succeeded, "{p:?}");
        assert_eq!(p.total, amt("429.61"));
        assert_eq!(p.idempotency_key.as_deref(), Some(key.as_str()));
        let [uuid] = p.invoices.as_slice() else {
            panic!("one invoice for pue_invoice: {p:?}")
        };
        let inv = c.get_invoice(&team, &uuid.0).await.unwrap();
        assert_eq!(inv.total, Some(amt("429.61")));
        assert_eq!(
            (inv.payment_method.as_deref(), inv.payment_form.as_deref()),
            (Some("PUE"), Some("01"))
        );
        assert_eq!(inv.client.and_then(|c| c.id), Some(buyer.id));
    })
    .await;
}

#[tokio::test]
async fn a_typed_register_with_ppd_invoice_id_pays_that_invoice_by_a_complement() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        // A PPD invoice of 1 × 1,000 + IVA = 1,160.00 owed.
        let mut ppd = invoice_for(&buyer, vec![item("Obra", "1", "1000", vec![iva16()])]);
        ppd.payment_method = "PPD".into();
        ppd.payment_form = "99".into();
        let draft = c
            .create_draft(&team, &ppd, &IdempotencyKey::generate("draft"))
            .await
            .unwrap();
        let owed = c
            .stamp_draft(&team, &draft.id, &IdempotencyKey::generate("stamp"))
            .await
            .unwrap();
        assert_eq!(owed.last_balance, Some(amt("1160")), "{owed:?}");
        // 400.00 paid, no taxes on the payment line: the balance drops to 760.00.
        let p = c
            .register(
                &team,
                &RegisterPayment {
                    client: ClientId {
                        id: buyer.id.clone(),
                    }
                    .into(),
                    items: vec![item("Abono", "1", "400", vec![])],
                    payment_form: "03".into(),
                    automation_type: "pue_invoice".into(),
                    currency: "MXN".into(),
                    exchange_rate: None,
                    ppd_invoice_id: Some(owed.uuid().to_string()),
                    send_email: false,
                    emails: vec![],
                },
                &IdempotencyKey::generate("register"),
            )
            .await
            .unwrap();
        assert_eq!(p.status(), PaymentStatus::Succeeded);
        assert_eq!(p.invoices.len(), 1, "the complement only: {p:?}");
        let after = c.get_invoice(&team, owed.uuid()).await.unwrap();
        assert_eq!(after.last_balance, Some(amt("760")), "{after:?}");
    })
    .await;
}

#[tokio::test]
async fn a_draft_is_created_listed_updated_and_stamped_once() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        // A: 3 × 250.00 = 750.00, IVA 120.00.
        // B: 1 × 99.99 less 9.99 = 90.00, IVA 14.40.
        // subtotal 849.99, discount 9.99, taxes 134.40, total 974.40.
        let mut b = item("Envío", "1", "99.99", vec![iva16()]);
        b.discount = Some(amt("9.99"));
        b.unit_name = Some("Servicio".into());
        b.taxability = Some("02".into());
        let mut body = invoice_for(
            &buyer,
            vec![item("Tornillos", "3", "250.00", vec![iva16()]), b],
        );
        body.invoice_pdf_notes = Some("Gracias por su compra".into());
        assert_eq!(cfdi_total(&body.items), amt("974.40"));
        let draft = c
            .create_draft(&team, &body, &IdempotencyKey::generate("draft"))
            .await
            .unwrap();
        assert_eq!(draft.status.as_deref(), Some("draft"));
        assert!(draft.stampable());
        assert_eq!(
            (draft.subtotal, draft.discount, draft.taxes, draft.total),
            (
                Some(amt("849.99")),
                Some(amt("9.99")),
                Some(amt("134.40")),
                Some(amt("974.40"))
            ),
            "{draft:?}"
        );
        assert_eq!(draft.client.as_ref().and_then(|c| c.id.clone()), Some(buyer.id.clone()));
        assert_eq!(draft.items.len(), 2);
        let tax = &draft.items[1].taxes[0];
        assert_eq!((tax.base, tax.amount), (Some(amt("90")), Some(amt("14.40"))));
        assert_eq!(draft.items[1].discount, Some(amt("9.99")));
        assert_eq!(draft.items[1].taxability.as_deref(), Some("02"));
        assert_eq!(draft.invoice_pdf_notes.as_deref(), Some("Gracias por su compra"));
        assert_eq!(draft.cfdi_use.as_deref(), Some("G03"));
        assert!(draft.created_at.is_some());

        let listed = c.list_drafts(&team).await.unwrap();
        assert!(listed.iter().any(|d| d.id == draft.id), "{listed:?}");

        // Edited: A becomes 4 × 250.00 = 1,000.00, IVA 160.00; series DR.
        // subtotal 1,099.99, discount 9.99, taxes 174.40, total 1,264.40.
        body.items[0].quantity = amt("4");
        body.series = Some("DR".into());
        let expected = cfdi_total(&body.items);
        assert_eq!(expected, amt("1264.40"));
        let edited = c
            .update_draft(&team, &draft.id, &body, &IdempotencyKey::generate("edit"))
            .await
            .unwrap();
        assert_eq!(edited.id, draft.id);
        assert_eq!(edited.total, Some(expected), "{edited:?}");
        assert_eq!(edited.series.as_deref(), Some("DR"));

        let inv = c
            .stamp_draft(&team, &draft.id, &IdempotencyKey::generate("stamp"))
            .await
            .unwrap();
        assert_eq!(inv.total, edited.total, "{inv:?}");
        assert_eq!(inv.total, Some(expected));
        assert_eq!(inv.invoice_type.as_deref(), Some("I"));
        assert_eq!(inv.series.as_deref(), Some("DR"));
        let read = c.get_invoice(&team, inv.uuid()).await.unwrap();
        assert_eq!(read.total, Some(expected));

        let again = c
            .stamp_draft(&team, &draft.id, &IdempotencyKey::generate("stamp"))
            .await
            .unwrap_err();
        assert!(
            matches!(&again, ApiError::Conflict { code: Some(code), .. } if code == "draft_stamped"),
            "{again:?}"
        );
        let listed = c.list_drafts(&team).await.unwrap();
        let stamped = listed.iter().find(|d| d.id == draft.id).expect("still listed");
        assert!(!stamped.stampable(), "{stamped:?}");
        assert_eq!(stamped.invoice_uuid.as_deref(), Some(inv.uuid()));
    })
    .await;
}

#[tokio::test]
async fn a_deleted_draft_is_gone_from_the_list() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        let draft = c
            .create_draft(
                &team,
                &invoice_for(&buyer, vec![item("Renta", "1", "500", vec![iva16()])]),
                &IdempotencyKey::generate("draft"),
            )
            .await
            .unwrap();
        assert!(
            c.list_drafts(&team)
                .await
                .unwrap()
                .iter()
                .any(|d| d.id == draft.id)
        );
        c.delete_draft(&team, &draft.id, &IdempotencyKey::generate("delete"))
            .await
            .unwrap();
        let left = c.list_drafts(&team).await.unwrap();
        assert!(!left.iter().any(|d| d.id == draft.id), "{left:?}");
        let gone = c
            .stamp_draft(&team, &draft.id, &IdempotencyKey::generate("stamp"))
            .await
            .unwrap_err();
        assert_eq!(gone.kind(), "not_found", "{gone:?}");
    })
    .await;
}

#[tokio::test]
async fn a_credit_note_relates_01_and_one_above_what_is_left_is_refused_422_naming_items() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        // Income: 1 × 1,000 + IVA = 1,160.00.
        let income = stamped_income(
            &c,
            &team,
            &buyer,
            vec![item("Equipo", "1", "1000", vec![iva16()])],
        )
        .await;
        assert_eq!(income.total, Some(amt("1160")));
        let note = |price: &str| {
            let mut n = invoice_for(
                &buyer,
                vec![item("Bonificación", "1", price, vec![iva16()])],
            );
            n.cfdi_use = "G02".into();
            n.related_documents = vec![Related {
                relationship: "01".into(),
                documents: vec![income.uuid().to_string()],
            }];
            n
        };
        // 200 + IVA = 232.00 credited: 928.00 left.
        let first = c
            .create_egress(&team, &note("200"), &IdempotencyKey::generate("egress"))
            .await
            .unwrap();
        assert_eq!(first.invoice_type.as_deref(), Some("E"), "{first:?}");
        assert_eq!(first.total, Some(amt("232")));
        assert_eq!(
            first
                .related_documents
                .iter()
                .map(|r| (r.relationship.clone(), r.documents.clone()))
                .collect::<Vec<_>>(),
            vec![(Some("01".to_string()), vec![income.uuid().to_string()])]
        );

        // 850 + IVA = 986.00 > 928.00 left: refused, and nothing was created.
        let before = c
            .fetch_all::<Invoice>(&team, Resource::EgressInvoices, &ListQuery::default())
            .await
            .unwrap()
            .len();
        let refused = c
            .create_egress(&team, &note("850"), &IdempotencyKey::generate("egress"))
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, ApiError::Validation { status: 422, .. }),
            "{refused:?}"
        );
        assert_eq!(refused.field(), Some("items"), "{refused:?}");
        let ApiError::Validation { message, .. } = &refused else {
            unreachable!()
        };
        assert!(message.contains("928.00"), "says what is left: {message}");
        let after = c
            .fetch_all::<Invoice>(&team, Resource::EgressInvoices, &ListQuery::default())
            .await
            .unwrap()
            .len();
        assert_eq!(after, before, "a refused credit note creates nothing");

        // Exactly what is left (800 + IVA = 928.00) is accepted; then nothing more is.
        c.create_egress(&team, &note("800"), &IdempotencyKey::generate("egress"))
            .await
            .unwrap();
        let over = c
            .create_egress(&team, &note("1"), &IdempotencyKey::generate("egress"))
            .await
            .unwrap_err();
        assert_eq!(over.field(), Some("items"), "{over:?}");
    })
    .await;
}

#[tokio::test]
async fn a_created_client_validates_and_a_bad_rfc_is_refused_on_tax_id() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let mut good = new_client("Ñandú Textil", "NTE010101AB1");
        good.email = "pagos@nandu.mx".into();
        let made = c
            .create_client(&team, &good, &IdempotencyKey::generate("client"))
            .await
            .unwrap();
        assert!(made.id.starts_with("client_"), "{made:?}");
        assert_eq!(made.rfc(), "NTE010101AB1");
        assert_eq!(made.cfdi_use.as_deref(), Some("G03"));
        assert_eq!(made.email.as_deref(), Some("pagos@nandu.mx"));
        assert_eq!(
            made.address.as_ref().and_then(|a| a.zip.as_deref()),
            Some("03100")
        );
        assert_eq!(
            c.validate_client(&team, &made.id).await.unwrap(),
            FiscalCheck::Valid
        );

        let bad = c
            .create_client(
                &team,
                &new_client("Sin RFC", "NOPE"),
                &IdempotencyKey::generate("client"),
            )
            .await
            .unwrap_err();
        assert_eq!(bad.kind(), "validation", "{bad:?}");
        assert_eq!(bad.field(), Some("tax_id"), "{bad:?}");
    })
    .await;
}

#[tokio::test]
async fn one_idempotency_key_sent_twice_creates_one_object() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let buyer = a_client(&c, &team).await;
        let body = invoice_for(&buyer, vec![item("Renta", "1", "700", vec![iva16()])]);
        let before = c.list_drafts(&team).await.unwrap().len();
        let key = IdempotencyKey::generate("draft");
        let first = c.create_draft(&team, &body, &key).await.unwrap();
        let second = c.create_draft(&team, &body, &key).await.unwrap();
        assert_eq!(first, second);
        assert_eq!(c.list_drafts(&team).await.unwrap().len(), before + 1);

        let everyone = ListQuery::default();
        let clients = || c.fetch_all::<Client>(&team, Resource::Clients, &everyone);
        let before = clients().await.unwrap().len();
        let key = IdempotencyKey::generate("client");
        let made = new_client("Panadería Sol", "PSO010101AB1");
        let one = c.create_client(&team, &made, &key).await.unwrap();
        let two = c.create_client(&team, &made, &key).await.unwrap();
        assert_eq!(one.id, two.id);
        assert_eq!(clients().await.unwrap().len(), before + 1);
    })
    .await;
}

#[tokio::test]
async fn a_draft_edited_to_another_client_shows_that_client_and_stamps_for_it() {
    within(async {
        let sb = sandbox().await;
        let c = client(&sb, sb.admin_key());
        let team = own_team(&sb);
        let first = a_client(&c, &team).await;
        let second = c
            .create_client(
                &team,
                &new_client("Ferretería Luna", "FLU010101AB1"),
                &IdempotencyKey::generate("client"),
            )
            .await
            .unwrap();
        let mut body = invoice_for(&first, vec![item("Renta", "1", "500", vec![iva16()])]);
        let draft = c
            .create_draft(&team, &body, &IdempotencyKey::generate("draft"))
            .await
            .unwrap();
        body.client = ClientId {
            id: second.id.clone(),
        }
        .into();
        let edited = c
            .update_draft(&team, &draft.id, &body, &IdempotencyKey::generate("edit"))
            .await
            .unwrap();
        let shown = edited.client.expect("the draft names its client");
        assert_eq!(shown.id.as_deref(), Some(second.id.as_str()));
        assert_eq!(shown.tax_id.as_deref(), Some("FLU010101AB1"), "{shown:?}");
        let inv = c
            .stamp_draft(&team, &draft.id, &IdempotencyKey::generate("stamp"))
            .await
            .unwrap();
        assert_eq!(
            inv.client.and_then(|c| c.tax_id),
            Some("FLU010101AB1".into())
        );
    })
    .await;
}
