//! Which key means which action: the default table (vim-style and arrow keys both), the
//! config's `[keys]` overrides, the clash check, and the keys' names for the footer and help.

use crate::i18n::Lang;
use crate::t;
use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::data::tab::Tab;
use crate::app::input::action::Action;

/// A key with its modifiers, as written in the config: `p`, `ctrl-f`, `pagedown`, `space`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl KeySpec {
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let t = text.trim();
        let (ctrl, rest) = match t.strip_prefix("ctrl-").or_else(|| t.strip_prefix("C-")) {
            Some(r) => (true, r),
            None => (false, t),
        };
        let code = match rest.to_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "«{text}» is not a key (use a character, ctrl-x, enter, space, up, pagedown…)"
                        ));
                    }
                }
            }
        };
        Ok(KeySpec { code, ctrl })
    }

    pub fn of(event: &KeyEvent) -> KeySpec {
        KeySpec {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// The config name of every action.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("team_switcher", Action::TeamSwitcher),
    ("prev_team", Action::PrevTeam),
    ("next_team", Action::NextTeam),
    ("tab_group", Action::Group),
    ("tab_branches", Action::Branches),
    ("changes", Action::Changes),
    ("left", Action::Left),
    ("right", Action::Right),
    ("find", Action::Find),
    ("all_teams", Action::Scope),
    ("tab_overview", Action::GoTab(Tab::Overview)),
    ("tab_clients", Action::GoTab(Tab::Clients)),
    ("tab_invoices", Action::GoTab(Tab::Invoices)),
    ("tab_payments", Action::GoTab(Tab::Payments)),
    ("tab_receipts", Action::GoTab(Tab::Receipts)),
    ("next_tab", Action::NextTab),
    ("prev_tab", Action::PrevTab),
    ("down", Action::Down),
    ("up", Action::Up),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("open", Action::Open),
    ("filter", Action::Filter),
    ("sort", Action::Sort),
    ("sort_reverse", Action::SortReverse),
    ("palette", Action::Palette),
    ("refresh", Action::Refresh),
    ("help", Action::Help),
    ("new", Action::New),
    ("mark_paid", Action::MarkPaid),
    ("refund", Action::Refund),
    ("cancel", Action::Cancel),
    ("download", Action::Download),
    ("copy", Action::Copy),
    ("mark", Action::Mark),
    ("export", Action::Export),
];

const DEFAULTS: &[(&str, Action)] = &[
    ("q", Action::Quit),
    ("ctrl-c", Action::Quit),
    ("t", Action::TeamSwitcher),
    ("[", Action::PrevTeam),
    ("]", Action::NextTeam),
    ("0", Action::Group),
    ("c", Action::Changes),
    ("left", Action::Left),
    ("h", Action::Left),
    ("right", Action::Right),
    ("l", Action::Right),
    ("F", Action::Find),
    ("a", Action::Scope),
    ("1", Action::GoTab(Tab::Overview)),
    ("2", Action::GoTab(Tab::Clients)),
    ("3", Action::GoTab(Tab::Invoices)),
    ("4", Action::GoTab(Tab::Payments)),
    ("5", Action::GoTab(Tab::Receipts)),
    ("6", Action::Branches),
    ("tab", Action::NextTab),
    ("backtab", Action::PrevTab),
    ("j", Action::Down),
    ("down", Action::Down),
    ("k", Action::Up),
    ("up", Action::Up),
    ("pagedown", Action::PageDown),
    ("ctrl-f", Action::PageDown),
    ("pageup", Action::PageUp),
    ("ctrl-b", Action::PageUp),
    ("g", Action::Top),
    ("home", Action::Top),
    ("G", Action::Bottom),
    ("end", Action::Bottom),
    ("enter", Action::Open),
    ("/", Action::Filter),
    ("s", Action::Sort),
    ("S", Action::SortReverse),
    (":", Action::Palette),
    ("r", Action::Refresh),
    ("?", Action::Help),
    ("n", Action::New),
    ("p", Action::MarkPaid),
    ("R", Action::Refund),
    ("x", Action::Cancel),
    ("d", Action::Download),
    ("y", Action::Copy),
    ("space", Action::Mark),
    ("e", Action::Export),
];

#[derive(Clone, Debug, PartialEq)]
pub struct KeyMap {
    bindings: Vec<(KeySpec, Action)>,
    /// Each action's keys as the footer shows them, built once (not per frame).
    labels: Vec<(Action, String)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap::from_bindings(
            DEFAULTS
                .iter()
                .map(|(k, a)| (KeySpec::parse(k).expect("default keys parse"), *a))
                .collect(),
        )
    }
}

impl KeyMap {
    /// The defaults with the config's `[keys]` applied: an action listed there keeps only
    /// the keys given. Unknown actions, bad keys and clashes are errors naming `source`.
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
        source: &str,
        lang: Lang,
    ) -> Result<KeyMap, String> {
        let mut map = KeyMap::default();
        for (name, keys) in overrides {
            let action = ACTION_NAMES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| *a)
                .ok_or_else(|| {
                    t!(
                        lang,
                        "{source}: [keys] has no action «{name}»",
                        "{source}: [keys] no tiene la acción «{name}»"
                    )
                })?;
            map.bindings.retain(|(_, a)| *a != action);
            for k in keys {
                let spec = KeySpec::parse(k).map_err(|_| {
                    t!(
                        lang,
                        "{source}: [keys] {name}: «{k}» is not a key (use a character, ctrl-x, enter, space, up, pagedown…)",
                        "{source}: [keys] {name}: «{k}» no es una tecla (usa un carácter, ctrl-x, enter, space, up, pagedown…)"
                    )
                })?;
                map.bindings.push((spec, action));
            }
        }
        // Two actions on one key: the second would never run.
        let mut seen: BTreeMap<String, Action> = BTreeMap::new();
        for (spec, action) in &map.bindings {
            if let Some(other) = seen.insert(spec.name(), *action)
                && other != *action
            {
                let (key, a, b) = (spec.name(), action_name(other), action_name(*action));
                return Err(t!(
                    lang,
                    "{source}: key «{key}» is bound to both «{a}» and «{b}»; give one of them another key in [keys]",
                    "{source}: la tecla «{key}» está asignada a «{a}» y a «{b}»; dale a una de ellas otra tecla en [keys]"
                ));
            }
        }
        Ok(KeyMap::from_bindings(map.bindings))
    }

    fn from_bindings(bindings: Vec<(KeySpec, Action)>) -> KeyMap {
        let mut labels: Vec<(Action, String)> = Vec::new();
        for (spec, action) in &bindings {
            match labels.iter_mut().find(|(a, _)| a == action) {
                Some((_, l)) => {
                    l.push(' ');
                    l.push_str(&spec.name());
                }
                None => labels.push((*action, spec.name())),
            }
        }
        KeyMap { bindings, labels }
    }

    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::of(key);
        self.bindings
            .iter()
            .find(|(k, _)| *k == spec)
            .map(|(_, a)| *a)
    }

    /// `p`, or `j ↓` for an action with several keys.
    pub fn keys_for(&self, action: Action) -> &str {
        self.labels
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, l)| l.as_str())
            .unwrap_or("")
    }
}

pub fn action_name(a: Action) -> &'static str {
    ACTION_NAMES
        .iter()
        .find(|(_, x)| *x == a)
        .map(|(n, _)| *n)
        .unwrap_or("?")
}
