//! `gigdash --help` in the user's language: the command line is parsed by clap from the
//! English doc comments in `main.rs`; for Spanish this replaces every help text, heading
//! and usage word, and stands in for clap's own `-h`, `-V` and `help` (whose texts clap
//! does not let us change). clap's parse errors stay in English.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::i18n::Lang;

/// (subcommand or "" for the top level, argument id or "" for the command itself, Spanish).
const SPANISH: &[(&str, &str, &str)] = &[
    (
        "",
        "",
        "Un tablero de terminal para quien opera muchos equipos de gigstack",
    ),
    (
        "",
        "demo",
        "Usa el sandbox integrado aunque haya una API key",
    ),
    ("", "team", "Empieza en este equipo (id o nombre)"),
    ("", "read_only", "No se puede iniciar ninguna escritura"),
    (
        "",
        "profile",
        "El perfil de la configuración (de dónde sale su key, URL base, solo lectura)",
    ),
    (
        "",
        "log_level",
        "Nivel del archivo de registro (error, warn, info, debug, trace); o GIGDASH_LOG",
    ),
    (
        "",
        "lang",
        "Idioma de las pantallas: es o en (si no, GIGDASH_LANG, `language` de la configuración, LC_ALL/LC_MESSAGES/LANG)",
    ),
    (
        "",
        "offline",
        "Lee solo del almacén local: ninguna solicitud llega a gigstack y no hay escrituras",
    ),
    (
        "",
        "no_store",
        "No guarda nada en disco en esta sesión (como `store = false` en la configuración)",
    ),
    (
        "sync",
        "",
        "Llena el almacén local sin terminal (una tarea de cron matutina): una línea por equipo",
    ),
    (
        "sync",
        "team",
        "Un id o nombre de equipo (si no, todos los que alcanza la key)",
    ),
    (
        "sync",
        "all_teams",
        "Todos los equipos que alcanza la key (lo de siempre)",
    ),
    (
        "sync",
        "full",
        "Lee todo de nuevo (lo borrado en el servidor sale del almacén)",
    ),
    (
        "report",
        "",
        "Reportes: `month` (el cierre de mes por equipo, con totales)",
    ),
    (
        "month",
        "",
        "Por equipo: facturado, cobrado, cancelado, recibos pendientes de factura global, complementos de pago pendientes y vencidos, clientes con error fiscal; totales",
    ),
    (
        "month",
        "team",
        "Un id o nombre de equipo (si no, el equipo propio de la key)",
    ),
    ("month", "all_teams", "Todos los equipos que alcanza la key"),
    (
        "month",
        "month",
        "El mes, AAAA-MM (si no, este mes en la Ciudad de México)",
    ),
    ("month", "format", "csv, json o md"),
    (
        "month",
        "output",
        "Escribe aquí (de forma atómica, solo al completarse) en vez de la salida estándar",
    ),
    (
        "changes",
        "",
        "Qué cambió desde tu última sesión (o --since) en cada equipo guardado, desde el almacén (ejecuta `gigdash sync` antes): un resumen matutino. Sale con 0: nada requiere atención; 1: algo sí (un pago fallido, un complemento tarde); 2: un error",
    ),
    (
        "changes",
        "since",
        "24h, 3d, ayer, lunes, 2026-12-01 o \"2026-12-01 19:40\" (Ciudad de México); si no, el fin de tu última sesión del tablero, o las últimas 24 horas",
    ),
    (
        "changes",
        "team",
        "Un id o nombre de equipo (si no, todos los guardados)",
    ),
    (
        "changes",
        "all_teams",
        "Todos los equipos guardados (lo de siempre)",
    ),
    ("changes", "format", "md, json o csv"),
    (
        "changes",
        "output",
        "Escribe aquí (de forma atómica) en vez de la salida estándar",
    ),
    (
        "store",
        "",
        "El almacén local: `info` (ruta, tamaño, equipos, documentos, actualizaciones) o `clear`",
    ),
    (
        "sandbox",
        "",
        "Corre solo el sandbox compatible con gigstack; imprime su URL base y sus keys",
    ),
    ("sandbox", "port", "Puerto en 127.0.0.1 (0: uno libre)"),
    ("sandbox", "seed", "Semilla del mundo generado"),
    (
        "sandbox",
        "scale",
        "Cuántas facturas, más o menos, tiene el mundo",
    ),
    (
        "sandbox",
        "latency_ms",
        "Retraso agregado a cada respuesta, en milisegundos",
    ),
    (
        "sandbox",
        "fault_rate",
        "Fracción (0–1) de las solicitudes que reciben una falla",
    ),
    (
        "sandbox",
        "cancel_accept_secs",
        "Segundos antes de que se acepte una cancelación pendiente",
    ),
    (
        "sandbox",
        "teams",
        "Equipos de la cuenta de franquicias (2–500), repartidos de forma desigual: unas cuantas sucursales grandes, una cola larga, una cerrada y una sin datos",
    ),
    (
        "sandbox",
        "rate_limit",
        "Responde 429 (con Retry-After) arriba de esta cantidad de solicitudes por segundo por key",
    ),
    (
        "export",
        "",
        "Exporta equipos, clientes, facturas o pagos (todas las páginas) como CSV o JSON",
    ),
    ("export", "what", "teams, clients, invoices o payments"),
    (
        "export",
        "team",
        "Un id o nombre de equipo (por omisión: el equipo propio de la key)",
    ),
    (
        "export",
        "all_teams",
        "Todos los equipos que alcanza la key",
    ),
    (
        "export",
        "status",
        "Solo los que tienen este estado (como lo nombra la API)",
    ),
    ("export", "format", "csv o json"),
    (
        "export",
        "output",
        "Escribe aquí (de forma atómica) en vez de la salida estándar",
    ),
    (
        "export",
        "raw",
        "Celdas CSV tal como las mandó la API (sin protección de fórmulas, con caracteres de control). Nunca lo imprimas en una terminal",
    ),
    (
        "info",
        "",
        "Dónde lee y escribe gigdash, qué key usa (enmascarada) y contra qué",
    ),
    (
        "completions",
        "",
        "El autocompletado de cada comando y opción para el shell, a la salida estándar (`gigdash completions bash > ~/.local/share/bash-completion/completions/gigdash`)",
    ),
    (
        "completions",
        "shell",
        "bash, zsh, fish, elvish o powershell",
    ),
    (
        "man",
        "",
        "La página del manual (roff), a la salida estándar (`gigdash man | man -l -`)",
    ),
];

/// Placeholders of values, by argument id.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("team", "EQUIPO"),
    ("profile", "PERFIL"),
    ("log_level", "NIVEL"),
    ("lang", "IDIOMA"),
    ("what", "QUÉ"),
    ("status", "ESTADO"),
    ("format", "FORMATO"),
    ("output", "ARCHIVO"),
    ("port", "PUERTO"),
    ("seed", "SEMILLA"),
    ("scale", "ESCALA"),
    ("latency_ms", "MS"),
    ("fault_rate", "FRACCIÓN"),
    ("cancel_accept_secs", "SEGUNDOS"),
    ("teams", "EQUIPOS"),
    ("rate_limit", "SOLICITUDES"),
];

fn value_name(id: &str) -> Option<&'static str> {
    VALUE_NAMES.iter().find(|(i, _)| *i == id).map(|(_, v)| *v)
}

const TEMPLATE: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// The command with its help in `lang` (English is what the doc comments say).
pub fn localize(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let cmd = cmd
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .global(true)
                .action(ArgAction::Help)
                .help("Muestra la ayuda"),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Muestra la versión"),
        )
        .subcommand(
            Command::new("help")
                .about("Muestra esta ayuda o la de un comando")
                .arg(Arg::new("comando").help("El comando")),
        )
        .subcommand_help_heading("Comandos")
        .subcommand_value_name("COMANDO")
        .override_usage("gigdash [OPCIONES] [COMANDO]");
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = spanish(cmd, "");
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| {
            let usage = format!("gigdash {name} [OPCIONES]{}", positionals(&s));
            spanish(s, &name).override_usage(usage)
        });
    }
    cmd
}

/// ` <WHAT>` for a command's positional arguments, for the usage line.
fn positionals(cmd: &Command) -> String {
    cmd.get_positionals()
        .map(|a| {
            let id = a.get_id().as_str();
            format!(" <{}>", value_name(id).unwrap_or(id))
        })
        .collect()
}

/// One command's texts, headings and defaults in Spanish.
fn spanish(cmd: Command, sub: &str) -> Command {
    let text = |id: &str| {
        SPANISH
            .iter()
            .find(|(s, a, _)| *s == sub && *a == id)
            .map(|(_, _, t)| *t)
    };
    let mut cmd = cmd.help_template(TEMPLATE);
    if let Some(about) = text("") {
        cmd = cmd.about(about);
    }
    cmd.mut_args(|a| {
        let id = a.get_id().as_str().to_string();
        let mut help = text(&id)
            .map(str::to_string)
            .unwrap_or_else(|| a.get_help().map(|h| h.to_string()).unwrap_or_default());
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        let mut a = a;
        if let Some(v) = value_name(&id).filter(|_| a.get_action().takes_values()) {
            a = a.value_name(v);
        }
        if !defaults.is_empty() {
            help.push_str(&format!(" [por omisión: {}]", defaults.join(", ")));
            a = a.hide_default_value(true);
        }
        if let Some(var) = a.get_env() {
            help.push_str(&format!(" [variable: {}]", var.to_string_lossy()));
            a = a.hide_env(true);
        }
        let heading = if a.is_positional() {
            "Argumentos"
        } else {
            "Opciones"
        };
        a.help(help).help_heading(heading)
    })
}

/// `gigdash help [COMANDO]` when the Spanish `help` subcommand ran: prints that help and
/// returns true.
pub fn run_help(mut cmd: Command, matches: &ArgMatches) -> bool {
    let Some(("help", sub)) = matches.subcommand() else {
        return false;
    };
    cmd.build();
    let name = sub.get_one::<String>("comando");
    let target = match name.and_then(|n| cmd.find_subcommand_mut(n)) {
        Some(s) => s,
        None => &mut cmd,
    };
    let _ = target.print_help();
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli() -> Command {
        Command::new("gigdash")
            .version("1.0")
            .about("About")
            .arg(Arg::new("demo").long("demo").action(ArgAction::SetTrue))
            .arg(
                Arg::new("log_level")
                    .long("log-level")
                    .default_value("info"),
            )
            .subcommand(Command::new("info").about("Info"))
    }

    #[test]
    fn spanish_help_has_spanish_words_and_still_parses() {
        let mut cmd = localize(cli(), Lang::Es);
        let help = cmd.render_help().to_string();
        for word in [
            "Uso:",
            "Opciones",
            "Comandos",
            "Muestra la ayuda",
            "por omisión: info",
        ] {
            assert!(help.contains(word), "{word} in:\n{help}");
        }
        for word in ["Usage", "Options", "Print help", "[default"] {
            assert!(!help.contains(word), "{word} in:\n{help}");
        }
        let m = localize(cli(), Lang::Es)
            .try_get_matches_from(["gigdash", "--demo", "info"])
            .unwrap();
        assert!(m.get_flag("demo"));
        assert_eq!(m.subcommand_name(), Some("info"));
    }

    #[test]
    fn english_is_left_as_clap_makes_it() {
        let help = localize(cli(), Lang::En).render_help().to_string();
        assert!(help.contains("Usage") && help.contains("Print help"));
    }
}
