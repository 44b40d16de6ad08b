//! The `:` commands as data: one table gives every command its name in each language, the
//! short names it also answers to, its argument, its help line and what it does. The
//! palette's hints, `?` help and the dispatcher (`features::popups::run_command`) all read
//! it, so a command that works is always offered, and one that is offered always works.

use crate::app::data::account::ListingKind;
use crate::app::data::tab::Tab;
use crate::app::dialogs::kinds::WriteKind;
use crate::app::input::action::Action;
use crate::i18n::{Lang, Tr, tr};

/// What a command does. The dispatcher gives each its handler.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Does {
    /// Switch to the team named by the argument.
    SwitchTeam,
    /// Search every team for the argument.
    Find,
    /// Open a team's list in a popup.
    Listing(ListingKind),
    /// The clients' fiscal check (`:validate`).
    Validate,
    /// Stamp the selected receipt.
    StampReceipt,
    /// Stamp the selected client's pending receipts.
    StampReceipts,
    /// Open a create form.
    Create(WriteKind),
    /// The team's invoice drafts.
    Drafts,
    /// The documents behind the Group tab's changes cell (`:changes`).
    Changes,
    /// The Group tab's changes since the moment given (`:since`).
    Since,
    /// The Branches tab's differences from the reference team (`:drift`).
    Drift,
    /// A change to the marked teams (the argument says what).
    TeamWrite(WriteKind),
    /// Send the last bulk run's failed rows again.
    RetryBulk,
    /// Read this view again; with `all`/`todo`, the team completely.
    Refresh,
    /// What a key does.
    Run(Action),
}

pub struct Command {
    /// The name in English and in Spanish; both work in either language.
    pub name: Tr,
    /// Short names it also answers to (`t`, `q!`, `1`).
    pub aliases: &'static [&'static str],
    /// What follows the name, as help shows it (`<name>`).
    pub arg: Option<Tr>,
    pub help: Tr,
    pub does: Does,
}

const fn c(
    name: Tr,
    aliases: &'static [&'static str],
    arg: Option<Tr>,
    help: Tr,
    does: Does,
) -> Command {
    Command {
        name,
        aliases,
        arg,
        help,
        does,
    }
}

pub static COMMANDS: &[Command] = &[
    c(
        tr("team", "equipo"),
        &["t"],
        Some(tr("<name>", "<nombre>")),
        tr(
            "switch to the team whose name, RFC or id matches",
            "cambiar al equipo cuyo nombre, RFC o id coincide",
        ),
        Does::SwitchTeam,
    ),
    c(
        tr("find", "buscar"),
        &["f"],
        Some(tr("<text>", "<texto>")),
        tr(
            "find a client, invoice or payment in every team (name, RFC, UUID, folio, id, amount)",
            "buscar un cliente, factura o pago en todos los equipos (nombre, RFC, UUID, folio, id, monto)",
        ),
        Does::Find,
    ),
    c(
        tr("users", "usuarios"),
        &[],
        None,
        tr(
            "who is in this team and with what role",
            "quién está en este equipo y con qué rol",
        ),
        Does::Listing(ListingKind::Users),
    ),
    c(
        tr("services", "servicios"),
        &[],
        None,
        tr(
            "this team's services with their SAT keys",
            "los servicios de este equipo con sus claves SAT",
        ),
        Does::Listing(ListingKind::Services),
    ),
    c(
        tr("complements", "complementos"),
        &[],
        None,
        tr(
            "payment complements owed, by SAT deadline; Enter issues one",
            "complementos de pago pendientes, por plazo SAT; Enter emite uno",
        ),
        Does::Listing(ListingKind::Complements),
    ),
    c(
        tr("month", "mes"),
        &[],
        None,
        tr(
            "this month of every team, with totals",
            "este mes de cada equipo, con totales",
        ),
        Does::Listing(ListingKind::Month),
    ),
    c(
        tr("validate", "validar"),
        &[],
        None,
        tr(
            "check every client's fiscal data with gigstack (every team with a)",
            "revisar con gigstack los datos fiscales de cada cliente (todos los equipos con a)",
        ),
        Does::Validate,
    ),
    c(
        tr("stamp", "timbrar"),
        &[],
        None,
        tr(
            "stamp the selected receipt into an invoice (Receipts tab)",
            "timbrar el recibo elegido como factura (pestaña Recibos)",
        ),
        Does::StampReceipt,
    ),
    c(
        tr("stamp-receipts", "timbrar-recibos"),
        &[],
        None,
        tr(
            "stamp the selected client's pending receipts (Clients tab)",
            "timbrar los recibos pendientes del cliente elegido (pestaña Clientes)",
        ),
        Does::StampReceipts,
    ),
    c(
        tr("request", "cobrar"),
        &[],
        None,
        tr(
            "request a payment: a link (and its QR code) for a client",
            "solicitar un pago: un enlace (y su código QR) para un cliente",
        ),
        Does::Create(WriteKind::RequestPayment),
    ),
    c(
        tr("register", "registrar"),
        &[],
        None,
        tr(
            "register money already received, with its invoice or receipt",
            "registrar dinero ya recibido, con su factura o recibo",
        ),
        Does::Create(WriteKind::RegisterPayment),
    ),
    c(
        tr("invoice", "facturar"),
        &[],
        None,
        tr(
            "issue an income invoice: draft, preview, stamp",
            "emitir una factura de ingreso: borrador, vista previa, timbrado",
        ),
        Does::Create(WriteKind::DraftInvoice),
    ),
    c(
        tr("changes", "cambios"),
        &[],
        None,
        tr(
            "Group: what changed since your last session; on a cell, its documents (Enter goes to one)",
            "Grupo: qué cambió desde tu última sesión; en una celda, sus documentos (Enter va a uno)",
        ),
        Does::Changes,
    ),
    c(
        tr("branches", "sucursales"),
        &["6"],
        None,
        tr(
            "every team's CSD, credits, series, integrations, members and settings side by side",
            "CSD, créditos, series, integraciones, miembros y configuración de cada equipo lado a lado",
        ),
        Does::Run(Action::Branches),
    ),
    c(
        tr("drift", "diferencias"),
        &[],
        None,
        tr(
            "Branches: every difference from the reference team (R), team by team",
            "Sucursales: cada diferencia con el equipo de referencia (R), equipo por equipo",
        ),
        Does::Drift,
    ),
    c(
        tr("new-branch", "nueva-sucursal"),
        &[],
        None,
        tr(
            "open a new branch: the team, the reference's settings, series and admins, its onboarding link",
            "abrir una sucursal: el equipo, la configuración, series y admins de la referencia, su enlace de alta",
        ),
        Does::Create(WriteKind::NewBranch),
    ),
    c(
        tr("add-member", "agregar-miembro"),
        &[],
        Some(tr(
            "<user id> [admin|editor|viewer]",
            "<id de usuario> [admin|editor|viewer]",
        )),
        tr(
            "Branches: add a user with a role to the marked teams",
            "Sucursales: agregar un usuario con un rol a los equipos marcados",
        ),
        Does::TeamWrite(WriteKind::AddMember),
    ),
    c(
        tr("remove-member", "quitar-miembro"),
        &[],
        Some(tr("<user id>", "<id de usuario>")),
        tr(
            "Branches: remove a user from the marked teams (never a team's last admin)",
            "Sucursales: quitar un usuario de los equipos marcados (nunca el último admin)",
        ),
        Does::TeamWrite(WriteKind::RemoveMember),
    ),
    c(
        tr("add-series", "crear-serie"),
        &[],
        Some(tr("<name>", "<nombre>")),
        tr(
            "Branches: create an invoice series on the marked teams",
            "Sucursales: crear una serie de facturas en los equipos marcados",
        ),
        Does::TeamWrite(WriteKind::CreateSeries),
    ),
    c(
        tr("apply-setting", "aplicar-config"),
        &[],
        Some(tr("<key>", "<clave>")),
        tr(
            "Branches: set a setting on the marked teams to the reference's value",
            "Sucursales: poner una configuración de los equipos marcados en el valor de la referencia",
        ),
        Does::TeamWrite(WriteKind::ApplySetting),
    ),
    c(
        tr("since", "desde"),
        &[],
        Some(tr("<24h|lunes|2026-12-01>", "<24h|lunes|2026-12-01>")),
        tr(
            "Group changes since that moment (alone: since your last session)",
            "cambios del Grupo desde ese momento (solo: desde tu última sesión)",
        ),
        Does::Since,
    ),
    c(
        tr("drafts", "borradores"),
        &[],
        None,
        tr(
            "this team's invoice drafts: Enter stamps, e edits, d deletes",
            "los borradores de factura del equipo: Enter timbra, e edita, d borra",
        ),
        Does::Drafts,
    ),
    c(
        tr("credit-note", "nota-de-credito"),
        &[],
        None,
        tr(
            "a credit note for the selected invoice (Invoices tab)",
            "una nota de crédito para la factura elegida (pestaña Facturas)",
        ),
        Does::Create(WriteKind::CreditNote),
    ),
    c(
        tr("new-client", "nuevo-cliente"),
        &[],
        None,
        tr(
            "add a client, checked with SAT at once",
            "agregar un cliente, revisado con el SAT al momento",
        ),
        Does::Create(WriteKind::CreateClient),
    ),
    c(
        tr("retry", "reintentar"),
        &[],
        None,
        tr(
            "send the last bulk write's failed rows again (same keys)",
            "enviar de nuevo las filas fallidas de la última escritura en lote (mismas claves)",
        ),
        Does::RetryBulk,
    ),
    c(
        tr("overview", "resumen"),
        &["1"],
        None,
        tr("Overview tab", "pestaña Resumen"),
        Does::Run(Action::GoTab(Tab::Overview)),
    ),
    c(
        tr("clients", "clientes"),
        &["2"],
        None,
        tr("Clients tab", "pestaña Clientes"),
        Does::Run(Action::GoTab(Tab::Clients)),
    ),
    c(
        tr("invoices", "facturas"),
        &["3"],
        None,
        tr("Invoices tab", "pestaña Facturas"),
        Does::Run(Action::GoTab(Tab::Invoices)),
    ),
    c(
        tr("payments", "pagos"),
        &["4"],
        None,
        tr("Payments tab", "pestaña Pagos"),
        Does::Run(Action::GoTab(Tab::Payments)),
    ),
    c(
        tr("receipts", "recibos"),
        &["5"],
        None,
        tr("Receipts tab", "pestaña Recibos"),
        Does::Run(Action::GoTab(Tab::Receipts)),
    ),
    c(
        tr("refresh", "actualizar"),
        &["r"],
        Some(tr("[all]", "[todo]")),
        tr(
            "reload this view from the API; with all, the team completely",
            "recargar esta vista desde la API; con todo, el equipo completo",
        ),
        Does::Refresh,
    ),
    c(
        tr("help", "ayuda"),
        &["h"],
        None,
        tr("show the key bindings", "mostrar las teclas"),
        Does::Run(Action::Help),
    ),
    c(
        tr("quit", "salir"),
        &["q", "q!", "exit"],
        None,
        tr("leave gigdash", "salir de gigdash"),
        Does::Run(Action::Quit),
    ),
];

impl Command {
    /// The command as the palette and help write it: `team <name>`.
    pub fn usage(&self, lang: Lang) -> String {
        match self.arg {
            Some(arg) => format!("{} {}", self.name.get(lang), arg.get(lang)),
            None => self.name.get(lang).to_string(),
        }
    }

    fn answers_to(&self, word: &str) -> bool {
        self.name.en == word || self.name.es == word || self.aliases.contains(&word)
    }
}

/// The command a typed word names (either language, or a short name), ignoring case.
pub fn lookup(word: &str) -> Option<&'static Command> {
    let word = word.trim().to_lowercase();
    COMMANDS.iter().find(|c| c.answers_to(&word))
}

/// The commands the palette offers for what is typed: those whose name in the screen's
/// language starts with the first word.
pub fn hints(typed: &str, lang: Lang) -> impl Iterator<Item = &'static Command> {
    let first = typed
        .trim()
        .trim_start_matches(':')
        .split(' ')
        .next()
        .unwrap_or("")
        .to_lowercase();
    COMMANDS
        .iter()
        .filter(move |c| c.name.get(lang).starts_with(&first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_is_unique_and_found() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COMMANDS {
            for w in [c.name.en, c.name.es].iter().chain(c.aliases) {
                assert!(
                    seen.insert(*w) || c.name.en == c.name.es,
                    "«{w}» names two commands"
                );
                assert!(std::ptr::eq(lookup(w).unwrap(), c), "{w}");
            }
        }
        assert!(lookup("TEAM").is_some(), "case is ignored");
        assert!(lookup("nope").is_none());
    }
}
