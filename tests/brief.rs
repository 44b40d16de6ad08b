//! The morning brief (`gigdash changes`) as it is written: the Markdown in both languages
//! (snapshots, read as the mail it becomes), only teams with changes (or receipts about to
//! expire), what needs attention
//! named, untrusted text escaped; JSON amounts exact.

use gigdash::api::TeamId;
use gigdash::app::Dataset;
use gigdash::app::data::changes::{ChangeItem, Column};
use gigdash::i18n::Lang;
use rust_decimal::Decimal;

const SEEN: i64 = 1_796_640_000; // 2026-12-07 04:40, Mexico City

fn item(team: &str, column: Column, id: &str, cents: i64, label: &str) -> ChangeItem {
    ChangeItem {
        team: TeamId::new(team),
        column,
        dataset: match column {
            Column::NewInvoices | Column::Cancelled => Dataset::Invoices,
            Column::ClientsFailing => Dataset::Clients,
            Column::ExpiringReceipts => Dataset::Receipts,
            _ => Dataset::Payments,
        },
        id: id.into(),
        amount: Decimal::new(cents, 2),
        seen: SEEN,
        label: label.into(),
    }
}

fn sample() -> gigdash::brief::Brief {
    let items = vec![
        item(
            "t1",
            Column::Collected,
            "payment_a1",
            116_000,
            "payment_a1 · Ferretería Núñez",
        ),
        item(
            "t1",
            Column::Collected,
            "payment_a2",
            4_060_050,
            "payment_a2 · Público en General",
        ),
        item(
            "t1",
            Column::Failed,
            "payment_a3",
            99_900,
            "payment_a3 · *Abarrotes* | [Zapoteca](x)",
        ),
        item(
            "t3",
            Column::Cancelled,
            "inv_b2",
            58_000,
            "F-1042 · María Hernández Castañeda",
        ),
        item(
            "t3",
            Column::LateComplements,
            "payment_c1",
            25_000_000,
            "F-0988 · Turismo · 2026-12-05",
        ),
        item(
            "t3",
            Column::ClientsFailing,
            "client_c2",
            0,
            "Sofía Castañeda Peña · CAPS800101AB1",
        ),
        item(
            "t4",
            Column::ExpiringReceipts,
            "receipt_r1",
            58_000,
            "Público en general · 2026-12-10 08:11",
        ),
    ];
    let teams = vec![
        (TeamId::new("t1"), "Doña Lupe Matriz".to_string()),
        (TeamId::new("t2"), "Doña Lupe Centro".to_string()),
        (TeamId::new("t3"), "Doña Lupe #Coyoacán".to_string()),
        (TeamId::new("t4"), "Doña Lupe Roma".to_string()),
    ];
    gigdash::brief::make(&items, &teams, 1_796_605_800, 1_796_650_000)
}

#[test]
fn the_markdown_brief_in_both_languages() {
    let b = sample();
    assert!(b.needs_attention);
    // A team with only a receipt about to expire is listed, not counted as changed.
    assert_eq!((b.teams_changed, b.teams_looked), (2, 4));
    assert_eq!(b.teams.len(), 3);
    for (lang, name) in [(Lang::En, "brief_md_en"), (Lang::Es, "brief_md_es")] {
        let md = String::from_utf8(gigdash::brief::render(&b, "md", lang).unwrap()).unwrap();
        // The team without changes is not listed; markup in API text is escaped.
        assert!(!md.contains("Centro"), "{md}");
        assert!(md.contains("\\*Abarrotes\\* \\| \\[Zapoteca\\](x)"), "{md}");
        assert!(md.contains("## Doña Lupe \\#Coyoacán"), "{md}");
        assert!(md.contains("## Doña Lupe Roma"), "{md}");
        insta::assert_snapshot!(name, md);
    }
}

#[test]
fn nothing_changed_says_so_and_needs_nothing() {
    let teams = vec![(TeamId::new("t1"), "Doña Lupe Matriz".to_string())];
    let b = gigdash::brief::make(&[], &teams, 1_796_605_800, 1_796_650_000);
    assert!(!b.needs_attention);
    let md = String::from_utf8(gigdash::brief::render(&b, "md", Lang::Es).unwrap()).unwrap();
    assert!(md.contains("Nada cambió en el equipo revisado."), "{md}");
}

#[test]
fn json_amounts_are_exact_and_csv_cells_are_guarded() {
    let b = sample();
    let json: serde_json::Value =
        serde_json::from_slice(&gigdash::brief::render(&b, "json", Lang::En).unwrap()).unwrap();
    let collected = &json["teams"][0]["changes"][0];
    assert_eq!(collected["kind"], "collected");
    assert_eq!(collected["count"], 2);
    assert_eq!(collected["amount"], "41760.5");
    assert_eq!(json["teams"][0]["documents"][1]["seen"], "2026-12-07 04:40");
    let items = vec![item("t1", Column::Collected, "p", 100, "=HYPERLINK(\"x\")")];
    let teams = vec![(TeamId::new("t1"), "+Sucursal".to_string())];
    let b = gigdash::brief::make(&items, &teams, 0, 1);
    let csv = gigdash::brief::render(&b, "csv", Lang::En).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let row = r.records().next().unwrap().unwrap();
    // The team's name and the label start with a quote: never a formula.
    assert_eq!(&row[1], "'+Sucursal");
    assert!(row[7].starts_with("'="), "{:?}", &row[7]);
    assert!(gigdash::brief::render(&b, "xml", Lang::En).is_err());
}

#[test]
fn a_brief_cut_to_the_newest_changes_says_so() {
    let mut b = sample();
    assert!(
        !String::from_utf8(gigdash::brief::render(&b, "md", Lang::En).unwrap())
            .unwrap()
            .contains("Only the newest")
    );
    b.capped = true;
    let md = String::from_utf8(gigdash::brief::render(&b, "md", Lang::En).unwrap()).unwrap();
    assert!(
        md.contains("_Only the newest 50,000 changes are counted"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&gigdash::brief::render(&b, "json", Lang::En).unwrap()).unwrap();
    assert_eq!(json["capped"], true);
}
