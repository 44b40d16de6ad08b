//! The sandbox serving a page of 100 invoices from a `--scale 100000` world over loopback
//! HTTP: the first page, and a page deep into the cursor walk.

use criterion::{Criterion, criterion_group, criterion_main};
use gigdash::sandbox::{SandboxConfig, start};

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let t = std::time::Instant::now();
    let sb = rt
        .block_on(start(SandboxConfig {
            scale: 100_000,
            anchor: Some(1_790_000_000),
            ..Default::default()
        }))
        .unwrap();
    eprintln!("100k world built and serving in {:?}", t.elapsed());
    let http = reqwest::Client::new();
    let key = sb.admin_key().to_string();
    let branch = sb
        .shared
        .store()
        .teams
        .iter()
        .find(|t| t.active && !t.connect)
        .unwrap()
        .id
        .clone();
    let url = format!("{}/invoices/income?limit=100&team={branch}", sb.base_url);
    let deep = rt.block_on(async {
        let mut next = String::new();
        for _ in 0..30 {
            let v: serde_json::Value = http
                .get(format!("{url}{next}"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            next = format!("&next={}", v["next"].as_str().unwrap());
        }
        format!("{url}{next}")
    });
    let mut g = c.benchmark_group("sandbox_100k");
    for (name, u) in [("first_page_100", url.clone()), ("page_31_of_100", deep)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let r = http.get(&u).bearer_auth(&key).send().await.unwrap();
                    assert_eq!(r.status(), 200);
                    r.bytes().await.unwrap()
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
