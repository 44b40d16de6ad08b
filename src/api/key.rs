//! The API key as a secret: never printed by `Debug`/`Display`, shown masked
//! (`sk_test_…a1b2`), and read for the JWT claims the client needs (livemode, own team,
//! key id) without verifying a signature.

use std::fmt;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::models::TeamId;

#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn new(raw: impl Into<String>) -> Self {
        ApiKey(SecretString::from(raw.into().trim().to_string()))
    }

    /// The raw key, for the Authorization header and for redaction only.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }

    /// Claims from the key's JWT payload; empty for an opaque key.
    pub fn info(&self) -> KeyInfo {
        let raw = self.expose();
        let mut info = KeyInfo::default();
        let mut parts = raw.split('.');
        if let (Some(_), Some(payload), Some(_)) = (parts.next(), parts.next(), parts.next()) {
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            if let Ok(bytes) = engine.decode(payload.trim_end_matches('='))
                && let Ok(claims) = serde_json::from_slice::<Claims>(&bytes)
            {
                info.livemode = claims.livemode;
                info.team = claims.team.map(TeamId);
                info.key_id = claims.key_id;
            }
        }
        if info.livemode.is_none() {
            if raw.starts_with("sk_test") {
                info.livemode = Some(false);
            } else if raw.starts_with("sk_live") {
                info.livemode = Some(true);
            }
        }
        if let Some(kid) = &info.key_id
            && info.livemode.is_none()
        {
            info.livemode = Some(!kid.starts_with("sk_test"));
        }
        info
    }

    /// What tells this key's data apart on disk, never the key: its key id when the key
    /// says it, else a 64-bit FNV-1a fingerprint of it.
    pub fn identity(&self) -> String {
        if let Some(id) = self.info().key_id.filter(|k| !k.is_empty()) {
            return id;
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.expose().bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("fp-{h:016x}")
    }

    /// `sk_live_…wxyz`: the mode prefix and the last four characters, nothing else.
    pub fn masked(&self) -> String {
        let raw = self.expose();
        let info = self.info();
        let prefix = match info.livemode {
            Some(true) => "sk_live_",
            Some(false) => "sk_test_",
            None => "key_",
        };
        let tail: String = raw
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if raw.chars().count() < 12 {
            format!("{prefix}…")
        } else {
            format!("{prefix}…{tail}")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[derive(Deserialize)]
struct Claims {
    livemode: Option<bool>,
    team: Option<String>,
    key_id: Option<String>,
}

/// What the key says about itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyInfo {
    pub livemode: Option<bool>,
    pub team: Option<TeamId>,
    pub key_id: Option<String>,
}

impl KeyInfo {
    pub fn is_live(&self) -> bool {
        self.livemode.unwrap_or(true)
    }
}

/// Builds an unsigned JWT-shaped key carrying the given claims (the sandbox issues these).
pub fn unsigned_jwt(claims: &serde_json::Value) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = engine.encode(claims.to_string().as_bytes());
    format!("{header}.{payload}.sandbox")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jwt_claims_and_masks() {
        let raw = unsigned_jwt(&serde_json::json!({
            "livemode": true, "team": "team_abc", "key_id": "sk_live_123"
        }));
        let key = ApiKey::new(raw.clone());
        let info = key.info();
        assert_eq!(info.livemode, Some(true));
        assert_eq!(info.team, Some(TeamId::new("team_abc")));
        assert_eq!(info.key_id.as_deref(), Some("sk_live_123"));
        let shown = format!("{key} {key:?}");
        assert!(!shown.contains(&raw));
        assert!(shown.contains("sk_live_…"));
    }

    #[test]
    fn opaque_key_still_works() {
        let key = ApiKey::new("sk_test_not_a_jwt_at_all");
        let info = key.info();
        assert_eq!(info.livemode, Some(false));
        assert_eq!(info.team, None);
        assert_eq!(key.masked(), "sk_test_…_all");
    }
}
