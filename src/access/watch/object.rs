//! One named object, followed through a [`Watcher`] with a field selector: what the server
//! sends about any other object (a proxy mixing streams, a server ignoring the selector, a
//! recreated object with a new uid) is never taken for it.

use kube::core::ApiResource;
use serde_json::Value;

use super::{Event, Spec, Watcher};
use crate::access::client::Conn;
use crate::error::Result;

/// What the watch of one object saw.
#[derive(Debug)]
pub enum Seen {
    /// The object as listed or changed.
    Object(Value),
    /// A (re)list did not have it: it does not exist (or no longer).
    Missing,
    /// A `DELETED` event for it.
    Deleted,
}

/// The watch of one object: a [`Watcher`] of `metadata.name=<name>`, keeping only what is
/// about that object — its name, and its uid once one is seen.
pub struct ObjectWatch {
    watcher: Watcher<Value>,
    name: String,
    uid: Option<String>,
    /// Inside a (re)list (between its first page and `Synced`).
    listing: bool,
    /// The object was in the current (re)list.
    listed: bool,
    ignored: u64,
}

impl ObjectWatch {
    pub fn new(
        conn: Conn,
        resource: ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> ObjectWatch {
        let spec = Spec {
            resource,
            namespace: namespace.map(str::to_string),
            field_selector: Some(format!("metadata.name={name}")),
            name: Some(name.to_string()),
        };
        ObjectWatch {
            watcher: Watcher::new(conn, spec),
            name: name.to_string(),
            uid: None,
            listing: false,
            listed: false,
            ignored: 0,
        }
    }

    /// Events about other objects, ignored so far.
    pub fn ignored(&self) -> u64 {
        self.ignored
    }

    /// What the underlying watcher did (LISTs, WATCHes).
    pub fn stats(&self) -> super::Stats {
        self.watcher.stats()
    }

    /// The next thing seen about the object. Retries as [`Watcher::next`] does; cancel-safe.
    pub async fn next(&mut self) -> Result<Seen> {
        loop {
            match self.watcher.next().await? {
                Event::Relisting => {
                    self.listing = true;
                    self.listed = false;
                }
                Event::Listed(items) | Event::Relisted(items) => {
                    if !self.listing {
                        self.listing = true;
                        self.listed = false;
                    }
                    let mut found = None;
                    for item in items {
                        if found.is_none() && self.is_it(&item) {
                            found = Some(item);
                        } else {
                            self.ignore("listed", &item);
                        }
                    }
                    if let Some(object) = found {
                        self.listed = true;
                        self.adopt(&object);
                        return Ok(Seen::Object(object));
                    }
                }
                Event::Synced => {
                    self.listing = false;
                    if !self.listed {
                        return Ok(Seen::Missing);
                    }
                }
                Event::Upserted(object) if self.is_it(&object) => {
                    self.adopt(&object);
                    return Ok(Seen::Object(object));
                }
                Event::Deleted(object) if self.is_it(&object) => return Ok(Seen::Deleted),
                Event::Upserted(object) => self.ignore("changed", &object),
                Event::Deleted(object) => self.ignore("deleted", &object),
            }
        }
    }

    fn is_it(&self, object: &Value) -> bool {
        is_it(&self.name, self.uid.as_deref(), object)
    }

    fn adopt(&mut self, object: &Value) {
        if self.uid.is_none() {
            self.uid = text(object, "uid").map(str::to_string);
        }
    }

    fn ignore(&mut self, what: &str, object: &Value) {
        self.ignored += 1;
        let ignored = self.ignored;
        let name = crate::output::text::one_line(text(object, "name").unwrap_or("<no name>"));
        let uid = text(object, "uid").map(crate::output::text::one_line);
        self.watcher.trace(|| {
            format!(
                "ignored an object {what} that is not {:?}: {name:?}{} ({ignored} ignored so far)",
                self.name,
                uid.map(|uid| format!(" uid {uid}")).unwrap_or_default()
            )
        });
    }
}

/// Whether `object` is the one watched: its name, and its uid once one is known (then an
/// object without a uid is not it either).
fn is_it(name: &str, uid: Option<&str>, object: &Value) -> bool {
    text(object, "name") == Some(name) && uid.is_none_or(|uid| text(object, "uid") == Some(uid))
}

/// `metadata.<key>`, when it is a non-empty string.
fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object
        .get("metadata")?
        .get(key)?
        .as_str()
        .filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matched_by_name_then_by_uid() {
        let global = json!({"metadata": {"name": "global", "uid": "u-1"}});
        let other = json!({"metadata": {"name": "workload-a", "uid": "u-2"}});
        let recreated = json!({"metadata": {"name": "global", "uid": "u-3"}});
        let no_uid = json!({"metadata": {"name": "global"}});
        assert!(is_it("global", None, &global));
        assert!(is_it("global", None, &recreated));
        assert!(is_it("global", None, &no_uid));
        assert!(!is_it("global", None, &other));
        assert!(!is_it("global", None, &json!(null)));
        assert!(!is_it("global", None, &json!({"metadata": {"name": 7}})));
        // Once the uid is known, only that object.
        assert!(is_it("global", Some("u-1"), &global));
        assert!(!is_it("global", Some("u-1"), &recreated));
        assert!(!is_it("global", Some("u-1"), &no_uid));
        assert!(!is_it("global", Some("u-2"), &other));
    }
}
