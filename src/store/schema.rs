//! The store's tables, and its version: a file written by another version is rebuilt
//! (it holds only what can be fetched again), never read with the wrong layout.

/// Bumped whenever a table changes. 1 was the first layout (documents without the facts
/// columns; `tests/fixtures/store_v1.sql`), 2 had the facts without their integer amounts,
/// 3 without the payment's invoice link, 4 without the status and the stale mark (it is
/// converted in place: `FROM_4`, then each body compressed). Since 5 a document's
/// `body` holds its JSON zstd-compressed, as a BLOB, with the kind's dictionary from
/// `dicts` once there is one (`store/packing.rs`). 6 added `changes` (what a sync saw
/// change); a file of 5 gets the table in place, nothing dropped. 7 added the `due` fact
/// (a receipt's `validUntil`), in place too (`FROM_6`). 8 keeps a team as an integer
/// key (`team_keys`) in `docs` and its indexes, and a document's amount as text only when
/// its integer of 10⁻⁸ cannot hold it: a third of the file (`FROM_7`, in place).
pub const VERSION: i64 = 8;

/// The statuses gigdash ever asks the store for (the open ones, and those a closed document
/// is counted under): the only ones `docs_status` holds — most documents are valid or
/// succeeded, never asked for. A query by status repeats this term word for word, so
/// SQLite takes the partial index (`stale.rs`).
#[doc(hidden)]
#[macro_export]
macro_rules! asked_statuses {
    () => {
        "status IN ('pending', 'open', 'requires_payment_method', 'processing', 'canceled', 'cancelled', 'refunded')"
    };
}

/// The documents' table of schema 8: `CREATE` and `FROM_7` make the same one.
macro_rules! docs_table {
    () => {
        "
CREATE TABLE IF NOT EXISTS docs(
    team INTEGER NOT NULL CHECK (typeof(team) = 'integer'),
    kind INTEGER NOT NULL,
    id TEXT NOT NULL,
    created INTEGER NOT NULL,
    open INTEGER NOT NULL,
    amount TEXT,
    invoiced INTEGER NOT NULL,
    owed TEXT,
    cancel_pending INTEGER NOT NULL,
    uncollected INTEGER NOT NULL,
    paid_at INTEGER,
    body TEXT NOT NULL,
    amount_u INTEGER,
    owed_u INTEGER,
    link TEXT,
    status TEXT,
    stale INTEGER NOT NULL DEFAULT 0,
    due INTEGER,
    PRIMARY KEY(team, kind, id)
);
"
    };
}

/// Schema 7 to 8, in place: the documents copied with their team's key, the amounts
/// their integers hold dropped as text; the old table and its indexes go (`CREATE` makes
/// the new indexes). A team must be a number (`CHECK`): a gigdash of schema 7 still
/// running on the converted file writes its team as text, and is refused loudly instead
/// of leaving rows no query finds. Copied in the table's order, not sorted again: a sort
/// of every body through a temporary file doubled a big store's conversion.
pub const FROM_7: &str = concat!(
    "
CREATE TABLE IF NOT EXISTS team_keys(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
INSERT OR IGNORE INTO team_keys(id) SELECT DISTINCT team FROM docs ORDER BY team;
ALTER TABLE docs RENAME TO docs_7;
DROP INDEX IF EXISTS docs_team_created;
DROP INDEX IF EXISTS docs_created;
DROP INDEX IF EXISTS docs_invoiced;
DROP INDEX IF EXISTS docs_paid;
DROP INDEX IF EXISTS docs_owed;
DROP INDEX IF EXISTS docs_cancel;
DROP INDEX IF EXISTS docs_uncollected;
DROP INDEX IF EXISTS docs_open;
DROP INDEX IF EXISTS docs_link;
DROP INDEX IF EXISTS docs_status;
DROP INDEX IF EXISTS docs_stale;
DROP INDEX IF EXISTS docs_due;
",
    docs_table!(),
    "
INSERT INTO docs(team, kind, id, created, open, amount, invoiced, owed, cancel_pending,
    uncollected, paid_at, body, amount_u, owed_u, link, status, stale, due)
SELECT k.key, d.kind, d.id, d.created, d.open,
    CASE WHEN d.amount_u IS NULL THEN d.amount END, d.invoiced, d.owed, d.cancel_pending,
    d.uncollected, d.paid_at, d.body, d.amount_u, d.owed_u, d.link, d.status, d.stale, d.due
FROM docs_7 AS d JOIN team_keys AS k ON k.id = d.team;
DROP TABLE docs_7;
"
);

/// Schema 6 (or 5) to 7, in place: the `due` column. The bodies are compressed, so it is
/// not read from them: the receipts' reads start again from a complete one, which fills it.
pub const FROM_6: &str = "
ALTER TABLE docs ADD COLUMN due INTEGER;
DELETE FROM synced WHERE kind = 3;
";

/// Schema 4 to 5, in place: the two columns added last, the status read from the bodies.
pub const FROM_4: &str = "
ALTER TABLE docs ADD COLUMN status TEXT;
ALTER TABLE docs ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
UPDATE docs SET status = CASE WHEN json_valid(body) THEN json_extract(body, '$.status') END;
";

/// The `docs` columns of schema 4, in order (what `FROM_4` can convert).
pub const DOCS_4: [&str; 15] = [
    "team",
    "kind",
    "id",
    "created",
    "open",
    "amount",
    "invoiced",
    "owed",
    "cancel_pending",
    "uncollected",
    "paid_at",
    "body",
    "amount_u",
    "owed_u",
    "link",
];

pub const CREATE: &str = concat!(
    "
CREATE TABLE IF NOT EXISTS teams(
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS team_keys(key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
",
    docs_table!(),
    "
CREATE INDEX IF NOT EXISTS docs_team_created ON docs(team, kind, created DESC);
CREATE INDEX IF NOT EXISTS docs_invoiced ON docs(kind, created, invoiced, team, amount_u, amount) WHERE invoiced = 1;
CREATE INDEX IF NOT EXISTS docs_paid ON docs(kind, paid_at, team, amount_u, amount) WHERE paid_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_owed ON docs(kind, team, owed_u, owed) WHERE owed IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_cancel ON docs(kind, team, cancel_pending, amount_u, amount) WHERE cancel_pending = 1;
CREATE INDEX IF NOT EXISTS docs_uncollected ON docs(kind, team, uncollected, created, amount_u, amount) WHERE uncollected = 1;
CREATE INDEX IF NOT EXISTS docs_open ON docs(team, kind, created) WHERE open = 1;
CREATE INDEX IF NOT EXISTS docs_link ON docs(team, kind, link) WHERE link IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_status ON docs(team, kind, status) WHERE ",
    asked_statuses!(),
    ";
CREATE INDEX IF NOT EXISTS docs_stale ON docs(team, kind) WHERE stale = 1;
CREATE INDEX IF NOT EXISTS docs_due ON docs(kind, due, team) WHERE due IS NOT NULL;
CREATE TABLE IF NOT EXISTS synced(
    team TEXT NOT NULL,
    kind INTEGER NOT NULL,
    at INTEGER NOT NULL,
    full_at INTEGER,
    count INTEGER NOT NULL,
    PRIMARY KEY(team, kind)
);
CREATE TABLE IF NOT EXISTS dicts(
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    bytes BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS changes(
    team TEXT NOT NULL,
    kind INTEGER NOT NULL,
    id TEXT NOT NULL,
    seen INTEGER NOT NULL,
    before TEXT,
    after TEXT,
    amount TEXT NOT NULL,
    amount_u INTEGER,
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_seen ON changes(seen, team);
CREATE TABLE IF NOT EXISTS notes(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    at INTEGER NOT NULL
);
"
);
