//! `update`: the only place state changes, and only a router. Each message goes to the
//! feature that owns it (a key to the popup or dialog that is open, else to its action; a
//! worker answer to `arrivals`, `writes` or `bulk`), then the intents features left for each
//! other are routed the same way. No IO, no clock, no terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::dialogs::kinds::WriteKind;
use crate::app::features::arrivals;
use crate::app::features::branches;
use crate::app::features::browse::{self, Move};
use crate::app::features::bulk;
use crate::app::features::create;
use crate::app::features::created;
use crate::app::features::find;
use crate::app::features::fiscal;
use crate::app::features::group;
use crate::app::features::group::changes;
use crate::app::features::listing;
use crate::app::features::popups;
use crate::app::features::scope;
use crate::app::features::switching;
use crate::app::features::writes;
use crate::app::input::action::Action;
use crate::app::input::bindings as keymap;
use crate::app::msg::{Msg, Request, Update};
use crate::app::state::{Intent, Popup, State, Tab, complain};

pub use crate::app::form::text::edit;

/// The requests to send when the dashboard starts.
pub fn init(_state: &mut State) -> Vec<Request> {
    vec![Request::LoadTeams]
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Request> {
    let reqs = route(state, msg);
    settle(state, reqs)
}

/// A switch as a transaction (see `switching`), with the intents it leaves routed.
pub fn switch_to(state: &mut State, team: crate::api::TeamId) -> Vec<Request> {
    let reqs = switching::switch_to(state, team);
    settle(state, reqs)
}

/// Runs a `:` command line.
pub fn run_command(state: &mut State, line: &str) -> Vec<Request> {
    let reqs = popups::run_command(state, line);
    settle(state, reqs)
}

fn route(state: &mut State, msg: Msg) -> Vec<Request> {
    let no_popup = matches!(state.popup, Popup::None);
    match msg {
        Msg::Quit => quit(state),
        Msg::Resize(w, h) => browse::resize(state, w, h),
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            vec![]
        }
        Msg::Worker(u) => match *u {
            Update::WriteDone {
                team,
                request,
                result,
            } => {
                if let crate::app::dialogs::kinds::WriteRequest::Create(c) = request {
                    create::on_done(state, team, *c, result)
                } else if bulk::owns(state, &request) {
                    let team_write = matches!(
                        request,
                        crate::app::dialogs::kinds::WriteRequest::Team { .. }
                    );
                    let mut reqs = bulk::on_done(state, team.clone(), request, result);
                    if team_write {
                        reqs.extend(branches::reread(state, team));
                    }
                    reqs
                } else {
                    writes::on_done(state, team, request, result)
                }
            }
            Update::Roles { generation, roles } => bulk::on_roles(state, generation, roles),
            Update::FormData {
                team,
                role,
                data,
                credited,
            } => create::on_form_data(state, team, role, data, credited),
            Update::Drafts { team, result } => created::on_drafts(state, team, result),
            Update::Validating {
                generation,
                done,
                of,
            } => {
                fiscal::progress(state, generation, done, of);
                vec![]
            }
            Update::Validated {
                generation,
                team,
                result,
            } => {
                fiscal::answered(state, generation, team, result);
                vec![]
            }
            Update::Found {
                generation,
                hits,
                searched,
            } => find::on_found(state, generation, hits, searched),
            Update::GroupRow {
                generation,
                team,
                result,
                now,
            } => group::on_row(state, generation, team, result, now),
            // The load ended: what it saw change is asked (the header, the view).
            Update::GroupLoaded { generation } => {
                if state
                    .asked
                    .wanted(crate::app::state::Asking::Group, generation)
                {
                    changes::ask(state)
                } else {
                    vec![]
                }
            }
            Update::BranchesListed { generation, result } => {
                branches::on_listed(state, generation, result)
            }
            Update::Branch {
                generation,
                config,
                now,
            } => branches::on_branch(state, generation, config, now),
            Update::Changes { generation, result } => {
                changes::on_changes(state, generation, result)
            }
            Update::ChangeLabels { generation, items } => {
                changes::on_labels(state, generation, items)
            }
            other => arrivals::on_update(state, other),
        },
        Msg::Scroll(d) if no_popup => browse::scroll(state, d),
        Msg::Click { row } if no_popup => browse::click(state, row),
        Msg::Scroll(_) | Msg::Click { .. } => vec![],
        Msg::Key(k) if k.kind == KeyEventKind::Release => vec![],
        Msg::Key(k) => on_key(state, k),
    }
}

/// Routes what features asked of each other until none is left.
fn settle(state: &mut State, mut reqs: Vec<Request>) -> Vec<Request> {
    // An intent's own handler may leave more; a bound keeps a bug from looping forever.
    for _ in 0..16 {
        if state.intents.is_empty() {
            break;
        }
        for intent in std::mem::take(&mut state.intents) {
            reqs.extend(match intent {
                Intent::SwitchTo(team) => {
                    // A team of its own: the Group and Branches tabs and the all-teams
                    // scope step aside.
                    let mut reqs = group::leave(state);
                    reqs.extend(branches::leave(state));
                    reqs.extend(scope::leave(state));
                    reqs.extend(switching::switch_to(state, team));
                    reqs
                }
                Intent::Run(action) => run(state, action),
                Intent::OpenGroup => group::open(state),
                Intent::Find(text) => find::search(state, &text),
                // A new branch with steps left is finished first; else the bulk run.
                Intent::RetryBulk if state.unfinished_branch.is_some() => {
                    create::finish_branch(state)
                }
                Intent::RetryBulk => bulk::retry_failed(state),
                Intent::RefreshAll => browse::refresh_all(state),
                Intent::IssueComplement(n) => writes::open_complement(state, n),
                Intent::StampReceipts => writes::open_stamp_receipts(state),
                Intent::Create(kind) => create::open(state, kind),
                Intent::Drafts => created::open_drafts(state),
                Intent::StampReceipt => {
                    if state.current_view().map(|v| v.tab) == Some(Tab::Receipts) {
                        writes::open(state, WriteKind::StampReceipt)
                    } else {
                        let msg = state.lang.pick(
                            "Stamping one receipt: open the Receipts tab (5) and select it.",
                            "Timbrar un recibo: abre la pestaña Recibos (5) y elígelo.",
                        );
                        crate::app::state::complain(state, msg);
                        vec![]
                    }
                }
                Intent::OpenComplements => {
                    listing::open(state, crate::app::data::account::ListingKind::Complements)
                }
                Intent::OpenListing(kind) => listing::open(state, kind),
                Intent::Validate => fiscal::start(state),
                Intent::AskChanges => changes::ask(state),
                Intent::Changes => changes::command(state),
                Intent::Since(text) => changes::since(state, &text),
                Intent::Drift => branches::open_drift(state),
                Intent::TeamWrite(kind, args) => branches::team_write(state, kind, &args),
                Intent::Say(text) => {
                    crate::app::state::say(state, text);
                    vec![]
                }
            });
        }
    }
    reqs
}

fn quit(state: &mut State) -> Vec<Request> {
    state.quit = true;
    vec![Request::Quit]
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    if state.filter_input.is_some() {
        if state.branches.open {
            return branches::on_filter_key(state, key);
        }
        if state.group.open {
            return group::on_filter_key(state, key);
        }
        return popups::on_filter_key(state, key);
    }
    match std::mem::take(&mut state.popup) {
        Popup::None => {}
        Popup::Switcher(s) => return popups::on_switcher_key(state, s, key),
        Popup::Palette(p) => return popups::on_palette_key(state, p, key),
        Popup::Help { filter, scroll } => return popups::on_help_key(state, filter, scroll, key),
        Popup::Detail(d) => return popups::on_detail_key(state, d, key),
        Popup::Find(f) => return find::on_key(state, f, key),
        Popup::Listing(l) => return listing::on_key(state, l, key),
        Popup::Create(f) => return create::on_key(state, *f, key),
        Popup::Created(c) => return created::on_created_key(state, *c, key),
        Popup::Drafts(d) => return created::on_drafts_key(state, d, key),
        Popup::Changes(l) => return changes::on_key(state, l, key),
        Popup::Text(v) => return branches::on_text_key(state, v, key),
        Popup::Action(d) if d.bulk().is_none() => return writes::on_key(state, *d, key),
        Popup::Action(d) => return bulk::on_key(state, *d, key),
    }
    if key.code == KeyCode::Esc {
        if state.branches.open {
            return branches::clear_filter(state);
        }
        if state.group.open {
            return group::clear_filter(state);
        }
        return browse::clear_filter(state);
    }
    let Some(action) = keymap::action_for(state, &key) else {
        return vec![];
    };
    if let Err(why) = keymap::enabled(state, action) {
        complain(state, why.get(state.lang));
        return vec![];
    }
    run(state, action)
}

/// Each action to the feature that owns it.
fn run(state: &mut State, action: Action) -> Vec<Request> {
    if state.branches.open {
        return run_in_branches(state, action);
    }
    if state.group.open {
        return run_in_group(state, action);
    }
    match action {
        Action::Group => group::open(state),
        Action::Branches => branches::open(state),
        Action::Changes => changes::toggle(state),
        // Refused by `enabled` outside the Group tab.
        Action::Left | Action::Right => vec![],
        Action::Find => find::open(state),
        Action::Scope => scope::toggle(state),
        Action::Quit => quit(state),
        Action::TeamSwitcher => popups::open_switcher(state),
        Action::Palette => popups::open_palette(state),
        Action::Help => popups::open_help(state),
        Action::PrevTeam | Action::NextTeam => {
            let mut reqs = scope::leave(state);
            reqs.extend(switching::step(state, action == Action::NextTeam));
            reqs
        }
        Action::GoTab(_) | Action::NextTab | Action::PrevTab => {
            let mut reqs = match action {
                Action::GoTab(tab) => browse::go_tab(state, tab),
                _ => browse::cycle_tab(state, action == Action::NextTab),
            };
            // In the all-teams scope the new tab asks every team for its rows.
            reqs.extend(scope::load(state));
            reqs
        }
        Action::Down => browse::step(state, Move::By(1)),
        Action::Up => browse::step(state, Move::By(-1)),
        Action::PageDown => browse::step(state, Move::Page(1)),
        Action::PageUp => browse::step(state, Move::Page(-1)),
        Action::Top => browse::step(state, Move::Top),
        Action::Bottom => browse::step(state, Move::Bottom),
        Action::Open => browse::open_detail(state),
        Action::Filter => browse::start_filter(state),
        Action::Sort => browse::sort(state, false),
        Action::SortReverse => browse::sort(state, true),
        Action::Refresh if state.scope.on => scope::reload(state),
        Action::Refresh => browse::refresh(state),
        Action::Export => browse::export(state),
        Action::Mark => browse::mark(state),
        Action::Copy => browse::copy(state),
        Action::Download => browse::download(state),
        Action::MarkPaid | Action::Cancel if state.scope.on && !any_marks(state) => {
            let msg = state.lang.pick(
                "All teams: mark rows with Space for one write per row (grouped by team), or Enter opens the row's team.",
                "Todos los equipos: marca filas con Espacio para una escritura por fila (agrupadas por equipo), o Enter abre el equipo de la fila.",
            );
            crate::app::state::complain(state, msg);
            vec![]
        }
        Action::New => {
            let kind = match state.current_view().map(|v| v.tab) {
                Some(Tab::Invoices) => WriteKind::DraftInvoice,
                Some(Tab::Clients) => WriteKind::CreateClient,
                _ => WriteKind::RequestPayment,
            };
            create::open(state, kind)
        }
        Action::MarkPaid => write(state, WriteKind::MarkPaid),
        Action::Refund => write(state, WriteKind::Refund),
        Action::Cancel => {
            let kind = match state.current_view().map(|v| v.tab) {
                Some(Tab::Invoices) => WriteKind::CancelInvoice,
                Some(Tab::Receipts) => WriteKind::CancelReceipt,
                _ => WriteKind::CancelPayment,
            };
            write(state, kind)
        }
    }
}

/// The Group tab has its own table: moving, sorting, filtering and Enter are its; a tab,
/// a team switch or the team keys leave it first.
fn run_in_group(state: &mut State, action: Action) -> Vec<Request> {
    let page = group::page(state);
    match action {
        Action::Down => group::step(state, 1),
        Action::Up => group::step(state, -1),
        Action::PageDown => group::step(state, page),
        Action::PageUp => group::step(state, -page),
        Action::Top => group::step(state, isize::MIN / 2),
        Action::Bottom => group::step(state, isize::MAX / 2),
        Action::Sort => group::sort(state, false),
        Action::SortReverse => group::sort(state, true),
        Action::Open if state.group.changes.on => changes::open_cell(state),
        Action::Open => group::open_selected(state),
        Action::Changes => changes::toggle(state),
        Action::Left => changes::step_column(state, -1),
        Action::Right => changes::step_column(state, 1),
        Action::Filter => group::start_filter(state),
        Action::Refresh => group::reload(state),
        Action::Group => vec![],
        Action::New => create::open(state, WriteKind::RequestPayment),
        Action::Branches => {
            let mut reqs = group::leave(state);
            reqs.extend(branches::open(state));
            reqs
        }
        Action::Quit
        | Action::Help
        | Action::Palette
        | Action::TeamSwitcher
        | Action::Find
        | Action::Scope
        | Action::GoTab(_)
        | Action::NextTab
        | Action::PrevTab
        | Action::PrevTeam
        | Action::NextTeam => {
            let mut reqs = match action {
                Action::Quit
                | Action::Help
                | Action::Palette
                | Action::TeamSwitcher
                | Action::Find => vec![],
                _ => group::leave(state),
            };
            let was_open = state.group.open;
            state.group.open = false;
            reqs.extend(run(state, action));
            // Popups and quitting keep the tab underneath.
            if matches!(
                action,
                Action::Help | Action::Palette | Action::TeamSwitcher
            ) {
                state.group.open = was_open;
            }
            reqs
        }
        Action::MarkPaid
        | Action::Refund
        | Action::Cancel
        | Action::Download
        | Action::Copy
        | Action::Mark
        | Action::Export => group::not_here(state),
    }
}

/// The Branches tab has its own table: moving, sorting, filtering, Enter and `R` (the
/// reference) are its; a tab, the Group tab or a team switch leave it first.
fn run_in_branches(state: &mut State, action: Action) -> Vec<Request> {
    let page = branches::page(state);
    match action {
        Action::Down => branches::step(state, 1),
        Action::Up => branches::step(state, -1),
        Action::PageDown => branches::step(state, page),
        Action::PageUp => branches::step(state, -page),
        Action::Top => branches::step(state, isize::MIN / 2),
        Action::Bottom => branches::step(state, isize::MAX / 2),
        Action::Sort => branches::sort(state, false),
        Action::SortReverse => branches::sort(state, true),
        Action::Open => branches::open_selected(state),
        Action::Filter => branches::start_filter(state),
        Action::Refresh => branches::load(state),
        Action::Refund => branches::set_reference(state),
        Action::Mark => branches::mark(state),
        Action::Copy => branches::copy(state),
        Action::Branches => vec![],
        Action::Quit
        | Action::Help
        | Action::Palette
        | Action::TeamSwitcher
        | Action::Find
        | Action::Group
        | Action::GoTab(_)
        | Action::NextTab
        | Action::PrevTab
        | Action::PrevTeam
        | Action::NextTeam => {
            let keeps = matches!(
                action,
                Action::Quit | Action::Help | Action::Palette | Action::TeamSwitcher | Action::Find
            );
            let mut reqs = if keeps {
                vec![]
            } else {
                branches::leave(state)
            };
            let was_open = state.branches.open;
            state.branches.open = false;
            reqs.extend(run(state, action));
            // Popups and quitting keep the tab underneath.
            if matches!(
                action,
                Action::Help | Action::Palette | Action::TeamSwitcher
            ) {
                state.branches.open = was_open;
            }
            reqs
        }
        // A team's table actions (`enabled` refuses them first, with the same words).
        _ => branches::not_here(state),
    }
}

fn any_marks(state: &State) -> bool {
    bulk::has_marks(state, WriteKind::MarkPaid) || bulk::has_marks(state, WriteKind::CancelInvoice)
}

/// Marked rows make a write a bulk one (refunds are always one at a time).
fn write(state: &mut State, kind: WriteKind) -> Vec<Request> {
    if kind != WriteKind::Refund && bulk::has_marks(state, kind) {
        bulk::open(state, kind)
    } else {
        writes::open(state, kind)
    }
}
