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

/// An invoice file is never larger than this; a bigger answer is refused.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A name from the API made safe as one path component: letters, digits, `-` and `_`
/// only, so no `/`, `..`, control character or leading dot can reach the file system.
pub fn safe_name(name: &str, fallback: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    if safe.trim_matches('_').is_empty() {
        fallback.to_string()
    } else {
        safe
    }
}

/// The team's own folder, its name made safe for a path.
pub fn team_dir(base: &std::path::Path, team_name: &str) -> std::path::PathBuf {
    base.join(safe_name(team_name, "team"))
}

/// Why a file could not be saved: the disk, or the download.
enum SaveError {
    Io(std::io::Error),
    Api(crate::api::ApiError),
}

/// Streams one file into `path` through a temporary file beside it: the file appears
/// only complete, and nothing is left behind when the download fails or is too big.
async fn save(client: &ApiClient, url: &str, path: &std::path::Path) -> Result<(), SaveError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).map_err(SaveError::Io)?;
    let tmp = dir.join(format!(
        ".{}.part{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut file = std::fs::File::create(&tmp).map_err(SaveError::Io)?;
    let fetched = client
        .download(url, MAX_FILE_BYTES, |chunk| file.write_all(chunk))
        .await;
    let done = match fetched {
        Ok(_) => file
            .sync_all()
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(SaveError::Io),
        Err(e) => Err(SaveError::Api(e)),
    };
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
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
        // The folio and UUID come from the API: never a path of their own.
        let uuid_part = safe_name(&uuid, "invoice");
        let stem: String = if folio.is_empty() {
            uuid_part
        } else {
            format!("{}_{uuid_part}", safe_name(&folio, "folio"))
        };
        let mut saved = Vec::new();
        for (ext, url) in [("pdf", files.pdf()), ("xml", files.xml())] {
            let Some(url) = url else { continue };
            let path = dir.join(format!("{stem}.{ext}"));
            save(&client, url, &path).await.map_err(|e| match e {
                SaveError::Io(io) => cannot_write(&path, &io, lang),
                SaveError::Api(api) => api.describe(lang),
            })?;
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

/// `d` under `--offline`, in words: nothing is asked of gigstack in that mode.
pub(super) fn refused_offline(lang: Lang) -> String {
    lang.pick(
        "Offline (--offline): invoice files are not downloaded, since gigdash asks gigstack for nothing in this mode. Run gigdash without --offline to download them.",
        "Sin conexión (--offline): no se descargan archivos de facturas, porque en este modo gigdash no le pide nada a gigstack. Ejecuta gigdash sin --offline para descargarlos.",
    )
    .to_string()
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
