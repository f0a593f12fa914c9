//! The role ARN that AssumeRole and AssumeRoleWithWebIdentity name: text that is not an ARN at
//! all is a ValidationError (`<arn> is invalid`); an ARN of anything but an IAM role names no
//! role. Role names are unique in an account, so the path in the ARN picks no other role: the
//! last segment is the name.

use crate::sts::StsError;

/// An ARN's partition, service, region, account and resource.
pub fn split(arn: &str) -> Result<[&str; 5], StsError> {
    let a = crate::arn::well_formed(arn).ok_or_else(|| StsError::InvalidArn(arn.to_string()))?;
    Ok([a.partition, a.service, a.region, a.account, a.resource])
}

/// The account and name of the role an ARN names, or `None` for an ARN of anything else.
pub fn role(arn: &str) -> Result<Option<(&str, &str)>, StsError> {
    split(arn)?;
    Ok(crate::arn::iam_entity(arn)
        .filter(|(_, kind, _)| *kind == "role")
        .map(|(account, _, rest)| (account, crate::arn::name_of(rest))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_an_arn_is_invalid() {
        for bad in [
            "",
            "role",
            "arn:aws:iam::1",
            "arn::iam::1:role/r",
            "arn:aws::1:1:role/r",
            "arn:aws:iam::1:",
            "urn:aws:iam::1:role/r",
        ] {
            assert_eq!(
                split(bad),
                Err(StsError::InvalidArn(bad.to_string())),
                "{bad}"
            );
            assert_eq!(
                role(bad),
                Err(StsError::InvalidArn(bad.to_string())),
                "{bad}"
            );
        }
        assert_eq!(
            split("arn:aws:iam::123:role/a:b"),
            Ok(["aws", "iam", "", "123", "role/a:b"])
        );
    }

    #[test]
    fn only_iam_role_arns_name_a_role() {
        assert_eq!(role("arn:aws:iam::123:role/r"), Ok(Some(("123", "r"))));
        assert_eq!(role("arn:aws:iam::123:role/a/b/r"), Ok(Some(("123", "r"))));
        assert_eq!(role("arn:aws:iam::123:user/r"), Ok(None));
        assert_eq!(role("arn:aws:s3::123:role/r"), Ok(None));
    }
}
