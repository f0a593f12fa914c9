//! Typed inputs: each operation's parameters decoded once, into the struct `input/generated.rs` declares
//! for it from AWS's models (`CreateUserInput { user_name, path, tags, .. }`), which the handler
//! and authorization both read. One generic decoder serves every member: strings, numbers,
//! booleans, `X.member.N` lists (any order, gaps allowed: AWS accepts `Tags.member.2` without
//! `member.1`), lists of structures (`Tags.member.N.Key`), `X.entry.N.key/value` maps and
//! nested structures. Sensitive members (passwords, private keys, tokens, MFA codes) are
//! [`Secret`]s, redacted in `Debug`.
//!
//! The decoder runs after `validate` has checked the top-level constraints; a required member
//! it still finds absent is a `ValidationError`, never a panic. [`Input::decode_partial`] is
//! the one other mode, for authorization questions asked before a request is whole (a console
//! page asks whether it may act before it has the rest of a form): there an absent required
//! member is its type's empty value, and only what authorization reads by member name matters.

use crate::error::AwsError;
use crate::query::Params;
use portcullis_core::Secret;
use std::borrow::Cow;

mod generated;

pub use generated::*;

/// How a decode treats a required member the request does not carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    /// A `ValidationError`, as AWS answers: every request the API serves.
    Enforced,
    /// The member's empty value ([`Member::empty`]): authorization questions only.
    Relaxed,
}

/// A member type the decoder can read at a parameter name (`UserName`, `Tags.member.2.Key`).
pub trait Member: Sized {
    /// The member at `key`, or `None` when the request does not carry it.
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError>;

    /// The value an absent required member takes in a [`Required::Relaxed`] decode (empty
    /// text, zero, false, no items, no fields).
    fn empty() -> Self;

    /// What authorization may read of it by name (see [`Input::text`]).
    fn view(&self) -> View<'_> {
        View::Other
    }

    /// The view of a list of these.
    fn list_view(_items: &[Self]) -> View<'_> {
        View::Other
    }
}

/// A top-level member: `Option<T>` when the model makes it optional, `T` when required.
pub trait Field: Sized {
    fn field(params: &Params, key: &str, required: Required) -> Result<Self, AwsError>;
}

impl<T: Member> Field for Option<T> {
    fn field(params: &Params, key: &str, _: Required) -> Result<Self, AwsError> {
        T::decode(params, key)
    }
}

impl<T: Member> Field for T {
    fn field(params: &Params, key: &str, required: Required) -> Result<Self, AwsError> {
        let value = T::decode(params, key)?;
        if required == Required::Relaxed {
            return Ok(value.unwrap_or_else(T::empty));
        }
        value.ok_or_else(|| {
            AwsError::validation(format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(key)
            ))
        })
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// A member as authorization sees it when it asks by member name.
#[derive(Clone, Copy, Debug)]
pub enum View<'a> {
    Text(&'a str),
    Strings(&'a [String]),
    Tags(&'a [Tag]),
    Int(i64),
    Bool(bool),
    /// Absent, or of a type nothing reads by name (secrets, maps, other structures).
    Other,
}

/// `prefix.name`, or `name` at the top level.
pub fn join<'a>(prefix: &str, name: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{prefix}.{name}"))
    }
}

impl Member for String {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        Ok(params.get(key).map(str::to_owned))
    }
    fn empty() -> Self {
        String::new()
    }
    fn view(&self) -> View<'_> {
        View::Text(self)
    }
    fn list_view(items: &[Self]) -> View<'_> {
        View::Strings(items)
    }
}

impl Member for Secret {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        Ok(params.get(key).map(Secret::new))
    }
    fn empty() -> Self {
        Secret::new("")
    }
}

impl Member for i64 {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        params
            .get(key)
            .map(|v| {
                v.trim().parse().map_err(|_| {
                    AwsError::invalid_parameter_value(format!(
                        "Value ({v}) for parameter {key} is invalid. Expected a number."
                    ))
                })
            })
            .transpose()
    }
    fn empty() -> Self {
        0
    }
    fn view(&self) -> View<'_> {
        View::Int(*self)
    }
}

impl Member for bool {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        params
            .get(key)
            .map(|v| {
                if v.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(AwsError::invalid_parameter_value(format!(
                        "Value ({v}) for parameter {key} is invalid. Expected a boolean."
                    )))
                }
            })
            .transpose()
    }
    fn empty() -> Self {
        false
    }
    fn view(&self) -> View<'_> {
        View::Bool(*self)
    }
}

/// `X.member.N`, ordered by N. `X=` alone is an empty list; members that decode to nothing
/// (`Tags.member.3` with no field) are left out.
impl<T: Member> Member for Vec<T> {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        let mut items = Vec::new();
        for n in params.indexes(key, "member") {
            if let Some(item) = T::decode(params, &format!("{key}.member.{n}"))? {
                items.push(item);
            }
        }
        if items.is_empty() && params.get(key).is_none() {
            return Ok(None);
        }
        Ok(Some(items))
    }
    fn empty() -> Self {
        Vec::new()
    }
    fn view(&self) -> View<'_> {
        T::list_view(self)
    }
}

/// A map of strings (`X.entry.N.key` / `X.entry.N.value`), ordered by N; an entry without a
/// key is left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Map(pub Vec<(String, Option<String>)>);

impl Member for Map {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        let indexes = params.indexes(key, "entry");
        if indexes.is_empty() && params.get(key).is_none() {
            return Ok(None);
        }
        let entries = indexes
            .into_iter()
            .filter_map(|n| {
                let k = params.get(&format!("{key}.entry.{n}.key"))?;
                let v = params.get(&format!("{key}.entry.{n}.value"));
                Some((k.to_owned(), v.map(str::to_owned)))
            })
            .collect();
        Ok(Some(Map(entries)))
    }
    fn empty() -> Self {
        Map::default()
    }
}

/// A member of an operation Portcullis does not implement, whose shape it does not decode
/// (only whether the request carries it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unread;

impl Member for Unread {
    fn decode(params: &Params, key: &str) -> Result<Option<Self>, AwsError> {
        Ok(params.contains(key).then_some(Unread))
    }
    fn empty() -> Self {
        Unread
    }
}

/// The typed input of one operation, found in an [`Input`].
pub trait OpInput: Sized {
    fn of(input: &Input) -> Option<&Self>;
}

impl Input {
    /// The operation's typed input, as the operation table says it is.
    pub fn get<T: OpInput>(&self) -> Result<&T, AwsError> {
        T::of(self).ok_or_else(AwsError::internal)
    }

    /// A string member by its wire name (`PolicyArn`), for rules declared by member name.
    pub fn text(&self, wire: &str) -> Option<&str> {
        match self.member(wire)? {
            View::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A list of strings by its wire name (`TagKeys`).
    pub fn strings(&self, wire: &str) -> Option<&[String]> {
        match self.member(wire)? {
            View::Strings(s) => Some(s),
            _ => None,
        }
    }

    /// A number by its wire name (`MaxItems`).
    pub fn int(&self, wire: &str) -> Option<i64> {
        match self.member(wire)? {
            View::Int(n) => Some(n),
            _ => None,
        }
    }

    /// A boolean by its wire name (`SetAsDefault`).
    pub fn flag(&self, wire: &str) -> Option<bool> {
        match self.member(wire)? {
            View::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A list of tags by its wire name (`Tags`).
    pub fn tags(&self, wire: &str) -> Option<&[Tag]> {
        match self.member(wire)? {
            View::Tags(t) => Some(t),
            _ => None,
        }
    }
}

/// The structures an input reaches (`Tag`, `PolicyDescriptorType`, ...): every member optional.
/// `Shape as View` marks a shape whose lists authorization reads by name.
macro_rules! shapes {
    ($($shape:ident $(as $view:ident)? { $($field:ident : $ty:ty = $wire:literal,)* })*) => {
        $(
            #[doc = concat!("The `", stringify!($shape), "` structure of AWS's model.")]
            #[derive(Clone, Debug, Default, PartialEq, Eq)]
            pub struct $shape {
                $(#[doc = concat!("`", $wire, "`")] pub $field: $ty,)*
            }

            impl $crate::input::Member for $shape {
                fn decode(
                    params: &$crate::query::Params,
                    key: &str,
                ) -> Result<Option<Self>, $crate::error::AwsError> {
                    let item = $shape {
                        $($field: $crate::input::Field::field(
                            params,
                            &$crate::input::join(key, $wire),
                            $crate::input::Required::Enforced,
                        )?,)*
                    };
                    let present = false $(|| item.$field.is_some())*;
                    Ok(present.then_some(item))
                }
                fn empty() -> Self {
                    Self::default()
                }
                $(fn list_view(items: &[Self]) -> $crate::input::View<'_> {
                    $crate::input::View::$view(items)
                })?
            }
        )*
    };
}
pub(crate) use shapes;

/// One struct per operation (`{Op}Input`), the [`Input`] enum over them and its decoder.
macro_rules! inputs {
    ($($op:ident => $name:ident { $($field:ident : $ty:ty = $wire:literal,)* })*) => {
        $(
            #[doc = concat!("The parameters of `", stringify!($op), "`.")]
            #[derive(Clone, Debug)]
            pub struct $name {
                $(#[doc = concat!("`", $wire, "`")] pub $field: $ty,)*
            }

            impl $name {
                pub fn decode(
                    _params: &$crate::query::Params,
                    _required: $crate::input::Required,
                ) -> Result<Self, $crate::error::AwsError> {
                    Ok($name {
                        $($field: $crate::input::Field::field(_params, $wire, _required)?,)*
                    })
                }

                pub(crate) fn member(&self, wire: &str) -> Option<$crate::input::View<'_>> {
                    match wire {
                        $($wire => Some($crate::input::member_view(&self.$field)),)*
                        _ => None,
                    }
                }
            }

            impl $crate::input::OpInput for $name {
                fn of(input: &Input) -> Option<&Self> {
                    match input {
                        Input::$op(i) => Some(i),
                        _ => None,
                    }
                }
            }
        )*

        /// One request's parameters, decoded once: what the handler and authorization read.
        #[derive(Clone, Debug)]
        pub enum Input {
            $($op(Box<$name>),)*
        }

        impl Input {
            /// Decodes the parameters of `op`.
            pub fn decode(
                op: $crate::ops::Operation,
                params: &$crate::query::Params,
            ) -> Result<Input, $crate::error::AwsError> {
                Input::decode_with(op, params, $crate::input::Required::Enforced)
            }

            /// Decodes what a request has of the parameters of `op` to ask authorization about
            /// it, with every absent required member empty; never the input of a handler.
            pub fn decode_partial(
                op: $crate::ops::Operation,
                params: &$crate::query::Params,
            ) -> Result<Input, $crate::error::AwsError> {
                Input::decode_with(op, params, $crate::input::Required::Relaxed)
            }

            fn decode_with(
                op: $crate::ops::Operation,
                params: &$crate::query::Params,
                required: $crate::input::Required,
            ) -> Result<Input, $crate::error::AwsError> {
                Ok(match op {
                    $($crate::ops::Operation::$op => {
                        Input::$op(Box::new($name::decode(params, required)?))
                    })*
                })
            }

            /// The operation this input is for.
            pub fn op(&self) -> $crate::ops::Operation {
                match self {
                    $(Input::$op(_) => $crate::ops::Operation::$op,)*
                }
            }

            pub(crate) fn member(&self, wire: &str) -> Option<$crate::input::View<'_>> {
                match self {
                    $(Input::$op(i) => i.member(wire),)*
                }
            }
        }
    };
}
pub(crate) use inputs;

/// A top-level member's view: required members directly, optional ones when present.
pub trait MemberView {
    fn member_view(&self) -> View<'_>;
}

impl<T: Member> MemberView for T {
    fn member_view(&self) -> View<'_> {
        self.view()
    }
}

impl<T: Member> MemberView for Option<T> {
    fn member_view(&self) -> View<'_> {
        self.as_ref().map_or(View::Other, Member::view)
    }
}

/// Used by the generated code.
pub fn member_view<T: MemberView>(m: &T) -> View<'_> {
    m.member_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Operation;

    fn input(op: Operation, body: &str) -> Input {
        let params = Params::parse(body.as_bytes()).unwrap_or_default();
        match Input::decode(op, &params) {
            Ok(i) => i,
            Err(e) => panic!("{}", e.message),
        }
    }

    #[test]
    fn lists_of_structures_take_any_index_order_and_gaps() {
        let i = input(
            Operation::AssumeRole,
            "RoleArn=r&RoleSessionName=s&Tags.member.7.Key=b&Tags.member.7.Value=2&Tags.member.2.Key=a&Tags.member.2.Value=1&TransitiveTagKeys.member.3=a",
        );
        let Ok(a) = i.get::<AssumeRoleInput>() else {
            panic!("wrong input");
        };
        let tags = a.tags.as_deref().unwrap_or_default();
        let pairs: Vec<_> = tags
            .iter()
            .map(|t| (t.key.as_deref(), t.value.as_deref()))
            .collect();
        assert_eq!(pairs, [(Some("a"), Some("1")), (Some("b"), Some("2"))]);
        assert_eq!(
            a.transitive_tag_keys.as_deref(),
            Some(&["a".to_string()][..])
        );
        assert_eq!(i.tags("Tags").map(<[Tag]>::len), Some(2));
        assert_eq!(i.strings("TransitiveTagKeys").map(<[String]>::len), Some(1));
        assert_eq!(i.text("RoleArn"), Some("r"));
        assert_eq!(i.text("ExternalId"), None);
        assert_eq!(i.op(), Operation::AssumeRole);
    }

    #[test]
    fn absent_empty_and_half_members() {
        let i = input(Operation::CreateUser, "UserName=u&Tags=");
        let Ok(c) = i.get::<CreateUserInput>() else {
            panic!("wrong input");
        };
        assert_eq!(c.user_name, "u");
        assert_eq!(c.path, None);
        assert_eq!(c.tags.as_deref(), Some(&[][..]));
        let i = input(Operation::CreateUser, "UserName=u&Tags.member.1.Value=v");
        let tags = i.tags("Tags").unwrap_or_default();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].key, None);
        let i = input(Operation::CreateUser, "UserName=u&Tags.member.1=v");
        assert!(i.tags("Tags").is_none());
    }

    #[test]
    fn secrets_numbers_and_maps() {
        let i = input(
            Operation::ChangePassword,
            "OldPassword=hunter2&NewPassword=correct+horse",
        );
        assert!(!format!("{i:?}").contains("hunter2"));
        let Ok(c) = i.get::<ChangePasswordInput>() else {
            panic!("wrong input");
        };
        assert_eq!(c.new_password.expose(), "correct horse");
        let i = input(Operation::ListUsers, "MaxItems=5");
        assert_eq!(
            i.get::<ListUsersInput>().ok().and_then(|l| l.max_items),
            Some(5)
        );
        let bad = Input::decode(
            Operation::ListUsers,
            &Params::parse(b"MaxItems=x").unwrap_or_default(),
        );
        assert!(bad.is_err());
        let i = input(
            Operation::PutAccountProperties,
            "Properties.entry.2.key=b&Properties.entry.2.value=2&Properties.entry.1.key=a",
        );
        let Ok(p) = i.get::<PutAccountPropertiesInput>() else {
            panic!("wrong input");
        };
        assert_eq!(
            p.properties.0,
            [
                ("a".to_string(), None),
                ("b".to_string(), Some("2".to_string()))
            ]
        );
        assert!(i.get::<CreateUserInput>().is_err());
    }

    #[test]
    fn a_missing_required_member_is_a_validation_error() {
        let e = Input::decode(Operation::CreateUser, &Params::default()).err();
        assert_eq!(
            e.map(|e| e.code.into_owned()).as_deref(),
            Some("ValidationError")
        );
    }

    #[test]
    fn a_partial_decode_leaves_absent_required_members_empty() {
        let params = Params::parse(b"UserName=u").unwrap_or_default();
        let Ok(i) = Input::decode_partial(Operation::EnableMFADevice, &params) else {
            panic!("a partial decode needs no required member");
        };
        let Ok(e) = i.get::<EnableMFADeviceInput>() else {
            panic!("wrong input");
        };
        assert_eq!(e.user_name, "u");
        assert_eq!(e.serial_number, "");
        assert_eq!(e.authentication_code1.expose(), "");
        // Present members are decoded as strictly as ever.
        let bad = Params::parse(b"MaxItems=x").unwrap_or_default();
        assert!(Input::decode_partial(Operation::ListUsers, &bad).is_err());
        for op in Operation::all() {
            let partial = Input::decode_partial(op, &Params::default());
            assert!(partial.is_ok(), "{op:?}");
        }
    }

    #[test]
    fn every_operation_decodes_an_empty_request_without_panicking() {
        for op in Operation::all() {
            let _ = Input::decode(op, &Params::default());
        }
    }
}
