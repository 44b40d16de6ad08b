//! Driving a create form the way a person does, for `create_update` and `create_snapshots`:
//! keys through `app::update`, the team's lists answered as the worker would, and a few
//! readers of what the form and the requests say. No IO.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::TeamId;
use gigdash::app::create::items::ServiceOpt;
use gigdash::app::create::model::{ClientOpt, CreateForm, FormData, Key};
use gigdash::app::dialogs::kinds::{CreateBody, WriteRequest};
use gigdash::app::state::Popup;
use gigdash::app::{Msg, Request, State, Update, update};
use rust_decimal::Decimal;

/// SAT's test RFC, with its right check digit.
pub const RFC_OK: &str = "EKU9003173C9";

pub fn code(s: &mut State, c: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

pub fn ctrl(s: &mut State, c: char) -> Vec<Request> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub fn key(s: &mut State, c: char) -> Vec<Request> {
    code(s, KeyCode::Char(c))
}

pub fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

/// Clears the focused text field and types `text` into it.
pub fn replace(s: &mut State, text: &str) {
    ctrl(s, 'u');
    typed(s, text);
}

pub fn form(s: &State) -> &CreateForm {
    match &s.popup {
        Popup::Create(f) => f,
        other => panic!("no create form open: {other:?}\nstatus: {:?}", s.status),
    }
}

pub fn status(s: &State) -> String {
    s.status
        .as_ref()
        .map(|x| x.text.clone())
        .unwrap_or_default()
}

/// Tab until the cursor is on `to` (at most once around the form and its items).
pub fn goto(s: &mut State, to: Key) {
    for _ in 0..80 {
        if form(s).focus == to {
            return;
        }
        code(s, KeyCode::Tab);
    }
    panic!(
        "Tab never reached {to:?}; the order is {:?}",
        form(s).order()
    );
}

/// The form's team's clients: one with SAT's test RFC (regime 601), two more.
pub fn clients() -> Vec<ClientOpt> {
    vec![
        ClientOpt {
            id: "client_penasco".into(),
            name: "Distribuidora Peñasco".into(),
            rfc: RFC_OK.into(),
            regime: "601".into(),
            cfdi_use: "G03".into(),
            email: "pagos@penasco.mx".into(),
        },
        ClientOpt {
            id: "client_nunez".into(),
            name: "José Ángel Núñez Ibáñez".into(),
            rfc: "NUIJ800101AB1".into(),
            regime: "612".into(),
            cfdi_use: "G03".into(),
            email: "jose@nunez.mx".into(),
        },
        ClientOpt {
            id: "client_rio".into(),
            name: "Eventos Río Bravo".into(),
            rfc: "ERB010101AA1".into(),
            regime: "601".into(),
            cfdi_use: "G03".into(),
            email: String::new(),
        },
    ]
}

/// The team's services: consulting with IVA 16 %, a haircut exempt of IVA.
pub fn services() -> Vec<ServiceOpt> {
    vec![
        ServiceOpt {
            id: "service_consulting".into(),
            description: "Consultoría fiscal".into(),
            price: Decimal::new(500, 0),
            product_key: "84111506".into(),
            unit_key: "E48".into(),
            preset: "IVA 16%",
        },
        ServiceOpt {
            id: "service_haircut".into(),
            description: "Corte de cabello".into(),
            price: Decimal::new(300, 0),
            product_key: "86101700".into(),
            unit_key: "ACT".into(),
            preset: "Exento",
        },
    ]
}

pub fn data() -> FormData {
    FormData {
        clients: clients(),
        services: services(),
        series: vec!["A".into(), "B".into()],
        ..FormData::default()
    }
}

/// The worker's answer to `Request::FormData` for the open form's team.
pub fn answer_with(s: &mut State, role: &str, data: FormData, credited: Option<Decimal>) {
    let team = form(s).head.team.clone();
    update(
        s,
        Msg::Worker(Box::new(Update::FormData {
            team,
            role: Ok(role.into()),
            data: Ok(data),
            credited: credited.map(|before| {
                Ok(gigdash::app::create::model::CreditFacts {
                    before,
                    preset: "IVA 16%",
                })
            }),
        })),
    );
}

/// The team's lists arrive for an admin.
pub fn answer(s: &mut State) {
    answer_with(s, "admin", data(), None);
}

/// The `FormData` requests among `reqs`: the teams asked for.
pub fn form_data_teams(reqs: &[Request]) -> Vec<TeamId> {
    reqs.iter()
        .filter_map(|r| match r {
            Request::FormData { team, .. } => Some(team.clone()),
            _ => None,
        })
        .collect()
}

/// The writes among `reqs`.
pub fn writes(reqs: &[Request]) -> Vec<&Request> {
    reqs.iter()
        .filter(|r| matches!(r, Request::Write { .. }))
        .collect()
}

/// The create body of the one write among `reqs`.
pub fn sent_body(reqs: &[Request]) -> CreateBody {
    let w = writes(reqs);
    assert_eq!(w.len(), 1, "exactly one write: {reqs:?}");
    match w[0] {
        Request::Write {
            request: WriteRequest::Create(c),
            ..
        } => c.body.clone(),
        other => panic!("not a create: {other:?}"),
    }
}

/// Picks the client whose name holds `filter` (typed into the picker).
pub fn pick_client(s: &mut State, filter: &str) {
    goto(s, Key::Client);
    typed(s, filter);
}

/// Fills the current item as a free line.
pub fn free_line(s: &mut State, description: &str, quantity: &str, price: &str) {
    use gigdash::app::create::items::Part;
    goto(s, Key::Item(Part::Description));
    replace(s, description);
    code(s, KeyCode::Tab);
    replace(s, quantity);
    code(s, KeyCode::Tab);
    replace(s, price);
}

/// The confirm row on "Yes" and Enter.
pub fn confirm(s: &mut State) -> Vec<Request> {
    goto(s, Key::Buttons);
    key(s, 'y');
    code(s, KeyCode::Enter)
}
