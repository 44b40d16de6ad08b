//! The Overview tab: this month's figures, a bar chart of 12 months of invoicing and a
//! sparkline of 30 days of collections.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::table::message;
use super::theme::Theme;
use super::{SPINNER, thousands};
use crate::api::Amount;
use crate::app::state::{State, TeamView};

fn pesos(d: Decimal) -> String {
    Amount(d.round_dp(2)).display("MXN")
}

pub fn draw(state: &State, view: &TeamView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(o) = &view.overview else {
        let text = if view.is_loading() {
            format!(
                "{} Loading this team's invoices and payments…",
                SPINNER[state.spinner % SPINNER.len()]
            )
        } else {
            "No figures yet. Press r to load them.".to_string()
        };
        message(frame, area, &text, theme, false);
        return;
    };
    let [figures, charts] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(4)]).areas(area);
    let boxes = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(figures);
    let cards = [
        (
            format!("Invoiced {}", o.month_label),
            pesos(o.invoiced_month),
            format!("{} invoices", thousands(o.invoices_month)),
        ),
        (
            format!("Collected {}", o.month_label),
            pesos(o.collected_month),
            "payments received".to_string(),
        ),
        (
            "Pending payments".to_string(),
            pesos(o.pending_amount),
            format!("{} to collect", thousands(o.pending_count)),
        ),
        (
            "PPD balance owed".to_string(),
            pesos(o.ppd_owed),
            format!("{} open PPD", thousands(o.ppd_open)),
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
                .label(Line::from(label[2..].to_string()))
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
                    "Invoiced per month, thousands MXN",
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
    let total: Decimal = o.daily.iter().copied().sum();
    let spark = Sparkline::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border())
                .title(Span::styled(
                    format!("Collected per day, last 30 days: {}", pesos(total)),
                    theme.title(),
                )),
        )
        .data(&daily)
        .style(theme.chart());
    frame.render_widget(spark, spark_area);
}
