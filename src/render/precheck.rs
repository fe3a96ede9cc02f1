//! `ac adm upgrade precheck`: CHECK · RESULT · DETAIL · REMEDY, then the verdict.

use crate::domain::precheck::{Report, Verdict};
use crate::output::text::one_line;
use crate::render::table::{TableBuilder, Tone};

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Pass => Tone::Good,
        Verdict::Warn | Verdict::Unknown => Tone::Warn,
        Verdict::Block => Tone::Bad,
    }
}

pub fn report(r: &Report, color: bool) -> String {
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
    let mut t = TableBuilder::new(&["CHECK", "RESULT", "DETAIL", "REMEDY"], color);
    for i in &r.items {
        t.toned_row(vec![
            (i.check.to_string(), Tone::Plain),
            (i.result.label().to_string(), tone(i.result)),
            (i.detail.clone(), Tone::Plain),
            (i.remedy.clone().unwrap_or_else(|| "-".into()), Tone::Plain),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    let blocking = r.blocking().count();
    let cautions = r.cautions().count();
    if blocking > 0 {
        out.push_str(&format!(
            "{}: resolve {} before requesting the upgrade (the guide: \"if preflight does not pass, do not submit the upgrade request\").\n",
            Tone::Bad.paint("Blocked", color),
            if blocking == 1 { "the blocking item".to_string() } else { format!("the {blocking} blocking items") }
        ));
    } else {
        let target = r
            .target_version()
            .map(|v| format!(" --to={v}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{}. Request it with:\n  ac adm upgrade --cluster={}{target}\n",
            Tone::Good.paint("Nothing blocks", color),
            if cautions > 0 {
                format!(" ({cautions} to look at: warn/unknown above)")
            } else {
                String::new()
            },
            r.cluster
        ));
    }
    out
}
