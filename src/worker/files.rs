//! Files the worker writes for the operator: invoice PDF/XML downloads and where they go.

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiClient, TeamId};
use crate::app::Update;

/// `GIGDASH_DOWNLOAD_DIR`, else `~/Downloads/gigdash`.
pub fn default_download_base() -> std::path::PathBuf {
    std::env::var_os("GIGDASH_DOWNLOAD_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| {
                std::path::PathBuf::from(h)
                    .join("Downloads")
                    .join("gigdash")
            })
        })
        .unwrap_or_else(|| std::path::PathBuf::from("gigdash-downloads"))
}

/// The team's own folder, its name made safe for a path.
pub fn team_dir(base: &std::path::Path, team_name: &str) -> std::path::PathBuf {
    let safe: String = team_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join(if safe.is_empty() {
        "team".to_string()
    } else {
        safe
    })
}

/// Fetches the PDF and XML links, downloads each (without the key: they are pre-signed),
/// and writes them atomically, reporting progress.
pub(super) async fn download(
    client: ApiClient,
    tx: UnboundedSender<Update>,
    team: TeamId,
    dir: std::path::PathBuf,
    uuid: String,
    folio: String,
) {
    let result = async {
        let files = client
            .invoice_files(&team, &uuid)
            .await
            .map_err(|e| e.to_string())?;
        let stem: String = if folio.is_empty() {
            uuid.clone()
        } else {
            format!("{folio}_{uuid}")
        };
        let mut saved = Vec::new();
        for (ext, url) in [("pdf", files.pdf()), ("xml", files.xml())] {
            let Some(url) = url else { continue };
            let bytes = client.download(url).await.map_err(|e| e.to_string())?;
            let path = dir.join(format!("{stem}.{ext}"));
            crate::paths::write_atomic(&path, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            saved.push(path);
            let _ = tx.send(Update::Download {
                uuid: uuid.clone(),
                done: saved.len(),
                result: None,
            });
        }
        if saved.is_empty() {
            return Err("gigstack returned no file links for this invoice".to_string());
        }
        Ok(saved)
    }
    .await;
    let _ = tx.send(Update::Download {
        uuid,
        done: 2,
        result: Some(result),
    });
}
