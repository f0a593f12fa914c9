//! The role ARN that AssumeRole and AssumeRoleWithWebIdentity name: text that is not an ARN at
//! all is a ValidationError (`<arn> is invalid`); an ARN of anything but an IAM role names no
//! role. Role names are unique in an account, so the path in the ARN picks no other role: the
//! last segment is the name.

use crate::sts::StsError;

/// An ARN's partition, service, region, account and resource.
pub fn split(arn: &str) -> Result<[&str; 5], StsError> {
    let invalid = || StsError::InvalidArn(arn.to_string());
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(invalid());
    };
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Err(invalid());
    }
    Ok([partition, service, region, account, resource])
}

/// The account and name of the role an ARN names, or `None` for an ARN of anything else.
pub fn role(arn: &str) -> Result<Option<(&str, &str)>, StsError> {
    let [_, service, _, account, resource] = split(arn)?;
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Ok(None);
    };
    if service != "iam" {
        return Ok(None);
    }
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    Ok(Some((account, name)))
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
