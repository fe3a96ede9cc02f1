//! Writing an edited kubeconfig document back with the bytes of everything that did not change.
//!
//! kubectl re-serializes the whole file on every write: comments go, and key order and quoting
//! change everywhere. `ac` keeps the text it read for every top-level key whose value did not
//! change and, inside lists of named entries (`clusters`, `users`, `contexts`), for every entry
//! that did not change; only changed and new entries are serialized (block YAML, at the
//! indentation of the list they are in), removed entries leave their comments behind. The
//! result is checked: it must parse to exactly the intended document, else the whole document
//! is serialized (what kubectl always does). Files in CRLF, with several documents, flow-style
//! top levels or anything else the line scan is not sure of take that second path.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use serde_json::{Map, Value};

/// The text of `new`: `old_text` (which parsed to `old`) with only what changed rewritten when
/// that can be done and checked, else `new` serialized whole.
pub fn render(old_text: &str, old: &Value, new: &Value) -> Result<String, String> {
    if let Some(text) = splice(old_text, old, new)
        && parse(&text).as_ref() == Some(new)
    {
        return Ok(text);
    }
    full(new)
}

/// The whole document serialized (block YAML, keys sorted as kubectl writes them).
pub fn full(doc: &Value) -> Result<String, String> {
    serde_saphyr::to_string(doc).map_err(|e| e.to_string())
}

/// A YAML document as JSON: the fast reader for what kubeconfig writers produce, else the full
/// parser (the same value; `kubeconfig_yaml`'s tests compare them).
pub fn parse(text: &str) -> Option<Value> {
    match super::super::kubeconfig_yaml::parse(text) {
        Ok(v) => Some(v),
        Err(_) => serde_saphyr::from_str(text).ok(),
    }
}

/// A line of the text: where it starts, and its bytes with the newline.
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
}

impl<'a> Line<'a> {
    fn body(&self) -> &'a str {
        self.text.strip_suffix('\n').unwrap_or(self.text)
    }
    fn indent(&self) -> usize {
        let body = self.body();
        body.len() - body.trim_start_matches(' ').len()
    }
    /// Blank, or a comment only.
    fn is_gap(&self) -> bool {
        let t = self.body().trim_start_matches([' ', '\t']);
        t.is_empty() || t.starts_with('#')
    }
    /// `-` or `- …` after the indentation: a sequence item starts here.
    fn is_item(&self) -> bool {
        let t = &self.body()[self.indent()..];
        t == "-" || t.starts_with("- ")
    }
}

/// A top-level key and the lines of its value (`lines` includes the key's own line; `trailer`
/// is the blank and comment lines at its end, kept in place whatever happens to the value).
struct Block<'a> {
    key: &'a str,
    lines: Range<usize>,
    trailer: Range<usize>,
}

fn splice(old_text: &str, old: &Value, new: &Value) -> Option<String> {
    if old_text.contains('\r') {
        return None;
    }
    let (old_map, new_map) = (old.as_object()?, new.as_object()?);
    let lines: Vec<Line> = old_text
        .split_inclusive('\n')
        .map(|text| Line { text })
        .collect();
    let (preamble, blocks) = blocks(&lines)?;
    // Every key the parser saw, once each, and nothing else.
    if blocks.len() != old_map.len()
        || blocks.iter().any(|b| !old_map.contains_key(b.key))
        || (1..blocks.len()).any(|i| blocks[..i].iter().any(|b| b.key == blocks[i].key))
    {
        return None;
    }
    let mut out = String::with_capacity(old_text.len() + 256);
    push_lines(&mut out, &lines[preamble]);
    for block in &blocks {
        let key = block.key;
        match (old_map.get(key), new_map.get(key)) {
            (_, None) => {}
            (Some(o), Some(n)) if o == n => push_lines(&mut out, &lines[block.lines.clone()]),
            (Some(Value::Array(o)), Some(Value::Array(n))) => {
                match list(&lines[block.lines.clone()], o, n) {
                    Some(text) => push(&mut out, &text),
                    None => push(&mut out, &key_text(key, &new_map[key])?),
                }
            }
            (_, Some(n)) => push(&mut out, &key_text(key, n)?),
        }
        push_lines(&mut out, &lines[block.trailer.clone()]);
    }
    for (key, value) in new_map {
        if !old_map.contains_key(key) {
            push(&mut out, &key_text(key, value)?);
        }
    }
    Some(out)
}

/// The preamble (lines before the first key) and the top-level blocks; `None` when the text
/// is not a block mapping at column 0 this scan is sure of.
fn blocks<'a>(lines: &[Line<'a>]) -> Option<(Range<usize>, Vec<Block<'a>>)> {
    let mut starts: Vec<(usize, &'a str)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.body();
        if line.is_gap() {
            continue;
        }
        if body.starts_with(' ') || line.is_item() {
            if starts.is_empty() {
                return None;
            }
            continue;
        }
        starts.push((i, top_key(body)?));
    }
    let first = starts.first().map_or(lines.len(), |(i, _)| *i);
    let mut blocks = Vec::with_capacity(starts.len());
    for (n, (start, key)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(lines.len(), |(i, _)| *i);
        let mut content_end = end;
        while content_end > start + 1 && lines[content_end - 1].is_gap() {
            content_end -= 1;
        }
        blocks.push(Block {
            key,
            lines: *start..content_end,
            trailer: content_end..end,
        });
    }
    Some((0..first, blocks))
}

/// `key:` or `key: value` at column 0 with a plain key; anything else is not for this scan.
fn top_key(body: &str) -> Option<&str> {
    if body.starts_with([
        '"', '\'', '?', '{', '[', '&', '*', '!', '%', '@', '`', '|', '>', '\t', ':', '-', '.',
    ]) {
        return None;
    }
    let bytes = body.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))?;
    let key = &body[..colon];
    (!key.is_empty() && !key.contains([' ', '\t', '#'])).then_some(key)
}

/// A list of named entries rewritten entry by entry: unchanged entries keep their lines,
/// changed ones are serialized where they were, new ones are appended, removed ones leave
/// only their comments. `None` when the value is not a block sequence of named maps.
fn list(lines: &[Line], old: &[Value], new: &[Value]) -> Option<String> {
    let (key_line, content) = lines.split_first()?;
    let rest = key_line.body().split_once(':')?.1.trim_start_matches(' ');
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let first = content.iter().find(|l| !l.is_gap())?;
    if !first.is_item() {
        return None;
    }
    let indent = first.indent();
    let mut starts = Vec::new();
    for (i, line) in content.iter().enumerate() {
        if line.is_gap() || line.indent() > indent {
            continue;
        }
        if line.indent() < indent || !line.is_item() {
            return None;
        }
        starts.push(i);
    }
    if starts.len() != old.len() {
        return None;
    }
    let names: Vec<&str> = old
        .iter()
        .map(|item| item.get("name").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    let new_names: Vec<&str> = new
        .iter()
        .map(|item| item.get("name").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    if new.is_empty() {
        // An empty list is `[]` on the key's line; the comments that were in it stay.
        let key = key_line.body().split_once(':')?.0;
        let mut out = format!("{key}: []\n");
        for line in content
            .iter()
            .filter(|l| l.body().trim_start().starts_with('#'))
        {
            push(&mut out, line.text);
        }
        return Some(out);
    }
    let mut used = vec![false; new.len()];
    // Where each name is in the new list (in order, for duplicate names).
    let mut by_name: HashMap<&str, VecDeque<usize>> = HashMap::with_capacity(new.len());
    for (k, name) in new_names.iter().enumerate() {
        by_name.entry(name).or_default().push_back(k);
    }
    let mut out = String::new();
    push(&mut out, key_line.text);
    push_lines(&mut out, &content[..starts[0]]);
    for (j, start) in starts.iter().enumerate() {
        let end = starts.get(j + 1).copied().unwrap_or(content.len());
        let mut body_end = end;
        while body_end > start + 1 && content[body_end - 1].is_gap() {
            body_end -= 1;
        }
        let matched = by_name.get_mut(names[j]).and_then(VecDeque::pop_front);
        match matched {
            Some(k) => {
                used[k] = true;
                if new[k] == old[j] {
                    push_lines(&mut out, &content[*start..body_end]);
                } else {
                    push(&mut out, &item_text(&new[k], indent)?);
                }
                push_lines(&mut out, &content[body_end..end]);
            }
            None => {
                // Removed: its comments stay (they may be about what follows).
                for line in &content[body_end..end] {
                    if !line.body().trim().is_empty() {
                        push(&mut out, line.text);
                    }
                }
            }
        }
    }
    for (k, item) in new.iter().enumerate() {
        if !used[k] {
            push(&mut out, &item_text(item, indent)?);
        }
    }
    Some(out)
}

/// One entry as a block sequence item at `indent`.
fn item_text(item: &Value, indent: usize) -> Option<String> {
    let text = serde_saphyr::to_string(&Value::Array(vec![item.clone()])).ok()?;
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(text.len() + 16 * indent);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Some(out)
}

/// `key: value` as its own little document.
fn key_text(key: &str, value: &Value) -> Option<String> {
    let mut map = Map::new();
    map.insert(key.to_string(), value.clone());
    serde_saphyr::to_string(&Value::Object(map)).ok()
}

/// Append `text`, starting on a new line.
fn push(out: &mut String, text: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(text);
}

fn push_lines(out: &mut String, lines: &[Line]) {
    for line in lines {
        push(out, line.text);
    }
}
