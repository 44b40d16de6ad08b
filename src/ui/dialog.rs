//! The write dialogs: they name the team (and say when it is not the key's own), the client,
//! the amount and live/test; show each field; start on "No".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use super::{centered, clear};
use crate::app::actions::{Dialog, Field, MOTIVES, WriteKind};

fn label(text: &str, focused: bool, theme: &Theme) -> Span<'static> {
    let marker = if focused { "› " } else { "  " };
    Span::styled(
        format!("{marker}{text:<20}"),
        if focused { theme.accent() } else { theme.dim() },
    )
}

fn input(value: &str, focused: bool) -> Span<'static> {
    Span::raw(if focused {
        format!("{value}▏")
    } else {
        value.to_string()
    })
}

pub fn draw(d: &Dialog, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines: Vec<Line> = Vec::new();
    let mut team = vec![
        Span::styled("  Team                ", theme.dim()),
        Span::styled(d.team_name.clone(), theme.title()),
    ];
    if d.connect {
        team.push(Span::styled(
            "  via Connect: not your key's own team",
            theme.accent(),
        ));
    }
    lines.push(Line::from(team));
    lines.push(Line::from(vec![
        Span::styled("  Key                 ", theme.dim()),
        if d.live {
            Span::styled(" LIVE — real tax documents and money ", theme.live_badge())
        } else {
            Span::styled(" TEST ", theme.badge(Color::Yellow))
        },
    ]));
    lines.push(Line::from(vec![
        Span::styled("  Client              ", theme.dim()),
        Span::raw(d.client.clone()),
    ]));
    lines.push(Line::from(vec![
        Span::styled("  Amount              ", theme.dim()),
        Span::styled(d.amount_text.clone(), theme.title()),
    ]));
    let what = if d.kind == WriteKind::CancelInvoice {
        "  Invoice UUID        "
    } else {
        "  Payment             "
    };
    lines.push(Line::from(vec![
        Span::styled(what, theme.dim()),
        Span::raw(d.object_id.clone()),
    ]));
    lines.push(Line::raw(""));

    match d.kind {
        WriteKind::MarkPaid => {
            let f = d.focus == Field::Form;
            lines.push(Line::from(vec![
                label("Payment form", f, theme),
                input(d.form_filter.value(), f),
            ]));
            let forms = d.forms();
            let sel = d.form_index.min(forms.len().saturating_sub(1));
            let start = sel.saturating_sub(2);
            for (i, (code, name)) in forms.iter().enumerate().skip(start).take(5) {
                let style = if i == sel {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::raw("                        "),
                    Span::styled(format!(" {code} {name} "), style),
                ]));
            }
            if forms.is_empty() {
                lines.push(Line::styled(
                    "                        no form matches (99 is never offered)",
                    theme.dim(),
                ));
            }
            let f = d.focus == Field::Date;
            lines.push(Line::from(vec![
                label("Date (Mexico City)", f, theme),
                input(d.date.value(), f),
            ]));
        }
        WriteKind::Refund => {
            let f = d.focus == Field::Amount;
            lines.push(Line::from(vec![
                label("Amount", f, theme),
                input(d.amount.value(), f),
                Span::styled(
                    format!(
                        "  of {} refundable",
                        crate::api::Amount(d.refundable).display(&d.currency)
                    ),
                    theme.dim(),
                ),
            ]));
            let f = d.focus == Field::Reason;
            lines.push(Line::from(vec![
                label("Reason (optional)", f, theme),
                input(d.reason.value(), f),
            ]));
            lines.push(Line::styled(
                "  A refund returns money; it does not undo the invoice. Issue a credit note (egreso, relation 01 or 03, use G02).",
                theme.dim(),
            ));
        }
        WriteKind::CancelPayment => {
            lines.push(Line::styled(
                "  The payment link stops working; nothing was collected, so nothing is refunded.",
                theme.dim(),
            ));
        }
        WriteKind::CancelInvoice => {
            let f = d.focus == Field::Motive;
            lines.push(Line::from(vec![label("Motive (1-4, ↑↓)", f, theme)]));
            for (i, (code, text)) in MOTIVES.iter().enumerate() {
                let style = if i == d.motive {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(format!(" {code} {text} "), style),
                ]));
            }
            if d.motive == 0 {
                let f = d.focus == Field::Substitution;
                lines.push(Line::from(vec![
                    label("Replacing UUID (↑↓)", f, theme),
                    input(d.substitution.value(), f),
                ]));
                if let Some((_, l)) = d
                    .substitution_choices
                    .iter()
                    .find(|(u, _)| u == d.substitution.value())
                {
                    lines.push(Line::styled(
                        format!("                        {l}"),
                        theme.dim(),
                    ));
                } else if d.substitution_choices.is_empty() {
                    lines.push(Line::styled("                        no other valid invoice for this client in this team", theme.dim()));
                }
            }
        }
    }
    for w in &d.warnings {
        lines.push(Line::from(vec![
            Span::styled("  ⚠ ", theme.accent()),
            Span::styled(w.clone(), theme.accent()),
        ]));
    }
    if d.needs_word() {
        let f = d.focus == Field::Word;
        let word = d.kind.confirm_word().unwrap_or("");
        lines.push(Line::from(vec![
            label(&format!("Type {word}"), f, theme),
            input(d.word.value(), f),
        ]));
    }
    if let Some(e) = &d.error {
        lines.push(Line::from(vec![
            Span::styled("  ✗ ", theme.error()),
            Span::styled(e.clone(), theme.error()),
        ]));
    }
    lines.push(Line::raw(""));
    let on = d.focus == Field::Buttons;
    let (no, yes) = if d.yes {
        (Style::default(), theme.selected())
    } else {
        (theme.selected(), Style::default())
    };
    lines.push(Line::from(vec![
        Span::raw(if on { "  › " } else { "    " }),
        Span::styled(" No ", no),
        Span::raw("   "),
        Span::styled(format!(" Yes, {} ", d.kind.title().to_lowercase()), yes),
    ]));
    let width = 84.min(area.width);
    let text_width = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(text_width))
        .sum();
    let r = centered(area, width, (rows as u16 + 2).min(area.height));
    clear(frame, r);
    let border = if d.live {
        theme.error()
    } else {
        theme.accent()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {} ", d.kind.title()), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
