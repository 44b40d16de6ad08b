//! Cost of the invoice form's totals preview on a keystroke, for a 200-item invoice with
//! every kind of line (IVA 16 % and 8 %, zero, exempt, ISR and IVA withholdings, inclusive
//! prices, discounts): `totals::compute` alone, and reading every item's text fields as the
//! form holds them (`AmountField::read`, the tax preset by name) and then computing. Both
//! must stay well under one frame (16 ms).

use criterion::{Criterion, criterion_group, criterion_main};
use gigdash::app::data::totals::{self, ItemLine};
use gigdash::app::form::amount::AmountField;
use gigdash::i18n::Lang;
use rust_decimal::Decimal;
use tui_input::Input;

/// An item as the form holds it: text typed, and the tax preset chosen.
struct ItemFields {
    quantity: AmountField,
    unit_price: AmountField,
    discount: AmountField,
    inclusive: bool,
    taxes: &'static str,
}

fn field(s: String) -> AmountField {
    AmountField {
        input: Input::new(s),
    }
}

/// 200 items cycling through the presets; every third has a discount, every fifth an
/// inclusive price, prices written as people type them (`$1,450.50`).
fn fields(n: usize) -> Vec<ItemFields> {
    const TAXES: [&str; 6] = [
        "IVA 16%",
        "IVA 8%",
        "Exento",
        "IVA 16% − ret. ISR 10% e IVA 2/3",
        "IVA 0%",
        "IVA 16%",
    ];
    (0..n)
        .map(|i| ItemFields {
            quantity: field(format!("{}", 1 + i % 7)),
            unit_price: field(format!(
                "${},{:03}.{:02}",
                1 + i % 9,
                (i * 37) % 1000,
                (i * 13) % 100
            )),
            discount: field(if i % 3 == 0 {
                format!("{}.50", 10 + i % 40)
            } else {
                String::new()
            }),
            inclusive: i % 5 == 0,
            taxes: TAXES[i % TAXES.len()],
        })
        .collect()
}

/// What the form does with its fields before computing; `None` on a field that is not an
/// amount (the form would show that field's error instead of a total).
fn read(items: &[ItemFields]) -> Option<Vec<ItemLine>> {
    items
        .iter()
        .map(|f| {
            let discount = match f.discount.value().trim() {
                "" => Decimal::ZERO,
                _ => f.discount.read(Lang::Es).ok()?,
            };
            Some(ItemLine {
                quantity: f.quantity.read(Lang::Es).ok()?,
                unit_price: f.unit_price.read(Lang::Es).ok()?,
                discount,
                inclusive: f.inclusive,
                taxes: totals::preset(f.taxes)?,
            })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let fields = fields(200);
    let lines = read(&fields).expect("every field of the fixture reads");
    // Guard against a fixture that measures nothing: all 200 items, each kind present.
    assert_eq!(lines.len(), 200);
    assert!(lines.iter().any(|l| l.inclusive) && lines.iter().any(|l| !l.discount.is_zero()));
    let t = totals::compute(&lines).expect("the fixture's totals do not overflow");
    assert!(t.withheld > Decimal::ZERO && t.transferred > Decimal::ZERO);

    let mut g = c.benchmark_group("totals_200_items");
    g.bench_function("compute", |b| {
        b.iter(|| totals::compute(std::hint::black_box(&lines)))
    });
    g.bench_function("read_fields_and_compute", |b| {
        b.iter(|| read(std::hint::black_box(&fields)).and_then(|l| totals::compute(&l)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
