//! The write dialogs: they name the team (and say when it is not the key's own), the client,
//! the amount and live/test; show each field; start on "No".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::parts::{centered, clear};
use super::theme::Theme;
use crate::app::dialogs::model::{Dialog, Field, MOTIVES, WriteKind};
use crate::t;

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

/// A fixed label of the dialog's left column.
fn head(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("  {text:<20}"), theme.dim())
}

/// `Cancel invoice (SAT)` → `cancel invoice (SAT)`.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn draw(d: &Dialog, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = d.lang;
    let mut lines: Vec<Line> = Vec::new();
    let mut team = vec![
        head(l.pick("Team", "Equipo"), theme),
        Span::styled(d.team_name.clone(), theme.title()),
    ];
    if d.connect {
        team.push(Span::styled(
            l.pick(
                "  via Connect: not your key's own team",
                "  vía Connect: no es el equipo propio de tu key",
            ),
            theme.accent(),
        ));
    }
    lines.push(Line::from(team));
    lines.push(Line::from(vec![
        head(l.pick("Key", "Clave API"), theme),
        if d.live {
            Span::styled(
                l.pick(
                    " LIVE — real tax documents and money ",
                    " PRODUCCIÓN — documentos fiscales y dinero reales ",
                ),
                theme.live_badge(),
            )
        } else {
            Span::styled(l.pick(" TEST ", " PRUEBAS "), theme.badge(Color::Yellow))
        },
    ]));
    lines.push(Line::from(vec![
        head(l.pick("Client", "Cliente"), theme),
        Span::raw(d.client.clone()),
    ]));
    if !d.amount_text.is_empty() {
        lines.push(Line::from(vec![
            head(l.pick("Amount", "Monto"), theme),
            Span::styled(d.amount_text.clone(), theme.title()),
        ]));
    }
    let what = if matches!(d.kind, WriteKind::StampReceipt | WriteKind::CancelReceipt) {
        l.pick("Receipt", "Recibo")
    } else if d.kind == WriteKind::StampReceipts {
        l.pick("Client id", "Id del cliente")
    } else if d.kind == WriteKind::IssueComplement {
        l.pick("PPD invoice", "Factura PPD")
    } else if d.kind == WriteKind::CancelInvoice {
        l.pick("Invoice UUID", "UUID de la factura")
    } else {
        l.pick("Payment", "Pago")
    };
    lines.push(Line::from(vec![
        head(what, theme),
        Span::raw(d.object_id.clone()),
    ]));
    // A bulk write names each team with its rows and total, as it will run: by team.
    if !d.bulk.is_empty() {
        let mut teams: Vec<(&str, usize, rust_decimal::Decimal)> = Vec::new();
        for item in &d.bulk {
            match teams.iter_mut().find(|(t, _, _)| *t == item.team_name) {
                Some(t) => {
                    t.1 += 1;
                    t.2 = crate::api::money::add(t.2, item.total_mxn);
                }
                None => teams.push((&item.team_name, 1, item.total_mxn)),
            }
        }
        for (team, n, total) in teams {
            let total = crate::api::Amount(total.round_dp(2)).display("MXN");
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(format!("{team}: "), theme.title()),
                Span::raw(crate::t!(l, "{n} rows · {total}", "{n} filas · {total}")),
            ]));
        }
    }
    lines.push(Line::raw(""));

    match d.kind {
        WriteKind::MarkPaid => {
            payment_form_and_date(d, &mut lines, theme);
        }
        WriteKind::IssueComplement => {
            let f = d.focus == Field::Amount;
            lines.push(Line::from(vec![
                label(l.pick("Amount", "Monto"), f, theme),
                input(d.amount.value(), f),
                Span::styled(
                    t!(
                        l,
                        "  of {} owed",
                        "  de {} adeudados",
                        crate::api::Amount(d.refundable).display(&d.currency)
                    ),
                    theme.dim(),
                ),
            ]));
            payment_form_and_date(d, &mut lines, theme);
        }
        WriteKind::Refund => {
            let f = d.focus == Field::Amount;
            lines.push(Line::from(vec![
                label(l.pick("Amount", "Monto"), f, theme),
                input(d.amount.value(), f),
                Span::styled(
                    t!(
                        l,
                        "  of {} refundable",
                        "  de {} reembolsables",
                        crate::api::Amount(d.refundable).display(&d.currency)
                    ),
                    theme.dim(),
                ),
            ]));
            let f = d.focus == Field::Reason;
            lines.push(Line::from(vec![
                label(l.pick("Reason (optional)", "Razón (opcional)"), f, theme),
                input(d.reason.value(), f),
            ]));
            lines.push(Line::styled(
                l.pick(
                    "  A refund returns money; it does not undo the invoice. Issue a credit note (egreso, relation 01 or 03, use G02).",
                    "  Un reembolso devuelve dinero; no deshace la factura. Emite una nota de crédito (egreso, relación 01 o 03, uso G02).",
                ),
                theme.dim(),
            ));
        }
        WriteKind::StampReceipts | WriteKind::StampReceipt | WriteKind::CancelReceipt => {}
        WriteKind::CancelPayment => {
            lines.push(Line::styled(
                l.pick(
                    "  The payment link stops working; nothing was collected, so nothing is refunded.",
                    "  El link de pago deja de funcionar; no se cobró nada, así que no se reembolsa nada.",
                ),
                theme.dim(),
            ));
        }
        WriteKind::CancelInvoice => {
            let f = d.focus == Field::Motive;
            lines.push(Line::from(vec![label(
                l.pick("Motive (1-4, ↑↓)", "Motivo (1-4, ↑↓)"),
                f,
                theme,
            )]));
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
                lines.push(Line::styled(
                    l.pick(
                        "      needs the replacing invoice",
                        "      necesita la factura que la sustituye",
                    ),
                    theme.dim(),
                ));
            }
            if d.motive == 0 {
                let f = d.focus == Field::Substitution;
                lines.push(Line::from(vec![
                    label(
                        l.pick("Replacing UUID (↑↓)", "UUID sustituto (↑↓)"),
                        f,
                        theme,
                    ),
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
                    lines.push(Line::styled(
                        l.pick(
                            "                        no other valid invoice for this client in this team",
                            "                        no hay otra factura vigente de este cliente en este equipo",
                        ),
                        theme.dim(),
                    ));
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
            label(&t!(l, "Type {word}", "Escribe {word}"), f, theme),
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
        Span::styled(
            t!(l, " Yes, {} ", " Sí, {} ", lower_first(d.kind.title(l))),
            yes,
        ),
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
        .title(Span::styled(
            format!(" {} ", d.kind.title(l)),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The payment form list (never 99) and the date, as marking paid and a complement ask.
fn payment_form_and_date(d: &Dialog, lines: &mut Vec<Line<'static>>, theme: &Theme) {
    let l = d.lang;
    let f = d.focus == Field::Form;
    lines.push(Line::from(vec![
        label(l.pick("Payment form", "Forma de pago"), f, theme),
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
            l.pick(
                "                        no form matches (99 is never offered)",
                "                        ninguna forma coincide (99 nunca se ofrece)",
            ),
            theme.dim(),
        ));
    }
    let f = d.focus == Field::Date;
    lines.push(Line::from(vec![
        label(l.pick("Date (Mexico City)", "Fecha (CDMX)"), f, theme),
        input(d.date.value(), f),
    ]));
}
