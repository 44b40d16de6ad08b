//! What a create made, as the popup after it shows it: the payment link (copied with `y`,
//! drawn as a QR code by the UI), the invoices and receipts a registered payment produced
//! (Enter opens one), a saved draft read as its PDF would (every line, tax and total, then
//! `s` stamps it and `e` edits it), the new client's fiscal check.

use crate::api::{Amount, FiscalCheck, TeamId};
use crate::app::dialogs::kinds::WriteKind;
use crate::app::msg::{Dataset, WriteResult};
use crate::i18n::Lang;
use crate::t;

use super::model::CreateForm;

#[derive(Clone, Debug)]
pub struct Created {
    pub kind: WriteKind,
    pub team: TeamId,
    pub team_name: String,
    pub lines: Vec<String>,
    /// A payment link, printable.
    pub link: Option<String>,
    /// What Enter opens: `(dataset, id, label)`.
    pub targets: Vec<(Dataset, String, String)>,
    pub selected: usize,
    /// A saved draft's id: `s` stamps it.
    pub draft: Option<String>,
    /// The form the draft came from: `e` edits it.
    pub form: Option<Box<CreateForm>>,
    /// What the status line says.
    pub status: Option<String>,
    /// The figures gigstack answered differ from the preview's.
    pub mismatch: bool,
}

impl Created {
    pub fn of(
        kind: WriteKind,
        team_name: &str,
        team: &TeamId,
        result: WriteResult,
        form: Option<Box<CreateForm>>,
        lang: Lang,
    ) -> Self {
        let p = crate::text::printable;
        let mut c = Created {
            kind,
            team: team.clone(),
            team_name: team_name.to_string(),
            lines: Vec::new(),
            link: None,
            targets: Vec::new(),
            selected: 0,
            draft: None,
            form: None,
            status: None,
            mismatch: false,
        };
        let preview_total = form
            .as_ref()
            .and_then(|f| f.preview().ok())
            .map(|(_, t)| t.total);
        match result {
            WriteResult::Payment(pay) => {
                let currency = p(pay.currency.as_deref().unwrap_or("MXN"));
                let total = pay.total.display(&currency);
                c.mismatch = preview_total.is_some_and(|t| t != pay.total.0);
                if kind == WriteKind::RequestPayment {
                    c.link = pay.short_url.as_deref().map(crate::text::token);
                    c.lines.push(t!(
                        lang,
                        "Payment link for {total} created in «{team_name}».",
                        "Enlace de pago por {total} creado en «{team_name}»."
                    ));
                    c.status = Some(match &c.link {
                        Some(l) => t!(
                            lang,
                            "Payment link created: {l} — y copies it.",
                            "Enlace de pago creado: {l} — y lo copia."
                        ),
                        None => lang
                            .pick(
                                "Payment created, but gigstack answered no link.",
                                "Pago creado, pero gigstack no respondió enlace.",
                            )
                            .into(),
                    });
                } else {
                    c.lines.push(t!(
                        lang,
                        "Payment of {total} registered in «{team_name}».",
                        "Pago de {total} registrado en «{team_name}»."
                    ));
                    for inv in &pay.invoices {
                        let id = p(&inv.0);
                        c.targets.push((
                            Dataset::Invoices,
                            inv.0.clone(),
                            t!(lang, "Invoice {id}", "Factura {id}"),
                        ));
                    }
                    c.targets.push((
                        Dataset::Payments,
                        pay.id.clone(),
                        t!(lang, "Payment {}", "Pago {}", p(&pay.id)),
                    ));
                    let n = pay.invoices.len();
                    c.status = Some(t!(
                        lang,
                        "Payment registered in «{team_name}»; invoices stamped: {n}.",
                        "Pago registrado en «{team_name}»; facturas timbradas: {n}."
                    ));
                }
                if c.mismatch {
                    c.lines.push(mismatch_line(lang));
                }
            }
            WriteResult::Draft(d) => {
                c.draft = Some(d.id.clone());
                if let Some(f) = &form {
                    c.lines = preview_lines(f, lang);
                }
                let server = d.total.map(|t| t.0);
                c.mismatch = matches!((server, preview_total), (Some(s), Some(p)) if s != p);
                let id = p(&d.id);
                c.status = Some(t!(
                    lang,
                    "Draft {id} saved in «{team_name}».",
                    "Borrador {id} guardado en «{team_name}»."
                ));
                // No keys here: these lines are shown again in the stamp's confirmation,
                // where `s` and `e` are letters typed; the popup's hint says the keys.
                c.lines.push(t!(
                    lang,
                    "Draft {id} saved in «{team_name}».",
                    "Borrador {id} guardado en «{team_name}»."
                ));
                if c.mismatch {
                    c.lines.push(mismatch_line(lang));
                }
                c.form = form;
            }
            WriteResult::Invoice(i) => {
                let folio = p(&i.folio());
                let total = i
                    .total
                    .map(|t| t.display(&p(i.currency.as_deref().unwrap_or("MXN"))))
                    .unwrap_or_default();
                c.status = Some(match kind {
                    WriteKind::CreditNote => t!(
                        lang,
                        "Credit note {folio} for {total} issued in «{team_name}».",
                        "Nota de crédito {folio} por {total} emitida en «{team_name}»."
                    ),
                    _ => t!(
                        lang,
                        "Invoice {folio} for {total} stamped in «{team_name}».",
                        "Factura {folio} por {total} timbrada en «{team_name}»."
                    ),
                });
            }
            WriteResult::Client(cl, check) => {
                let name = p(cl.display_name());
                let said = match check {
                    FiscalCheck::Valid => lang
                        .pick(
                            "SAT's check: the fiscal data is valid.",
                            "Revisión SAT: los datos fiscales son válidos.",
                        )
                        .to_string(),
                    FiscalCheck::Invalid(fields) => {
                        let f = p(&fields.join(", "));
                        t!(
                            lang,
                            "SAT's check: invalid — {f}.",
                            "Revisión SAT: inválidos — {f}."
                        )
                    }
                    FiscalCheck::Unknown => lang
                        .pick(
                            "SAT's check gave no clear answer.",
                            "La revisión SAT no dio una respuesta clara.",
                        )
                        .to_string(),
                };
                c.status = Some(t!(
                    lang,
                    "Client «{name}» created in «{team_name}». {said}",
                    "Cliente «{name}» creado en «{team_name}». {said}"
                ));
                c.lines.push(c.status.clone().unwrap_or_default());
                c.targets.push((
                    Dataset::Clients,
                    cl.id.clone(),
                    t!(lang, "Client {name}", "Cliente {name}"),
                ));
            }
            WriteResult::Deleted => {
                c.status = Some(lang.pick("Draft deleted.", "Borrador borrado.").into());
            }
            WriteResult::Branch(b) => {
                let name = p(&b.name);
                c.team = b.team.clone();
                c.team_name = name.clone();
                c.lines.push(t!(
                    lang,
                    "Team «{name}» ({}) is in the account.",
                    "El equipo «{name}» ({}) está en la cuenta.",
                    b.team
                ));
                for (step, r) in &b.steps {
                    let what = p(&step.words(lang));
                    c.lines.push(match r {
                        Ok(()) => format!("  ✓ {what}"),
                        // A lost answer in a few words (:retry is the way on); a
                        // refusal whole, as gigstack said it.
                        Err(e) if e.is_transient() => format!("  ✗ {what}: {}", e.short(lang)),
                        Err(e) => format!("  ✗ {what}: {}", p(&e.describe(lang))),
                    });
                }
                let (ok, all) = (
                    b.steps.iter().filter(|(_, r)| r.is_ok()).count(),
                    b.steps.len(),
                );
                match all - ok {
                    0 => {}
                    1 => c.lines.push(
                        lang.pick(
                            "1 step left: :retry finishes it (with the same idempotency key).",
                            "Queda 1 paso: :reintentar lo termina (con la misma clave de idempotencia).",
                        )
                        .into(),
                    ),
                    left => c.lines.push(t!(
                        lang,
                        "{left} steps left: :retry finishes them (each with the same idempotency key).",
                        "Quedan {left} pasos: :reintentar los termina (cada uno con la misma clave de idempotencia)."
                    )),
                }
                c.link = b.url.clone();
                if c.link.is_some() {
                    c.lines.push(
                        lang.pick(
                            "The branch manager opens this link to upload the CSD:",
                            "El gerente de la sucursal abre este enlace para subir el CSD:",
                        )
                        .into(),
                    );
                }
                c.status = Some(t!(
                    lang,
                    "New branch «{name}»: {ok} of {all} steps done.",
                    "Nueva sucursal «{name}»: {ok} de {all} pasos hechos."
                ));
            }
            WriteResult::Receipt(_) | WriteResult::Receipts(_) | WriteResult::Team(_) => {}
        }
        c
    }

    /// Whether it opens a popup (a link, a draft, what to open), or only says.
    pub fn shows(&self) -> bool {
        self.link.is_some()
            || self.draft.is_some()
            || !self.targets.is_empty()
            || self.kind == WriteKind::NewBranch
    }
}

fn mismatch_line(lang: Lang) -> String {
    lang.pick(
        "⚠ gigstack's figures differ from the preview: check the document before sending it on.",
        "⚠ las cifras de gigstack difieren de la vista previa: revisa el documento antes de seguir.",
    )
    .into()
}

/// A form's items and totals as the invoice's PDF reads them.
pub fn preview_lines(f: &CreateForm, lang: Lang) -> Vec<String> {
    let Ok((items, totals)) = f.preview() else {
        return vec![];
    };
    let cur = f.f.currency.code().unwrap_or_else(|| "MXN".into());
    let m = |d: rust_decimal::Decimal| Amount(d).display(&cur);
    let mut out = Vec::new();
    for (i, (it, t)) in items.iter().zip(&totals.items).enumerate() {
        out.push(format!(
            "{:>3}. {} × {}  {}  {}",
            i + 1,
            it.line.quantity.normalize(),
            m(it.line.unit_price),
            crate::text::printable(&it.item.description),
            m(t.amount)
        ));
        for (tax, amount) in it.item.taxes.iter().zip(&t.taxes) {
            let rate = (tax.rate.0 * rust_decimal::Decimal::ONE_HUNDRED).normalize();
            let label = match (tax.factor.as_str(), tax.withholding) {
                ("Exento", _) => t!(lang, "{} exempt", "{} exento", tax.kind),
                (_, true) => t!(lang, "{} {rate}% withheld", "{} {rate}% retenido", tax.kind),
                _ => format!("{} {rate}%", tax.kind),
            };
            out.push(format!("       {label}  {}", m(*amount)));
        }
    }
    out.push(format!("{:>44}  {}", "Subtotal", m(totals.subtotal)));
    out.push(format!(
        "{:>44}  {}",
        lang.pick("Taxes transferred", "Impuestos trasladados"),
        m(totals.transferred)
    ));
    if !totals.withheld.is_zero() {
        out.push(format!(
            "{:>44}  −{}",
            lang.pick("Withheld", "Retenciones"),
            m(totals.withheld)
        ));
    }
    out.push(format!("{:>44}  {}", "Total", m(totals.total)));
    out
}
