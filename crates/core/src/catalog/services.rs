//! AWS services by namespace, with the names AWS's service last accessed reports give them.
//! Reports list the services of this catalogue that a principal's policies could allow.

/// (namespace, name), ordered by namespace.
pub const SERVICES: &[(&str, &str)] = &[
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

/// The name of the service with this namespace.
pub fn name(namespace: &str) -> Option<&'static str> {
    SERVICES
        .binary_search_by(|(ns, _)| ns.cmp(&namespace))
        .ok()
        .and_then(|i| SERVICES.get(i))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_sorted_and_searchable() {
        assert!(SERVICES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(name("iam"), Some("AWS Identity and Access Management"));
        assert_eq!(name("sts"), Some("AWS Security Token Service"));
        assert_eq!(name("nope"), None);
    }
}
