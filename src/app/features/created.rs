//! After a create: the keys on what its answer shows (copy the link, open what it made,
//! stamp or edit the draft), and the team's drafts list (`:drafts`) to resume, edit, stamp
//! or delete one.

use crossterm::event::KeyEvent;

use crate::api::{ApiError, TeamId};
use crate::app::common::forms::{head, kept_key, reopen_unanswered};
use crate::app::create::created::Created;
use crate::app::create::drafts::DraftsView;
use crate::app::create::model::{CreateForm, FormData};
use crate::app::dialogs::kinds::WriteKind;
use crate::app::msg::Request;
use crate::app::state::{Popup, State};

/// Keys on what a create showed: `y` copies the link, ↑↓ and Enter open what it made,
/// `s` stamps a draft (through its confirmation), `e` edits it, Esc closes.
pub fn on_created_key(state: &mut State, mut c: Created, key: KeyEvent) -> Vec<Request> {
    use crossterm::event::KeyCode;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            state.popup = Popup::None;
            vec![]
        }
        KeyCode::Char('y') if c.link.is_some() => {
            let link = c.link.clone().unwrap_or_default();
            state.popup = Popup::Created(Box::new(c));
            crate::app::common::clipboard::copy(state, &link)
        }
        KeyCode::Up | KeyCode::Char('k') => {
            c.selected = c.selected.saturating_sub(1);
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
        KeyCode::Down | KeyCode::Char('j') => {
            c.selected = (c.selected + 1).min(c.targets.len().saturating_sub(1));
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
        KeyCode::Enter if !c.targets.is_empty() => {
            let (dataset, id, _) = c.targets[c.selected.min(c.targets.len() - 1)].clone();
            state.popup = Popup::None;
            crate::app::common::jump::jump_to(state, c.team.clone(), dataset, id)
        }
        KeyCode::Char('s') | KeyCode::Enter if c.draft.is_some() => {
            let id = c.draft.clone().unwrap_or_default();
            open_stamp(state, &c, id)
        }
        KeyCode::Char('e') if c.form.is_some() => {
            let Some(mut f) = c.form.take() else {
                return vec![];
            };
            f.draft = c.draft.clone();
            f.head.idempotency_key = state.writes.peek(WriteKind::DraftInvoice.slug());
            state.writes.take();
            f.confirm.yes = false;
            f.error = None;
            state.popup = Popup::Create(f);
            vec![]
        }
        _ => {
            state.popup = Popup::Created(Box::new(c));
            vec![]
        }
    }
}

/// The draft's confirmation: `EMITIR` on a live key, then the stamp.
fn open_stamp(state: &mut State, c: &Created, id: String) -> Vec<Request> {
    let head = head(
        state,
        c.team.clone(),
        c.team_name.clone(),
        WriteKind::StampDraft,
    );
    let mut f = CreateForm::new(WriteKind::StampDraft, head, FormData::default());
    f.draft = Some(id);
    f.shown = c.lines.clone();
    state.popup = Popup::Create(Box::new(f));
    vec![]
}

/// `:drafts`: the current team's invoice drafts, read from gigstack.
pub fn open_drafts(state: &mut State) -> Vec<Request> {
    let (Some(team), Some(info)) = (state.current.clone(), state.current_team()) else {
        return vec![];
    };
    let team_name = info.name.clone();
    crate::app::state::open_popup(
        state,
        Popup::Drafts(DraftsView {
            team: team.clone(),
            team_name,
            drafts: None,
            error: None,
            selected: 0,
        }),
    );
    vec![Request::LoadDrafts { team }]
}

/// The drafts arrived.
pub fn on_drafts(
    state: &mut State,
    team: TeamId,
    result: Result<Vec<crate::api::Draft>, ApiError>,
) -> Vec<Request> {
    let lang = state.lang;
    if let Popup::Drafts(v) = &mut state.popup
        && v.team == team
    {
        match result {
            Ok(d) => v.drafts = Some(d),
            Err(e) => {
                v.drafts = Some(vec![]);
                v.error = Some(e.describe(lang));
            }
        }
    }
    vec![]
}

/// Keys on the drafts list: ↑↓ choose, Enter (or `s`) shows the draft to stamp it, `e`
/// edits it, `d` deletes it (asked first), `r` reads the list again, Esc closes.
pub fn on_drafts_key(state: &mut State, mut v: DraftsView, key: KeyEvent) -> Vec<Request> {
    use crossterm::event::KeyCode;
    let lang = state.lang;
    let n = v.open_ones().len();
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => {
            state.popup = Popup::None;
            return vec![];
        }
        KeyCode::Up | KeyCode::Char('k') => v.selected = v.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => {
            v.selected = (v.selected + 1).min(n.saturating_sub(1))
        }
        KeyCode::Char('r') => {
            v.drafts = None;
            v.error = None;
            let team = v.team.clone();
            state.popup = Popup::Drafts(v);
            return vec![Request::LoadDrafts { team }];
        }
        KeyCode::Enter | KeyCode::Char('s') | KeyCode::Char('d') | KeyCode::Char('e') => {
            let Some(d) = v.chosen().cloned() else {
                state.popup = Popup::Drafts(v);
                return vec![];
            };
            if !crate::app::common::guard::writes_allowed(state) {
                state.popup = Popup::Drafts(v);
                return vec![];
            }
            let kind = match key.code {
                KeyCode::Char('d') => WriteKind::DeleteDraft,
                KeyCode::Char('e') => WriteKind::DraftInvoice,
                _ => WriteKind::StampDraft,
            };
            if kind != WriteKind::DraftInvoice
                && reopen_unanswered(state, kept_key(kind, &v.team, &d.id))
            {
                return vec![];
            }
            let head = head(state, v.team.clone(), v.team_name.clone(), kind);
            if kind == WriteKind::DraftInvoice {
                let data = FormData {
                    loading: true,
                    ..FormData::default()
                };
                let f = crate::app::create::drafts::form(&d, head, data);
                state.popup = Popup::Create(Box::new(f));
                return vec![Request::FormData {
                    team: v.team,
                    credit_for: None,
                }];
            }
            let mut f = CreateForm::new(kind, head, FormData::default());
            f.draft = Some(d.id.clone());
            f.shown = crate::app::create::drafts::lines(&d, lang);
            state.popup = Popup::Create(Box::new(f));
            return vec![];
        }
        _ => {}
    }
    state.popup = Popup::Drafts(v);
    vec![]
}
