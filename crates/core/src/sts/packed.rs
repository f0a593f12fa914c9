//! The packed size of a session's policies and tags: the inline session policy, the managed
//! session policies' ARNs and the session tags' keys and values together, as a percentage of
//! the session policy allowance (rounded up). Over 100% is refused with the percentage, as AWS
//! refuses it; the percentage is the response's PackedPolicySize.

use crate::sts::StsError;

/// The packed size of `policy_bytes` of session policies (document and ARNs) and `tags`, in
/// percent of `allowance` bytes, refused over 100%.
pub fn percent(
    policy_bytes: usize,
    tags: &[(String, String)],
    allowance: usize,
) -> Result<usize, StsError> {
    let tag_bytes: usize = tags.iter().map(|(k, v)| k.len() + v.len()).sum();
    let percent = ((policy_bytes + tag_bytes) * 100).div_ceil(allowance.max(1));
    if percent > 100 {
        return Err(StsError::PackedPolicyTooLarge { percent });
    }
    Ok(percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn policies_and_tags_count_together_rounded_up() {
        assert_eq!(percent(0, &[], 2048), Ok(0));
        assert_eq!(percent(1, &[], 2048), Ok(1));
        assert_eq!(percent(1024, &[], 2048), Ok(50));
        assert_eq!(percent(1000, &[tag("abcd", "efghij")], 1010), Ok(100));
        assert_eq!(percent(1000, &[tag("k", "v")], 2000), Ok(51));
    }

    #[test]
    fn over_the_allowance_is_refused_with_its_percentage() {
        assert_eq!(percent(2048, &[], 2048), Ok(100));
        assert_eq!(
            percent(2048, &[tag("k", "")], 2048),
            Err(StsError::PackedPolicyTooLarge { percent: 101 })
        );
        assert_eq!(
            percent(0, &[tag(&"k".repeat(100), &"v".repeat(200))], 100),
            Err(StsError::PackedPolicyTooLarge { percent: 300 })
        );
    }
}
