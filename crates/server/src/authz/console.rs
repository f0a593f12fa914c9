//! The web console's one entry to authorization: a console action is decided as the API
//! operation it performs would be, by the same engine, for the signed-in principal, with the
//! resource the operation names and the request's origin. A console session is not a
//! GetSessionToken session, so the restrictions on temporary API credentials do not apply;
//! its sign-in time and MFA facts reach the context through the session it carries.

use super::{
    Ask, RequestFacts, Resource, Rule, assume, context, decide, pass_role, subject, target,
};
use crate::auth::Caller;
use portcullis_policy::access_denied_message;
use portcullis_proto::{AwsError, Input, Operation, Params};

/// Allows or denies the console action `op` for `caller`; `rule` is the operation's row of the
/// route table, and `names` are the request members that name its resource (`UserName`,
/// `RoleArn`, ...), as the API request would carry them: they are decoded into the operation's
/// typed input, as the API's are. `sts:AssumeRole` is decided with the role's trust policy.
/// Allowed: the identity statements that allowed it (none for root, for actions no policy
/// decides, and for AssumeRole).
pub fn authorize_console(
    app: &dyn super::Env,
    rule: &Rule,
    caller: &Caller,
    op: Operation,
    names: &[(&str, &str)],
    facts: &RequestFacts<'_>,
) -> Result<Vec<String>, AwsError> {
    let input = console_input(op, names)?;
    let ask = Ask {
        op,
        rule,
        input: &input,
        caller,
        facts,
    };
    match rule.resource {
        Resource::Trust => return assume::authorize_assume_role(app, &ask).map(|_| Vec::new()),
        // The console passes no MFA code to verify.
        Resource::Unchecked | Resource::CallerMfa | Resource::WebIdentity => {
            return Ok(Vec::new());
        }
        _ => {}
    }
    let Some(subject) = subject(app, caller)? else {
        return Ok(Vec::new());
    };
    let target = target(app, rule, &input, caller, &subject)?;
    let ctx = context::build(&subject, &target, &ask);
    let decision = decide(app, &subject, &ctx, None, |d| {
        access_denied_message(&ctx, d)
    })?;
    pass_role(app, &subject, &ask)?;
    Ok(super::statement_names(&decision))
}

/// The typed input of a console action: the members that name its resource, decoded as the
/// API's are but without requiring the others (the page asks before it has the rest, e.g. the
/// MFA codes of EnableMFADevice), which authorization does not read.
fn console_input(op: Operation, names: &[(&str, &str)]) -> Result<Input, AwsError> {
    let mut params = Params::default();
    for (k, v) in names {
        params.insert(*k, *v);
    }
    Input::decode_partial(op, &params)
}

#[cfg(test)]
mod tests {
    use super::console_input;
    use portcullis_proto::{Input, Operation, Params};

    /// Every operation a console page may ask about (the effective-permissions page takes any
    /// action) decodes from the names alone, so a page is never refused for members it does not
    /// have yet: structures and timestamps too (PutAccountProperties' `Properties`, which the
    /// API's decode requires).
    #[test]
    fn every_operation_decodes_without_its_other_members() {
        for op in Operation::all() {
            assert!(console_input(op, &[]).is_ok(), "{op:?}");
        }
        assert!(Input::decode(Operation::PutAccountProperties, &Params::default()).is_err());
    }

    /// The names a page passes are what authorization reads.
    #[test]
    fn the_names_are_decoded_as_the_api_decodes_them() {
        let Ok(input) = console_input(Operation::EnableMFADevice, &[("UserName", "alice")]) else {
            panic!("EnableMFADevice does not decode from its user name");
        };
        assert_eq!(input.text("UserName"), Some("alice"));
        assert_eq!(input.op(), Operation::EnableMFADevice);
    }
}
