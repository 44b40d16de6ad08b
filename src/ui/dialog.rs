//! The write dialogs: they name the team (and say when it is not the key's own), the client,
//! the amount and live/test; show each field of their kind; start on "No". Drawn from the
//! form toolkit's lines (`form.rs`).

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::{Frame, layout::Rect};

use super::form::{
    buttons_line, choice_lines, draw_box, error_line, head, label, text_line, word_line,
};
use super::theme::Theme;
use crate::app::dialogs::kinds::WriteKind;
use crate::app::dialogs::model::{Body, Bulk, BulkWrite, Dialog, Field, PaidWith};
use crate::app::form::catalogs::MOTIVES;
use crate::t;

/// `Cancel invoice (SAT)` → `cancel invoice (SAT)`.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn draw(d: &Dialog, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = d.lang();
    let kind = d.kind();
    let h = &d.head;
    let mut lines: Vec<Line> = Vec::new();
    // A bulk write over several teams counts them here and names each below, with its rows.
    let teams = d.bulk().map(|b| {
        b.items
            .iter()
            .map(|i| i.team_name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    });
    let (team_text, connect_text) = match teams {
        Some(n) if n > 1 => (
            t!(l, "{n} teams", "{n} equipos"),
            l.pick(
                "  via Connect (not all your key's own)",
                "  vía Connect (no todos propios de tu key)",
            ),
        ),
        _ => (
            h.team_name.clone(),
            l.pick(
                "  via Connect: not your key's own team",
                "  vía Connect: no es el equipo propio de tu key",
            ),
        ),
    };
    let mut team = vec![
        head(l.pick("Team", "Equipo"), theme),
        Span::styled(team_text, theme.title()),
    ];
    if h.connect {
        team.push(Span::styled(connect_text, theme.accent()));
    }
    lines.push(Line::from(team));
    lines.push(Line::from(vec![
        head(l.pick("Key", "Clave API"), theme),
        if h.live {
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
    // A change to teams' configuration names the change, not a client.
    let team_write = matches!(
        d.bulk(),
        Some(Bulk {
            write: BulkWrite::Team(_),
            ..
        })
    );
    lines.push(Line::from(vec![
        head(
            if team_write {
                l.pick("Change", "Cambio")
            } else {
                l.pick("Client", "Cliente")
            },
            theme,
        ),
        Span::raw(h.client.clone()),
    ]));
    if !h.amount_text.is_empty() {
        lines.push(Line::from(vec![
            head(l.pick("Amount", "Monto"), theme),
            Span::styled(h.amount_text.clone(), theme.title()),
        ]));
    }
    let what = match kind {
        WriteKind::StampReceipt | WriteKind::CancelReceipt => l.pick("Receipt", "Recibo"),
        WriteKind::StampReceipts => l.pick("Client id", "Id del cliente"),
        WriteKind::IssueComplement => l.pick("PPD invoice", "Factura PPD"),
        WriteKind::CancelInvoice => l.pick("Invoice UUID", "UUID de la factura"),
        _ if team_write => l.pick("Teams", "Equipos"),
        _ => l.pick("Payment", "Pago"),
    };
    lines.push(Line::from(vec![
        head(what, theme),
        Span::raw(d.object_text()),
    ]));
    // A bulk write names each team with its rows and total, as it will run: by team.
    if let Some(bulk) = d.bulk().filter(|_| team_write) {
        // Each team with what changes there.
        for item in &bulk.items {
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(format!("{}: ", item.team_name), theme.title()),
                Span::raw(item.client.clone()),
            ]));
        }
    } else if let Some(bulk) = d.bulk() {
        // By team name, as the Team line and the summary order them.
        let mut teams: std::collections::BTreeMap<&str, (usize, rust_decimal::Decimal)> =
            Default::default();
        for item in &bulk.items {
            let t = teams.entry(&item.team_name).or_default();
            t.0 += 1;
            t.1 = crate::api::money::add(t.1, item.total_mxn);
        }
        for (team, (n, total)) in teams {
            let total = crate::api::Amount(total.round_dp(2)).display("MXN");
            let rows = match n {
                1 => t!(l, "1 row · {total}", "1 fila · {total}"),
                n => t!(l, "{n} rows · {total}", "{n} filas · {total}"),
            };
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(format!("{team}: "), theme.title()),
                Span::raw(rows),
            ]));
        }
    }
    lines.push(Line::raw(""));

    // A field's error goes under it; the word's and the form's at the end.
    let error_at = |f: Field| d.error.as_ref().filter(|e| e.field == Some(f));
    let push_error = |lines: &mut Vec<Line<'static>>, f: Field| {
        if let Some(e) = error_at(f) {
            lines.push(error_line(e, theme));
        }
    };
    let money = |amount: rust_decimal::Decimal| crate::api::Amount(amount).display(&h.currency);
    match &d.body {
        Body::MarkPaid { paid, .. }
        | Body::Bulk(Bulk {
            write: BulkWrite::MarkPaid(paid),
            ..
        }) => {
            payment_form_and_date(d, paid, &mut lines, theme);
        }
        Body::IssueComplement {
            amount, owed, paid, ..
        } => {
            let f = d.focus == Field::Amount;
            let after = t!(l, "  of {} owed", "  de {} adeudados", money(*owed));
            lines.push(text_line(
                l.pick("Amount", "Monto"),
                amount.value(),
                f,
                Some(after),
                theme,
            ));
            push_error(&mut lines, Field::Amount);
            payment_form_and_date(d, paid, &mut lines, theme);
        }
        Body::Refund {
            amount,
            refundable,
            reason,
            ..
        } => {
            let f = d.focus == Field::Amount;
            let after = t!(
                l,
                "  of {} refundable",
                "  de {} reembolsables",
                money(*refundable)
            );
            lines.push(text_line(
                l.pick("Amount", "Monto"),
                amount.value(),
                f,
                Some(after),
                theme,
            ));
            push_error(&mut lines, Field::Amount);
            let f = d.focus == Field::Reason;
            lines.push(text_line(
                l.pick("Reason (optional)", "Razón (opcional)"),
                reason.value(),
                f,
                None,
                theme,
            ));
            lines.push(Line::styled(
                l.pick(
                    "  A refund returns money; it does not undo the invoice. Issue a credit note (egreso, relation 01 or 03, use G02).",
                    "  Un reembolso devuelve dinero; no deshace la factura. Emite una nota de crédito (egreso, relación 01 o 03, uso G02).",
                ),
                theme.dim(),
            ));
        }
        Body::StampReceipts { .. } | Body::StampReceipt { .. } | Body::CancelReceipt { .. } => {}
        Body::Bulk(Bulk {
            write: BulkWrite::Team(_),
            ..
        }) => {
            lines.push(Line::styled(
                l.pick(
                    "  One write per team (own idempotency key); :retry resends the failed ones.",
                    "  Una escritura por equipo (su clave de idempotencia); :reintentar reenvía.",
                ),
                theme.dim(),
            ));
        }
        Body::CancelPayment { .. }
        | Body::Bulk(Bulk {
            write: BulkWrite::CancelPayment,
            ..
        }) => {
            lines.push(Line::styled(
                l.pick(
                    "  The payment link stops working; nothing was collected, so nothing is refunded.",
                    "  El link de pago deja de funcionar; no se cobró nada, así que no se reembolsa nada.",
                ),
                theme.dim(),
            ));
        }
        Body::CancelInvoice { motive, .. }
        | Body::Bulk(Bulk {
            write: BulkWrite::CancelInvoice { motive },
            ..
        }) => {
            let motive = *motive;
            let f = d.focus == Field::Motive;
            lines.push(Line::from(vec![label(
                l.pick("Motive (1-4, ↑↓)", "Motivo (1-4, ↑↓)"),
                f,
                theme,
            )]));
            for (i, (code, text)) in MOTIVES.iter().enumerate() {
                let style = if i == motive {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(format!(" {code} {text} "), style),
                ]));
            }
            push_error(&mut lines, Field::Motive);
            if let Body::CancelInvoice {
                motive: 0,
                substitution,
                choices,
                ..
            } = &d.body
            {
                lines.push(Line::styled(
                    l.pick(
                        "      needs the replacing invoice",
                        "      necesita la factura que la sustituye",
                    ),
                    theme.dim(),
                ));
                let f = d.focus == Field::Substitution;
                lines.push(text_line(
                    l.pick("Replacing UUID (↑↓)", "UUID sustituto (↑↓)"),
                    substitution.value(),
                    f,
                    None,
                    theme,
                ));
                if let Some((_, l)) = choices.iter().find(|(u, _)| u == substitution.value()) {
                    lines.push(Line::styled(
                        format!("                        {l}"),
                        theme.dim(),
                    ));
                } else if choices.is_empty() {
                    lines.push(Line::styled(
                        l.pick(
                            "                        no other valid invoice for this client in this team",
                            "                        no hay otra factura vigente de este cliente en este equipo",
                        ),
                        theme.dim(),
                    ));
                }
                push_error(&mut lines, Field::Substitution);
            }
        }
    }
    for w in &h.warnings {
        lines.push(Line::from(vec![
            Span::styled("  ⚠ ", theme.accent()),
            Span::styled(w.clone(), theme.accent()),
        ]));
    }
    if let Some(line) = word_line(&d.confirm, d.focus == Field::Word, l, theme) {
        lines.push(line);
    }
    if let Some(e) = &d.error
        && matches!(e.field, None | Some(Field::Word | Field::Buttons))
    {
        lines.push(error_line(e, theme));
    }
    lines.push(Line::raw(""));
    lines.push(buttons_line(
        &d.confirm,
        d.focus == Field::Buttons,
        &lower_first(kind.title(l)),
        l,
        theme,
    ));
    draw_box(frame, area, kind.title(l), lines, h.live, theme);
}

/// The payment form list (never 99) and the date, as marking paid and a complement ask.
fn payment_form_and_date(
    d: &Dialog,
    paid: &PaidWith,
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
) {
    let l = d.lang();
    lines.extend(choice_lines(
        l.pick("Payment form", "Forma de pago"),
        &paid.form,
        d.focus == Field::Form,
        l.pick(
            "no form matches (99 is never offered)",
            "ninguna forma coincide (99 nunca se ofrece)",
        ),
        theme,
    ));
    if let Some(e) = d.error.as_ref().filter(|e| e.field == Some(Field::Form)) {
        lines.push(error_line(e, theme));
    }
    lines.push(text_line(
        l.pick("Date (Mexico City)", "Fecha (CDMX)"),
        paid.date.value(),
        d.focus == Field::Date,
        None,
        theme,
    ));
    if let Some(e) = d.error.as_ref().filter(|e| e.field == Some(Field::Date)) {
        lines.push(error_line(e, theme));
    }
}
