//! Service last accessed reports and ListPoliciesGrantingServiceAccess.

use crate::common::{DEV_ACCOUNT, Server, err_code, user_with_key};
use aws_sdk_iam::types::{
    AccessAdvisorUsageGranularityType, JobStatusType, PolicyOwnerEntityType, PolicyType,
    ServiceLastAccessed,
};
use std::time::Duration;

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{DEV_ACCOUNT}:{kind}/{name}")
}

async fn job(
    iam: &aws_sdk_iam::Client,
    arn: &str,
    level: AccessAdvisorUsageGranularityType,
) -> String {
    iam.generate_service_last_accessed_details()
        .arn(arn)
        .granularity(level)
        .send()
        .await
        .unwrap()
        .job_id()
        .unwrap()
        .to_string()
}

async fn services(iam: &aws_sdk_iam::Client, job_id: &str) -> Vec<ServiceLastAccessed> {
    iam.get_service_last_accessed_details()
        .job_id(job_id)
        .send()
        .await
        .unwrap()
        .services_last_accessed()
        .to_vec()
}

/// The report once `namespace` shows a call (calls are recorded in the background).
async fn accessed(
    iam: &aws_sdk_iam::Client,
    job_id: &str,
    namespace: &str,
) -> Vec<ServiceLastAccessed> {
    for _ in 0..100 {
        let got = services(iam, job_id).await;
        if got
            .iter()
            .any(|s| s.service_namespace() == namespace && s.last_authenticated().is_some())
        {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no call to {namespace} recorded");
}

fn namespaces(s: &[ServiceLastAccessed]) -> Vec<&str> {
    s.iter().map(|s| s.service_namespace()).collect()
}

/// alice (inline iam:List*, sts:GetCallerIdentity) in group devs (inline s3:GetObject), and a
/// customer managed policy `shared` (ec2:Describe*) attached to alice and to the role deployer.
async fn setup(root: &aws_sdk_iam::Client) -> (String, String) {
    let (ak, sk) = user_with_key(root, "alice").await;
    root.put_user_policy()
        .user_name("alice")
        .policy_name("read-iam")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":["iam:List*","sts:GetCallerIdentity"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    root.create_group().group_name("devs").send().await.unwrap();
    root.add_user_to_group()
        .group_name("devs")
        .user_name("alice")
        .send()
        .await
        .unwrap();
    root.put_group_policy()
        .group_name("devs")
        .policy_name("objects")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    root.create_policy()
        .policy_name("shared")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    root.create_role()
        .role_name("deployer")
        .assume_role_policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"}}"#,
            arn("user", "alice")
        )))
        .send()
        .await
        .unwrap();
    for (kind, name) in [("user", "alice"), ("role", "deployer")] {
        let p = arn("policy", "shared");
        if kind == "user" {
            root.attach_user_policy()
                .user_name(name)
                .policy_arn(p)
                .send()
                .await
                .unwrap();
        } else {
            root.attach_role_policy()
                .role_name(name)
                .policy_arn(p)
                .send()
                .await
                .unwrap();
        }
    }
    (ak, sk)
}

#[tokio::test]
async fn a_user_report_lists_allowed_services_with_recorded_calls() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = setup(&root).await;
    let alice = s.iam(&ak, &sk);
    alice.list_users().send().await.unwrap();

    let id = job(
        &root,
        &arn("user", "alice"),
        AccessAdvisorUsageGranularityType::ServiceLevel,
    )
    .await;
    assert_eq!(id.len(), 36);
    let report = accessed(&root, &id, "iam").await;
    // Services the user's own, its group's and its managed policies allow, by namespace.
    assert_eq!(namespaces(&report), ["ec2", "iam", "s3", "sts"]);
    let iam = &report[1];
    assert_eq!(iam.service_name(), "AWS Identity and Access Management");
    assert_eq!(
        iam.last_authenticated_entity(),
        Some(arn("user", "alice").as_str())
    );
    assert_eq!(iam.last_authenticated_region(), Some("eu-west-1"));
    assert_eq!(iam.total_authenticated_entities(), Some(1));
    assert!(iam.tracked_actions_last_accessed().is_empty());
    let s3 = &report[2];
    assert_eq!(s3.last_authenticated(), None);
    assert_eq!(s3.total_authenticated_entities(), Some(0));

    let full = root
        .get_service_last_accessed_details()
        .job_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(full.job_status(), &JobStatusType::Completed);
    assert_eq!(
        full.job_type(),
        Some(&AccessAdvisorUsageGranularityType::ServiceLevel)
    );
    assert!(full.job_completion_date().secs() >= full.job_creation_date().secs());
    assert!(!full.is_truncated());

    // Pages of MaxItems services.
    let first = root
        .get_service_last_accessed_details()
        .job_id(&id)
        .max_items(3)
        .send()
        .await
        .unwrap();
    assert!(first.is_truncated());
    assert_eq!(
        namespaces(first.services_last_accessed()),
        ["ec2", "iam", "s3"]
    );
    let rest = root
        .get_service_last_accessed_details()
        .job_id(&id)
        .marker(first.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert!(!rest.is_truncated());
    assert_eq!(namespaces(rest.services_last_accessed()), ["sts"]);

    // Action level: the actions called.
    let id = job(
        &root,
        &arn("user", "alice"),
        AccessAdvisorUsageGranularityType::ActionLevel,
    )
    .await;
    let report = accessed(&root, &id, "iam").await;
    let actions: Vec<&str> = report[1]
        .tracked_actions_last_accessed()
        .iter()
        .filter_map(|a| a.action_name())
        .collect();
    assert_eq!(actions, ["ListUsers"]);
}

#[tokio::test]
async fn group_role_and_policy_reports_cover_their_entities() {
    let s = Server::dev();
    let root = s.root_iam();
    let (ak, sk) = setup(&root).await;
    let creds = s
        .sts(&ak, &sk)
        .assume_role()
        .role_arn(arn("role", "deployer"))
        .role_session_name("deploy")
        .send()
        .await
        .unwrap();
    // A role session's calls count for the role, even when denied.
    let session = s.iam_session(creds.credentials().unwrap());
    let _ = session.list_users().send().await;

    let group = job(
        &root,
        &arn("group", "devs"),
        AccessAdvisorUsageGranularityType::ServiceLevel,
    )
    .await;
    assert_eq!(namespaces(&services(&root, &group).await), ["s3"]);
    let members = root
        .get_service_last_accessed_details_with_entities()
        .job_id(&group)
        .service_namespace("s3")
        .send()
        .await
        .unwrap();
    let e = members.entity_details_list();
    assert_eq!(e.len(), 1);
    let info = e[0].entity_info().unwrap();
    assert_eq!(
        (info.name(), info.r#type()),
        ("alice", &PolicyOwnerEntityType::User)
    );
    assert_eq!(info.arn(), arn("user", "alice"));
    assert!(info.id().starts_with("AIDA"));
    assert_eq!(e[0].last_authenticated(), None);
    // A service the group's policies do not allow has no entities.
    let none = root
        .get_service_last_accessed_details_with_entities()
        .job_id(&group)
        .service_namespace("iam")
        .send()
        .await
        .unwrap();
    assert!(none.entity_details_list().is_empty());

    let role = job(
        &root,
        &arn("role", "deployer"),
        AccessAdvisorUsageGranularityType::ServiceLevel,
    )
    .await;
    let report = services(&root, &role).await;
    assert_eq!(namespaces(&report), ["ec2"]);
    assert_eq!(report[0].last_authenticated(), None);

    // The policy is used by alice and by the role; only the role called IAM, which the policy
    // does not allow, so neither shows a call to ec2.
    let policy = job(
        &root,
        &arn("policy", "shared"),
        AccessAdvisorUsageGranularityType::ServiceLevel,
    )
    .await;
    assert_eq!(namespaces(&services(&root, &policy).await), ["ec2"]);
    let users = root
        .get_service_last_accessed_details_with_entities()
        .job_id(&policy)
        .service_namespace("ec2")
        .send()
        .await
        .unwrap();
    let mut names: Vec<(&str, &PolicyOwnerEntityType)> = users
        .entity_details_list()
        .iter()
        .map(|d| {
            let i = d.entity_info().unwrap();
            (i.name(), i.r#type())
        })
        .collect();
    names.sort_by_key(|n| n.0);
    assert_eq!(
        names,
        [
            ("alice", &PolicyOwnerEntityType::User),
            ("deployer", &PolicyOwnerEntityType::Role)
        ]
    );

    // With an inline iam policy, the role's recorded call shows.
    root.put_role_policy()
        .role_name("deployer")
        .policy_name("iam")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let report = accessed(&root, &role, "iam").await;
    let iam = report
        .iter()
        .find(|s| s.service_namespace() == "iam")
        .unwrap();
    assert_eq!(
        iam.last_authenticated_entity(),
        Some(arn("role", "deployer").as_str())
    );
    assert_eq!(iam.last_authenticated_region(), Some("eu-west-1"));
}

#[tokio::test]
async fn policies_granting_service_access() {
    let s = Server::dev();
    let root = s.root_iam();
    setup(&root).await;
    let out = root
        .list_policies_granting_service_access()
        .arn(arn("user", "alice"))
        .service_namespaces("iam")
        .service_namespaces("s3")
        .service_namespaces("ec2")
        .service_namespaces("lambda")
        .send()
        .await
        .unwrap();
    assert!(!out.is_truncated());
    let by_service = out.policies_granting_service_access();
    assert_eq!(by_service.len(), 4);
    let iam = by_service[0].policies();
    assert_eq!(by_service[0].service_namespace(), Some("iam"));
    assert_eq!(iam.len(), 1);
    assert_eq!(
        (
            iam[0].policy_name(),
            iam[0].policy_type(),
            iam[0].entity_type(),
            iam[0].entity_name()
        ),
        (
            "read-iam",
            &PolicyType::Inline,
            Some(&PolicyOwnerEntityType::User),
            Some("alice")
        )
    );
    let s3 = by_service[1].policies();
    assert_eq!(
        (
            s3[0].policy_name(),
            s3[0].entity_type(),
            s3[0].entity_name()
        ),
        ("objects", Some(&PolicyOwnerEntityType::Group), Some("devs"))
    );
    let ec2 = by_service[2].policies();
    assert_eq!(
        (
            ec2[0].policy_name(),
            ec2[0].policy_type(),
            ec2[0].policy_arn()
        ),
        (
            "shared",
            &PolicyType::Managed,
            Some(arn("policy", "shared").as_str())
        )
    );
    assert!(by_service[3].policies().is_empty());

    // A group's listing has only the group's own policies.
    let out = root
        .list_policies_granting_service_access()
        .arn(arn("group", "devs"))
        .service_namespaces("iam")
        .send()
        .await
        .unwrap();
    assert!(
        out.policies_granting_service_access()[0]
            .policies()
            .is_empty()
    );
}

#[tokio::test]
async fn documented_errors() {
    let s = Server::dev();
    let root = s.root_iam();
    let missing = ("NoSuchEntity".to_string(), 404);
    let invalid = ("InvalidInput".to_string(), 400);
    assert_eq!(
        err_code(
            root.generate_service_last_accessed_details()
                .arn(arn("user", "nobody"))
                .send()
                .await
        ),
        missing
    );
    assert_eq!(
        err_code(
            root.generate_service_last_accessed_details()
                .arn("arn:aws:iam::111122223333:role/elsewhere")
                .send()
                .await
        ),
        missing
    );
    assert_eq!(
        err_code(
            root.generate_service_last_accessed_details()
                .arn("this-is-not-an-arn-at-all")
                .send()
                .await
        ),
        invalid
    );
    assert_eq!(
        err_code(
            root.generate_service_last_accessed_details()
                .arn(arn("user", "alice"))
                .granularity(AccessAdvisorUsageGranularityType::from("EVERYTHING"))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    // AWS managed policies can be reported on.
    let aws = job(
        &root,
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        AccessAdvisorUsageGranularityType::ServiceLevel,
    )
    .await;
    assert!(!services(&root, &aws).await.is_empty());
    assert_eq!(
        err_code(
            root.get_service_last_accessed_details()
                .job_id("00000000-0000-0000-0000-000000000000")
                .send()
                .await
        ),
        missing
    );
    assert_eq!(
        err_code(
            root.get_service_last_accessed_details_with_entities()
                .job_id("00000000-0000-0000-0000-000000000000")
                .service_namespace("iam")
                .send()
                .await
        ),
        missing
    );
    // An Organizations report's job is not a service last accessed job.
    let org = root
        .generate_organizations_access_report()
        .entity_path("o-a1b2c3d4e5/r-f6g7h8i9j0example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            root.get_service_last_accessed_details()
                .job_id(org.job_id().unwrap())
                .send()
                .await
        ),
        missing
    );
    assert_eq!(
        err_code(
            root.list_policies_granting_service_access()
                .arn(arn("user", "nobody"))
                .service_namespaces("iam")
                .send()
                .await
        ),
        missing
    );
    assert_eq!(
        err_code(
            root.list_policies_granting_service_access()
                .arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .service_namespaces("iam")
                .send()
                .await
        ),
        invalid
    );
}
