//! A fast reader for the YAML that kubeconfig writers produce, with the full YAML parser as
//! the authority.
//!
//! kubectl (client-go), the ACP CLI and `ac-sim` write kubeconfig as block YAML: mappings,
//! sequences (`- ` items, also at the indentation of their key), plain, quoted and `>-` / `|`
//! block scalars, `{}` and `[]`. serde-saphyr (kube's parser) spends ~1 µs per YAML event, about
//! 0.3–0.5 s on the 6.8 MB kubeconfig of a 5,000-cluster session, whatever the target type
//! (`IgnoredAny` costs the same). This reader handles that subset in one pass over the lines
//! into a tree of borrowed slices ([`Node`]), and builds kube's `Kubeconfig` from it: cluster
//! and context entries field by field (they are the thousands), users and anything rarer
//! through serde as before. About 10× faster on that file.
//!
//! It answers only when it is sure: anything outside the subset (anchors, aliases, tags,
//! flow collections with content, multi-line plain or quoted scalars, comments after values,
//! several documents, tabs in indentation, duplicate keys, …) and every plain scalar whose type
//! is ambiguous (`yes`, `0755`, `1.5`, `-1`, …) makes it decline, and the caller reads the file
//! with `Kubeconfig::read_from` as before. Errors always come from that path, so every message
//! is unchanged. The tests compare both readers on every kubeconfig shape the project knows.

use std::borrow::Cow;
use std::collections::HashSet;

use kube::config::{Cluster, Context, Kubeconfig, NamedCluster, NamedContext, NamedExtension};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Not in the subset (or not sure): use the full parser.
#[derive(Debug)]
pub struct Decline;

type R<T> = Result<T, Decline>;

/// A YAML node, its scalars typed as serde-saphyr types them for an untyped target (see
/// [`plain`]) and borrowed from the text where they can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Map(Vec<(&'a str, Node<'a>)>),
    Seq(Vec<Node<'a>>),
    Null,
    Bool(bool),
    Int(u64),
    Str(Cow<'a, str>),
}

impl Node<'_> {
    pub fn into_value(self) -> Value {
        match self {
            Node::Map(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, node)| (key.to_string(), node.into_value()))
                    .collect(),
            ),
            Node::Seq(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Int(n) => Value::from(n),
            Node::Str(s) => Value::String(s.into_owned()),
        }
    }
}

/// The document as JSON, or [`Decline`] (the tests compare it with serde-saphyr's).
pub fn parse(text: &str) -> R<Value> {
    parse_node(text).map(Node::into_value)
}

/// The document as a [`Node`] tree (a mapping), or [`Decline`].
pub fn parse_node(text: &str) -> R<Node<'_>> {
    check_characters(text)?;
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let mut parser = Parser {
        lines,
        pos: 0,
        pending: None,
        depth: 0,
    };
    let Some((indent, _)) = parser.peek()? else {
        return Err(Decline); // empty document: the full parser decides what that is
    };
    let node = parser.block(indent, -1)?;
    if parser.peek()?.is_some() || !matches!(node, Node::Map(_)) {
        return Err(Decline);
    }
    Ok(node)
}

/// Only printable characters (YAML 1.2 §5.1), no byte-order mark, no lone CR.
fn check_characters(text: &str) -> R<()> {
    let ascii_ok = |b: u8| b >= 0x20 && b != 0x7f || matches!(b, b'\t' | b'\n' | b'\r');
    // Branch-free per chunk (vectorized): a byte that is not printable ASCII sets a bit.
    let suspect = |b: u8| u8::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b >= 0x7f);
    let all_ascii = text
        .as_bytes()
        .chunks(4096)
        .all(|chunk| chunk.iter().fold(0, |seen, &b| seen | suspect(b)) == 0);
    if all_ascii {
        return if text.contains('\r') && text.replace("\r\n", "").contains('\r') {
            Err(Decline)
        } else {
            Ok(())
        };
    }
    // Rare: non-ASCII text (names, messages). Reject what YAML calls non-printable.
    for c in text.chars() {
        let ok = match c {
            '\t' | '\n' => true,
            '\r' => false, // CRLF files with non-ASCII text: the full parser
            c if c.is_ascii() => ascii_ok(c as u8),
            '\u{85}' => true,
            '\u{80}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
            _ => true,
        };
        if !ok {
            return Err(Decline);
        }
    }
    Ok(())
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    /// The next physical line.
    pos: usize,
    /// The rest of a `- ` line, read as a line of its own at the column where it starts
    /// (`- name: x` is a sequence item holding a mapping indented to `name`).
    pending: Option<(usize, &'a str)>,
    /// Nesting so far (a pathological file declines instead of exhausting the stack).
    depth: usize,
}

/// Deeper than any kubeconfig nests.
const MAX_DEPTH: usize = 64;

/// `-` alone or `- …`: a sequence item.
fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

impl<'a> Parser<'a> {
    /// The next line that means something: (indentation, content without it and without
    /// trailing blanks). Blank lines and whole-line comments are skipped.
    fn peek(&mut self) -> R<Option<(usize, &'a str)>> {
        if let Some(line) = self.pending {
            return Ok(Some(line));
        }
        while let Some(line) = self.lines.get(self.pos) {
            let content = line.trim_start_matches(' ');
            let trimmed = content.trim_end_matches([' ', '\t']);
            if trimmed.is_empty() && !content.starts_with('\t') || trimmed.starts_with('#') {
                self.pos += 1;
                continue;
            }
            if content.starts_with('\t') {
                return Err(Decline); // a tab where indentation is
            }
            return Ok(Some((line.len() - content.len(), trimmed)));
        }
        Ok(None)
    }

    fn consume(&mut self) {
        if self.pending.take().is_none() {
            self.pos += 1;
        }
    }

    /// The node whose first line is the next one, at `indent`, inside a parent at `parent`.
    fn block(&mut self, indent: usize, parent: isize) -> R<Node<'a>> {
        let Some((_, content)) = self.peek()? else {
            return Err(Decline);
        };
        if is_item(content) || split_key(content)?.is_some() {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(Decline);
            }
            let node = if is_item(content) {
                self.sequence(indent)
            } else {
                self.mapping(indent)
            };
            self.depth -= 1;
            return node;
        }
        // A scalar on a line of its own (`key:` then the value, indented, on the next line).
        self.consume();
        let value = inline_scalar(content)?;
        self.end_of_scalar(parent as usize, parent < 0)?;
        Ok(value)
    }

    /// After a one-line scalar: the next line must not continue it (a multi-line plain
    /// scalar) or be indented under it.
    fn end_of_scalar(&mut self, parent: usize, top: bool) -> R<()> {
        match self.peek()? {
            Some((indent, _)) if top || indent > parent => Err(Decline),
            _ => Ok(()),
        }
    }

    fn mapping(&mut self, indent: usize) -> R<Node<'a>> {
        let mut map: Vec<(&'a str, Node<'a>)> = Vec::with_capacity(4);
        let mut many: Option<HashSet<&'a str>> = None;
        while let Some((at, content)) = self.peek()? {
            if at < indent {
                break;
            }
            if at > indent || is_item(content) {
                return Err(Decline);
            }
            let Some((key, rest)) = split_key(content)? else {
                return Err(Decline);
            };
            self.consume();
            let value = if rest.is_empty() {
                match self.peek()? {
                    Some((next, _)) if next > indent => self.block(next, indent as isize)?,
                    Some((next, content)) if next == indent && is_item(content) => {
                        self.sequence(indent)? // the items at the key's own indentation
                    }
                    _ => Node::Null,
                }
            } else if rest.starts_with(['|', '>']) {
                self.block_scalar(rest, indent)?
            } else {
                let value = inline_scalar(rest)?;
                self.end_of_scalar(indent, false)?;
                value
            };
            // A duplicate key: the full parser reports it.
            let duplicate = match many.as_mut() {
                Some(keys) => !keys.insert(key),
                None => map.iter().any(|(seen, _)| *seen == key),
            };
            if duplicate {
                return Err(Decline);
            }
            if many.is_none() && map.len() >= 16 {
                many = Some(map.iter().map(|(seen, _)| *seen).chain([key]).collect());
            }
            map.push((key, value));
        }
        Ok(Node::Map(map))
    }

    fn sequence(&mut self, indent: usize) -> R<Node<'a>> {
        let mut items = Vec::new();
        while let Some((at, content)) = self.peek()? {
            if at < indent || at == indent && !is_item(content) {
                break; // the caller checks what follows
            }
            if at > indent {
                return Err(Decline);
            }
            self.consume();
            let item = if content == "-" {
                match self.peek()? {
                    Some((next, _)) if next > indent => self.block(next, indent as isize)?,
                    _ => Node::Null,
                }
            } else {
                let rest = &content[1..];
                let spaces = rest.len() - rest.trim_start_matches(' ').len();
                let rest = &rest[spaces..];
                if rest.starts_with(['\t', '#']) {
                    return Err(Decline);
                }
                let column = indent + 1 + spaces;
                self.pending = Some((column, rest));
                self.block(column, indent as isize)?
            };
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    /// `|`, `|-`, `>`, `>-` and the more-indented lines after it.
    fn block_scalar(&mut self, header: &str, parent: usize) -> R<Node<'a>> {
        let (literal, strip) = match header {
            "|" => (true, false),
            "|-" => (true, true),
            ">" => (false, false),
            ">-" => (false, true),
            _ => return Err(Decline), // keep (`+`), explicit indentation, comments
        };
        let mut indent: Option<usize> = None;
        let mut lines: Vec<&str> = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.contains('\t') {
                return Err(Decline);
            }
            let content = line.trim_start_matches(' ');
            let at = line.len() - content.len();
            if content.is_empty() {
                // Blank: content only when it has no more spaces than the block's indentation.
                if indent.is_some_and(|indent| at > indent) || indent.is_none() && at > parent + 1 {
                    return Err(Decline);
                }
                lines.push("");
                self.pos += 1;
                continue;
            }
            match indent {
                None if at <= parent => break,
                None => indent = Some(at),
                Some(indent) if at < indent => {
                    if at <= parent {
                        break;
                    }
                    return Err(Decline);
                }
                Some(_) => {}
            }
            lines.push(&line[indent.unwrap_or(at)..]);
            self.pos += 1;
        }
        while lines.last() == Some(&"") {
            lines.pop();
        }
        // The common case (a long base64 value on one line): borrowed, not copied.
        if let [only] = lines[..] {
            return Ok(Node::Str(if strip {
                Cow::Borrowed(only)
            } else {
                Cow::Owned(format!("{only}\n"))
            }));
        }
        let Some(first) = lines.iter().position(|line| !line.is_empty()) else {
            return Ok(Node::Str(Cow::Borrowed("")));
        };
        let mut text = if literal {
            lines.join("\n")
        } else {
            if first > 0 || lines.iter().any(|line| line.starts_with(' ')) {
                return Err(Decline); // leading blank or more-indented lines when folding
            }
            let mut text = String::new();
            let mut blanks = 0;
            for (i, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    blanks += 1;
                    continue;
                }
                if i > 0 {
                    if blanks == 0 {
                        text.push(' ');
                    } else {
                        text.push_str(&"\n".repeat(blanks));
                    }
                }
                blanks = 0;
                text.push_str(line);
            }
            text
        };
        if !strip {
            text.push('\n');
        }
        Ok(Node::Str(Cow::Owned(text)))
    }
}

/// `key: rest` or `key:` → `Some((key, rest))`; a line that is not a mapping entry → `None`.
/// Keys that are not plain strings (quoted, `? `, `<<`, null-, bool- or number-like) decline.
fn split_key(content: &str) -> R<Option<(&str, &str)>> {
    let bytes = content.as_bytes();
    let Some(colon) = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))
    else {
        if content.starts_with(['"', '\'', '?']) && content.contains(':') {
            return Err(Decline);
        }
        return Ok(None);
    };
    let key = &content[..colon];
    if key.is_empty()
        || key.ends_with([' ', '\t'])
        || key.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', '<',
        ])
        || key.contains(" #")
        || key.contains('\t')
        || !matches!(plain(key)?, Node::Str(_))
    {
        return Err(Decline);
    }
    Ok(Some((key, content[colon + 1..].trim_start_matches(' '))))
}

/// A scalar on one line: plain, quoted, `{}` or `[]`.
fn inline_scalar(text: &str) -> R<Node<'_>> {
    // A comment after the value (or ` #` inside quotes): not sure.
    let bytes = text.as_bytes();
    if bytes
        .windows(2)
        .any(|pair| pair[1] == b'#' && matches!(pair[0], b' ' | b'\t'))
    {
        return Err(Decline);
    }
    match text.as_bytes().first() {
        Some(b'"') => double_quoted(text).map(|s| Node::Str(Cow::Owned(s))),
        Some(b'\'') => single_quoted(text).map(|s| Node::Str(Cow::Owned(s))),
        Some(b'{') if text == "{}" => Ok(Node::Map(Vec::new())),
        Some(b'[') if text == "[]" => Ok(Node::Seq(Vec::new())),
        Some(
            b'{' | b'[' | b'}' | b']' | b',' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'|'
            | b'>' | b'?' | b':' | b'#',
        ) => Err(Decline),
        // `- x` there is a sequence entry where none may start: an error the full parser words.
        Some(b'-') if text == "-" || text.starts_with("- ") => Err(Decline),
        _ if text.contains(": ") || text.ends_with(':') || text.contains('\t') => Err(Decline),
        _ => plain(text),
    }
}

/// A plain scalar as serde-saphyr types it for an untyped target (kube buffers every
/// kubeconfig value that way, through `#[serde(flatten)]`): null, `true`/`false`, a decimal
/// integer, else a string. Every other spelling its resolver treats specially declines.
fn plain(text: &str) -> R<Node<'_>> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Node::Null),
        "true" => return Ok(Node::Bool(true)),
        "false" => return Ok(Node::Bool(false)),
        _ => {}
    }
    // YAML 1.1 booleans in other spellings (`yes`, `On`, `N`, `TRUE`, …).
    if ["true", "false", "yes", "no", "y", "n", "on", "off"]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
    {
        return Err(Decline);
    }
    // Numbers start with a digit or `.` after an optional sign. A plain decimal is an
    // integer; every other spelling the resolver reads as a number (Rust's float syntax,
    // `0x`/`0o`/`0b`, `1_000`, `.inf`) declines. What is left (`4.3.0`, `10.0.0.1`,
    // `2024-01-01`, a hex token like `70aee08a…`) is a string there too, as are `--flag` and
    // `-name`.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned.is_empty() || unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        let decimal =
            text == "0" || !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
        if decimal {
            return text.parse::<u64>().map(Node::Int).map_err(|_| Decline);
        }
        let radix = ["0x", "0X", "0o", "0O", "0b", "0B"]
            .iter()
            .any(|prefix| unsigned.starts_with(prefix));
        if unsigned.is_empty()
            || unsigned.starts_with('.')
            || radix
            || text.contains(['_', ':'])
            || text.parse::<f64>().is_ok()
        {
            return Err(Decline);
        }
    }
    Ok(Node::Str(Cow::Borrowed(text)))
}

/// `"…"` on one line, with the common escapes.
fn double_quoted(text: &str) -> R<String> {
    let mut out = String::new();
    let mut chars = text[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                return if text[1 + i + 1..].trim_end_matches(' ').is_empty() {
                    Ok(out)
                } else {
                    Err(Decline)
                };
            }
            '\\' => {
                let (_, escape) = chars.next().ok_or(Decline)?;
                let simple = match escape {
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    't' | '\t' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{a0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(c) = simple {
                    out.push(c);
                    continue;
                }
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => return Err(Decline),
                };
                let mut code = 0u32;
                for _ in 0..digits {
                    let (_, d) = chars.next().ok_or(Decline)?;
                    code = code * 16 + d.to_digit(16).ok_or(Decline)?;
                }
                out.push(char::from_u32(code).ok_or(Decline)?);
            }
            c => out.push(c),
        }
    }
    Err(Decline) // no closing quote on this line
}

/// `'…'` on one line (`''` is a quote).
fn single_quoted(text: &str) -> R<String> {
    let mut out = String::new();
    let body = &text[1..];
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return if body[i + 1..].trim_end_matches(' ').is_empty() {
                Ok(out)
            } else {
                Err(Decline)
            };
        }
        out.push(c);
    }
    Err(Decline)
}

/// The file's text as kube's `Kubeconfig`, or [`Decline`]: the same value serde-saphyr and
/// kube's derives give (the tests compare them), built field by field for the cluster and
/// context entries (with `other` keeping unknown keys, as kube's `#[serde(flatten)]` does),
/// through serde for the rest.
pub fn kubeconfig(text: &str) -> R<Kubeconfig> {
    let Node::Map(entries) = parse_node(text)? else {
        return Err(Decline);
    };
    let mut kc = Kubeconfig::default();
    for (key, node) in entries {
        match key {
            "clusters" => kc.clusters = list(node, named_cluster)?,
            "contexts" => kc.contexts = list(node, named_context)?,
            "users" => kc.auth_infos = list(node, serde)?,
            "current-context" => kc.current_context = opt_string(node)?,
            "kind" => kc.kind = opt_string(node)?,
            "apiVersion" => kc.api_version = opt_string(node)?,
            "preferences" => kc.preferences = serde(node)?,
            "extensions" => kc.extensions = serde(node)?,
            _ => {
                kc.other.insert(key.to_string(), node.into_value());
            }
        }
    }
    Ok(kc)
}

/// Through serde, as the full parser would hand it over.
fn serde<T: DeserializeOwned>(node: Node) -> R<T> {
    serde_json::from_value(node.into_value()).map_err(|_| Decline)
}

/// kube's `deserialize_null_as_default` lists: `null` is empty.
fn list<'a, T>(node: Node<'a>, entry: impl Fn(Node<'a>) -> R<T>) -> R<Vec<T>> {
    match node {
        Node::Null => Ok(Vec::new()),
        Node::Seq(items) => items.into_iter().map(entry).collect(),
        _ => Err(Decline),
    }
}

fn string(node: Node) -> R<String> {
    match node {
        Node::Str(s) => Ok(s.into_owned()),
        _ => Err(Decline),
    }
}

fn opt_string(node: Node) -> R<Option<String>> {
    match node {
        Node::Null => Ok(None),
        node => string(node).map(Some),
    }
}

fn opt_bool(node: Node) -> R<Option<bool>> {
    match node {
        Node::Null => Ok(None),
        Node::Bool(b) => Ok(Some(b)),
        _ => Err(Decline),
    }
}

fn map(node: Node<'_>) -> R<Vec<(&str, Node<'_>)>> {
    match node {
        Node::Map(entries) => Ok(entries),
        _ => Err(Decline),
    }
}

fn named_cluster(node: Node) -> R<NamedCluster> {
    let mut named = NamedCluster::default();
    let mut name = None;
    for (key, node) in map(node)? {
        match key {
            "name" => name = Some(string(node)?),
            "cluster" => named.cluster = opt_map(node, cluster)?,
            _ => {
                named.other.insert(key.to_string(), node.into_value());
            }
        }
    }
    named.name = name.ok_or(Decline)?;
    Ok(named)
}

fn opt_map<'a, T>(node: Node<'a>, build: impl Fn(Node<'a>) -> R<T>) -> R<Option<T>> {
    match node {
        Node::Null => Ok(None),
        node => build(node).map(Some),
    }
}

fn cluster(node: Node) -> R<Cluster> {
    let mut cluster = Cluster::default();
    for (key, node) in map(node)? {
        match key {
            "server" => cluster.server = opt_string(node)?,
            "insecure-skip-tls-verify" => cluster.insecure_skip_tls_verify = opt_bool(node)?,
            "certificate-authority" => cluster.certificate_authority = opt_string(node)?,
            "certificate-authority-data" => {
                cluster.certificate_authority_data = opt_string(node)?;
            }
            "proxy-url" => cluster.proxy_url = opt_string(node)?,
            "disable-compression" => cluster.disable_compression = opt_bool(node)?,
            "tls-server-name" => cluster.tls_server_name = opt_string(node)?,
            "extensions" => cluster.extensions = extensions(node)?,
            _ => {
                cluster.other.insert(key.to_string(), node.into_value());
            }
        }
    }
    Ok(cluster)
}

fn extensions(node: Node) -> R<Option<Vec<NamedExtension>>> {
    opt_map(node, |node| {
        list(node, |node| {
            let mut name = None;
            let mut extension = None;
            for (key, node) in map(node)? {
                match key {
                    "name" => name = Some(string(node)?),
                    "extension" => extension = Some(node.into_value()),
                    _ => {} // not kept by kube's derive either
                }
            }
            Ok(NamedExtension {
                name: name.ok_or(Decline)?,
                extension: extension.ok_or(Decline)?,
            })
        })
    })
}

fn named_context(node: Node) -> R<NamedContext> {
    let mut named = NamedContext::default();
    let mut name = None;
    for (key, node) in map(node)? {
        match key {
            "name" => name = Some(string(node)?),
            "context" => named.context = opt_map(node, context)?,
            _ => {
                named.other.insert(key.to_string(), node.into_value());
            }
        }
    }
    named.name = name.ok_or(Decline)?;
    Ok(named)
}

fn context(node: Node) -> R<Context> {
    let mut context = Context::default();
    let mut cluster = None;
    for (key, node) in map(node)? {
        match key {
            "cluster" => cluster = Some(string(node)?),
            "user" => context.user = opt_string(node)?,
            "namespace" => context.namespace = opt_string(node)?,
            "extensions" => context.extensions = extensions(node)?,
            _ => {
                context.other.insert(key.to_string(), node.into_value());
            }
        }
    }
    context.cluster = cluster.ok_or(Decline)?;
    Ok(context)
}

#[cfg(test)]
mod tests;
