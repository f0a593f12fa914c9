//! Every AWS service of the Service Authorization Reference by namespace, with its actions
//! (name and access level), from `data/aws-services.json.gz` (made by `tools/gen_catalog.py`),
//! inflated on first use. Service last accessed reports list the services a principal's
//! policies could allow, with the names AWS's reports give them; policy validation can ask
//! whether a service or action exists.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../data/aws-services.json.gz");

/// One service: its namespace, the name reports give it, and its actions (name, access level:
/// `List`, `Read`, `Write`, `Permissions management` or `Tagging`).
#[derive(Debug, serde::Deserialize)]
pub struct Service {
    #[serde(skip)]
    pub namespace: String,
    pub name: String,
    pub actions: Vec<(String, String)>,
}

/// Names the service last accessed report gives where the reference's title differs.
const REPORT_NAMES: &[(&str, &str)] = &[
    ("access-analyzer", "IAM Access Analyzer"),
    ("acm", "AWS Certificate Manager"),
    ("apigateway", "Amazon API Gateway"),
    ("athena", "Amazon Athena"),
    ("autoscaling", "Amazon EC2 Auto Scaling"),
    ("backup", "AWS Backup"),
    ("cloudformation", "AWS CloudFormation"),
    ("cloudfront", "Amazon CloudFront"),
    ("cloudtrail", "AWS CloudTrail"),
    ("cloudwatch", "Amazon CloudWatch"),
    ("codebuild", "AWS CodeBuild"),
    ("codecommit", "AWS CodeCommit"),
    ("codepipeline", "AWS CodePipeline"),
    ("cognito-idp", "Amazon Cognito User Pools"),
    ("config", "AWS Config"),
    ("dynamodb", "Amazon DynamoDB"),
    ("ec2", "Amazon EC2"),
    ("ecr", "Amazon Elastic Container Registry"),
    ("ecs", "Amazon Elastic Container Service"),
    ("eks", "Amazon Elastic Kubernetes Service"),
    ("elasticache", "Amazon ElastiCache"),
    ("elasticloadbalancing", "Elastic Load Balancing"),
    ("es", "Amazon OpenSearch Service"),
    ("events", "Amazon EventBridge"),
    ("firehose", "Amazon Data Firehose"),
    ("glue", "AWS Glue"),
    ("guardduty", "Amazon GuardDuty"),
    ("iam", "AWS Identity and Access Management"),
    ("kinesis", "Amazon Kinesis"),
    ("kms", "AWS Key Management Service"),
    ("lambda", "AWS Lambda"),
    ("logs", "Amazon CloudWatch Logs"),
    ("organizations", "AWS Organizations"),
    ("rds", "Amazon RDS"),
    ("redshift", "Amazon Redshift"),
    ("route53", "Amazon Route 53"),
    ("s3", "Amazon S3"),
    ("secretsmanager", "AWS Secrets Manager"),
    ("securityhub", "AWS Security Hub"),
    ("ses", "Amazon SES"),
    ("sns", "Amazon SNS"),
    ("sqs", "Amazon SQS"),
    ("ssm", "AWS Systems Manager"),
    ("sso", "AWS IAM Identity Center"),
    ("states", "AWS Step Functions"),
    ("sts", "AWS Security Token Service"),
    ("support", "AWS Support"),
    ("tag", "Amazon Resource Group Tagging API"),
    ("wafv2", "AWS WAF"),
    ("xray", "AWS X-Ray"),
];

fn load() -> Vec<Service> {
    let mut text = Vec::new();
    let by_namespace: BTreeMap<String, Service> = flate2::read::GzDecoder::new(DATA)
        .read_to_end(&mut text)
        .ok()
        .and_then(|_| serde_json::from_slice(&text).ok())
        .unwrap_or_default();
    by_namespace
        .into_iter()
        .map(|(namespace, mut s)| {
            if let Some((_, name)) = REPORT_NAMES.iter().find(|(ns, _)| *ns == namespace) {
                s.name = (*name).to_string();
            }
            s.namespace = namespace;
            s
        })
        .collect()
}

/// Every service, ordered by namespace.
pub fn all() -> &'static [Service] {
    static ALL: OnceLock<Vec<Service>> = OnceLock::new();
    ALL.get_or_init(load)
}

/// The service with this namespace.
pub fn find(namespace: &str) -> Option<&'static Service> {
    let all = all();
    all.binary_search_by(|s| s.namespace.as_str().cmp(namespace))
        .ok()
        .and_then(|i| all.get(i))
}

/// The name of the service with this namespace.
pub fn name(namespace: &str) -> Option<&'static str> {
    find(namespace).map(|s| s.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_whole_sorted_and_searchable() {
        let all = all();
        assert!(all.len() > 400, "{} services", all.len());
        assert!(all.windows(2).all(|w| w[0].namespace < w[1].namespace));
        assert_eq!(name("iam"), Some("AWS Identity and Access Management"));
        assert_eq!(name("sts"), Some("AWS Security Token Service"));
        assert!(name("bedrock").is_some() && name("sagemaker").is_some());
        assert!(find("iam").is_some_and(|s| {
            s.actions
                .iter()
                .any(|(a, level)| a == "PassRole" && level == "Write")
        }));
        assert_eq!(name("nope"), None);
    }
}
