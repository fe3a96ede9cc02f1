//! [`Cvsh`] straight from the server's JSON, for large LISTs: no `serde_json::Value` tree per
//! object (a 5,000-cluster fleet is 12.6 MB of JSON; as `Value`s it took ~100 MB and most of
//! the command's time).
//!
//! The one reader of a ClusterVersionShadow: [`Cvsh::from_value`] runs it over a parsed
//! object, and the tests compare both ways in on odd data. A missing, `null` or wrongly
//! typed field reads as absent, list entries that are not objects are skipped, numbers and
//! booleans are shown as text where text is expected, numeric strings are accepted where
//! integers are, and a repeated key keeps its last value. Only malformed JSON fails. Unknown
//! fields are skipped unread.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::output::text::printable;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::domain::cvsh::{
    Condition, Cvsh, DesiredUpdate, HistoryEntry, Operation, Preflight, PreflightCheck, Release,
    Stage,
};

/// Visitor methods for the scalars a lenient reader ignores.
macro_rules! other_values_are {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

impl<'de> Deserialize<'de> for Cvsh {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = Object::<CvshFields>::deserialize(deserializer)?;
        Ok(object.0.map(CvshFields::into_cvsh).unwrap_or_default())
    }
}

/// A JSON object read field by field into `T`; anything else is `None` (and skipped).
struct Object<T>(Option<T>);

/// A struct filled from an object's fields.
trait Fields: Default {
    /// Read the value of `key` if it is one of ours (`Ok(true)`); `Ok(false)`: skip it.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

impl<'de, T: Fields> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Fields> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<T>, A::Error> {
                let mut fields = T::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if !fields.field(&key.0, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Object(Some(fields)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Object<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Object(None))
            }
            other_values_are!(Object(None));
        }
        deserializer.deserialize_any(ObjectVisitor(PhantomData))
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Server text as kept in a view: control characters (a raw ESC) shown as symbols, so none
/// reaches a terminal from here ([`crate::output::text::printable`]).
fn printable_owned(text: String) -> String {
    if crate::output::text::needs_printable(&text) {
        printable(&text)
    } else {
        text
    }
}

/// [`crate::domain::cvsh::str_at`]: a non-empty string, a number or a bool as text.
#[derive(Default)]
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text((!v.is_empty()).then(|| printable(v))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text((!v.is_empty()).then(|| printable_owned(v))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                // As serde_json prints a float `Number` (`4.0`, not `4`).
                Ok(Text(serde_json::Number::from_f64(v).map(|n| n.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// [`crate::domain::cvsh::int_at`]: an integer, or a string holding one.
#[derive(Default)]
struct Int(Option<i64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor;
        impl<'de> Visitor<'de> for IntVisitor {
            type Value = Int;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                Ok(Int(i64::try_from(v).ok()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
                Ok(Int(v.trim().parse().ok()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Int, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Int(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Int, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Int(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
        }
        deserializer.deserialize_any(IntVisitor)
    }
}

/// A boolean; anything else is absent.
#[derive(Default)]
struct Bool(Option<bool>);

impl<'de> Deserialize<'de> for Bool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoolVisitor;
        impl<'de> Visitor<'de> for BoolVisitor {
            type Value = Bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Bool, E> {
                Ok(Bool(Some(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bool, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Bool(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bool, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Bool(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Bool, E> {
                Ok(Bool(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Bool, E> {
                Ok(Bool(None))
            }
        }
        deserializer.deserialize_any(BoolVisitor)
    }
}

/// A list whose entries are read as `T` (entries that read as `None` are skipped); anything
/// that is not a list is empty.
struct List<T>(Vec<T>);

/// One list entry: `None` when it is to be skipped.
trait Entry: Sized {
    type Wire: for<'de> Deserialize<'de>;
    fn from_wire(wire: Self::Wire) -> Option<Self>;
}

impl<'de, T: Entry> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);
        impl<'de, T: Entry> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(wire) = seq.next_element::<T::Wire>()? {
                    out.extend(T::from_wire(wire));
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List(Vec::new()))
            }
            other_values_are!(List(Vec::new()));
        }
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

/// `dependsOn[]`: the strings, as they are (empty ones too).
impl Entry for String {
    type Wire = Name;
    fn from_wire(wire: Name) -> Option<String> {
        wire.0
    }
}

/// A string (any string, empty included); anything else is `None`.
struct Name(Option<String>);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name(Some(printable(v))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Name, E> {
                Ok(Name(Some(printable_owned(v))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Name, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Name(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Name, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Name(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Name, E> {
                Ok(Name(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Name, E> {
                Ok(Name(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Name, E> {
                Ok(Name(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Name, E> {
                Ok(Name(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Name, E> {
                Ok(Name(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Name, E> {
                Ok(Name(None))
            }
        }
        deserializer.deserialize_any(NameVisitor)
    }
}

/// Reads the value of `key` into the named field when `key` is one of the listed JSON names.
macro_rules! fields {
    ($self:ident, $key:ident, $map:ident; $($name:literal => $field:ident: $wire:ty,)*) => {
        match $key {
            $($name => {
                $self.$field = $map.next_value::<$wire>()?;
                Ok(true)
            })*
            _ => Ok(false),
        }
    };
}

#[derive(Default)]
struct CvshFields {
    metadata: Object<MetaFields>,
    spec: Object<SpecFields>,
    status: Object<StatusFields>,
}

impl Fields for CvshFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "metadata" => metadata: Object<MetaFields>,
            "spec" => spec: Object<SpecFields>,
            "status" => status: Object<StatusFields>,
        )
    }
}

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

#[derive(Default)]
struct MetaFields {
    name: Text,
    namespace: Text,
    resource_version: Text,
    generation: Int,
}

impl Fields for MetaFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "name" => name: Text,
            "namespace" => namespace: Text,
            "resourceVersion" => resource_version: Text,
            "generation" => generation: Int,
        )
    }
}

#[derive(Default)]
struct SpecFields {
    desired_update: Object<DesiredUpdateFields>,
}

impl Fields for SpecFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "desiredUpdate" => desired_update: Object<DesiredUpdateFields>,
        )
    }
}

#[derive(Default)]
struct DesiredUpdateFields {
    version: Text,
    image: Text,
    force: Bool,
}

impl Fields for DesiredUpdateFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "version" => version: Text,
            "image" => image: Text,
            "force" => force: Bool,
        )
    }
}

#[derive(Default)]
struct StatusFields {
    current: Object<ReleaseFields>,
    desired: Object<ReleaseFields>,
    available_updates: List<Release>,
    conditions: List<Condition>,
    observed_generation: Int,
    history: List<HistoryEntry>,
    preflight: Object<PreflightFields>,
    stages: List<Stage>,
}

impl Fields for StatusFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "current" => current: Object<ReleaseFields>,
            "desired" => desired: Object<ReleaseFields>,
            "availableUpdates" => available_updates: List<Release>,
            "conditions" => conditions: List<Condition>,
            "observedGeneration" => observed_generation: Int,
            "history" => history: List<HistoryEntry>,
            "preflight" => preflight: Object<PreflightFields>,
            "stages" => stages: List<Stage>,
        )
    }
}

#[derive(Default)]
struct ReleaseFields {
    version: Text,
    image: Text,
}

impl Fields for ReleaseFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "version" => version: Text,
            "image" => image: Text,
        )
    }
}

impl ReleaseFields {
    /// A release is absent when neither field is there.
    fn into_release(self) -> Option<Release> {
        let release = Release {
            version: self.version.0,
            image: self.image.0,
        };
        (release.version.is_some() || release.image.is_some()).then_some(release)
    }
}

impl Entry for Release {
    type Wire = Object<ReleaseFields>;
    fn from_wire(wire: Object<ReleaseFields>) -> Option<Release> {
        wire.0?.into_release()
    }
}

#[derive(Default)]
struct ConditionFields {
    type_: Text,
    status: Text,
    reason: Text,
    message: Text,
    last_transition_time: Text,
}

impl Fields for ConditionFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "type" => type_: Text,
            "status" => status: Text,
            "reason" => reason: Text,
            "message" => message: Text,
            "lastTransitionTime" => last_transition_time: Text,
        )
    }
}

impl Entry for Condition {
    type Wire = Object<ConditionFields>;
    fn from_wire(wire: Object<ConditionFields>) -> Option<Condition> {
        let c = wire.0?;
        Some(Condition {
            type_: c.type_.0.unwrap_or_else(|| "<unnamed>".into()),
            status: c.status.0.unwrap_or_else(|| "Unknown".into()),
            reason: c.reason.0,
            message: c.message.0,
            last_transition_time: c.last_transition_time.0,
        })
    }
}

#[derive(Default)]
struct HistoryFields {
    version: Text,
    image: Text,
    state: Text,
    started_time: Text,
    completion_time: Text,
    accepted_risks: Text,
}

impl Fields for HistoryFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "version" => version: Text,
            "image" => image: Text,
            "state" => state: Text,
            "startedTime" => started_time: Text,
            "completionTime" => completion_time: Text,
            "acceptedRisks" => accepted_risks: Text,
        )
    }
}

impl Entry for HistoryEntry {
    type Wire = Object<HistoryFields>;
    fn from_wire(wire: Object<HistoryFields>) -> Option<HistoryEntry> {
        let h = wire.0?;
        Some(HistoryEntry {
            version: h.version.0,
            image: h.image.0,
            state: h.state.0,
            started_time: h.started_time.0,
            completion_time: h.completion_time.0,
            accepted_risks: h.accepted_risks.0,
        })
    }
}

#[derive(Default)]
struct PreflightFields {
    observed_at: Text,
    checks: List<PreflightCheck>,
}

impl Fields for PreflightFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "observedAt" => observed_at: Text,
            "checks" => checks: List<PreflightCheck>,
        )
    }
}

#[derive(Default)]
struct CheckFields {
    name: Text,
    policy: Text,
    state: Text,
    reason: Text,
    message: Text,
}

impl Fields for CheckFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "name" => name: Text,
            "policy" => policy: Text,
            "state" => state: Text,
            "reason" => reason: Text,
            "message" => message: Text,
        )
    }
}

impl Entry for PreflightCheck {
    type Wire = Object<CheckFields>;
    fn from_wire(wire: Object<CheckFields>) -> Option<PreflightCheck> {
        let c = wire.0?;
        Some(PreflightCheck {
            name: c.name.0.unwrap_or_else(|| "<unnamed>".into()),
            policy: c.policy.0,
            state: c.state.0,
            reason: c.reason.0,
            message: c.message.0,
        })
    }
}

#[derive(Default)]
struct StageFields {
    name: Text,
    priority: Int,
    phase: Text,
    operations: List<Operation>,
}

impl Fields for StageFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "name" => name: Text,
            "priority" => priority: Int,
            "phase" => phase: Text,
            "operations" => operations: List<Operation>,
        )
    }
}

impl Entry for Stage {
    type Wire = Object<StageFields>;
    fn from_wire(wire: Object<StageFields>) -> Option<Stage> {
        let s = wire.0?;
        Some(Stage {
            name: s.name.0.unwrap_or_else(|| "<unnamed>".into()),
            priority: s.priority.0,
            phase: s.phase.0,
            operations: s.operations.0,
        })
    }
}

#[derive(Default)]
struct OperationFields {
    name: Text,
    action: Text,
    current_version: Text,
    target_version: Text,
    phase: Text,
    depends_on: List<String>,
}

impl Fields for OperationFields {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fields!(self, key, map;
            "name" => name: Text,
            "action" => action: Text,
            "currentVersion" => current_version: Text,
            "targetVersion" => target_version: Text,
            "phase" => phase: Text,
            "dependsOn" => depends_on: List<String>,
        )
    }
}

impl Entry for Operation {
    type Wire = Object<OperationFields>;
    fn from_wire(wire: Object<OperationFields>) -> Option<Operation> {
        let o = wire.0?;
        Some(Operation {
            name: o.name.0.unwrap_or_else(|| "<unnamed>".into()),
            action: o.action.0,
            current_version: o.current_version.0,
            target_version: o.target_version.0,
            phase: o.phase.0,
            depends_on: o.depends_on.0,
        })
    }
}

impl CvshFields {
    fn into_cvsh(self) -> Cvsh {
        let meta = self.metadata.0.unwrap_or_default();
        let spec = self.spec.0.unwrap_or_default();
        let status = self.status.0.unwrap_or_default();
        Cvsh {
            name: meta.name.0.unwrap_or_default(),
            namespace: meta.namespace.0,
            resource_version: meta.resource_version.0,
            generation: meta.generation.0,
            desired_update: spec.desired_update.0.map(|update| DesiredUpdate {
                version: update.version.0,
                image: update.image.0,
                force: update.force.0,
            }),
            current: status.current.0.and_then(ReleaseFields::into_release),
            desired: status.desired.0.and_then(ReleaseFields::into_release),
            available_updates: status.available_updates.0,
            conditions: status.conditions.0,
            observed_generation: status.observed_generation.0,
            history: status.history.0,
            preflight: status.preflight.0.map(|preflight| Preflight {
                observed_at: preflight.observed_at.0,
                checks: preflight.checks.0,
            }),
            stages: status.stages.0,
        }
    }
}

#[cfg(test)]
mod tests;
