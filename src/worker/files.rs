//! Files the worker writes for the operator: invoice PDF/XML downloads and where they go.

use crate::i18n::Lang;
use crate::t;
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
    lang: Lang,
) {
    let result = async {
        let files = client
            .invoice_files(&team, &uuid)
            .await
            .map_err(|e| e.describe(lang))?;
        let stem: String = if folio.is_empty() {
            uuid.clone()
        } else {
            format!("{folio}_{uuid}")
        };
        let mut saved = Vec::new();
        for (ext, url) in [("pdf", files.pdf()), ("xml", files.xml())] {
            let Some(url) = url else { continue };
            let bytes = client.download(url).await.map_err(|e| e.describe(lang))?;
            let path = dir.join(format!("{stem}.{ext}"));
            crate::paths::write_atomic(&path, &bytes).map_err(|e| cannot_write(&path, &e, lang))?;
            saved.push(path);
            let _ = tx.send(Update::Download {
                uuid: uuid.clone(),
                done: saved.len(),
                result: None,
            });
        }
        if saved.is_empty() {
            return Err(lang
                .pick(
                    "gigstack returned no file links for this invoice",
                    "gigstack no devolvió enlaces de archivos para esta factura",
                )
                .to_string());
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

/// A file that could not be saved, in words.
pub(super) fn cannot_write(path: &std::path::Path, e: &std::io::Error, lang: Lang) -> String {
    let path = path.display();
    t!(
        lang,
        "cannot write {path}: {e}",
        "no se pudo escribir {path}: {e}"
    )
}
