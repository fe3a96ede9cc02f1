//! Names the controller gives only inside a preflight check's free-text message: the
//! ResourcePatches that block `ResourcePatchUpgradeable`, the clusters outside the Kubernetes
//! range of `KubernetesVersionSupported`, the admin-gate keys of `AdminAckRequired`. The check
//! has no structured field for them (SPEC §2: `{name, policy?, state?, reason?, message?}`);
//! when nothing is found the remedy uses a placeholder (`<rp-name>`, `<gate-key>`).

fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '.')
        && name.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && name.ends_with(|ch: char| ch.is_ascii_alphanumeric())
}

const NOT_NAMES: &[&str] = &[
    "is",
    "are",
    "not",
    "and",
    "or",
    "the",
    "for",
    "with",
    "exempt",
    "exempted",
    "unexempt",
    "found",
    "blocking",
    "block",
    "blocks",
    "version",
    "annotation",
    "annotated",
    "missing",
    "has",
    "have",
    "no",
    "without",
    "of",
    "to",
    "in",
    "on",
    "that",
    "which",
    "must",
    "be",
    "should",
    "need",
    "needs",
    "lack",
    "lacks",
];

fn clean_token(token: &str) -> &str {
    token.trim_matches(|ch: char| {
        matches!(
            ch,
            '"' | '\''
                | '`'
                | '['
                | ']'
                | '('
                | ')'
                | '{'
                | '}'
                | ','
                | ';'
                | ':'
                | '.'
                | '<'
                | '>'
        ) || ch.is_whitespace()
    })
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|known| known == name) {
        list.push(name.to_string());
    }
}

/// Names of ResourcePatches in a check message. Understood forms (case-insensitive keyword):
/// `resourcepatches/rp-a`, `ResourcePatch rp-a is …`, `resourcepatches: rp-a, rp-b`,
/// `ResourcePatches [rp-a rp-b]`, `(rp-a, rp-b)`, quoted names (`"rp-a"`). Only valid DNS-1123
/// names are returned, in order, without duplicates; empty when none can be found.
pub fn resource_patch_names(message: &str) -> Vec<String> {
    names_after(
        message,
        &["resourcepatches/", "resourcepatch/"],
        &[
            "resourcepatches",
            "resourcepatch",
            "resource patches",
            "resource patch",
        ],
        true,
    )
}

/// Cluster names in a check message: `cluster workload-a`, `clusters: a, b`, `clusters/a`.
/// Quoted words are not taken (too ambiguous).
pub fn cluster_names(message: &str) -> Vec<String> {
    names_after(
        message,
        &["clusters/", "cluster/"],
        &["clusters", "cluster"],
        false,
    )
}

/// Names in a message, tried in this order (the first form that yields any wins): the
/// `kind/name` form, a keyword followed by a list, then (when `quoted`) quoted words.
fn names_after(
    message: &str,
    slash_keywords: &[&str],
    list_keywords: &[&str],
    quoted: bool,
) -> Vec<String> {
    let lower = message.to_ascii_lowercase();
    let found = names_in_slash_form(message, &lower, slash_keywords);
    if !found.is_empty() {
        return found;
    }
    for keyword in list_keywords {
        let found = names_after_keyword(message, &lower, keyword);
        if !found.is_empty() {
            return found;
        }
    }
    if quoted {
        quoted_names(message)
    } else {
        Vec::new()
    }
}

/// `resourcepatches/rp-a`: the name after the slash.
fn names_in_slash_form(message: &str, lower: &str, keywords: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (position, _) in keywords
        .iter()
        .flat_map(|keyword| lower.match_indices(keyword))
    {
        let rest = &message[position..];
        if let Some(slash) = rest.find('/') {
            let name: String = rest[slash + 1..]
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '.')
                .collect();
            let name = name.trim_end_matches('.');
            if is_dns_name(name) {
                push_unique(&mut found, name);
            }
        }
    }
    found
}

/// `keyword [a b]`, `keyword (a, b)`, `keyword: a, b and c`: the names after the first whole-word
/// occurrence of `keyword` that is followed by any.
fn names_after_keyword(message: &str, lower: &str, keyword: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = lower[from..].find(keyword) {
        let begin = from + offset;
        let start = begin + keyword.len();
        from = start;
        // whole words only: "resourcepatch" must not match inside "resourcepatches"
        let starts_word = !lower[..begin]
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_ascii_alphanumeric());
        let ends_word = !lower[start..]
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '/');
        if !(starts_word && ends_word) {
            continue;
        }
        // skip an "(es)" plural marker; take the tail
        let tail = &message[start..];
        let tail = tail.strip_prefix("(es)").unwrap_or(tail);
        let tail = tail.trim_start_matches([':', ' ', '\t']);
        if let Some(inside) = tail.strip_prefix(['[', '(', '{']) {
            let close = inside.find([']', ')', '}']).unwrap_or(inside.len());
            for token in inside[..close].split([',', ' ', '\t']) {
                let token = clean_token(token);
                if is_dns_name(token) && !NOT_NAMES.contains(&token) {
                    push_unique(&mut found, token);
                }
            }
        } else {
            names_in_run(tail, &mut found);
        }
        if !found.is_empty() {
            return found;
        }
    }
    found
}

/// A comma/"and"-separated run of names; stops at the first word after a name that is not
/// preceded by a separator, and at the end of a sentence.
fn names_in_run(tail: &str, found: &mut Vec<String>) {
    let mut expect_name = true;
    for raw in tail.split_inclusive([' ', ',']) {
        let comma_follows = raw.ends_with(',');
        let token = clean_token(raw);
        if token.is_empty() {
            continue;
        }
        if token == "and" {
            expect_name = true;
            continue;
        }
        if !expect_name || !is_dns_name(token) || NOT_NAMES.contains(&token) {
            break;
        }
        push_unique(found, token);
        if raw.trim_end().ends_with('.') {
            break;
        }
        expect_name = comma_follows;
    }
}

/// Quoted words anywhere (`"rp-a"`), without dots.
fn quoted_names(message: &str) -> Vec<String> {
    let mut found = Vec::new();
    for quote in ['"', '\'', '`'] {
        let parts: Vec<&str> = message.split(quote).collect();
        for (index, part) in parts.iter().enumerate() {
            let inside_quotes = index % 2 == 1 && index + 1 < parts.len();
            if inside_quotes && is_dns_name(part) && !part.contains('.') {
                push_unique(&mut found, part);
            }
        }
    }
    found
}

/// Admin-gate keys (`ack-…`) named in a check message, in order, without duplicates.
pub fn admin_gate_keys(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in message
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' || ch == '_'))
    {
        let key = raw.trim_end_matches(['.', '-']);
        if key.len() > 4
            && key.starts_with("ack-")
            && key
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' || ch == '_')
        {
            push_unique(&mut out, key);
        }
    }
    out
}
