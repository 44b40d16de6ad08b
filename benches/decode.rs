//! Decoding throughput of the API layer: a page of 100 invoices and a 10,000-invoice dump,
//! both produced by the sandbox's own serializer (so realistic field mixes).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gigdash::api::{Invoice, Page, decode_page};
use gigdash::sandbox::{SandboxConfig, build_store};

fn dump(n: usize) -> Vec<u8> {
    let (store, _) = build_store(&SandboxConfig {
        scale: n + n / 5,
        anchor: Some(1_790_000_000),
        ..Default::default()
    });
    let mut all: Vec<serde_json::Value> = store
        .data
        .values()
        .flat_map(|d| d.income.iter())
        .map(|i| serde_json::to_value(i).unwrap())
        .collect();
    all.truncate(n);
    assert_eq!(all.len(), n);
    serde_json::to_vec(&serde_json::json!({
        "message": "Items retrieved successfully",
        "data": all,
        "has_more": true,
        "next": "MTc5MDAwMDAwMDp4",
        "total_results": n,
    }))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    for n in [100usize, 10_000] {
        let body = dump(n);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(format!("invoices_{n}"), |b| {
            b.iter(|| {
                let p: Page<Invoice> = decode_page(std::hint::black_box(&body)).unwrap();
                assert_eq!(p.items.len(), n);
                p
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
