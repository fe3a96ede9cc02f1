//! `ac adm upgrade verify`: the heading, one row per cluster (its open items' details), the
//! platform's checks, "To resolve:" with each remedy's commands on their own lines, the guide's
//! post-upgrade steps with their sentences, then the verdict.

use owo_colors::OwoColorize;

use crate::domain::report::verify::{VerifyReport, VerifyRow};
use crate::domain::verify::{Due, Verdict};
use crate::output::text::one_line;
use crate::render::table::{TableBuilder, Tone};

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Ok => Tone::Good,
        Verdict::Skipped => Tone::Plain,
        Verdict::Unknown => Tone::Warn,
        Verdict::Open => Tone::Bad,
    }
}

fn command(text: &str, color: bool) -> String {
    if color {
        text.bold().to_string()
    } else {
        text.to_string()
    }
}

fn details(items: &[VerifyRow]) -> String {
    if items.is_empty() {
        return "-".into();
    }
    items
        .iter()
        .map(|i| i.detail.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn report(r: &VerifyReport, color: bool) -> String {
    let mut out = format!("{}\n\n", one_line(&r.heading));
    if !r.clusters.is_empty() {
        let mut t = TableBuilder::new(&["CLUSTER", "CURRENT", "RESULT", "DETAIL"], color);
        for c in &r.clusters {
            t.toned_row(vec![
                (one_line(&c.label), Tone::Plain),
                (one_line(c.current.as_deref().unwrap_or("-")), Tone::Plain),
                (c.result.label().to_string(), tone(c.result)),
                (details(&c.items), Tone::Plain),
            ]);
        }
        out.push_str(&t.render());
        out.push('\n');
    }
    let mut t = TableBuilder::new(&["CHECK", "RESULT", "DETAIL"], color);
    for i in &r.platform {
        t.toned_row(vec![
            (i.check.to_string(), Tone::Plain),
            (i.result.label().to_string(), tone(i.result)),
            (i.detail.clone(), Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    if !r.remedies.is_empty() {
        out.push_str("\nTo resolve:\n");
        for (what, next) in &r.remedies {
            let text = if next.text.is_empty() {
                String::new()
            } else {
                format!(" {}:", one_line(&next.text))
            };
            out.push_str(&format!("  {}:{text}\n", one_line(what)));
            for c in &next.commands {
                out.push_str(&format!("    {}\n", command(c, color)));
            }
        }
        if r.more_remedies > 0 {
            out.push_str(&format!(
                "  … and {} more (every item is in the tables above; all remedies with -o json)\n",
                r.more_remedies
            ));
        }
    }
    let post = &r.post_upgrade;
    if let Some(heading) = &post.heading {
        out.push_str(&format!("\n{heading}\n"));
        for step in &post.steps {
            let only_if = step
                .only_if
                .map(|c| format!(" (if {c})"))
                .unwrap_or_default();
            let due_tone = if step.due == Due::Now {
                Tone::Warn
            } else {
                Tone::Plain
            };
            out.push_str(&format!(
                "  [ ] {}{only_if} — {}\n",
                step.step,
                due_tone.paint(&one_line(&step.due_text), color)
            ));
            for quote in step.guide {
                out.push_str(&format!("        {}: \"{}\"\n", quote.section, quote.text));
            }
        }
    }
    out.push('\n');
    let verdict_tone = if r.verified { Tone::Good } else { Tone::Bad };
    match &r.command {
        Some(again) => out.push_str(&format!(
            "{}:\n  {}\n",
            verdict_tone.paint(&one_line(&r.message), color),
            command(again, color)
        )),
        None => out.push_str(&format!(
            "{}.\n",
            verdict_tone.paint(&one_line(&r.message), color)
        )),
    }
    out
}
