//! Which answer each question waits for: one generation per question (a team's rows, the
//! Group tab, a search, the fiscal check, a role check, the changes, the Branches tab),
//! bumped when it is asked again, so an older answer is dropped. Below `state`.

use crate::app::msg::Generation;

/// The questions the app asks that an answer may come back to late.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    /// A team's rows (a switch asks again).
    Team,
    /// The Group tab's figures (a reload asks again).
    Group,
    /// A search of every team.
    Find,
    /// The clients' fiscal check.
    Fiscal,
    /// The key's role in each team of a bulk write.
    Roles,
    /// What changed since a moment.
    Changes,
    /// The labels of a list of changes.
    ChangeLabels,
    /// Every team's configuration (the Branches tab).
    Branches,
}

/// One generation per question: asking again bumps it, and an answer tagged with an older
/// one is no longer wanted. The one mechanism every feature uses for "is this answer still
/// wanted".
#[derive(Clone, Debug, Default)]
pub struct Asked {
    team: Generation,
    group: Generation,
    find: Generation,
    fiscal: Generation,
    roles: Generation,
    changes: Generation,
    change_labels: Generation,
    branches: Generation,
}

impl Asked {
    fn slot(&mut self, q: Asking) -> &mut Generation {
        match q {
            Asking::Team => &mut self.team,
            Asking::Group => &mut self.group,
            Asking::Find => &mut self.find,
            Asking::Fiscal => &mut self.fiscal,
            Asking::Roles => &mut self.roles,
            Asking::Changes => &mut self.changes,
            Asking::ChangeLabels => &mut self.change_labels,
            Asking::Branches => &mut self.branches,
        }
    }

    /// Asks `q` again: answers to the earlier asks are no longer wanted.
    pub fn again(&mut self, q: Asking) -> Generation {
        let g = self.slot(q);
        *g += 1;
        *g
    }

    /// The generation the next answer to `q` must carry.
    pub fn current(&self, q: Asking) -> Generation {
        match q {
            Asking::Team => self.team,
            Asking::Group => self.group,
            Asking::Find => self.find,
            Asking::Fiscal => self.fiscal,
            Asking::Roles => self.roles,
            Asking::Changes => self.changes,
            Asking::ChangeLabels => self.change_labels,
            Asking::Branches => self.branches,
        }
    }

    /// Whether an answer tagged `g` is still wanted.
    pub fn wanted(&self, q: Asking, g: Generation) -> bool {
        self.current(q) == g
    }
}
