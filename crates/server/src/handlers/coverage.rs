//! Operation coverage against AWS's own models: every operation in AWS's IAM and STS models must
//! be in the operation table, and the table must hold no others. Every table operation has a
//! row in the route table: `routes::route` matches them all, so a missing one does not compile.

use portcullis_proto::{Operation, Service};
use std::path::PathBuf;

fn model(file: &str) -> Option<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/aws-models")
        .join(file);
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

#[test]
fn every_model_operation_is_in_the_table_and_coverage_is_reported() {
    for (service, file) in [
        (Service::Iam, "iam-2010-05-08.service-2.json"),
        (Service::Sts, "sts-2011-06-15.service-2.json"),
    ] {
        let Some(model) = model(file) else {
            eprintln!("{file} not found beside the repository; coverage not checked");
            continue;
        };
        let names: Vec<&str> = model["operations"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert!(!names.is_empty(), "{file} has operations");
        for name in &names {
            assert!(
                Operation::from_wire(service, name).is_some(),
                "{name} from {file} is not in the operation table"
            );
        }
        let table = Operation::all()
            .filter(|o| o.info().service == service)
            .count();
        assert_eq!(
            table,
            names.len(),
            "the table has operations the model does not"
        );
        println!(
            "{}: {} of {} operations implemented",
            service.prefix(),
            table,
            names.len()
        );
    }
}
