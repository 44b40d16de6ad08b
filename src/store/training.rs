//! When a kind's compression dictionary is trained: once the file holds enough of its
//! documents, after a write; then the kind's bodies are packed again with it.

use rusqlite::params;

use super::{Kind, Result, Store, packing};

impl Store {
    /// Once the file holds enough documents of `kind` and no dictionary for it: trains one
    /// on them and packs the kind's bodies again with it, a thousand per transaction (other
    /// writers get their turn between two). Tried once a run per kind.
    pub(super) fn train_when_due(&self, kind: Kind) -> Result<()> {
        if self.dicts.has(kind.code())
            || !self
                .tried
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(kind.code())
        {
            return Ok(());
        }
        // Counted up to the threshold only: this runs after every page until then.
        let stored: i64 = self.lock().query_row(
            "SELECT COUNT(*) FROM (SELECT 1 FROM docs WHERE kind = ?1 LIMIT ?2)",
            params![kind.code(), packing::TRAIN_AFTER],
            |r| r.get(0),
        )?;
        if stored < packing::TRAIN_AFTER {
            // Asked again at a later write of this run.
            self.tried
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&kind.code());
            return Ok(());
        }
        if !self.write(|tx| Ok(self.dicts.train(tx, kind.code())?))? {
            return Ok(());
        }
        let mut after = 0;
        while let Some(last) =
            self.write(|tx| Ok(self.dicts.repack(tx, kind.code(), after, 1_000)?))?
        {
            after = last;
        }
        Ok(())
    }
}
