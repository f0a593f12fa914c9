//! Service-linked roles AWS creates for its services: each service principal's role name, whether
//! it takes a `CustomSuffix`, and the description AWS gives it when the caller gives none, as AWS
//! answers CreateServiceLinkedRole. Other `*.amazonaws.com` principals get a name derived the way
//! most services name theirs.

/// A service's service-linked role as AWS names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRole {
    pub name: String,
    pub custom_suffix: bool,
    pub description: Option<&'static str>,
}

/// (service principal, role name, custom suffix allowed, default description).
const KNOWN: &[(&str, &str, bool, Option<&str>)] = &[
    (
        "accountdiscovery.ssm.amazonaws.com",
        "AWSServiceRoleForAmazonSSM_AccountDiscovery",
        false,
        None,
    ),
    (
        "acm.amazonaws.com",
        "AWSServiceRoleForCertificateManager",
        false,
        None,
    ),
    (
        "appmesh.amazonaws.com",
        "AWSServiceRoleForAppMesh",
        false,
        None,
    ),
    (
        "autoscaling-plans.amazonaws.com",
        "AWSServiceRoleForAutoScalingPlans_EC2AutoScaling",
        false,
        None,
    ),
    (
        "autoscaling.amazonaws.com",
        "AWSServiceRoleForAutoScaling",
        true,
        None,
    ),
    (
        "backup.amazonaws.com",
        "AWSServiceRoleForBackup",
        false,
        None,
    ),
    ("batch.amazonaws.com", "AWSServiceRoleForBatch", false, None),
    (
        "custom-resource.application-autoscaling.amazonaws.com",
        "AWSServiceRoleForApplicationAutoScaling_CustomResource",
        false,
        None,
    ),
    (
        "cassandra.application-autoscaling.amazonaws.com",
        "AWSServiceRoleForApplicationAutoScaling_CassandraTable",
        false,
        None,
    ),
    (
        "cks.kms.amazonaws.com",
        "AWSServiceRoleForKeyManagementServiceCustomKeyStores",
        false,
        None,
    ),
    (
        "cloudtrail.amazonaws.com",
        "AWSServiceRoleForCloudTrail",
        false,
        None,
    ),
    (
        "codestar-notifications.amazonaws.com",
        "AWSServiceRoleForCodeStarNotifications",
        false,
        None,
    ),
    (
        "config.amazonaws.com",
        "AWSServiceRoleForConfig",
        false,
        None,
    ),
    (
        "connect.amazonaws.com",
        "AWSServiceRoleForAmazonConnect",
        true,
        None,
    ),
    (
        "dms-fleet-advisor.amazonaws.com",
        "AWSServiceRoleForDMSFleetAdvisor",
        false,
        None,
    ),
    (
        "dms.amazonaws.com",
        "AWSServiceRoleForDMSServerless",
        false,
        None,
    ),
    (
        "docdb-elastic.amazonaws.com",
        "AWSServiceRoleForDocDB-Elastic",
        false,
        None,
    ),
    (
        "ec2-instance-connect.amazonaws.com",
        "AWSServiceRoleForEc2InstanceConnect",
        false,
        None,
    ),
    (
        "ec2.application-autoscaling.amazonaws.com",
        "AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest",
        false,
        None,
    ),
    (
        "ecr.amazonaws.com",
        "AWSServiceRoleForECRTemplate",
        false,
        None,
    ),
    ("ecs.amazonaws.com", "AWSServiceRoleForECS", false, None),
    (
        "eks-connector.amazonaws.com",
        "AWSServiceRoleForAmazonEKSConnector",
        false,
        None,
    ),
    (
        "eks-fargate.amazonaws.com",
        "AWSServiceRoleForAmazonEKSForFargate",
        false,
        None,
    ),
    (
        "eks-nodegroup.amazonaws.com",
        "AWSServiceRoleForAmazonEKSNodegroup",
        false,
        None,
    ),
    (
        "eks.amazonaws.com",
        "AWSServiceRoleForAmazonEKS",
        false,
        None,
    ),
    (
        "elasticache.amazonaws.com",
        "AWSServiceRoleForElastiCache",
        false,
        None,
    ),
    (
        "elasticbeanstalk.amazonaws.com",
        "AWSServiceRoleForElasticBeanstalk",
        false,
        None,
    ),
    (
        "elasticfilesystem.amazonaws.com",
        "AWSServiceRoleForAmazonElasticFileSystem",
        false,
        None,
    ),
    (
        "elasticloadbalancing.amazonaws.com",
        "AWSServiceRoleForElasticLoadBalancing",
        false,
        None,
    ),
    (
        "email.cognito-idp.amazonaws.com",
        "AWSServiceRoleForAmazonCognitoIdpEmailService",
        false,
        None,
    ),
    (
        "emr-containers.amazonaws.com",
        "AWSServiceRoleForAmazonEMRContainers",
        false,
        None,
    ),
    (
        "emrwal.amazonaws.com",
        "AWSServiceRoleForEMRWAL",
        false,
        None,
    ),
    ("fis.amazonaws.com", "AWSServiceRoleForFIS", false, None),
    (
        "grafana.amazonaws.com",
        "AWSServiceRoleForAmazonGrafana",
        false,
        None,
    ),
    (
        "imagebuilder.amazonaws.com",
        "AWSServiceRoleForImageBuilder",
        false,
        None,
    ),
    (
        "iotmanagedintegrations.amazonaws.com",
        "AWSServiceRoleForIoTManagedIntegrations",
        false,
        None,
    ),
    ("kafka.amazonaws.com", "AWSServiceRoleForKafka", false, None),
    (
        "kafkaconnect.amazonaws.com",
        "AWSServiceRoleForKafkaConnect",
        false,
        None,
    ),
    (
        "lakeformation.amazonaws.com",
        "AWSServiceRoleForLakeFormationDataAccess",
        false,
        None,
    ),
    ("lex.amazonaws.com", "AWSServiceRoleForLexBots", false, None),
    (
        "lexv2.amazonaws.com",
        "AWSServiceRoleForLexV2Bots",
        true,
        None,
    ),
    (
        "lightsail.amazonaws.com",
        "AWSServiceRoleForLightsail",
        false,
        None,
    ),
    ("m2.amazonaws.com", "AWSServiceRoleForAWSM2", false, None),
    (
        "memorydb.amazonaws.com",
        "AWSServiceRoleForMemoryDB",
        false,
        None,
    ),
    ("mq.amazonaws.com", "AWSServiceRoleForAmazonMQ", false, None),
    (
        "mrk.kms.amazonaws.com",
        "AWSServiceRoleForKeyManagementServiceMultiRegionKeys",
        false,
        None,
    ),
    (
        "notifications.amazonaws.com",
        "AWSServiceRoleForAwsUserNotifications",
        false,
        None,
    ),
    (
        "observability.aoss.amazonaws.com",
        "AWSServiceRoleForAmazonOpenSearchServerless",
        false,
        None,
    ),
    (
        "opensearchservice.amazonaws.com",
        "AWSServiceRoleForAmazonOpenSearchService",
        false,
        None,
    ),
    (
        "ops.apigateway.amazonaws.com",
        "AWSServiceRoleForAPIGateway",
        false,
        None,
    ),
    (
        "ops.emr-serverless.amazonaws.com",
        "AWSServiceRoleForAmazonEMRServerless",
        false,
        None,
    ),
    (
        "opsdatasync.ssm.amazonaws.com",
        "AWSServiceRoleForSystemsManagerOpsDataSync",
        false,
        None,
    ),
    (
        "opsinsights.ssm.amazonaws.com",
        "AWSServiceRoleForAmazonSSM_OpsInsights",
        false,
        None,
    ),
    (
        "pullthroughcache.ecr.amazonaws.com",
        "AWSServiceRoleForECRPullThroughCache",
        false,
        None,
    ),
    (
        "ram.amazonaws.com",
        "AWSServiceRoleForResourceAccessManager",
        false,
        None,
    ),
    (
        "rds.amazonaws.com",
        "AWSServiceRoleForRDS",
        false,
        Some("Allows Amazon RDS to manage AWS resources on your behalf"),
    ),
    (
        "redshift.amazonaws.com",
        "AWSServiceRoleForRedshift",
        false,
        None,
    ),
    (
        "replication.cassandra.amazonaws.com",
        "AWSServiceRoleForKeyspacesReplication",
        false,
        None,
    ),
    (
        "replication.ecr.amazonaws.com",
        "AWSServiceRoleForECRReplication",
        false,
        None,
    ),
    (
        "repository.sync.codeconnections.amazonaws.com",
        "AWSServiceRoleForGitSync",
        false,
        None,
    ),
    (
        "resource-explorer-2.amazonaws.com",
        "AWSServiceRoleForResourceExplorer",
        false,
        None,
    ),
    (
        "rolesanywhere.amazonaws.com",
        "AWSServiceRoleForRolesAnywhere",
        false,
        None,
    ),
    (
        "s3-outposts.amazonaws.com",
        "AWSServiceRoleForS3OnOutposts",
        false,
        None,
    ),
    (
        "ses.amazonaws.com",
        "AWSServiceRoleForAmazonSES",
        false,
        None,
    ),
    (
        "shield.amazonaws.com",
        "AWSServiceRoleForAWSShield",
        false,
        None,
    ),
    (
        "ssm-incidents.amazonaws.com",
        "AWSServiceRoleForIncidentManager",
        false,
        None,
    ),
    (
        "ssm-quicksetup.amazonaws.com",
        "AWSServiceRoleForSSMQuickSetup",
        false,
        None,
    ),
    (
        "ssm.amazonaws.com",
        "AWSServiceRoleForAmazonSSM",
        false,
        Some("Provides access to AWS Resources managed or used by Amazon SSM."),
    ),
    (
        "sso.amazonaws.com",
        "AWSServiceRoleForSSO",
        false,
        Some(
            "Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.",
        ),
    ),
    (
        "vpcorigin.cloudfront.amazonaws.com",
        "AWSServiceRoleForCloudFrontVPCOrigin",
        false,
        None,
    ),
    (
        "waf.amazonaws.com",
        "AWSServiceRoleForWAFLogging",
        false,
        None,
    ),
    (
        "wafv2.amazonaws.com",
        "AWSServiceRoleForWAFV2Logging",
        false,
        None,
    ),
];

const PRINCIPAL_SUFFIX: &str = ".amazonaws.com";

/// `AWSServiceRoleFor` and the service prefix's labels capitalized and joined, as in
/// `backup.amazonaws.com` → `AWSServiceRoleForBackup`.
fn derived_name(prefix: &str) -> String {
    let mut name = String::from("AWSServiceRoleFor");
    for label in prefix.split(['.', '-']).filter(|l| !l.is_empty()) {
        let mut chars = label.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// The role AWS creates for `service`, or `None` when it is not an AWS service principal.
pub fn for_service(service: &str) -> Option<ServiceRole> {
    if let Some((_, name, custom_suffix, description)) = KNOWN.iter().find(|(s, ..)| *s == service)
    {
        return Some(ServiceRole {
            name: (*name).to_string(),
            custom_suffix: *custom_suffix,
            description: *description,
        });
    }
    let prefix = service.strip_suffix(PRINCIPAL_SUFFIX)?;
    (!prefix.is_empty()).then(|| ServiceRole {
        name: derived_name(prefix),
        custom_suffix: true,
        description: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_services_use_aws_names_and_others_are_derived() {
        let eb = for_service("elasticbeanstalk.amazonaws.com").unwrap();
        assert_eq!(eb.name, "AWSServiceRoleForElasticBeanstalk");
        assert!(!eb.custom_suffix);
        assert_eq!(
            for_service("connect.amazonaws.com").unwrap().name,
            "AWSServiceRoleForAmazonConnect"
        );
        assert!(
            for_service("autoscaling.amazonaws.com")
                .unwrap()
                .custom_suffix
        );
        assert!(
            for_service("rds.amazonaws.com")
                .unwrap()
                .description
                .is_some()
        );
        assert_eq!(
            for_service("example-thing.amazonaws.com").unwrap().name,
            "AWSServiceRoleForExampleThing"
        );
        assert_eq!(for_service("example.com"), None);
        assert_eq!(for_service(".amazonaws.com"), None);
        let mut seen = std::collections::HashSet::new();
        assert!(KNOWN.iter().all(|(s, ..)| seen.insert(*s)), "no duplicates");
    }
}
