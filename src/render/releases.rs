//! `ac adm release list`: the releases table, then where the global tier stands.

use crate::domain::report::releases::ReleasesReport;
use crate::output::text::{human_duration, one_line, plural, printable};
use crate::render::table::{TableBuilder, Tone};

/// At most this many cluster names in a cell; the rest are counted (`-o json` has them all).
const NAMES_IN_CELL: usize = 5;

fn names_cell(names: &[String]) -> String {
    if names.is_empty() {
        return "-".into();
    }
    let mut cell = names
        .iter()
        .take(NAMES_IN_CELL)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_IN_CELL {
        cell.push_str(&format!(" (+{} more)", names.len() - NAMES_IN_CELL));
    }
    cell
}

pub fn releases(r: &ReleasesReport, color: bool) -> String {
    if r.releases.is_empty() {
        return format!(
            "No ProductManifests on the platform: publish one with: {}\n",
            r.publish
        );
    }
    let mut t = TableBuilder::new(&["VERSION", "READY", "AGE", "CAN MOVE"], color);
    for row in &r.releases {
        let version = row
            .version
            .clone()
            .or_else(|| row.image.as_ref().map(|i| format!("image {i}")))
            .unwrap_or_else(|| format!("({} has no version)", row.name));
        let ready = row.ready.clone().unwrap_or_else(|| "-".into());
        let tone = match row.ready.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("true") => Tone::Good,
            Some(s) if s.eq_ignore_ascii_case("false") => Tone::Bad,
            _ => Tone::Plain,
        };
        t.toned_row(vec![
            (version, Tone::Plain),
            (ready, tone),
            (
                row.age_seconds
                    .map(human_duration)
                    .unwrap_or_else(|| "-".into()),
                Tone::Plain,
            ),
            (names_cell(&row.can_move), Tone::Plain),
        ]);
    }
    let mut out = t.render();
    let at = |v: &Option<String>| {
        v.as_deref()
            .map(|v| printable(&one_line(v)))
            .unwrap_or_else(|| "<unknown>".into())
    };
    out.push_str(&format!(
        "\nGlobal tier: {} at {}",
        printable(&one_line(&r.global.name)),
        at(&r.global.version)
    ));
    if let Some(standby) = &r.standby {
        out.push_str(&format!(
            "; DR standby (session {}) at {}",
            printable(&one_line(&standby.name)),
            at(&standby.version)
        ));
    }
    out.push_str(".\n");
    let mut waiting: Vec<&str> = r
        .releases
        .iter()
        .flat_map(|row| row.waiting.iter().map(String::as_str))
        .collect();
    waiting.sort_unstable();
    waiting.dedup();
    if !waiting.is_empty() {
        out.push_str(&format!(
            "{} offered a listed version that the global tier{} has not reached yet: {} (-o json lists them per version).\n",
            plural(waiting.len(), "cluster is", "clusters are"),
            if r.standby.is_some() { " (the standby, then the primary)" } else { "" },
            if waiting.len() == 1 { "it waits" } else { "they wait" }
        ));
    }
    out
}
