//! The Overview tab: this month's figures, a bar chart of 12 months of invoicing and a
//! sparkline of 30 days of collections.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::parts::{SPINNER, thousands};
use super::table::message;
use super::theme::Theme;
use crate::api::Amount;
use crate::app::state::{State, TeamView};
use crate::i18n::Lang;
use crate::t;

fn pesos(d: Decimal) -> String {
    Amount(d.round_dp(2)).display("MXN")
}

/// A month key (`2026-11`) as words: `Nov 2026` / `nov 2026`, or just the month.
fn month(lang: Lang, key: &str, with_year: bool) -> String {
    let (year, m) = key.split_once('-').unwrap_or((key, ""));
    let name = m.parse().map(|m| lang.month_short(m)).unwrap_or(m);
    if with_year {
        format!("{name} {year}")
    } else {
        name.to_string()
    }
}

pub fn draw(state: &State, view: &TeamView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let Some(o) = &view.overview else {
        let text = if view.is_loading() {
            let spin = SPINNER[state.spinner % SPINNER.len()];
            t!(
                l,
                "{spin} Loading this team's invoices and payments…",
                "{spin} Cargando las facturas y los pagos de este equipo…"
            )
        } else {
            l.pick(
                "No figures yet. Press r to load them.",
                "Aún no hay cifras. Pulsa r para cargarlas.",
            )
            .to_string()
        };
        message(frame, area, &text, theme, false);
        return;
    };
    let [figures, charts] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(4)]).areas(area);
    let boxes = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(figures);
    let this_month = month(l, &o.month_label, true);
    let (invoices, pending, open) = (
        thousands(o.invoices_month),
        thousands(o.pending_count),
        thousands(o.ppd_open),
    );
    let cards = [
        (
            t!(l, "Invoiced {this_month}", "Facturado {this_month}"),
            pesos(o.invoiced_month),
            t!(l, "{invoices} invoices", "{invoices} facturas"),
        ),
        (
            t!(l, "Collected {this_month}", "Cobrado {this_month}"),
            pesos(o.collected_month),
            l.pick("payments received", "pagos recibidos").to_string(),
        ),
        (
            l.pick("Pending payments", "Pagos pendientes").to_string(),
            pesos(o.pending_amount),
            t!(l, "{pending} to collect", "{pending} por cobrar"),
        ),
        (
            l.pick("PPD balance owed", "Saldo PPD por cobrar")
                .to_string(),
            pesos(o.ppd_owed),
            t!(l, "{open} open PPD", "{open} PPD abiertas"),
        ),
    ];
    for ((title, value, sub), r) in cards.into_iter().zip(boxes.iter()) {
        let p = Paragraph::new(vec![
            Line::styled(value, theme.accent()),
            Line::styled(sub, theme.dim()),
        ])
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Span::styled(title, theme.title())),
        );
        frame.render_widget(p, *r);
    }
    let [bars_area, spark_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(charts);
    let bars: Vec<Bar> = o
        .monthly
        .iter()
        .map(|(label, v)| {
            let k = (*v / Decimal::from(1000)).to_u64().unwrap_or(0);
            Bar::default()
                .value(k)
                .label(Line::from(month(l, label, false)))
                .text_value(format!("{k}k"))
        })
        .collect();
    let bar_width = ((bars_area.width.saturating_sub(2)) / 12)
        .saturating_sub(1)
        .clamp(3, 9);
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Span::styled(
                    l.pick(
                        "Invoiced per month, thousands MXN",
                        "Facturado por mes, miles de MXN",
                    ),
                    theme.title(),
                )),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(theme.chart())
        .value_style(theme.selected());
    frame.render_widget(chart, bars_area);
    let daily: Vec<u64> = o
        .daily
        .iter()
        .map(|d| d.round().to_u64().unwrap_or(0))
        .collect();
    let total: Decimal = crate::api::money::sum(o.daily.iter().copied());
    let spark = Sparkline::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Span::styled(
                    t!(
                        l,
                        "Collected per day, last 30 days: {}",
                        "Cobrado por día, últimos 30 días: {}",
                        pesos(total)
                    ),
                    theme.title(),
                )),
        )
        .data(&daily)
        .style(theme.chart());
    frame.render_widget(spark, spark_area);
}
