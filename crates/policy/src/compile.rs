//! The compiled form: wildcards, CIDRs, dates and numbers preprocessed once;
//! policies grouped into a [`PolicySet`] whose statements are indexed by
//! service prefix. Everything here is immutable, `Send + Sync`, and cheap to
//! clone (shared through `Arc`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::conditions::CompiledCondition;
use crate::context::RequestContext;
use crate::decision::{PolicyType, StatementRef};
use crate::matching::{ArnPattern, Pattern, fold};
use crate::model::{Clause, Effect, Policy, PolicyKind};
use crate::principal::{PrincipalMatch, PrincipalMatcher};
use crate::variables::Template;

#[derive(Clone, Debug, PartialEq)]
enum ResourceValue {
    Static(ArnPattern),
    Template(Template),
}

impl ResourceValue {
    fn matches(&self, ctx: &RequestContext) -> bool {
        match self {
            ResourceValue::Static(p) => p.matches_resource(&ctx.resource),
            // An unresolvable variable makes the entry match nothing.
            ResourceValue::Template(t) => t.resolve_tokens(Some(ctx)).is_some_and(|tokens| {
                ArnPattern::from_tokens(&tokens).matches_resource(&ctx.resource)
            }),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CompiledStatement {
    pub(crate) effect: Effect,
    reference: StatementRef,
    principal: Option<PrincipalMatcher>,
    actions_negated: bool,
    actions: Vec<Pattern>,
    resources: Option<(bool, Vec<ResourceValue>)>,
    conditions: Vec<CompiledCondition>,
}

fn compile_resources(clause: &Clause, expand: bool) -> (bool, Vec<ResourceValue>) {
    let values = clause
        .values
        .iter()
        .map(|v| {
            let template = Template::parse(v, expand);
            if template.has_variables() {
                ResourceValue::Template(template)
            } else {
                let tokens = template.resolve_tokens(None).unwrap_or_default();
                ResourceValue::Static(ArnPattern::from_tokens(&tokens))
            }
        })
        .collect();
    (clause.negated, values)
}

impl CompiledStatement {
    fn action_matches(&self, action: &str) -> bool {
        self.actions.iter().any(|p| p.matches(action)) != self.actions_negated
    }

    fn resource_matches(&self, ctx: &RequestContext) -> bool {
        match &self.resources {
            None => true,
            Some((negated, values)) => values.iter().any(|v| v.matches(ctx)) != *negated,
        }
    }

    /// `Some(strength)` when the statement applies to the request. For
    /// statements without a Principal element the strength is `Direct`
    /// (unused: only resource-based policies name principals).
    pub(crate) fn applies(&self, ctx: &RequestContext) -> Option<PrincipalMatch> {
        if !self.action_matches(&ctx.action) || !self.resource_matches(ctx) {
            return None;
        }
        let strength = match &self.principal {
            None => PrincipalMatch::Direct,
            Some(p) => p.applies(&ctx.caller)?,
        };
        self.conditions
            .iter()
            .all(|c| c.holds(ctx))
            .then_some(strength)
    }

    pub(crate) fn reference(&self) -> &StatementRef {
        &self.reference
    }

    /// Lower-cased service prefixes this statement can apply to; `None` when
    /// it can apply to any service (`*`, a wildcard prefix, or NotAction).
    fn services(&self) -> Option<Vec<String>> {
        if self.actions_negated {
            return None;
        }
        let mut out = Vec::new();
        for pattern in &self.actions {
            let literal_prefix = pattern
                .tokens_prefix_before_colon()
                .filter(|prefix| !prefix.is_empty());
            match literal_prefix {
                Some(prefix) => {
                    if !out.contains(&prefix) {
                        out.push(prefix);
                    }
                }
                None => return None,
            }
        }
        Some(out)
    }
}

/// One policy compiled for evaluation. Clone is an `Arc` bump.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    inner: Arc<CompiledInner>,
}

#[derive(Debug)]
struct CompiledInner {
    id: Arc<str>,
    policy_type: PolicyType,
    statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    /// Compiles `policy` under the id the caller chooses (a managed policy
    /// ARN, or e.g. `user/alice/inline/Name`); `policy_type` says what role it
    /// plays in evaluation and is reported in decisions.
    pub fn new(policy: &Policy, id: impl Into<Arc<str>>, policy_type: PolicyType) -> Self {
        let id: Arc<str> = id.into();
        let expand = policy.expands_variables();
        let statements = policy
            .statements
            .iter()
            .enumerate()
            .map(|(index, s)| CompiledStatement {
                effect: s.effect,
                reference: StatementRef {
                    policy_id: id.clone(),
                    policy_type,
                    index,
                    sid: s.sid.as_deref().map(Arc::from),
                },
                principal: s.principal.as_ref().map(PrincipalMatcher::compile),
                actions_negated: s.action.negated,
                actions: s
                    .action
                    .values
                    .iter()
                    .map(|a| Pattern::glob(a, true))
                    .collect(),
                resources: s.resource.as_ref().map(|r| compile_resources(r, expand)),
                conditions: s
                    .conditions
                    .iter()
                    .map(|c| CompiledCondition::compile(c, expand))
                    .collect(),
            })
            .collect();
        CompiledPolicy {
            inner: Arc::new(CompiledInner {
                id,
                policy_type,
                statements,
            }),
        }
    }

    /// Parses (as `kind`) and compiles in one step.
    pub fn parse(
        text: &str,
        kind: PolicyKind,
        id: impl Into<Arc<str>>,
        policy_type: PolicyType,
    ) -> Result<Self, crate::PolicyError> {
        Ok(Self::new(&Policy::parse(text, kind)?, id, policy_type))
    }

    /// The id given at compile time.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The role this policy plays in evaluation.
    pub fn policy_type(&self) -> PolicyType {
        self.inner.policy_type
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.inner.statements.len()
    }

    /// True when the policy has no statements.
    pub fn is_empty(&self) -> bool {
        self.inner.statements.is_empty()
    }

    pub(crate) fn statements(&self) -> &[CompiledStatement] {
        &self.inner.statements
    }
}

/// Statement position inside a [`PolicySet`].
type Slot = (u32, u32);

/// The policies of one kind that apply to a request (e.g. all identity
/// policies of a principal), with statements indexed by service prefix so a
/// decision only looks at statements that can match the action.
/// Clone is an `Arc` bump.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    inner: Arc<SetInner>,
}

#[derive(Debug, Default)]
struct SetInner {
    policies: Vec<CompiledPolicy>,
    by_service: HashMap<String, Vec<Slot>>,
    any_service: Vec<Slot>,
}

impl PolicySet {
    /// Builds the set and its index.
    pub fn new(policies: impl IntoIterator<Item = CompiledPolicy>) -> Self {
        let policies: Vec<CompiledPolicy> = policies.into_iter().collect();
        let mut by_service: HashMap<String, Vec<Slot>> = HashMap::new();
        let mut any_service = Vec::new();
        for (p, policy) in policies.iter().enumerate() {
            for (s, statement) in policy.statements().iter().enumerate() {
                let slot = (
                    u32::try_from(p).unwrap_or(u32::MAX),
                    u32::try_from(s).unwrap_or(u32::MAX),
                );
                match statement.services() {
                    None => any_service.push(slot),
                    Some(services) => {
                        for service in services {
                            by_service.entry(service).or_default().push(slot);
                        }
                    }
                }
            }
        }
        PolicySet {
            inner: Arc::new(SetInner {
                policies,
                by_service,
                any_service,
            }),
        }
    }

    /// The policies in the set.
    pub fn policies(&self) -> &[CompiledPolicy] {
        &self.inner.policies
    }

    /// True when the set holds no policy.
    pub fn is_empty(&self) -> bool {
        self.inner.policies.is_empty()
    }

    fn statement(&self, (p, s): Slot) -> Option<&CompiledStatement> {
        self.inner
            .policies
            .get(p as usize)?
            .statements()
            .get(s as usize)
    }

    /// Calls `visit` for every statement that can match `action` (a superset
    /// of the matching ones), in no particular order.
    pub(crate) fn candidates(&self, action: &str, mut visit: impl FnMut(&CompiledStatement)) {
        let service = action.split_once(':').map_or(action, |(s, _)| s);
        let listed = if service.chars().all(|c| fold(c) == c) {
            self.inner.by_service.get(service)
        } else {
            let folded: String = service.chars().map(fold).collect();
            self.inner.by_service.get(&folded)
        };
        for slot in listed.into_iter().flatten().chain(&self.inner.any_service) {
            if let Some(statement) = self.statement(*slot) {
                visit(statement);
            }
        }
    }
}

impl Pattern {
    /// For an action pattern: the literal service prefix before the first
    /// colon, or `None` when a wildcard comes first or there is no colon.
    fn tokens_prefix_before_colon(&self) -> Option<String> {
        use crate::matching::Token;
        let mut out = String::new();
        for token in self.tokens() {
            match token {
                Token::Char(':') => return Some(out),
                Token::Char(c) => out.push(c),
                Token::One | Token::Star => return None,
            }
        }
        None
    }
}
