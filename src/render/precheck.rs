//! `ac adm upgrade precheck`: CHECK · RESULT · DETAIL, then each remedy with its commands on
//! their own lines, then the verdict (and, when nothing blocks, the request the report carries).

use owo_colors::OwoColorize;

use crate::domain::precheck::Verdict;
use crate::domain::report::precheck::PrecheckReport;
use crate::output::text::one_line;
use crate::render::table::{TableBuilder, Tone};

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Pass => Tone::Good,
        Verdict::Warn | Verdict::Unknown => Tone::Warn,
        Verdict::Block => Tone::Bad,
    }
}

fn command(text: &str, color: bool) -> String {
    if color {
        text.bold().to_string()
    } else {
        text.to_string()
    }
}

pub fn report(r: &PrecheckReport, color: bool) -> String {
    let mut out = format!(
        "Pre-checks for cluster {}: {} → {}\n\n",
        one_line(&r.cluster),
        one_line(r.current.as_deref().unwrap_or("<unknown>")),
        one_line(
            &r.target
                .as_ref()
                .map(|t| t.label())
                .unwrap_or_else(|| "<no target>".into())
        )
    );
    let mut t = TableBuilder::new(&["CHECK", "RESULT", "DETAIL"], color);
    for i in &r.items {
        t.toned_row(vec![
            (i.check.to_string(), Tone::Plain),
            (i.result.label().to_string(), tone(i.result)),
            (i.detail.clone(), Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    let remedies: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.result != Verdict::Pass)
        .filter_map(|i| Some((i, i.next.as_ref()?)))
        .collect();
    if !remedies.is_empty() {
        out.push_str("\nTo resolve:\n");
        for (item, next) in remedies {
            // `check: sentence:`, or `check:` alone when the remedy is only its commands.
            let text = if next.text.is_empty() {
                String::new()
            } else {
                format!(" {}:", one_line(&next.text))
            };
            out.push_str(&format!(
                "  {}{}:{text}\n",
                tone(item.result).paint(item.check, color),
                if item.result == Verdict::Block {
                    ""
                } else {
                    " (optional)"
                }
            ));
            for c in &next.commands {
                out.push_str(&format!("    {}\n", command(c, color)));
            }
        }
    }
    out.push('\n');
    let blocking = r.blocking().count();
    let cautions = r.cautions().count();
    if blocking > 0 {
        out.push_str(&format!(
            "{}: resolve {} before requesting the upgrade (the guide: \"if preflight does not pass, do not submit the upgrade request\").\n",
            Tone::Bad.paint("Blocked", color),
            if blocking == 1 { "the blocking item".to_string() } else { format!("the {blocking} blocking items") }
        ));
    } else if r.request.is_none() && cautions == 0 {
        out.push_str(&format!(
            "{}: cluster {} is where it should be.\n",
            Tone::Good.paint("Nothing to do", color),
            one_line(&r.cluster)
        ));
    } else if let Some(request) = &r.request {
        out.push_str(&format!(
            "{}{}. Request it with:\n  {}\n",
            Tone::Good.paint("Nothing blocks", color),
            if cautions > 0 {
                format!(" ({cautions} to look at: warn/unknown above)")
            } else {
                String::new()
            },
            command(request, color)
        ));
    }
    out
}
