//! Feeds arbitrary bytes to the policy parser (every policy kind) and, for
//! documents that parse, arbitrary requests to the evaluator. Nothing here
//! may panic; a parsed policy must also survive serialize → parse unchanged.
//!
//! Input layout: segments separated by 0xFF bytes — the policy document, the
//! action, the resource, then alternating context keys and values (a value
//! containing 0xFE is split there into a multi-valued key).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis_policy::*;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fuzz_target!(|data: &[u8]| {
    let mut segments = data.split(|b| *b == 0xff);
    let document = text(segments.next().unwrap_or_default());
    let action = text(segments.next().unwrap_or(b"iam:GetUser"));
    let resource = text(segments.next().unwrap_or(b"*"));

    let _ = policy_size(&document);
    let _ = has_allowed_characters(&document);

    let mut compiled = Vec::new();
    for (kind, policy_type) in [
        (PolicyKind::Identity, PolicyType::Identity),
        (PolicyKind::Resource, PolicyType::Resource),
        (PolicyKind::Trust, PolicyType::Resource),
    ] {
        let options = ParseOptions {
            quota: Some(SizeQuota::ManagedPolicy),
        };
        let Ok(policy) = Policy::parse_with(&document, kind, &options) else {
            continue;
        };
        let again = Policy::parse(&policy.to_json_string(), kind);
        assert_eq!(again.as_ref(), Ok(&policy), "round trip changed the policy");
        compiled.push((kind, CompiledPolicy::new(&policy, "fuzz", policy_type)));
    }
    if compiled.is_empty() {
        return;
    }

    let callers = [
        Caller::User {
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            account: "123456789012".into(),
            unique_id: Some("AIDAALICEEXAMPLE".into()),
        },
        Caller::RoleSession {
            role_arn: "arn:aws:iam::111111111111:role/app".into(),
            session_arn: "arn:aws:sts::111111111111:assumed-role/app/s".into(),
            account: "111111111111".into(),
            role_unique_id: None,
        },
        Caller::Anonymous,
    ];
    for caller in callers {
        let mut ctx = RequestContext::new(caller, action.clone(), resource.clone());
        ctx.set_principal_keys();
        let mut rest = segments.clone();
        while let (Some(key), Some(value)) = (rest.next(), rest.next()) {
            let values: Vec<String> = value.split(|b| *b == 0xfe).map(text).collect();
            ctx.set_values(&text(key), values);
        }
        for (kind, policy) in &compiled {
            let set = PolicySet::new([policy.clone()]);
            let mut input = EvalInput::new(&ctx, &set);
            if *kind != PolicyKind::Identity {
                input = EvalInput::new(&ctx, &set);
                input.resource = Some(&set);
                input.resource_policy_required = *kind == PolicyKind::Trust;
            } else {
                input.permissions_boundary = Some(&set);
                input.session = Some(&set);
                input.service_control = std::slice::from_ref(&set);
            }
            let decision = evaluate(&input);
            let _ = access_denied_message(&ctx, &decision);
        }
    }
});
