//! How a document's body is kept: its JSON zstd-compressed, with a dictionary per kind
//! trained on the account's own documents once the store holds enough of them (a small
//! JSON document compresses about four times better with one). A body is one byte naming
//! its dictionary (0: none) and a zstd frame; JSON text is a body an older schema kept.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use serde::de::DeserializeOwned;

/// zstd's level for the bodies: 6 keeps a document with its kind's dictionary 5 % smaller
/// than the default 3 and still packs about 60 MB of JSON a second (a first read of a
/// million documents spends some 20 s of its quarter hour of requests on it; 9 would be
/// another 2 % for twice that).
const LEVEL: i32 = 6;

/// The largest body unpacked: a document is a few KB; a damaged or hostile file cannot
/// make a read take more memory than this.
const MAX_BODY: usize = 4 << 20;

/// A frame's JSON, in a buffer of the size its header gives (at most `MAX_BODY`): the
/// largest size for every body made each read of a team's 170,000 invoices map and unmap
/// 4 MB, and a dictionary's 2,000 samples hold 8 GB of address space.
fn unpacked(d: &mut zstd::bulk::Decompressor<'_>, frame: &[u8]) -> Option<Vec<u8>> {
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(n)) => usize::try_from(n).ok()?,
        Ok(None) => MAX_BODY,
        Err(_) => return None,
    };
    if size > MAX_BODY {
        return None;
    }
    let mut out = Vec::with_capacity(size);
    d.decompress_to_buffer(frame, &mut out).ok()?;
    out.shrink_to_fit();
    Some(out)
}

/// Documents of a kind the store holds before a dictionary is trained, and how many of
/// them it is trained on.
pub(super) const TRAIN_AFTER: i64 = 2_000;
const SAMPLES: usize = 2_000;
const DICT_BYTES: usize = 64 << 10;

struct Dict {
    id: u8,
    enc: zstd::dict::EncoderDictionary<'static>,
    dec: zstd::dict::DecoderDictionary<'static>,
}

/// The dictionaries of a store, by kind (to pack) and by id (to unpack).
#[derive(Default)]
pub(super) struct Dicts {
    by_kind: RwLock<HashMap<i64, Arc<Dict>>>,
    by_id: RwLock<HashMap<u8, Arc<Dict>>>,
}

impl Dicts {
    /// The dictionaries the file holds.
    pub(super) fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let d = Dicts::default();
        let mut q = conn.prepare("SELECT id, kind, bytes FROM dicts ORDER BY id")?;
        let rows = q.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        for row in rows {
            let (id, kind, bytes) = row?;
            if let Ok(id) = u8::try_from(id) {
                d.add(id, kind, &bytes);
            }
        }
        Ok(d)
    }

    /// Takes the file's dictionaries again (another process may have trained one since).
    pub(super) fn reload(&self, conn: &Connection) -> rusqlite::Result<()> {
        let fresh = Dicts::load(conn)?;
        let by_kind =
            std::mem::take(&mut *fresh.by_kind.write().unwrap_or_else(|p| p.into_inner()));
        let by_id = std::mem::take(&mut *fresh.by_id.write().unwrap_or_else(|p| p.into_inner()));
        *self.by_kind.write().unwrap_or_else(|p| p.into_inner()) = by_kind;
        *self.by_id.write().unwrap_or_else(|p| p.into_inner()) = by_id;
        Ok(())
    }

    fn add(&self, id: u8, kind: i64, bytes: &[u8]) {
        let dict = Arc::new(Dict {
            id,
            enc: zstd::dict::EncoderDictionary::copy(bytes, LEVEL),
            dec: zstd::dict::DecoderDictionary::copy(bytes),
        });
        self.by_kind
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(kind, dict.clone());
        self.by_id
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, dict);
    }

    /// Whether the kind (its code in the file) has a dictionary.
    pub(super) fn has(&self, kind: i64) -> bool {
        self.by_kind
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(&kind)
    }

    /// A body for `json`: with the kind's dictionary when there is one.
    pub(super) fn pack(&self, kind: Option<i64>, json: &str) -> std::io::Result<Vec<u8>> {
        let dict = kind.and_then(|k| {
            self.by_kind
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(&k)
                .cloned()
        });
        let (id, frame) = match dict {
            Some(d) => {
                let mut c = zstd::bulk::Compressor::with_prepared_dictionary(&d.enc)?;
                // The dictionary is named by the body's first byte: not again in the frame.
                c.set_parameter(zstd::stream::raw::CParameter::DictIdFlag(false))?;
                (d.id, c.compress(json.as_bytes())?)
            }
            None => (0, zstd::bulk::compress(json.as_bytes(), LEVEL)?),
        };
        let mut out = Vec::with_capacity(frame.len() + 1);
        out.push(id);
        out.extend(frame);
        Ok(out)
    }

    /// A body's JSON: `None` when it does not unpack (damaged, or its dictionary is gone).
    fn json(&self, v: ValueRef<'_>) -> Option<Vec<u8>> {
        match v {
            ValueRef::Blob([0, frame @ ..]) => {
                unpacked(&mut zstd::bulk::Decompressor::new().ok()?, frame)
            }
            ValueRef::Blob([id, frame @ ..]) => {
                let d = self
                    .by_id
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(id)
                    .cloned()?;
                unpacked(
                    &mut zstd::bulk::Decompressor::with_prepared_dictionary(&d.dec).ok()?,
                    frame,
                )
            }
            ValueRef::Text(t) => Some(t.to_vec()),
            _ => None,
        }
    }

    /// A body, decoded; `None` when it does not unpack or decode.
    pub(super) fn unpack<T: DeserializeOwned>(&self, v: ValueRef<'_>) -> Option<T> {
        serde_json::from_slice(&self.json(v)?).ok()
    }

    /// Trains the dictionary of `kind` (its code in the file) on its newest stored documents and keeps it in the file;
    /// `false` when there are too few, or training gave nothing.
    pub(super) fn train(&self, conn: &Connection, kind: i64) -> rusqlite::Result<bool> {
        // Another process may have trained it meanwhile: one dictionary per kind and file.
        self.reload(conn)?;
        if self.has(kind) {
            return Ok(false);
        }
        let mut q =
            conn.prepare("SELECT body FROM docs WHERE kind = ?1 ORDER BY created DESC LIMIT ?2")?;
        let mut rows = q.query(params![kind, SAMPLES as i64])?;
        let mut samples = Vec::with_capacity(SAMPLES);
        while let Some(r) = rows.next()? {
            if let Some(j) = self.json(r.get_ref(0)?) {
                samples.push(j);
            }
        }
        if (samples.len() as i64) < TRAIN_AFTER {
            return Ok(false);
        }
        let Ok(bytes) = zstd::dict::from_samples(&samples, DICT_BYTES) else {
            return Ok(false);
        };
        let next: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM dicts", [], |r| {
            r.get(0)
        })?;
        let Ok(id) = u8::try_from(next) else {
            return Ok(false);
        };
        conn.execute(
            "INSERT INTO dicts(id, kind, bytes) VALUES (?1, ?2, ?3)",
            params![id, kind, bytes],
        )?;
        self.add(id, kind, &bytes);
        Ok(true)
    }

    /// Packs again, with `kind`'s dictionary, up to `limit` bodies after `after` (a rowid)
    /// kept without it (or as text): the last rowid looked at, `None` when none was left.
    pub(super) fn repack(
        &self,
        conn: &Connection,
        kind: i64,
        after: i64,
        limit: i64,
    ) -> rusqlite::Result<Option<i64>> {
        let mut pick = conn.prepare_cached(
            "SELECT rowid, body FROM docs WHERE kind = ?1 AND rowid > ?2 \
             AND (typeof(body) = 'text' OR substr(body, 1, 1) = x'00') ORDER BY rowid LIMIT ?3",
        )?;
        let rows: Vec<(i64, rusqlite::types::Value)> = pick
            .query_map(params![kind, after, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut put = conn.prepare_cached("UPDATE docs SET body = ?1 WHERE rowid = ?2")?;
        for (rowid, body) in &rows {
            // One that does not unpack is left as it is (read again by id when met).
            let Some(json) = self.json(body.into()) else {
                continue;
            };
            let Ok(json) = std::str::from_utf8(&json) else {
                continue;
            };
            let packed = self
                .pack(Some(kind), json)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            put.execute(params![packed, rowid])?;
        }
        Ok(rows.last().map(|(rowid, _)| *rowid))
    }

    /// A new file begins (the damaged one was moved aside): its dictionaries are none.
    pub(super) fn clear(&self) {
        self.by_kind
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.by_id
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
