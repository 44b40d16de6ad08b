//! The store's tables, and its version: a file written by another version is rebuilt
//! (it holds only what can be fetched again), never read with the wrong layout.

/// Bumped whenever a table changes. 1 was the first layout (documents without the facts
/// columns; `tests/fixtures/store_v1.sql`), 2 had the facts without their integer amounts,
/// 3 without the payment's invoice link.
pub const VERSION: i64 = 4;

pub const CREATE: &str = "
CREATE TABLE IF NOT EXISTS teams(
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS docs(
    team TEXT NOT NULL,
    kind INTEGER NOT NULL,
    id TEXT NOT NULL,
    created INTEGER NOT NULL,
    open INTEGER NOT NULL,
    amount TEXT NOT NULL,
    invoiced INTEGER NOT NULL,
    owed TEXT,
    cancel_pending INTEGER NOT NULL,
    uncollected INTEGER NOT NULL,
    paid_at INTEGER,
    body TEXT NOT NULL,
    amount_u INTEGER,
    owed_u INTEGER,
    link TEXT,
    PRIMARY KEY(team, kind, id)
);
CREATE INDEX IF NOT EXISTS docs_team_created ON docs(team, kind, created DESC);
CREATE INDEX IF NOT EXISTS docs_created ON docs(kind, created, invoiced, team, amount_u, amount);
CREATE INDEX IF NOT EXISTS docs_paid ON docs(kind, paid_at, team, amount_u, amount) WHERE paid_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_owed ON docs(kind, team, owed_u, owed) WHERE owed IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_cancel ON docs(kind, team, cancel_pending, amount_u, amount) WHERE cancel_pending = 1;
CREATE INDEX IF NOT EXISTS docs_uncollected ON docs(kind, team, uncollected, created, amount_u, amount) WHERE uncollected = 1;
CREATE INDEX IF NOT EXISTS docs_open ON docs(team, kind, created) WHERE open = 1;
CREATE INDEX IF NOT EXISTS docs_link ON docs(team, kind, link) WHERE link IS NOT NULL;
CREATE TABLE IF NOT EXISTS synced(
    team TEXT NOT NULL,
    kind INTEGER NOT NULL,
    at INTEGER NOT NULL,
    full_at INTEGER,
    count INTEGER NOT NULL,
    PRIMARY KEY(team, kind)
);
CREATE TABLE IF NOT EXISTS notes(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    at INTEGER NOT NULL
);
";
