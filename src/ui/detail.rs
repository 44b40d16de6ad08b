//! The detail popup: every field of the selected object, its items, and the related
//! invoices or payments from this team's tables.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::parts::{SPINNER, centered, clear};
use super::theme::Theme;
use crate::api::{Amount, Client, ClientRef, Instant, Invoice, Item, Payment, PaymentStatus};
use crate::app::Detail;
use crate::app::data::complements::Owed;
use crate::app::data::documents::{
    InvoiceRow, Row, cancellation_word, invoice_status_word, payment_label,
};
use crate::app::state::{DetailView, State};
use crate::i18n::Lang;
use crate::t;

/// The popup's lines, built in the user's language.
struct Sheet<'a> {
    lines: Vec<Line<'static>>,
    theme: &'a Theme,
    l: Lang,
}

impl Sheet<'_> {
    /// `name  value`, right-aligned names; nothing when there is no value.
    fn field(&mut self, en: &str, es: &str, value: impl Into<String>) {
        // Values come from the API: printable only (no escapes, no bidi overrides).
        let v = crate::text::printable(&value.into());
        if v.is_empty() {
            return;
        }
        let name = self.l.pick(en, es);
        self.lines.push(Line::from(vec![
            Span::styled(format!("{name:>20}  "), self.theme.dim()),
            Span::raw(v),
        ]));
    }

    /// A blank line and a section title.
    fn heading(&mut self, en: &str, es: &str) {
        self.lines.push(Line::raw(""));
        let title = self.l.pick(en, es).to_string();
        self.lines.push(Line::styled(title, self.theme.title()));
    }

    /// `Name (RFC)` of the client an invoice or payment names.
    fn client(&mut self, c: Option<&ClientRef>) {
        if let Some(c) = c {
            // No RFC: the name alone, never an empty `()`.
            let text = match c.tax_id.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                Some(rfc) => format!("{} ({rfc})", c.display_name()),
                None => c.display_name().to_string(),
            };
            self.field("Client", "Cliente", text);
        }
    }

    /// A date and time in Mexico City, said so.
    fn when(&self, i: Option<Instant>) -> String {
        let l = self.l;
        i.map(|i| {
            let at = l.datetime(i);
            t!(l, "{at} (Mexico City)", "{at} (hora de la CDMX)")
        })
        .unwrap_or_default()
    }

    fn items(&mut self, items: &[Item], cur: &str) {
        if items.is_empty() {
            return;
        }
        self.heading("  Items", "  Conceptos");
        for it in items {
            let q = it
                .quantity
                .map(|q| q.to_string())
                .unwrap_or_else(|| "1".into());
            self.lines.push(Line::raw(crate::text::printable(&format!(
                "    {q:>6} × {:<40} {:>18}  {}",
                it.label(),
                it.unit_price.map(|p| p.display(cur)).unwrap_or_default(),
                it.product_key.clone().unwrap_or_default()
            ))));
        }
    }

    fn client_detail(&mut self, state: &State, c: &Client) {
        self.field("Name", "Nombre", c.display_name());
        self.field("Legal name", "Razón social", opt(&c.legal_name));
        self.field("RFC", "RFC", c.rfc());
        self.field("Tax regime", "Régimen fiscal", opt(&c.tax_system));
        self.field("CFDI use", "Uso CFDI", opt(&c.cfdi_use));
        self.field("Email", "Correo", opt(&c.email));
        self.field("Phone", "Teléfono", opt(&c.phone));
        if let Some(a) = &c.address {
            let parts: Vec<String> = [&a.street, &a.city, &a.state, &a.zip, &a.country]
                .iter()
                .filter_map(|p| (*p).clone())
                .collect();
            self.field("Address", "Dirección", parts.join(", "));
        }
        let valid = c.is_valid.map(|v| self.l.yes_no(v).to_string());
        self.field(
            "Fiscal data valid",
            "Validez fiscal",
            valid.unwrap_or_default(),
        );
        self.field("Created", "Creado", self.when(c.created()));
        self.field("Id", "Id", c.id.clone());
        self.related_invoices(state, |r| r.client_id() == c.id.as_str());
    }

    fn invoice_detail(&mut self, state: &State, i: &Invoice, owed: &[Owed]) {
        let (l, cur) = (self.l, i.currency().to_string());
        self.field("UUID", "UUID", i.uuid());
        self.field("Folio", "Folio", i.folio());
        self.field("Status", "Estado", invoice_status_word(&i.status(), l));
        let cancellation = i.cancellation_status.as_ref();
        self.field(
            "Cancellation",
            "Cancelación",
            cancellation
                .map(|c| cancellation_word(c, l))
                .unwrap_or_default(),
        );
        self.field("Type", "Tipo", opt(&i.invoice_type));
        self.client(i.client.as_ref());
        self.field("Subtotal", "Subtotal", money(i.subtotal, &cur));
        self.field("Taxes", "Impuestos", money(i.taxes, &cur));
        self.field("Discount", "Descuento", money(i.discount, &cur));
        self.field("Total", "Total", i.total().display(&cur));
        if cur != "MXN" {
            let rate = i.exchange_rate.map(|r| r.to_string());
            self.field("Exchange rate", "Tipo de cambio", rate.unwrap_or_default());
        }
        let (method, form) = (opt(&i.payment_method), opt(&i.payment_form));
        self.field(
            "Method / form",
            "Método / forma",
            format!("{method} / {form}"),
        );
        self.field("PPD balance", "Saldo PPD", money(i.last_balance, &cur));
        let complements = i.payment_complements.map(|c| c.to_string());
        self.field(
            "Complements",
            "Complementos",
            complements.unwrap_or_default(),
        );
        self.field("CFDI use", "Uso CFDI", opt(&i.cfdi_use));
        self.field("Created", "Creado", self.when(i.created_at));
        let stamped = self.when(i.stamp.as_ref().and_then(|s| s.stamp_at));
        self.field("Stamped", "Timbrado", stamped);
        for r in &i.related_documents {
            let related = format!("{} → {}", opt(&r.relationship), r.documents.join(", "));
            self.field("Related", "Relacionados", related);
        }
        self.field("Verify at", "Verificar en", opt(&i.verification_url));
        self.items(&i.items, &cur);
        let Some(v) = state.current_view() else {
            return;
        };
        let uuid = i.uuid();
        // Complements still owed for this PPD invoice's collected payments (`:complements`
        // issues them), each with its number and SAT deadline; made when the detail came.
        if !owed.is_empty() {
            self.heading(
                "  Payment complements owed",
                "  Complementos de pago pendientes",
            );
            for o in owed {
                let due = l.date(o.deadline);
                let late = if o.overdue {
                    l.pick(" (late)", " (vencido)")
                } else {
                    ""
                };
                self.lines.push(Line::raw(crate::t!(
                    l,
                    "    #{}  {:>18}  paid {}  SAT deadline {due}{late}",
                    "    #{}  {:>18}  pagado {}  plazo SAT {due}{late}",
                    o.installment,
                    crate::api::Amount(o.amount).display(&o.currency),
                    crate::app::data::complements::local_date(o.paid_at)
                        .map(|d| l.date(d))
                        .unwrap_or_default()
                )));
            }
        }
        let pays: Vec<_> = v
            .payments
            .rows
            .iter()
            .filter(|p| p.invoices().any(|x| x == uuid))
            .collect();
        if pays.is_empty() {
            return;
        }
        self.heading("  Payments", "  Pagos");
        for p in pays {
            self.lines.push(Line::raw(format!(
                "    {}  {:>18}  {:<16} {}",
                p.created_fmt(),
                p.total_fmt(),
                p.status_label(),
                p.id()
            )));
        }
    }

    fn receipt_detail(&mut self, state: &State, r: &crate::api::Receipt) {
        let l = self.l;
        let cur = r.currency.clone().unwrap_or_else(|| "MXN".into());
        self.field("Id", "Id", r.id.clone());
        let (status, _) = crate::app::data::receipts::receipt_status_word(r.status.as_ref(), l);
        self.field("Status", "Estado", status);
        self.client(r.client.as_ref());
        self.field("Subtotal", "Subtotal", money(r.subtotal, &cur));
        self.field("Taxes", "Impuestos", money(r.taxes, &cur));
        self.field("Total", "Total", money(r.total, &cur));
        self.field("Payment form", "Forma de pago", opt(&r.payment_form));
        self.field("Periodicity", "Periodicidad", opt(&r.periodicity));
        self.field("Created", "Creado", self.when(r.created()));
        self.field("Valid until", "Válido hasta", self.when(r.valid_until));
        let now = state.current_view().map(|v| v.now).unwrap_or(0);
        if matches!(r.status, Some(crate::api::ReceiptStatus::Pending)) {
            let left =
                crate::app::data::receipts::expiry(r.valid_until.map(|v| v.as_second()), now, l);
            self.field("Expires", "Vence", left);
        }
        self.field("Self-invoice link", "Link de autofactura", opt(&r.url));
        self.field("Invoice", "Factura", opt(&r.invoice_id));
    }

    fn payment_detail(&mut self, state: &State, p: &Payment) {
        let (l, cur) = (self.l, p.currency().to_string());
        self.field("Id", "Id", p.id.clone());
        let status = payment_label(&p.status(), !p.refunds.is_empty(), l);
        self.field("Status", "Estado", status);
        self.client(p.client.as_ref());
        self.field("Total", "Total", p.total.display(&cur));
        if !p.refunds.is_empty() {
            self.field("Refunded", "Reembolsado", p.refunded().display(&cur));
        }
        if p.status() == PaymentStatus::Succeeded {
            self.field("Refundable", "Reembolsable", p.refundable().display(&cur));
        }
        self.field("Payment form", "Forma de pago", opt(&p.payment_form));
        self.field("Processor", "Procesador", opt(&p.payment_processor));
        self.field("Automation", "Automatización", opt(&p.automation_type));
        self.field("Created", "Creado", self.when(p.created_at));
        self.field("Paid", "Pagado", self.when(p.succeeded_at));
        self.field("Link", "Link", opt(&p.short_url));
        for r in &p.refunds {
            let refund = format!(
                "{} {} {}",
                money(r.amount, &cur),
                opt(&r.reason),
                self.when(r.created_at)
            );
            self.field("Refund", "Reembolso", refund);
        }
        self.items(&p.items, &cur);
        let linked: Vec<&str> = p.invoices.iter().map(|l| l.0.as_str()).collect();
        self.related_invoices(state, |r| linked.contains(&r.uuid()));
    }

    /// This team's invoice rows that `pick` relates to the object (at most 50).
    fn related_invoices(&mut self, state: &State, pick: impl Fn(&InvoiceRow) -> bool) {
        let Some(v) = state.current_view() else {
            return;
        };
        let found: Vec<_> = v
            .invoices
            .rows
            .iter()
            .filter(|r| pick(r))
            .take(50)
            .collect();
        if found.is_empty() {
            return;
        }
        self.heading("  Invoices", "  Facturas");
        for r in found {
            self.lines.push(Line::raw(format!(
                "    {:<8} {}  {:>18}  {:<14} {}",
                r.folio(),
                r.created_fmt(),
                r.total_fmt(),
                r.status_label(),
                r.uuid()
            )));
        }
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn money(a: Option<Amount>, cur: &str) -> String {
    a.map(|a| a.display(cur)).unwrap_or_default()
}

pub fn draw(state: &State, d: &DetailView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let r = centered(
        area,
        area.width.saturating_sub(6).max(60),
        area.height.saturating_sub(4),
    );
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(
            format!(" {} ", crate::text::printable(&d.id)),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let l = state.lang;
    let mut sheet = Sheet {
        lines: Vec::new(),
        theme,
        l,
    };
    match &d.result {
        None => sheet.lines.push(Line::styled(
            format!(
                "{} {}",
                SPINNER[state.spinner % SPINNER.len()],
                l.pick("Loading…", "Cargando…")
            ),
            theme.dim(),
        )),
        Some(Err(e)) => {
            sheet
                .lines
                .push(Line::styled(crate::text::printable(e), theme.error()));
            sheet.lines.push(Line::styled(
                l.pick(
                    "Esc closes; r refreshes the table.",
                    "Esc cierra; r actualiza la tabla.",
                ),
                theme.dim(),
            ));
        }
        Some(Ok(Detail::Client(c))) => sheet.client_detail(state, c),
        Some(Ok(Detail::Invoice(i))) => sheet.invoice_detail(state, i, &d.owed),
        Some(Ok(Detail::Payment(p))) => sheet.payment_detail(state, p),
        Some(Ok(Detail::Receipt(r))) => sheet.receipt_detail(state, r),
    }
    // Broken at spaces, a field's value going on under itself (not under its label).
    let lines = super::parts::wrap_hanging(sheet.lines, inner.width as usize);
    frame.render_widget(Paragraph::new(lines).scroll((d.scroll, 0)), inner);
}
