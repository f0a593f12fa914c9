//! The compiled form: wildcards, CIDRs, dates and numbers preprocessed once;
//! policies grouped into a [`PolicySet`] whose statements are indexed by
//! service prefix. Everything here is immutable, `Send + Sync`, and cheap to
//! clone (shared through `Arc`).

use std::borrow::Cow;
use std::sync::RwLock;

use crate::context::FnvMap;
use std::sync::Arc;

use crate::chars::{Token, fold};
use crate::conditions::CompiledCondition;
use crate::context::RequestContext;
use crate::decision::{PolicyType, StatementRef};
use crate::matching::{Arn, ArnPattern, Pattern, wild_match};
use crate::model::{Clause, Effect, Policy, PolicyKind};
use crate::principal::{PrincipalMatch, PrincipalMatcher};
use crate::variables::Template;

#[derive(Clone, Debug, PartialEq)]
enum ResourceValue {
    Static(ArnPattern),
    /// Variables only in the resource part (as AWS requires): partition,
    /// service, region and account are precompiled.
    Split {
        head: Box<[Pattern; 4]>,
        tail: Template,
    },
    Template(Template),
}

/// `arn:<p>:<s>:<r>:<a>:` head tokens → the four component patterns.
fn arn_head(tokens: &[Token]) -> Option<Box<[Pattern; 4]>> {
    let mut parts = tokens.split(|t| *t == Token::Char(':'));
    let arn: Vec<Token> = parts.next()?.to_vec();
    if arn != [Token::Char('a'), Token::Char('r'), Token::Char('n')] {
        return None;
    }
    let mut next = || {
        parts
            .next()
            .map(|p| Pattern::from_tokens(p.iter().copied(), false))
    };
    Some(Box::new([next()?, next()?, next()?, next()?]))
}

impl ResourceValue {
    fn matches(&self, ctx: &RequestContext, arn: Option<&Arn<'_>>) -> bool {
        match self {
            ResourceValue::Static(p) => p.matches_parsed(&ctx.resource, arn),
            ResourceValue::Split { head, tail } => {
                let Some(arn) = arn else {
                    // The head has five literal colons and starts with
                    // `arn:`: only an ARN can match.
                    return false;
                };
                let [p, s, r, a] = &**head;
                p.matches(arn.partition)
                    && s.matches(arn.service)
                    && r.matches(arn.region)
                    && a.matches(arn.account)
                    && tail
                        .with_tokens(ctx, |t| wild_match(t, arn.resource, false))
                        .unwrap_or(false)
            }
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
                match template
                    .split_after_colons(5)
                    .and_then(|(head, tail)| Some((arn_head(&head)?, tail)))
                {
                    Some((head, tail)) => ResourceValue::Split { head, tail },
                    None => ResourceValue::Template(template),
                }
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

    fn resource_matches(&self, ctx: &RequestContext, arn: Option<&Arn<'_>>) -> bool {
        match &self.resources {
            None => true,
            Some((negated, values)) => {
                // A variable without a value makes the statement not match,
                // for Resource and NotResource alike.
                let unresolvable = values.iter().any(|v| match v {
                    ResourceValue::Template(t) | ResourceValue::Split { tail: t, .. } => {
                        !t.resolvable(ctx)
                    }
                    ResourceValue::Static(_) => false,
                });
                !unresolvable && values.iter().any(|v| v.matches(ctx, arn)) != *negated
            }
        }
    }

    /// `Some(strength)` when the statement applies to the request. For
    /// statements without a Principal element the strength is `Direct`
    /// (unused: only resource-based policies name principals).
    pub(crate) fn applies(
        &self,
        ctx: &RequestContext,
        arn: Option<&Arn<'_>>,
    ) -> Option<PrincipalMatch> {
        // The action was matched when the statement was picked (see
        // `PolicySet::candidates`).
        if !self.resource_matches(ctx, arn) {
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

    /// The (case-folded) context keys the statement can read: condition keys and the
    /// variables of its conditions and resources.
    fn keys(&self) -> impl Iterator<Item = &str> {
        let resources = self.resources.iter().flat_map(|(_, values)| {
            values.iter().flat_map(|v| match v {
                ResourceValue::Template(t) | ResourceValue::Split { tail: t, .. } => Some(t.keys()),
                ResourceValue::Static(_) => None,
            })
        });
        self.conditions
            .iter()
            .flat_map(CompiledCondition::keys)
            .chain(resources.flatten())
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
    by_service: FnvMap<String, Vec<Slot>>,
    any_service: Vec<Slot>,
    /// Memo: action (as asked, in any case) → the statements whose
    /// Action/NotAction matches it. Filled on first use; bounded by [`ACTION_MEMO_MAX`].
    by_action: RwLock<FnvMap<Box<str>, Box<[Slot]>>>,
    /// Every context key any statement can read, case-folded, sorted, without duplicates.
    keys: Vec<String>,
}

/// Distinct actions remembered per policy set (IAM and STS have ~200).
const ACTION_MEMO_MAX: usize = 1024;

impl PolicySet {
    /// Builds the set and its index.
    pub fn new(policies: impl IntoIterator<Item = CompiledPolicy>) -> Self {
        let policies: Vec<CompiledPolicy> = policies.into_iter().collect();
        let mut by_service: FnvMap<String, Vec<Slot>> = FnvMap::default();
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
        // Each service's list also holds the statements that apply to any
        // service, merged in slot order, so a decision walks one list.
        for slots in by_service.values_mut() {
            slots.extend_from_slice(&any_service);
            slots.sort_unstable();
            slots.dedup();
        }
        let mut keys: Vec<String> = policies
            .iter()
            .flat_map(|p| p.statements().iter().flat_map(CompiledStatement::keys))
            .map(str::to_owned)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        PolicySet {
            inner: Arc::new(SetInner {
                policies,
                by_service,
                any_service,
                by_action: RwLock::default(),
                keys,
            }),
        }
    }

    /// Every context key a statement of the set can read (condition keys and policy variables),
    /// case-folded and sorted. A request context needs no other key for this set's decision,
    /// so callers may leave the rest unset.
    pub fn context_keys(&self) -> &[String] {
        &self.inner.keys
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

    /// Calls `visit` for every statement whose Action/NotAction matches
    /// `action`, in policy and statement order.
    pub(crate) fn candidates(&self, action: &str, mut visit: impl FnMut(&CompiledStatement)) {
        // The memo is keyed by the action as asked (callers ask in one spelling, so this
        // folds nothing on the hot path); every spelling of an action finds the same list.
        // A poisoned lock only loses the memo, never a decision.
        if let Ok(memo) = self.inner.by_action.read()
            && let Some(slots) = memo.get(action)
        {
            for slot in slots {
                if let Some(statement) = self.statement(*slot) {
                    visit(statement);
                }
            }
            return;
        }
        let folded: Cow<'_, str> = if action.chars().all(|c| fold(c) == c) {
            Cow::Borrowed(action)
        } else {
            Cow::Owned(action.chars().map(fold).collect())
        };
        let service = folded.split_once(':').map_or(folded.as_ref(), |(s, _)| s);
        let listed = self
            .inner
            .by_service
            .get(service)
            .unwrap_or(&self.inner.any_service);
        let matching: Box<[Slot]> = listed
            .iter()
            .copied()
            .filter(|slot| {
                self.statement(*slot)
                    .is_some_and(|s| s.action_matches(&folded))
            })
            .collect();
        for slot in &matching {
            if let Some(statement) = self.statement(*slot) {
                visit(statement);
            }
        }
        if let Ok(mut memo) = self.inner.by_action.write()
            && memo.len() < ACTION_MEMO_MAX
        {
            memo.insert(action.into(), matching);
        }
    }
}

impl Pattern {
    /// For an action pattern: the literal service prefix before the first
    /// colon, or `None` when a wildcard comes first or there is no colon.
    fn tokens_prefix_before_colon(&self) -> Option<String> {
        use crate::chars::Token;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PolicyKind;

    #[test]
    fn context_keys_are_condition_keys_and_variables() {
        let doc = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::1:user/${aws:username}",
             "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},
                          "StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
            {"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::${aws:userid}/*"}]}"#;
        let p = CompiledPolicy::parse(doc, PolicyKind::Identity, "p", PolicyType::Identity)
            .unwrap_or_else(|e| panic!("{e}"));
        let plain = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let q = CompiledPolicy::parse(plain, PolicyKind::Identity, "q", PolicyType::Identity)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(PolicySet::new([q.clone()]).context_keys().is_empty());
        assert_eq!(
            PolicySet::new([p, q]).context_keys(),
            [
                "aws:principaltag/team",
                "aws:resourcetag/team",
                "aws:sourceip",
                "aws:userid",
                "aws:username"
            ]
        );
        // Version 2008-10-17 does not expand variables: the text is literal.
        let old = r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::${aws:username}"}}"#;
        let o = CompiledPolicy::parse(old, PolicyKind::Identity, "o", PolicyType::Identity)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(PolicySet::new([o]).context_keys().is_empty());
    }

    #[test]
    fn every_spelling_of_an_action_finds_the_same_statements() {
        let doc = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:Get*","Resource":"*"},
            {"Effect":"Deny","Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","NotAction":"iam:GetUser","Resource":"*"}]}"#;
        let p = CompiledPolicy::parse(doc, PolicyKind::Identity, "p", PolicyType::Identity)
            .unwrap_or_else(|e| panic!("{e}"));
        let set = PolicySet::new([p]);
        let seen = |action: &str| {
            let mut out = Vec::new();
            set.candidates(action, |s| out.push(s.reference().index));
            out
        };
        // Asked twice in each spelling: the second answer comes from the memo.
        for action in ["iam:GetUser", "IAM:getuser", "iam:GetUser", "IAM:getuser"] {
            assert_eq!(seen(action), [0], "{action}");
        }
        for action in ["iam:ListUsers", "Iam:ListUsers", "iam:ListUsers"] {
            assert_eq!(seen(action), [2], "{action}");
        }
        assert_eq!(seen("S3:GetObject"), [1, 2]);
    }
}
