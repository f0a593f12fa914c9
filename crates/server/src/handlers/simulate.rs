//! The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy run the real policy
//! engine over a principal's policies (or given ones) for each action and resource, and report
//! the decision, the statements that decided it (with their line and column in the document),
//! the condition keys the request did not supply, and the boundary's part; the
//! GetContextKeysFor* operations list the condition keys the policies use.

use crate::authz::{DocumentSource, managed_document, owner_documents};
use crate::handlers::pager::{PageArgs, page_range, truncation};
use crate::handlers::{Ctx, iam_error, store_failure};
use documents::{condition_keys, statement_spans};
use portcullis_core::IamError;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::simulation;
use portcullis_policy::{
    Caller, CompiledPolicy, EvalInput, Outcome, PolicyKind, PolicySet, PolicyType, RequestContext,
    evaluate,
};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    ContextEntry, GetContextKeysForCustomPolicyInput, GetContextKeysForPrincipalPolicyInput,
    SimulateCustomPolicyInput, SimulatePrincipalPolicyInput,
};
use portcullis_proto::output::{
    EvaluationResult, GetContextKeysForCustomPolicyOutput, GetContextKeysForPrincipalPolicyOutput,
    OrganizationsDecisionDetail, PermissionsBoundaryDecisionDetail, Position,
    SimulateCustomPolicyOutput, SimulatePrincipalPolicyOutput, Statement,
};
use std::collections::BTreeSet;

mod documents;

/// One policy document taking part in a simulation.
struct Source {
    /// `SourcePolicyId` in the results.
    id: String,
    /// `SourcePolicyType`: user, group, role, aws-managed, user-managed, resource or none.
    kind: &'static str,
    text: String,
}

/// The members a simulation reads, shared by SimulateCustomPolicy and SimulatePrincipalPolicy
/// (the GetContextKeysFor* operations give only the policies).
#[derive(Default)]
struct Request<'a> {
    policy_input_list: &'a [String],
    boundary_input_list: &'a [String],
    action_names: &'a [String],
    resource_arns: &'a [String],
    resource_policy: Option<&'a str>,
    resource_owner: Option<&'a str>,
    caller_arn: Option<&'a str>,
    context_entries: &'a [ContextEntry],
}

/// Documents given in the request, named `{param}.{n}` as AWS names them in the results.
fn input_sources(param: &str, list: &[String]) -> Vec<Source> {
    list.iter()
        .enumerate()
        .map(|(i, text)| Source {
            id: format!("{param}.{}", i + 1),
            kind: "none",
            text: text.to_string(),
        })
        .collect()
}

fn compile(sources: &[Source], kind: PolicyKind, t: PolicyType) -> Result<PolicySet, AwsError> {
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        out.push(
            CompiledPolicy::parse(&s.text, kind, s.id.clone(), t).map_err(|e| {
                iam_error(IamError::InvalidSimulationPolicy {
                    id: s.id.clone(),
                    reason: e.message().to_string(),
                })
            })?,
        );
    }
    Ok(PolicySet::new(out))
}

fn managed_kind(arn: &str) -> &'static str {
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        "aws-managed"
    } else {
        "user-managed"
    }
}

/// Inline and attached policies of one user, group or role, as simulation sources.
fn owner_sources(
    ctx: &Ctx,
    account: &str,
    owner_id: &str,
    kind: &'static str,
    out: &mut Vec<Source>,
) -> Result<(), AwsError> {
    for (source, text) in owner_documents(&ctx.app, account, owner_id)? {
        out.push(match source {
            DocumentSource::Inline(id) => Source { id, kind, text },
            DocumentSource::Managed(arn) => Source {
                kind: managed_kind(&arn),
                id: arn,
                text,
            },
        });
    }
    Ok(())
}

fn boundary_source(ctx: &Ctx, account: &str, arn: Option<&str>) -> Result<Vec<Source>, AwsError> {
    let Some(arn) = arn else {
        return Ok(Vec::new());
    };
    Ok(managed_document(&ctx.app, account, arn)?
        .map(|text| Source {
            id: arn.to_string(),
            kind: managed_kind(arn),
            text,
        })
        .into_iter()
        .collect())
}

/// A context entry: key, values, and whether the key is a list.
type Entry = (String, Vec<String>, bool);

fn context_entries(entries: &[ContextEntry]) -> Result<Vec<Entry>, AwsError> {
    let mut out = Vec::new();
    for m in entries {
        let key = simulation::context_key(m.context_key_name.as_deref()).map_err(iam_error)?;
        let list = m
            .context_key_type
            .as_deref()
            .is_some_and(|t| t.ends_with("List"));
        out.push((
            key.to_string(),
            m.context_key_values.clone().unwrap_or_default(),
            list,
        ));
    }
    Ok(out)
}

/// Everything one simulation needs besides the request parameters.
struct Simulation {
    caller: Caller,
    identity: Vec<Source>,
    boundary: Vec<Source>,
}

fn decision_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Allow => "allowed",
        Outcome::ExplicitDeny => "explicitDeny",
        Outcome::ImplicitDeny => "implicitDeny",
    }
}

/// `EvaluationResults`, `IsTruncated` and `Marker`: the members of both simulations' answers.
type Results = (Option<Vec<EvaluationResult>>, Option<bool>, Option<String>);

/// A 1-based (line, column) position as AWS writes it.
fn position((line, column): (usize, usize)) -> Option<Position> {
    Some(Position {
        line: Some(line as i64),
        column: Some(column as i64),
    })
}

fn run(ctx: &Ctx, sim: Simulation, req: &Request<'_>) -> Result<Results, AwsError> {
    let identity = compile(&sim.identity, PolicyKind::Identity, PolicyType::Identity)?;
    let boundary = compile(
        &sim.boundary,
        PolicyKind::Identity,
        PolicyType::PermissionsBoundary,
    )?;
    let resource_sources: Vec<Source> = req
        .resource_policy
        .map(|text| Source {
            id: "ResourcePolicy".into(),
            kind: "resource",
            text: text.to_string(),
        })
        .into_iter()
        .collect();
    let resource = compile(
        &resource_sources,
        PolicyKind::Resource,
        PolicyType::Resource,
    )?;
    let entries = context_entries(req.context_entries)?;
    let resource_owner = req
        .resource_owner
        .and_then(portcullis_core::arn::account_of)
        .map(str::to_string);
    let all: Vec<&Source> = sim
        .identity
        .iter()
        .chain(&sim.boundary)
        .chain(&resource_sources)
        .collect();
    let used_keys = condition_keys(all.iter().map(|s| s.text.as_str()));
    let actions: Vec<&str> = req.action_names.iter().map(String::as_str).collect();
    let resources: Vec<&str> = match req.resource_arns {
        [] => vec!["*"],
        r => r.iter().map(String::as_str).collect(),
    };

    // Every action with every resource, in that order; only the page's pairs are built, so a
    // request's cost follows its MaxItems, not the product of its two lists.
    let total = actions.len().saturating_mul(resources.len());
    let (range, next) = page_range(total, &PageArgs::from(ctx)?)?;
    let pair = |i: usize| {
        let a = actions
            .get(i / resources.len())
            .copied()
            .unwrap_or_default();
        let r = resources
            .get(i % resources.len())
            .copied()
            .unwrap_or_default();
        (a, r)
    };
    // Each source's statement positions, found once per request.
    let spans: Vec<_> = all.iter().map(|s| statement_spans(&s.text)).collect();
    let mut results = Vec::with_capacity(range.len());
    for (action, res) in range.map(pair) {
        let mut rc = RequestContext::new(sim.caller.clone(), action.to_string(), res);
        rc.resource_account = resource_owner.clone();
        rc.set_principal_keys();
        let mut supplied: BTreeSet<String> = [
            "aws:principaltype",
            "aws:principalarn",
            "aws:principalaccount",
            "aws:username",
            "aws:userid",
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        for (key, values, list) in &entries {
            supplied.insert(key.to_lowercase());
            if *list {
                rc.set_values(key, values.iter().cloned());
            } else if let Some(v) = values.first() {
                rc.set(key, v.clone());
            }
        }
        let mut input = EvalInput::new(&rc, &identity);
        if !sim.boundary.is_empty() {
            input.permissions_boundary = Some(&boundary);
        }
        if !resource_sources.is_empty() {
            input.resource = Some(&resource);
        }
        let decision = evaluate(&input);
        let matched = decision
            .statements
            .iter()
            .filter(|s| s.policy_type != PolicyType::PermissionsBoundary)
            .filter_map(|st| {
                let (src, spans) = all
                    .iter()
                    .zip(&spans)
                    .find(|(s, _)| *s.id == *st.policy_id)?;
                let span = spans.get(st.index);
                Some(Statement {
                    source_policy_id: Some(src.id.clone()),
                    source_policy_type: Some(src.kind.to_string()),
                    start_position: span.and_then(|(start, _)| position(*start)),
                    end_position: span.and_then(|(_, end)| position(*end)),
                })
            })
            .collect();
        let missing = used_keys
            .iter()
            .filter(|k| !supplied.contains(&k.to_lowercase()))
            .cloned()
            .collect();
        let boundary_detail = (!sim.boundary.is_empty()).then(|| {
            let mut only_boundary = EvalInput::new(&rc, &boundary);
            only_boundary.permissions_boundary = None;
            PermissionsBoundaryDecisionDetail {
                allowed_by_permissions_boundary: Some(evaluate(&only_boundary).is_allowed()),
            }
        });
        results.push(EvaluationResult {
            eval_action_name: action.to_string(),
            eval_resource_name: Some(res.to_string()),
            eval_decision: decision_name(decision.outcome).to_string(),
            matched_statements: Some(matched),
            missing_context_values: Some(missing),
            organizations_decision_detail: Some(OrganizationsDecisionDetail {
                allowed_by_organizations: Some(true),
            }),
            permissions_boundary_decision_detail: boundary_detail,
            ..Default::default()
        });
    }
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok((Some(results), is_truncated, marker))
}

fn simulated_user(account: &str, name: &str) -> Caller {
    Caller::User {
        arn: portcullis_core::arn::user(account, "/", name),
        account: account.to_string(),
        unique_id: None,
    }
}

/// The caller a CallerArn names (a user ARN), or `default`.
fn caller_arn(arn: Option<&str>, default: Caller) -> Result<Caller, AwsError> {
    let Some(arn) = arn else {
        return Ok(default);
    };
    let account = simulation::caller_account(arn).map_err(iam_error)?;
    Ok(Caller::User {
        arn: arn.to_string(),
        account: account.to_string(),
        unique_id: None,
    })
}

pub fn simulate_custom_policy(ctx: &Ctx) -> Result<SimulateCustomPolicyOutput, AwsError> {
    let i: &SimulateCustomPolicyInput = ctx.input()?;
    let req = Request {
        policy_input_list: &i.policy_input_list,
        boundary_input_list: i
            .permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or_default(),
        action_names: &i.action_names,
        resource_arns: i.resource_arns.as_deref().unwrap_or_default(),
        resource_policy: i.resource_policy.as_deref(),
        resource_owner: i.resource_owner.as_deref(),
        caller_arn: i.caller_arn.as_deref(),
        context_entries: i.context_entries.as_deref().unwrap_or_default(),
    };
    let account = ctx.account()?.to_string();
    simulation::check_custom(req.resource_policy.is_some(), req.caller_arn.is_some())
        .map_err(iam_error)?;
    let sim = Simulation {
        caller: caller_arn(req.caller_arn, simulated_user(&account, "simulated-user"))?,
        identity: input_sources("PolicyInputList", req.policy_input_list),
        boundary: input_sources(
            "PermissionsBoundaryPolicyInputList",
            req.boundary_input_list,
        ),
    };
    let (evaluation_results, is_truncated, marker) = run(ctx, sim, &req)?;
    Ok(SimulateCustomPolicyOutput {
        evaluation_results,
        is_truncated,
        marker,
    })
}

/// The policies of the user, group or role `PolicySourceArn` names (a user's include its
/// groups'), plus any given in PolicyInputList; its boundary unless one is given.
pub fn simulate_principal_policy(ctx: &Ctx) -> Result<SimulatePrincipalPolicyOutput, AwsError> {
    let i: &SimulatePrincipalPolicyInput = ctx.input()?;
    let req = Request {
        policy_input_list: i.policy_input_list.as_deref().unwrap_or_default(),
        boundary_input_list: i
            .permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or_default(),
        action_names: &i.action_names,
        resource_arns: i.resource_arns.as_deref().unwrap_or_default(),
        resource_policy: i.resource_policy.as_deref(),
        resource_owner: i.resource_owner.as_deref(),
        caller_arn: i.caller_arn.as_deref(),
        context_entries: i.context_entries.as_deref().unwrap_or_default(),
    };
    let sim = principal_simulation(ctx, &i.policy_source_arn, &req)?;
    let (evaluation_results, is_truncated, marker) = run(ctx, sim, &req)?;
    Ok(SimulatePrincipalPolicyOutput {
        evaluation_results,
        is_truncated,
        marker,
    })
}

fn principal_simulation(ctx: &Ctx, arn: &str, req: &Request<'_>) -> Result<Simulation, AwsError> {
    let account = ctx.account()?.to_string();
    let store = &ctx.app.store;
    let name = portcullis_core::arn::name_of(arn);
    let no_such = || iam_error(IamError::no_such(EntityKind::PolicySource, arn));
    let kind = portcullis_core::arn::Arn::parse(arn).and_then(|a| a.resource.split('/').next());
    let mut identity = Vec::new();
    let (caller, boundary) = match kind {
        Some("user") => {
            let user = store
                .get_user(&account, name)
                .map_err(store_failure)?
                .ok_or_else(no_such)?;
            owner_sources(ctx, &account, &user.id, "user", &mut identity)?;
            for g in store
                .all_groups_for_user(&account, &user.id)
                .map_err(store_failure)?
            {
                owner_sources(ctx, &account, &g.id, "group", &mut identity)?;
            }
            let caller = Caller::User {
                arn: user.arn(),
                account: account.clone(),
                unique_id: Some(user.id.clone()),
            };
            (
                caller,
                boundary_source(ctx, &account, user.permissions_boundary.as_deref())?,
            )
        }
        Some("group") => {
            let group = store
                .get_group(&account, name)
                .map_err(store_failure)?
                .ok_or_else(no_such)?;
            owner_sources(ctx, &account, &group.id, "group", &mut identity)?;
            (simulated_user(&account, "simulated-user"), Vec::new())
        }
        Some("role") => {
            let role = store
                .get_role(&account, name)
                .map_err(store_failure)?
                .ok_or_else(no_such)?;
            owner_sources(ctx, &account, &role.id, "role", &mut identity)?;
            let caller = Caller::RoleSession {
                role_arn: role.arn(),
                session_arn: format!(
                    "arn:aws:sts::{account}:assumed-role/{}/simulation",
                    role.name
                ),
                account: account.clone(),
                role_unique_id: Some(role.id.clone()),
            };
            (
                caller,
                boundary_source(ctx, &account, role.permissions_boundary.as_deref())?,
            )
        }
        _ => return Err(no_such()),
    };
    identity.extend(input_sources("PolicyInputList", req.policy_input_list));
    let given = input_sources(
        "PermissionsBoundaryPolicyInputList",
        req.boundary_input_list,
    );
    Ok(Simulation {
        caller: caller_arn(req.caller_arn, caller)?,
        identity,
        boundary: if given.is_empty() { boundary } else { given },
    })
}

/// The condition keys that `sources` use, once each, after checking they are policies.
fn context_keys(sources: &[Source]) -> Result<Option<Vec<String>>, AwsError> {
    compile(sources, PolicyKind::Identity, PolicyType::Identity)?;
    Ok(Some(condition_keys(
        sources.iter().map(|s| s.text.as_str()),
    )))
}

pub fn get_context_keys_for_custom_policy(
    ctx: &Ctx,
) -> Result<GetContextKeysForCustomPolicyOutput, AwsError> {
    let list = &ctx
        .input::<GetContextKeysForCustomPolicyInput>()?
        .policy_input_list;
    Ok(GetContextKeysForCustomPolicyOutput {
        context_key_names: context_keys(&input_sources("PolicyInputList", list))?,
    })
}

pub fn get_context_keys_for_principal_policy(
    ctx: &Ctx,
) -> Result<GetContextKeysForPrincipalPolicyOutput, AwsError> {
    let i: &GetContextKeysForPrincipalPolicyInput = ctx.input()?;
    let req = Request {
        policy_input_list: i.policy_input_list.as_deref().unwrap_or_default(),
        ..Request::default()
    };
    let sim = principal_simulation(ctx, &i.policy_source_arn, &req)?;
    Ok(GetContextKeysForPrincipalPolicyOutput {
        context_key_names: context_keys(&sim.identity)?,
    })
}
