//! "Since you last looked": the kinds of change the Group tab's `c` counts and which one a
//! stored change is, the documents behind each (team, kind) cell with their counts and
//! amounts, what needs attention, and how `:since` is said (`24h`, `lunes`, `2026-12-01`).
//! Data only: the worker finds the changes, `ui` draws them.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::api::{InvoiceStatus, PaymentStatus, TeamId, money};
use crate::app::data::dataset::Dataset;
use crate::i18n::{Lang, Tr, tr};

/// The kinds of change, in the order of the table's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Payments that became paid (a link paid, money registered).
    Collected,
    /// Payment links new since then, still to pay.
    NewLinks,
    /// Payments that failed.
    Failed,
    /// Invoices stamped (or waiting to be) that are new since then.
    NewInvoices,
    /// Invoices cancelled.
    Cancelled,
    /// Payment complements whose SAT deadline passed meanwhile (or whose payment arrived
    /// already past it).
    LateComplements,
    /// Receipts still open that expire into the global invoice within 7 days: not a change
    /// but what the week holds, shown beside the changes (a team with only these has not
    /// "changed").
    ExpiringReceipts,
    /// Clients that fail the fiscal check and did not before.
    ClientsFailing,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Collected,
        Column::NewLinks,
        Column::Failed,
        Column::NewInvoices,
        Column::Cancelled,
        Column::LateComplements,
        Column::ExpiringReceipts,
        Column::ClientsFailing,
    ];

    pub fn index(self) -> usize {
        Column::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The column's heading.
    pub fn title(self) -> Tr {
        match self {
            Column::Collected => tr("Collected", "Cobrado"),
            Column::NewLinks => tr("New links", "Ligas nuevas"),
            Column::Failed => tr("Failed", "Fallidos"),
            Column::NewInvoices => tr("New invoices", "Facturas nuevas"),
            Column::Cancelled => tr("Cancelled", "Canceladas"),
            Column::LateComplements => tr("Late compl.", "Compl. tarde"),
            Column::ExpiringReceipts => tr("Rcpts. ≤7d", "Recibos ≤7d"),
            Column::ClientsFailing => tr("Clients failing", "Clientes fallan"),
        }
    }

    /// The heading where columns are narrow (under 100 cells).
    pub fn short_title(self) -> Tr {
        match self {
            Column::Collected => tr("Paid", "Cobr."),
            Column::NewLinks => tr("Links", "Ligas"),
            Column::Failed => tr("Failed", "Fall."),
            Column::NewInvoices => tr("Inv.", "Fact."),
            Column::Cancelled => tr("Canc.", "Canc."),
            Column::LateComplements => tr("Late", "Tarde"),
            Column::ExpiringReceipts => tr("Rcpt", "Rec."),
            Column::ClientsFailing => tr("Fiscal", "Fiscal"),
        }
    }

    /// Whether a change of this kind is something to act on (the brief's exit status).
    pub fn needs_attention(self) -> bool {
        matches!(self, Column::Failed | Column::LateComplements)
    }

    /// Whether a document of this kind is a change since the moment asked (all but the
    /// receipts about to expire: those are what the coming week holds).
    pub fn is_change(self) -> bool {
        !matches!(self, Column::ExpiringReceipts)
    }

    /// Whether the cell shows an amount beside its count.
    pub fn has_amount(self) -> bool {
        !matches!(self, Column::ClientsFailing)
    }
}

/// Which kind of change a stored change of a payment or invoice is (`None`: one the
/// figures do not count, such as a draft saved or an amount corrected).
pub fn classify(dataset: Dataset, before: Option<&str>, after: Option<&str>) -> Option<Column> {
    let after = after?;
    match dataset {
        Dataset::Payments => {
            let now = PaymentStatus::from(after.to_string());
            let was = before.map(|b| PaymentStatus::from(b.to_string()));
            if was.as_ref() == Some(&now) {
                return None;
            }
            match now {
                PaymentStatus::Succeeded => Some(Column::Collected),
                PaymentStatus::Failed => Some(Column::Failed),
                PaymentStatus::RequiresPaymentMethod
                | PaymentStatus::Pending
                | PaymentStatus::Processing
                    if was.is_none() =>
                {
                    Some(Column::NewLinks)
                }
                _ => None,
            }
        }
        Dataset::Invoices => {
            let now = InvoiceStatus::from(after.to_string());
            let was = before.map(|b| InvoiceStatus::from(b.to_string()));
            if was.as_ref() == Some(&now) {
                return None;
            }
            match now {
                InvoiceStatus::Canceled => Some(Column::Cancelled),
                InvoiceStatus::Valid | InvoiceStatus::Pending if was.is_none() => {
                    Some(Column::NewInvoices)
                }
                _ => None,
            }
        }
        Dataset::Clients | Dataset::Receipts => None,
    }
}

/// One document behind a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeItem {
    pub team: TeamId,
    pub column: Column,
    pub dataset: Dataset,
    pub id: String,
    /// In pesos.
    pub amount: Decimal,
    /// When the change was seen (for a late complement: when its deadline passed).
    pub seen: i64,
    /// What the list shows of it (folio, client), printable.
    pub label: String,
}

/// A cell: how many, and how much.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    pub count: usize,
    pub amount: Decimal,
}

/// One team's cells, in `Column::ALL` order.
pub type TeamCells = [Cell; 8];

/// Every team's cells, from the items; teams without a change are absent.
pub fn per_team(items: &[ChangeItem]) -> HashMap<TeamId, TeamCells> {
    let mut out: HashMap<TeamId, TeamCells> = HashMap::new();
    for i in items {
        let cell = &mut out.entry(i.team.clone()).or_default()[i.column.index()];
        cell.count += 1;
        cell.amount = money::add(cell.amount, i.amount);
    }
    out
}

/// The sum of some teams' cells.
pub fn total<'a>(cells: impl Iterator<Item = &'a TeamCells>) -> TeamCells {
    let mut out = TeamCells::default();
    for c in cells {
        for (o, c) in out.iter_mut().zip(c) {
            o.count += c.count;
            o.amount = money::add(o.amount, c.amount);
        }
    }
    out
}

/// How many teams changed: those with a change, not only receipts about to expire.
pub fn teams_changed(cells: &HashMap<TeamId, TeamCells>) -> usize {
    cells
        .values()
        .filter(|c| {
            Column::ALL
                .iter()
                .any(|col| col.is_change() && c[col.index()].count > 0)
        })
        .count()
}

/// Whether any item needs attention (a failed payment, a late complement).
pub fn needs_attention(items: &[ChangeItem]) -> bool {
    items.iter().any(|i| i.column.needs_attention())
}

/// A cell as the table shows it: `3 · $1,200.00`, `2`, or `·` for none.
pub fn cell_text(column: Column, cell: &Cell) -> String {
    if cell.count == 0 {
        return "·".into();
    }
    if column.has_amount() && !cell.amount.is_zero() {
        format!(
            "{} · {}",
            crate::text::thousands(cell.count),
            pesos(cell.amount)
        )
    } else {
        crate::text::thousands(cell.count)
    }
}

/// A team's cells as the table writes them — with their amounts, and as counts only —
/// made once when the answer arrives, not on every frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellTexts {
    pub amounts: [String; 8],
    pub counts: [String; 8],
}

impl CellTexts {
    pub fn of(cells: &TeamCells) -> CellTexts {
        let mut out = CellTexts::default();
        for col in Column::ALL {
            let (i, cell) = (col.index(), &cells[col.index()]);
            out.amounts[i] = cell_text(col, cell);
            out.counts[i] = if cell.count == 0 {
                "·".into()
            } else {
                crate::text::thousands(cell.count)
            };
        }
        out
    }
}

/// Pesos as the Group tab writes them (the title says MXN).
pub fn pesos(d: Decimal) -> String {
    let text = crate::api::Amount(d.round_dp(2)).display("MXN");
    text.trim_end_matches(" MXN").to_string()
}

/// The moment `text` names, before `now` (epoch seconds): `24h`, `3d`, `90m`, `hoy`/`today`,
/// `ayer`/`yesterday`, a weekday (`lunes`, `monday`: its most recent start, today's if it
/// is that day), `2026-12-01` or `2026-12-01 19:40` (Mexico City). Errors in words.
pub fn parse_since(text: &str, now: i64, lang: Lang) -> Result<i64, String> {
    use jiff::civil::{Date, DateTime, Weekday};
    let t = text.trim().to_lowercase();
    let said = crate::text::printable(text.trim());
    let bad = || {
        crate::t!(
            lang,
            "«{said}» is not a moment: try 24h, 3d, ayer, lunes or 2026-12-01",
            "«{said}» no es un momento: prueba 24h, 3d, ayer, lunes o 2026-12-01"
        )
    };
    let tz = crate::api::time::mexico_city().clone();
    let today = jiff::Timestamp::from_second(now)
        .map_err(|_| bad())?
        .to_zoned(tz.clone())
        .date();
    let start_of = |d: Date| -> Result<i64, String> {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|_| bad())
    };
    if t.is_empty() {
        return Err(bad());
    }
    // A number and a unit.
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        let unit = t[digits.len()..].trim();
        let per = match unit {
            "m" | "min" | "mins" => Some(60),
            "h" | "hr" | "hrs" | "hours" | "horas" => Some(3_600),
            "d" | "days" | "días" | "dias" => Some(86_400),
            "w" | "weeks" | "semanas" | "sem" => Some(7 * 86_400),
            _ => None,
        };
        if let (Some(per), Ok(n)) = (per, digits.parse::<i64>()) {
            return n
                .checked_mul(per)
                .filter(|s| *s > 0)
                .map(|s| now - s)
                .ok_or_else(bad);
        }
    }
    let weekday = match t.as_str() {
        "today" | "hoy" => return start_of(today),
        "yesterday" | "ayer" => return start_of(today.yesterday().map_err(|_| bad())?),
        "monday" | "lunes" => Some(Weekday::Monday),
        "tuesday" | "martes" => Some(Weekday::Tuesday),
        "wednesday" | "miércoles" | "miercoles" => Some(Weekday::Wednesday),
        "thursday" | "jueves" => Some(Weekday::Thursday),
        "friday" | "viernes" => Some(Weekday::Friday),
        "saturday" | "sábado" | "sabado" => Some(Weekday::Saturday),
        "sunday" | "domingo" => Some(Weekday::Sunday),
        _ => None,
    };
    if let Some(w) = weekday {
        let back =
            (today.weekday().to_monday_zero_offset() - w.to_monday_zero_offset()).rem_euclid(7);
        let day = today
            .checked_sub(jiff::Span::new().days(i64::from(back)))
            .map_err(|_| bad())?;
        return start_of(day);
    }
    // A time of day makes it a datetime (a date alone parses from one too, dropping it).
    let at = if !t.contains(':')
        && let Ok(d) = t.parse::<Date>()
    {
        start_of(d)?
    } else if let Ok(dt) = t.replacen(' ', "T", 1).parse::<DateTime>() {
        dt.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    if at >= now {
        return Err(crate::t!(
            lang,
            "«{said}» is not in the past",
            "«{said}» no está en el pasado"
        ));
    }
    Ok(at)
}

/// How a moment reads in "since …": `19:40` today, `ayer 19:40`, `lun 1 dic 19:40`
/// (Mexico City).
pub fn since_label(at: i64, now: i64, lang: Lang) -> String {
    let tz = crate::api::time::mexico_city().clone();
    let z = |s: i64| {
        jiff::Timestamp::from_second(s)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(tz.clone())
    };
    let (at_z, now_z) = (z(at), z(now));
    let hm = at_z.strftime("%H:%M").to_string();
    if at_z.date() == now_z.date() {
        hm
    } else if now_z.date().yesterday().ok() == Some(at_z.date()) {
        format!("{} {hm}", lang.pick("yesterday", "ayer"))
    } else {
        format!("{} {hm}", at_z.date())
    }
}

/// What a load of changes answers: the window, whether it starts at the end of the last
/// session, and the documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    pub since: i64,
    /// When they were read (epoch seconds, the worker's clock).
    pub now: i64,
    /// `since` is the end of the last session (not a `:since` the operator gave).
    pub last_session: bool,
    pub items: Vec<ChangeItem>,
    /// The window held more changes than one read takes: the newest only are counted.
    pub capped: bool,
}

/// The Group tab's "since" figures (`c`): on or off, the window asked, what came back and
/// the column the cursor is on.
#[derive(Clone, Debug, Default)]
pub struct ChangesView {
    /// The tab shows the changes instead of the month's figures.
    pub on: bool,
    /// `:since` as typed; `None`: since the end of the last session.
    pub asked: Option<String>,
    /// What `asked` was for the answer shown (a refused `:since` goes back to it).
    pub kept_asked: Option<String>,
    pub loading: bool,
    pub error: Option<String>,
    /// The last answer, and its cells per team.
    pub shown: Option<Changes>,
    pub cells: HashMap<TeamId, TeamCells>,
    /// Those cells as written (`CellTexts::of`), per team.
    pub texts: HashMap<TeamId, CellTexts>,
    /// 0 is the team column; 1..=8 the kinds of change.
    pub column: usize,
    /// Teams that changed since the last session ended, when it ended, and when that was
    /// read: the header's "3 teams changed since 19:40".
    pub header: Option<(usize, i64, i64)>,
}

/// The documents behind one cell, as a popup lists them (`:changes`, Enter on a cell).
#[derive(Clone, Debug, Default)]
pub struct ChangesList {
    pub title: String,
    pub items: Vec<ChangeItem>,
    pub selected: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_655_140; // Monday 2026-12-07 08:52 in Mexico City

    #[test]
    fn each_kind_of_change_is_classified_by_what_it_became() {
        use Column::*;
        let p = |b: Option<&str>, a: &str| classify(Dataset::Payments, b, Some(a));
        let i = |b: Option<&str>, a: &str| classify(Dataset::Invoices, b, Some(a));
        assert_eq!(p(Some("pending"), "succeeded"), Some(Collected));
        assert_eq!(p(Some("requires_payment_method"), "paid"), Some(Collected));
        assert_eq!(
            p(None, "succeeded"),
            Some(Collected),
            "registered: new and paid"
        );
        assert_eq!(p(None, "requires_payment_method"), Some(NewLinks));
        assert_eq!(p(Some("pending"), "processing"), None, "not new, not paid");
        assert_eq!(p(Some("pending"), "failed"), Some(Failed));
        assert_eq!(
            p(Some("succeeded"), "succeeded"),
            None,
            "an amount corrected"
        );
        assert_eq!(
            p(Some("succeeded"), "paid"),
            None,
            "the same status spelled otherwise"
        );
        assert_eq!(p(Some("succeeded"), "refunded"), None);
        assert_eq!(i(None, "valid"), Some(NewInvoices));
        assert_eq!(i(None, "stamped"), Some(NewInvoices));
        assert_eq!(i(None, "draft"), None);
        assert_eq!(i(Some("valid"), "cancelled"), Some(Cancelled));
        assert_eq!(i(Some("canceled"), "cancelled"), None);
        assert_eq!(classify(Dataset::Payments, Some("pending"), None), None);
    }

    #[test]
    fn since_reads_hours_days_weekdays_and_dates_in_mexico_city() {
        let at = |t: &str| parse_since(t, NOW, Lang::Es);
        assert_eq!(at("24h"), Ok(NOW - 86_400));
        assert_eq!(at("3d"), Ok(NOW - 3 * 86_400));
        assert_eq!(at("90m"), Ok(NOW - 5_400));
        assert_eq!(at(" 2 semanas "), Ok(NOW - 14 * 86_400));
        // 2026-12-07 00:00 in Mexico City is 06:00 UTC.
        let today = 1_796_623_200;
        assert_eq!(at("hoy"), Ok(today));
        assert_eq!(at("ayer"), Ok(today - 86_400));
        assert_eq!(at("lunes"), Ok(today), "today is Monday: its start");
        assert_eq!(at("domingo"), Ok(today - 86_400));
        assert_eq!(at("Martes"), Ok(today - 6 * 86_400));
        assert_eq!(at("2026-12-01"), Ok(today - 6 * 86_400));
        assert_eq!(
            at("2026-12-01 19:40"),
            Ok(today - 6 * 86_400 + 19 * 3_600 + 40 * 60)
        );
        for bad in [
            "",
            "mañanita",
            "0h",
            "-3d",
            "2026-13-01",
            "99999999999999999999d",
        ] {
            assert!(at(bad).is_err(), "{bad:?} refused");
        }
        let future = at("2027-01-01").unwrap_err();
        assert!(future.contains("no está en el pasado"), "{future}");
        // Control characters never reach the message.
        let e = at("\u{1b}[31mx").unwrap_err();
        assert!(!e.contains('\u{1b}'), "{e:?}");
    }

    #[test]
    fn a_moment_of_today_reads_as_its_time() {
        let now = 1_796_655_140; // 2026-12-07 08:52 in Mexico City
        assert_eq!(since_label(now - 60, now, Lang::En), "08:51");
        assert_eq!(since_label(now - 86_400, now, Lang::En), "yesterday 08:52");
    }
}
