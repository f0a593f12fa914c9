//! GetAccountAuthorizationDetails' rule on its `Filter`: each value names one of the entity types
//! the listing covers, or the request is AWS's ValidationError listing them
//! ([`IamError::InvalidEntityFilter`]). An empty filter asks for every type.

use crate::error::{IamError, IamResult};

/// The entity types a filter may name, in the order AWS lists them.
pub const ENTITY_TYPES: [&str; 5] = [
    "User",
    "Role",
    "Group",
    "LocalManagedPolicy",
    "AWSManagedPolicy",
];

/// Refuses the first filter value that is no entity type.
pub fn check_filter(values: &[&str]) -> IamResult<()> {
    match values.iter().find(|v| !ENTITY_TYPES.contains(v)) {
        Some(bad) => Err(IamError::InvalidEntityFilter {
            bad: bad.to_string(),
            allowed: ENTITY_TYPES.join(", "),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_names_entity_types() {
        assert_eq!(check_filter(&[]), Ok(()));
        assert_eq!(check_filter(&["Role", "AWSManagedPolicy"]), Ok(()));
        assert_eq!(
            check_filter(&["User", "role"]).unwrap_err().to_string(),
            "1 validation error detected: Value '[role]' at 'filter' failed to satisfy constraint: \
             Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, \
             Group, LocalManagedPolicy, AWSManagedPolicy]]"
        );
    }
}
