//! A new branch (`:new-branch`): its form on the key's own team with what follows its
//! creation (the reference's settings, series and admins, then the onboarding link), what
//! it came to, and `:retry` for the steps left.

use crate::api::TeamId;
use crate::app::common::forms::head;
use crate::app::create::created::Created;
use crate::app::create::model::{CreateForm, FormData};
use crate::app::dialogs::kinds::{BranchMade, Create, WriteKind, WriteRequest};
use crate::app::msg::{Request, WriteResult};
use crate::app::state::{Popup, State, complain, say, team_name};
use crate::t;

/// `:new-branch`: the form (name, legal name, RFC, regime, postal code) on the key's own
/// team, with what follows the team's creation: the Branches tab's reference settings,
/// series and admins (when a reference is set), then the onboarding link.
pub(super) fn open_new_branch(state: &mut State) -> Vec<Request> {
    use crate::app::dialogs::kinds::BranchStep;
    let lang = state.lang;
    let Some(own) = state.own_team.clone().or_else(|| state.current.clone()) else {
        complain(
            state,
            lang.pick(
                "The team list has not loaded yet.",
                "La lista de equipos aún no carga.",
            ),
        );
        return vec![];
    };
    let own_name = team_name(state, &own);
    let b = &state.branches;
    let mut steps = Vec::new();
    let mut shown = Vec::new();
    let reference = b
        .reference
        .as_ref()
        .and_then(|r| b.rows.get(r))
        .and_then(|row| Some((row.branch.as_ref()?, row.config.as_ref()?)));
    match reference {
        Some((r, config)) => {
            if let Ok(settings) = &config.settings {
                steps.push(BranchStep::Settings {
                    from: r.name.clone(),
                    settings: settings.clone(),
                });
            }
            for s in r.series.iter().flatten() {
                steps.push(BranchStep::Series(s.name.clone()));
            }
            for m in r.members.iter().flatten().filter(|m| m.role == "admin") {
                steps.push(BranchStep::Member {
                    user: m.id.clone(),
                    role: m.role.clone(),
                });
            }
            shown.push(t!(
                lang,
                "Then, from «{}»: its settings, series and admins; then the onboarding link.",
                "Después, de «{}»: su configuración, series y admins; luego el enlace de alta.",
                r.name
            ));
        }
        None => shown.push(
            lang.pick(
                "No reference (R in the Branches tab): the team alone, then its onboarding link.",
                "Sin referencia (R en Sucursales): solo el equipo, luego su enlace de alta.",
            )
            .into(),
        ),
    }
    steps.push(BranchStep::Onboarding);
    for s in &steps {
        shown.push(format!("  · {}", crate::text::printable(&s.words(lang))));
    }
    let mut taken: Vec<(String, String)> = state
        .teams
        .iter()
        .filter(|t| !t.rfc.is_empty())
        .map(|t| (t.rfc.clone(), t.name.clone()))
        .collect();
    taken.extend(
        b.branches()
            .filter(|x| !x.rfc.is_empty())
            .map(|x| (x.rfc.clone(), x.name.clone())),
    );
    let head = head(state, own, own_name, WriteKind::NewBranch);
    let mut form = CreateForm::new(WriteKind::NewBranch, head, FormData::default());
    form.shown = shown;
    form.branch = Some(crate::app::create::model::BranchPlan { steps, taken });
    crate::app::state::open_popup(state, Popup::Create(Box::new(form)));
    vec![]
}

/// `:retry` after a new branch with steps left: those steps again, each with its key.
pub fn finish_branch(state: &mut State) -> Vec<Request> {
    use crate::app::dialogs::kinds::CreateBody;
    // Kept until the answer: it holds the key the steps' keys are made from.
    let Some(u) = state.unfinished_branch.clone() else {
        return vec![];
    };
    let create = Create {
        lock: format!("new_branch:{}", u.team),
        body: CreateBody::FinishBranch {
            team: u.team.clone(),
            name: u.name.clone(),
            steps: u.steps.clone(),
        },
        services: vec![],
    };
    if state.writes.in_flight.contains(&create.lock) {
        return vec![];
    }
    state.writes.in_flight.insert(create.lock.clone());
    let lang = state.lang;
    let (n, name) = (u.steps.len(), u.name.clone());
    say(
        state,
        t!(
            lang,
            "New branch «{name}»: retrying {n} steps…",
            "Nueva sucursal «{name}»: reintentando {n} pasos…"
        ),
    );
    vec![Request::Write {
        team: u.from,
        team_name: u.from_name,
        request: WriteRequest::Create(Box::new(create)),
        idempotency_key: u.key,
        client: u.name,
        amount: String::new(),
        currency: String::new(),
    }]
}

/// What a new branch came to: the popup with each step, the status (an error when a step
/// failed), what is left kept for `:retry`, and the team list and the new branch read.
pub(super) fn on_made(
    state: &mut State,
    team: TeamId,
    name: String,
    made: Box<BranchMade>,
    form: Option<Box<CreateForm>>,
) -> Vec<Request> {
    let (kind, lang) = (WriteKind::NewBranch, state.lang);
    // What is left is kept for `:retry`; the team list and the branch are read.
    let key = form
        .as_ref()
        .map(|f| f.head.idempotency_key.clone())
        .or_else(|| state.unfinished_branch.as_ref().map(|u| u.key.clone()))
        .unwrap_or_default();
    let left: Vec<_> = made
        .steps
        .iter()
        .filter(|(_, r)| r.is_err())
        .map(|(s, _)| s.clone())
        .collect();
    state.unfinished_branch =
        (!left.is_empty()).then(|| crate::app::create::model::UnfinishedBranch {
            from: team.clone(),
            from_name: name.clone(),
            team: made.team.clone(),
            name: made.name.clone(),
            steps: left,
            key,
        });
    let new_team = made.team.clone();
    let failed = state.unfinished_branch.is_some();
    let created = Created::of(kind, &name, &team, WriteResult::Branch(made), form, lang);
    // A step that failed makes the line an error: something is left to do.
    match &created.status {
        Some(text) if failed => complain(state, text.clone()),
        Some(text) => say(state, text.clone()),
        None => {}
    }
    crate::app::state::open_popup(state, Popup::Created(Box::new(created)));
    vec![
        Request::LoadTeams,
        Request::LoadBranchesOf {
            generation: state.asked.current(crate::app::state::Asking::Branches),
            teams: vec![new_team],
        },
    ]
}
