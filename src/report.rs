//! The month-end summary (`gigdash report month`, `:month`): per team, what was invoiced,
//! collected and cancelled in a month (Mexico City), the receipts still waiting for the
//! global invoice, the payment complements owed (and how many are late), and the clients
//! that failed the fiscal check when it was last run; with totals. As CSV, JSON or
//! Markdown; every cell printable.

use futures::StreamExt;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::api::{
    ApiClient, ApiError, Invoice, ListQuery, Payment, PaymentStatus, Receipt, ReceiptStatus,
    Resource, Team, TeamId, money,
};
use crate::app::data::complements;
use crate::app::data::documents::{InvoiceRow, PaymentRow, RowStatus};
use crate::i18n::Lang;

/// A calendar month, `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    /// `YYYY-MM`, month 01–12; anything else is refused in words.
    pub fn parse(text: &str, lang: Lang) -> Result<Month, String> {
        let bad = || {
            crate::t!(
                lang,
                "«{}» is not a month: write it as YYYY-MM (2026-11)",
                "«{}» no es un mes: escríbelo como AAAA-MM (2026-11)",
                crate::text::printable(text)
            )
        };
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month `now` falls in, in Mexico City.
    pub fn of(now: i64) -> Month {
        let d = complements::local_date(now).unwrap_or(Date::constant(2026, 1, 1));
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// [start, end) in epoch seconds, Mexico City.
    pub fn bounds(self) -> (i64, i64) {
        let tz = crate::api::mexico_city();
        let start = |y: i16, m: i8| {
            Date::new(y, m, 1)
                .ok()
                .and_then(|d| d.to_zoned(tz.clone()).ok())
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0)
        };
        let (ny, nm) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        (start(self.year, self.month), start(ny, nm))
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// One team's month.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TeamMonth {
    pub team: String,
    pub name: String,
    pub invoiced: Decimal,
    pub invoices: usize,
    pub collected: Decimal,
    pub payments: usize,
    pub cancelled: Decimal,
    pub cancelled_invoices: usize,
    pub receipts_pending: usize,
    pub receipts_pending_amount: Decimal,
    pub complements_owed: usize,
    pub complements_overdue: usize,
    /// Clients that failed the last fiscal check; `None` when it was never run.
    pub clients_failing: Option<usize>,
    /// Why the team could not be read, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl TeamMonth {
    fn add(&mut self, o: &TeamMonth) {
        self.invoiced = money::add(self.invoiced, o.invoiced);
        self.invoices += o.invoices;
        self.collected = money::add(self.collected, o.collected);
        self.payments += o.payments;
        self.cancelled = money::add(self.cancelled, o.cancelled);
        self.cancelled_invoices += o.cancelled_invoices;
        self.receipts_pending += o.receipts_pending;
        self.receipts_pending_amount =
            money::add(self.receipts_pending_amount, o.receipts_pending_amount);
        self.complements_owed += o.complements_owed;
        self.complements_overdue += o.complements_overdue;
        if let Some(n) = o.clients_failing {
            self.clients_failing = Some(self.clients_failing.unwrap_or(0) + n);
        }
    }
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub month: String,
    pub teams: Vec<TeamMonth>,
    pub totals: TeamMonth,
}

async fn all<T: serde::de::DeserializeOwned + Send + 'static>(
    client: &ApiClient,
    team: &TeamId,
    resource: Resource,
) -> Result<Vec<T>, ApiError> {
    let mut out = Vec::new();
    let mut pages =
        std::pin::pin!(client.list_all::<T>(team.clone(), resource, ListQuery::default()));
    while let Some(p) = pages.next().await {
        out.extend(p?.items);
    }
    Ok(out)
}

/// One team's month from its invoices, payments and receipts (as the API lists them).
pub fn team_month(
    team: &Team,
    invoices: &[Invoice],
    payments: &[Payment],
    receipts: &[Receipt],
    month: Month,
    now: i64,
) -> TeamMonth {
    let (start, end) = month.bounds();
    let inside = |t: Option<i64>| t.is_some_and(|t| t >= start && t < end);
    let inv_rows: Vec<InvoiceRow> = invoices
        .iter()
        .map(|i| InvoiceRow::from_api(i, Lang::En))
        .collect();
    let pay_rows: Vec<PaymentRow> = payments
        .iter()
        .map(|p| PaymentRow::from_api(p, Lang::En))
        .collect();
    let mut m = TeamMonth {
        team: team.id.to_string(),
        name: crate::text::printable(team.display_name()),
        ..TeamMonth::default()
    };
    for r in &inv_rows {
        if r.kind() != "I" || !inside(Some(r.created)) {
            continue;
        }
        match r.status {
            RowStatus::Valid => {
                m.invoiced = money::add(m.invoiced, r.total_mxn());
                m.invoices += 1;
            }
            RowStatus::Canceled => {
                m.cancelled = money::add(m.cancelled, r.total_mxn());
                m.cancelled_invoices += 1;
            }
            _ => {}
        }
    }
    for p in &pay_rows {
        if matches!(
            p.status(),
            PaymentStatus::Succeeded | PaymentStatus::Refunded
        ) && inside(p.succeeded_at())
        {
            m.collected = money::add(m.collected, p.total_mxn());
            m.payments += 1;
        }
    }
    for r in receipts {
        let waiting = matches!(
            r.status,
            Some(ReceiptStatus::Pending) | Some(ReceiptStatus::Expired)
        );
        if waiting && inside(r.created().map(|c| c.as_second())) {
            m.receipts_pending += 1;
            let total = r.total.map(|t| t.0).unwrap_or_default();
            m.receipts_pending_amount = money::add(m.receipts_pending_amount, total);
        }
    }
    let owed = complements::owed(&inv_rows, &pay_rows, now);
    m.complements_owed = owed.len();
    m.complements_overdue = owed.iter().filter(|o| o.overdue).count();
    m
}

/// Reads every team (a few at once, under the client's one rate limit) and sums them.
/// `failing(team)` is how many clients failed the last fiscal check, if it ran.
pub async fn month(
    client: &ApiClient,
    teams: &[Team],
    month: Month,
    now: i64,
    lang: Lang,
    failing: impl Fn(&TeamId) -> Option<usize>,
) -> Report {
    let at_once = client.concurrency();
    let jobs: Vec<(usize, Team, ApiClient)> = teams
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, t)| (i, t, client.clone()))
        .collect();
    let mut rows: Vec<(usize, TeamMonth)> = futures::stream::iter(jobs)
        .map(|(i, team, client)| async move {
            let read = async {
                let invoices = all::<Invoice>(&client, &team.id, Resource::IncomeInvoices).await?;
                let payments = all::<Payment>(&client, &team.id, Resource::Payments).await?;
                let receipts = all::<Receipt>(&client, &team.id, Resource::Receipts).await?;
                Ok::<_, ApiError>(team_month(
                    &team, &invoices, &payments, &receipts, month, now,
                ))
            }
            .await;
            let row = read.unwrap_or_else(|e| TeamMonth {
                team: team.id.to_string(),
                name: crate::text::printable(team.display_name()),
                error: Some(crate::text::printable(&e.describe_cli(lang))),
                ..TeamMonth::default()
            });
            (i, row)
        })
        .buffer_unordered(at_once)
        .collect()
        .await;
    // As the Group tab lists teams: names as a Spanish speaker sorts them (accents folded,
    // ñ after n), the same name told apart by RFC — never the order reads finished in.
    rows.sort_by_cached_key(|(i, r)| {
        let rfc = teams
            .get(*i)
            .map(|t| t.rfc().to_string())
            .unwrap_or_default();
        (crate::i18n::sort_key(&r.name), rfc)
    });
    let mut totals = TeamMonth {
        name: lang.pick("Total", "Total").into(),
        ..TeamMonth::default()
    };
    let mut teams_out = Vec::new();
    for (_, mut r) in rows {
        r.clients_failing = failing(&TeamId::new(r.team.clone()));
        totals.add(&r);
        teams_out.push(r);
    }
    Report {
        month: month.label(),
        teams: teams_out,
        totals,
    }
}

/// The column titles, in the language asked.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    crate::app::data::account::MONTH_COLUMNS
        .iter()
        .map(|t| t.get(lang))
        .collect()
}

/// A row as cells (pesos without the currency: the titles say MXN).
pub fn cells(r: &TeamMonth, lang: Lang) -> Vec<String> {
    let pesos = |d: Decimal| {
        crate::api::Amount(d.round_dp(2))
            .display("MXN")
            .trim_end_matches(" MXN")
            .to_string()
    };
    if let Some(e) = &r.error {
        let mut row = vec![r.name.clone(), e.clone()];
        row.resize(9, String::new());
        return row;
    }
    vec![
        r.name.clone(),
        pesos(r.invoiced),
        crate::text::thousands(r.invoices),
        pesos(r.collected),
        format!(
            "{} · {}",
            crate::text::thousands(r.cancelled_invoices),
            pesos(r.cancelled)
        ),
        format!(
            "{} · {}",
            crate::text::thousands(r.receipts_pending),
            pesos(r.receipts_pending_amount)
        ),
        crate::text::thousands(r.complements_owed),
        crate::text::thousands(r.complements_overdue),
        r.clients_failing
            .map(crate::text::thousands)
            .unwrap_or_else(|| lang.pick("not checked", "sin revisar").into()),
    ]
}

/// A row as `:month` shows it (fewer, narrower cells: 80 columns hold it).
pub fn short_cells(r: &TeamMonth, lang: Lang) -> Vec<String> {
    let c = cells(r, lang);
    if r.error.is_some() {
        let mut row = vec![c[0].clone(), c[1].clone()];
        row.resize(7, String::new());
        return row;
    }
    let pesos = |d: Decimal| {
        crate::api::Amount(d.round_dp(2))
            .display("MXN")
            .trim_end_matches(" MXN")
            .to_string()
    };
    vec![
        c[0].clone(),
        c[1].clone(),
        c[3].clone(),
        pesos(r.cancelled),
        crate::text::thousands(r.receipts_pending),
        format!("{} / {}", r.complements_owed, r.complements_overdue),
        r.clients_failing
            .map(crate::text::thousands)
            .unwrap_or_else(|| "—".into()),
    ]
}

/// The report as `csv`, `json` or `md`.
pub fn render(report: &Report, format: &str, lang: Lang) -> Result<Vec<u8>, String> {
    match format {
        "json" => serde_json::to_vec_pretty(report).map_err(|e| e.to_string()),
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(headers(lang));
            for r in report.teams.iter().chain(std::iter::once(&report.totals)) {
                let row: Vec<String> = cells(r, lang)
                    .iter()
                    .map(|c| crate::text::csv_cell(c))
                    .collect();
                let _ = w.write_record(row);
            }
            w.into_inner().map_err(|e| e.to_string())
        }
        "md" => {
            let esc = |c: &str| c.replace('|', "\\|");
            let mut out = format!(
                "# {} {}\n\n| {} |\n|{}\n",
                lang.pick("Month end", "Cierre de mes"),
                report.month,
                headers(lang).join(" | "),
                "---|".repeat(9)
            );
            for r in report.teams.iter().chain(std::iter::once(&report.totals)) {
                let row: Vec<String> = cells(r, lang).iter().map(|c| esc(c)).collect();
                out.push_str(&format!("| {} |\n", row.join(" | ")));
            }
            Ok(out.into_bytes())
        }
        other => Err(crate::t!(
            lang,
            "unknown format «{}»: use csv, json or md",
            "formato desconocido «{}»: usa csv, json o md",
            crate::text::printable(other)
        )),
    }
}
