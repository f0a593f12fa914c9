//! A policy statement between the two halves of validation: [`Shaped`] is what `parse.rs` makes
//! of a statement whose JSON shape is right, and what `checks.rs` then checks the content of
//! before it becomes a [`Statement`].

use crate::model::{Clause, Condition, Effect, PrincipalClause, Statement};

/// A statement whose shape is right; its content is checked afterwards.
pub(crate) struct Shaped {
    pub(crate) sid: Option<String>,
    /// `Effect` as written (its case is checked by legacy parsing).
    pub(crate) effect: String,
    /// `Principal`/`NotPrincipal` as written (`Some` but unchecked in
    /// identity policies, where either is refused).
    pub(crate) principal: Option<PrincipalClause>,
    pub(crate) action: Option<Clause>,
    pub(crate) resource: Option<Clause>,
    pub(crate) conditions: Vec<Condition>,
}

impl Shaped {
    pub(crate) fn into_statement(self) -> Statement {
        Statement {
            sid: self.sid,
            effect: if self.effect == "Deny" {
                Effect::Deny
            } else {
                Effect::Allow
            },
            principal: self.principal,
            action: self.action.unwrap_or(Clause {
                negated: false,
                values: Vec::new(),
            }),
            resource: self.resource,
            conditions: self.conditions,
        }
    }
}
