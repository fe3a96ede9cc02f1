//! Object names as Kubernetes defines them: the one rule every name must pass before it
//! becomes a segment of a request path (a cluster name from `--cluster` or the kubeconfig is
//! the name of a ClusterVersionShadow; ProductManifests and ConfigMaps are named the same way).
//!
//! The rule is the DNS-1123 subdomain of `metadata.name` (Kubernetes'
//! `IsDNS1123Subdomain`): at most 253 characters, lowercase letters, digits, `-` and `.`,
//! every dot-separated part starting and ending with a letter or a digit. A name that passes
//! cannot carry a `/` (another path segment or a subresource), a `?` or `#` (a query string),
//! `.` or `..` alone (path traversal), percent escapes, whitespace or control characters. Pure:
//! the commands ([`crate::commands::target`]), completion and the access layer (its last line
//! of defence, before any request is built) all call [`validate`].

use std::fmt;

/// The longest object name Kubernetes accepts.
pub const MAX_LEN: usize = 253;

/// The rule, as one clause of a message.
pub const RULE: &str = "a Kubernetes object name: at most 253 characters, lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";

/// What is wrong with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong(usize),
    /// A character outside `a-z 0-9 - .`.
    Character(char),
    /// A dot-separated part is empty or starts or ends with `-` (`a..b`, `.a`, `a-`, `-a`).
    Part,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("it is empty"),
            NameError::TooLong(n) => write!(f, "it has {n} characters"),
            NameError::Character(c) if c.is_ascii_uppercase() => {
                write!(f, "{c:?} is upper case")
            }
            NameError::Character(c) => write!(f, "{} is not allowed", shown_char(*c)),
            NameError::Part => f.write_str(
                "it (or a dot-separated part of it) starts or ends with '-' or '.', or has '..'",
            ),
        }
    }
}

/// A character as a message shows it: visible, quoted, escaped when it is not printable.
fn shown_char(c: char) -> String {
    format!("{:?}", c)
}

/// `Ok(name)` when `name` is a valid object name ([`RULE`]).
pub fn validate(name: &str) -> Result<&str, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let count = name.chars().count();
    if count > MAX_LEN {
        return Err(NameError::TooLong(count));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '.'))
    {
        return Err(NameError::Character(c));
    }
    let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if name
        .split('.')
        .any(|part| !alnum(part.bytes().next()) || !alnum(part.bytes().last()))
    {
        return Err(NameError::Part);
    }
    Ok(name)
}

/// How a name (valid or not) is shown in a message: quoted, every character that could move
/// or recolor the terminal or reorder the line (controls, bidi overrides) escaped, cut after
/// 100 characters.
pub fn shown(name: &str) -> String {
    const MAX_SHOWN: usize = 100;
    let mut cut: String = name.chars().take(MAX_SHOWN).collect();
    let more = cut.len() < name.len();
    if more {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// A cluster name that passed [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClusterName(String);

impl ClusterName {
    pub fn parse(name: &str) -> Result<ClusterName, NameError> {
        validate(name).map(|n| ClusterName(n.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClusterName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_object_names() {
        for ok in [
            "global",
            "workload-a",
            "a",
            "0",
            "w1.example.com",
            "v4.3.0",
            "v4.3.0-rc.1",
            "cvo-config",
            &"a".repeat(253),
        ] {
            assert_eq!(validate(ok), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_what_would_change_the_request() {
        for (bad, why) in [
            ("", NameError::Empty),
            ("workload-c?dryRun=All", NameError::Character('?')),
            ("workload-a/status", NameError::Character('/')),
            ("..", NameError::Part),
            (".", NameError::Part),
            ("a..b", NameError::Part),
            ("-a", NameError::Part),
            ("a-", NameError::Part),
            ("a.-b", NameError::Part),
            ("a#frag", NameError::Character('#')),
            ("a%2Fstatus", NameError::Character('%')),
            ("Workload", NameError::Character('W')),
            ("a b", NameError::Character(' ')),
            ("a\u{202e}b", NameError::Character('\u{202e}')),
            ("\u{1b}[2J", NameError::Character('\u{1b}')),
            ("wörk", NameError::Character('ö')),
        ] {
            assert_eq!(validate(bad), Err(why), "{bad:?}");
        }
        assert_eq!(validate(&"a".repeat(254)), Err(NameError::TooLong(254)));
    }

    #[test]
    fn messages_show_names_safely() {
        assert_eq!(shown("a\u{202e}b\u{1b}"), r#""a\u{202e}b\u{1b}""#);
        assert_eq!(shown(&"x".repeat(300)), format!("\"{}…\"", "x".repeat(100)));
        assert_eq!(
            NameError::Character('\u{202e}').to_string(),
            r"'\u{202e}' is not allowed"
        );
        assert_eq!(NameError::Character('W').to_string(), "'W' is upper case");
        assert_eq!(
            ClusterName::parse("workload-a").unwrap().as_str(),
            "workload-a"
        );
    }
}
