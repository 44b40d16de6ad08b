//! What the worker's answers do to state: teams, pages (first, streamed, complete, cached),
//! failures in words naming the team, details, write results.

use crate::app::state::Asking;
use crate::i18n::Lang;
use crate::t;
use std::sync::Arc;

use crate::api::ApiError;
use crate::app::data::documents::Row;
use crate::app::data::overview;
use crate::app::data::table::{Load, Table};
use crate::app::msg::{Dataset, Request, Rows, Update};
use crate::app::state::{
    Intent, Popup, State, TeamInfo, complain, find_team, replace_invoice, say,
};

pub fn on_update(state: &mut State, u: Update) -> Vec<Request> {
    match u {
        Update::Connected {
            own_team,
            live,
            demo,
            base_url,
        } => {
            state.connected = true;
            state.own_team = own_team;
            state.live = Some(live);
            state.demo = demo;
            state.base_url = base_url;
            vec![]
        }
        Update::Sharing(n) => {
            state.sharing = n;
            vec![]
        }
        Update::Offline { offline } => {
            let was = state.offline;
            state.offline = offline;
            if offline && !was {
                let msg = state.lang.pick(
                    "gigstack cannot be reached: showing what the store kept; writes are off until it answers.",
                    "No se puede contactar a gigstack: se muestra lo guardado; las escrituras se desactivan hasta que responda.",
                );
                complain(state, msg);
            } else if was && !offline {
                let msg = state
                    .lang
                    .pick("gigstack answers again.", "gigstack responde de nuevo.");
                say(state, msg);
            }
            vec![]
        }
        Update::AsOf { team, at } => {
            match at {
                Some(at) => state.as_of.insert(team, at),
                None => state.as_of.remove(&team),
            };
            vec![]
        }
        Update::StoreNotice(msg) => {
            complain(state, msg);
            vec![]
        }
        Update::Teams(Ok(teams)) => {
            state.teams_loading = false;
            state.teams_error = None;
            state.teams_failures = 0;
            state.teams = teams.iter().map(TeamInfo::from_api).collect();
            for t in &mut state.teams {
                if let Some(alias) = state.aliases.get(&t.id) {
                    t.name = alias.clone();
                }
            }
            // As a Spanish speaker expects (accents folded, ñ after n); the same name twice
            // is told apart by RFC.
            state
                .teams
                .sort_by_cached_key(|t| (crate::i18n::sort_key(&t.name), t.rfc.clone()));
            state.brand =
                crate::app::data::brand::brand(state.teams.iter().map(|t| t.name.as_str()));
            if state.teams.is_empty() {
                let msg = state.lang.pick(
                    "This key reaches no team. Check the key, or ask for access to a team.",
                    "Esta key no alcanza ningún equipo. Revisa la key o pide acceso a un equipo.",
                );
                complain(state, msg);
                return vec![];
            }
            let still_there = state
                .current
                .as_ref()
                .is_some_and(|c| state.teams.iter().any(|t| &t.id == c));
            if still_there {
                return vec![];
            }
            let pick = state
                .preferred_team
                .take()
                .and_then(|p| find_team(state, &p))
                .or_else(|| {
                    let own = state.own_team.clone()?;
                    state.teams.iter().position(|t| t.id == own)
                })
                .unwrap_or(0);
            let id = state.teams[pick].id.clone();
            let first_arrival = state.current.is_none();
            state.intents.push(Intent::SwitchTo(id));
            // More than one team: the account at a glance first, unless `--team` named
            // where to start.
            if first_arrival && state.teams.len() > 1 && !state.team_asked {
                state.intents.push(Intent::OpenGroup);
            }
            // What changed since the last session, for the header (from the store, before
            // any request).
            if first_arrival && state.teams.len() > 1 {
                state.intents.push(Intent::AskChanges);
            }
            vec![]
        }
        Update::Teams(Err(e)) => {
            state.teams_loading = false;
            state.teams_failures += 1;
            let e = e.describe(state.lang);
            let after_secs = retry_delay(state.teams_failures);
            let msg = t!(
                state.lang,
                "Could not list teams: {e} Trying again in {after_secs} s (r: now).",
                "No se pudo listar los equipos: {e} Se reintenta en {after_secs} s (r: ahora)."
            );
            state.teams_error = Some(crate::text::printable(&msg));
            complain(state, msg);
            vec![Request::LoadTeamsLater { after_secs }]
        }
        Update::Page {
            team,
            generation,
            rows,
            first,
            done,
            total,
            now,
            cached_age,
        } => {
            if !state.asked.wanted(Asking::Team, generation) {
                return vec![];
            }
            let other_team = state.current.as_ref() != Some(&team);
            // Another team's rows are taken only by the all-teams scope, complete.
            if other_team && !(state.scope.on && done) {
                return vec![];
            }
            if state.scope.on && done {
                let name = crate::app::state::team_name(state, &team);
                state.scope.put(&team, &name, &rows);
                if other_team {
                    // Its own view holds them too (shared, not copied): marks and bulk
                    // writes work from there, and opening the team shows them at once.
                    let view = state.views.entry(team.clone()).or_default();
                    view.now = view.now.max(now);
                    match rows {
                        Rows::Clients(r) => view.clients.set_rows(r),
                        Rows::Invoices(r) => view.invoices.set_rows(r),
                        Rows::Payments(r) => view.payments.set_rows(r),
                        Rows::Receipts(r) => view.receipts.set_rows(r),
                    }
                    return vec![];
                }
            }
            let height = state.table_height();
            let Some(view) = state.views.get_mut(&team) else {
                return vec![];
            };
            view.now = view.now.max(now);
            view.error = None;
            let touches_overview = matches!(rows, Rows::Invoices(_) | Rows::Payments(_));
            let rows_kind = match &rows {
                Rows::Clients(_) => Dataset::Clients,
                Rows::Invoices(_) => Dataset::Invoices,
                Rows::Payments(_) => Dataset::Payments,
                Rows::Receipts(_) => Dataset::Receipts,
            };
            match rows {
                Rows::Clients(r) => {
                    apply_page(&mut view.clients, r, first, done, total, cached_age, height)
                }
                Rows::Invoices(r) => apply_page(
                    &mut view.invoices,
                    r,
                    first,
                    done,
                    total,
                    cached_age,
                    height,
                ),
                Rows::Payments(r) => apply_page(
                    &mut view.payments,
                    r,
                    first,
                    done,
                    total,
                    cached_age,
                    height,
                ),
                Rows::Receipts(r) => apply_page(
                    &mut view.receipts,
                    r,
                    first,
                    done,
                    total,
                    cached_age,
                    height,
                ),
            }
            if done {
                // A `:complements` list waiting for this team's rows.
                crate::app::common::owed::refresh_open(state);
                // Clients read again keep what the fiscal check said of them.
                if rows_kind == Dataset::Clients && state.fiscal.results.contains_key(&team) {
                    crate::app::common::fiscal_column::apply(state, &team);
                }
            }
            if done
                && let Some((jt, jd, id)) = state.jump.clone()
                && jt == team
                && jd == rows_kind
            {
                let height = state.table_height();
                if let Some(view) = state.views.get_mut(&team) {
                    match jd {
                        Dataset::Clients => {
                            crate::app::common::jump::select_id(&mut view.clients, &id, height)
                        }
                        Dataset::Invoices => {
                            crate::app::common::jump::select_id(&mut view.invoices, &id, height)
                        }
                        Dataset::Payments => {
                            crate::app::common::jump::select_id(&mut view.payments, &id, height)
                        }
                        Dataset::Receipts => {
                            crate::app::common::jump::select_id(&mut view.receipts, &id, height)
                        }
                    }
                }
                state.jump = None;
            }
            let Some(view) = state.views.get_mut(&team) else {
                return vec![];
            };
            if touches_overview && done {
                view.overview = Some(overview::compute(
                    &view.invoices.rows,
                    &view.payments.rows,
                    view.now,
                ));
            }
            vec![]
        }
        Update::LoadFailed {
            team,
            generation,
            dataset,
            error,
        } => {
            if !state.asked.wanted(Asking::Team, generation)
                || state.current.as_ref() != Some(&team)
            {
                return vec![];
            }
            let name = state
                .current_team()
                .map(|t| t.name.clone())
                .unwrap_or_else(|| team.to_string());
            let lang = state.lang;
            let mut text = crate::text::printable(&error_for_team(&error, &name, lang));
            let mut reqs = vec![];
            if let Some(view) = state.views.get_mut(&team) {
                let failures = match dataset {
                    Dataset::Clients => &mut view.clients.failures,
                    Dataset::Invoices => &mut view.invoices.failures,
                    Dataset::Payments => &mut view.payments.failures,
                    Dataset::Receipts => &mut view.receipts.failures,
                };
                *failures += 1;
                // A transient failure (network, timeout, 5xx, 429) retries on its own, more
                // slowly each time; `r` retries at once.
                if error.is_transient() {
                    let after_secs = retry_delay(*failures);
                    text.push_str(&t!(
                        lang,
                        " Trying again in {after_secs} s (r: now).",
                        " Se reintenta en {after_secs} s (r: ahora)."
                    ));
                    reqs.push(Request::RetryLoad {
                        team: team.clone(),
                        generation,
                        dataset,
                        after_secs,
                    });
                }
                let msg = text.clone();
                match dataset {
                    Dataset::Clients => view.clients.load = Load::Failed(msg),
                    Dataset::Invoices => view.invoices.load = Load::Failed(msg),
                    Dataset::Payments => view.payments.load = Load::Failed(msg),
                    Dataset::Receipts => view.receipts.load = Load::Failed(msg),
                }
                if blocks_team(&error) {
                    view.error = Some(text.clone());
                }
            }
            complain(state, text);
            reqs
        }
        Update::Slow {
            team,
            generation,
            dataset,
            secs,
        } => {
            if !state.asked.wanted(Asking::Team, generation)
                || state.current.as_ref() != Some(&team)
            {
                return vec![];
            }
            let what = match dataset {
                Dataset::Clients => state.lang.pick("clients", "clientes"),
                Dataset::Invoices => state.lang.pick("invoices", "facturas"),
                Dataset::Payments => state.lang.pick("payments", "pagos"),
                Dataset::Receipts => state.lang.pick("receipts", "recibos"),
            };
            let msg = t!(
                state.lang,
                "gigstack has not answered for {secs} s ({what}); still trying. Check the connection; r asks again.",
                "gigstack no ha respondido en {secs} s ({what}); se sigue intentando. Revisa la conexión; r pregunta de nuevo."
            );
            complain(state, msg);
            vec![]
        }
        Update::Detail {
            team,
            generation,
            result,
        } => {
            // In the all-teams scope a detail may be of any team's row.
            let mine = state.current.as_ref() == Some(&team) || state.scope.on;
            if !state.asked.wanted(Asking::Team, generation) || !mine {
                return vec![];
            }
            let lang = state.lang;
            let owed = match (&result, state.views.get(&team)) {
                (Ok(crate::app::msg::Detail::Invoice(i)), Some(v)) => {
                    crate::app::data::complements::owed(&v.invoices.rows, &v.payments.rows, v.now)
                        .into_iter()
                        .filter(|o| o.invoice == i.uuid())
                        .collect()
                }
                _ => Vec::new(),
            };
            if let Popup::Detail(d) = &mut state.popup {
                d.result = Some(result.map_err(|e| crate::text::printable(&e.describe(lang))));
                d.owed = owed;
            }
            vec![]
        }
        // `update` routes write answers to `writes` or `bulk`, group rows to `group`, the
        // fiscal check to `fiscal`.
        Update::WriteDone { .. }
        | Update::GroupRow { .. }
        | Update::BranchesListed { .. }
        | Update::Branch { .. }
        | Update::Found { .. }
        | Update::Roles { .. }
        | Update::FormData { .. }
        | Update::Drafts { .. }
        | Update::Validating { .. }
        | Update::Validated { .. } => vec![],
        Update::Exported { result } => {
            match result {
                Ok(path) => {
                    let path = path.display();
                    let msg = t!(
                        state.lang,
                        "Saved the table to {path}",
                        "Se guardó la tabla en {path}"
                    );
                    say(state, msg)
                }
                Err(e) => {
                    let msg = t!(
                        state.lang,
                        "Export failed: {e}",
                        "Falló la exportación: {e}"
                    );
                    complain(state, msg)
                }
            }
            vec![]
        }
        Update::Download { uuid, done, result } => {
            let short = &uuid[..uuid.len().min(8)];
            let lang = state.lang;
            match result {
                None => say(
                    state,
                    t!(
                        lang,
                        "Downloading {short}… {done} of 2 files",
                        "Descargando {short}… {done} de 2 archivos"
                    ),
                ),
                Some(Ok(paths)) => {
                    let dir = paths
                        .first()
                        .and_then(|p| p.parent())
                        .map(|d| d.display().to_string())
                        .unwrap_or_default();
                    let n = paths.len();
                    say(
                        state,
                        t!(
                            lang,
                            "Saved {n} files of {short} to {dir}",
                            "Se guardaron {n} archivos de {short} en {dir}"
                        ),
                    );
                }
                Some(Err(e)) => complain(
                    state,
                    t!(
                        lang,
                        "Download of {short} failed: {e}",
                        "Falló la descarga de {short}: {e}"
                    ),
                ),
            }
            vec![]
        }
        Update::Listing { team, kind, result } => {
            let lang = state.lang;
            if let Popup::Listing(l) = &mut state.popup
                && l.team == team
                && l.kind == kind
            {
                l.rows = Some(result.map_err(|e| crate::text::printable(&e.describe(lang))));
            }
            vec![]
        }
        // Routed by `update` to the Group tab's changes.
        Update::Changes { .. } | Update::ChangeLabels { .. } | Update::GroupLoaded { .. } => {
            vec![]
        }
        Update::InvoiceChanged { team, invoice } => {
            replace_invoice(state, &team, &invoice);
            let uuid = invoice.uuid().to_string();
            let settled = match invoice.status() {
                crate::api::InvoiceStatus::Canceled => state.lang.pick(
                    "the receiver accepted: the invoice is canceled",
                    "el receptor aceptó: la factura está cancelada",
                ),
                _ => state.lang.pick(
                    "the cancellation was rejected: the invoice stays valid",
                    "la cancelación fue rechazada: la factura sigue vigente",
                ),
            };
            let short = &uuid[..uuid.len().min(8)];
            let msg = t!(
                state.lang,
                "Invoice {short}: {settled}",
                "Factura {short}: {settled}"
            );
            say(state, msg);
            vec![]
        }
    }
}

/// Seconds before the `n`th retry in a row: 2, 4, 8, 16, then every 30.
pub fn retry_delay(n: u32) -> u64 {
    (1u64 << n.clamp(1, 5)).min(30)
}

/// Errors that make the whole team unreadable, not one dataset.
pub fn blocks_team(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Unauthorized { .. }
            | ApiError::NotMasterTeam { .. }
            | ApiError::TeamNotFound { .. }
            | ApiError::NoMatchedTeams { .. }
            | ApiError::RoleDenied { .. }
            | ApiError::Forbidden { .. }
    )
}

/// The error in words, naming the team by name rather than id.
pub fn error_for_team(e: &ApiError, name: &str, lang: Lang) -> String {
    let text = e.describe(lang);
    let with_name = match e {
        ApiError::TeamNotFound { team: Some(t) }
        | ApiError::NoMatchedTeams { team: Some(t) }
        | ApiError::RoleDenied { team: Some(t) }
        | ApiError::NotMasterTeam { team: Some(t) } => match lang {
            Lang::En => text.replace(&format!("team {t}"), &format!("«{name}»")),
            Lang::Es => text.replace(&format!("equipo {t}"), &format!("equipo «{name}»")),
        },
        _ => text,
    };
    if with_name.contains(&format!("«{name}»")) {
        with_name
    } else {
        format!("{name}: {with_name}")
    }
}

pub fn apply_page<R: Row>(
    table: &mut Table<R>,
    rows: Arc<Vec<R>>,
    first: bool,
    done: bool,
    total: Option<u64>,
    cached_age: Option<u64>,
    height: usize,
) {
    table.total_hint = total.or(table.total_hint);
    if cached_age.is_some() {
        // A complete set from the cache; a revalidation may follow.
        table.cached_age = cached_age;
        table.set_rows(rows);
        table.revalidating = false;
        table.incoming.clear();
        if done {
            table.load = Load::Loaded;
        }
    } else if done {
        // The complete set: swap it in (it replaces streamed pages or stale rows).
        table.failures = 0;
        table.cached_age = None;
        table.set_rows(rows);
        table.incoming.clear();
        table.revalidating = false;
        table.load = Load::Loaded;
    } else if first && !table.rows.is_empty() {
        // A refresh: keep showing the old rows until the new set is complete.
        table.revalidating = true;
        table.incoming.clear();
        table.incoming.extend_from_slice(&rows);
    } else if table.revalidating {
        table.incoming.extend_from_slice(&rows);
    } else {
        if first {
            table.set_rows(Arc::new(Vec::new()));
        }
        table.append(&rows);
    }
    table.scroll_into_view(height);
}
