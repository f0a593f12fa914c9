//! LookupEvents over the audit trail's records: the request's filters (one lookup attribute,
//! a time range), newest first, pages of at most `MaxResults` with an opaque `NextToken` (the
//! chain sequence number of the next record, so pages stay put while new records arrive), and
//! each record as CloudTrail's `Event` shape.

use base64::Engine;
use chrono::DateTime;
use serde_json::{Value, json};

/// A refused request: CloudTrail's error code and message.
pub type Refusal = (&'static str, String);

fn invalid(code: &'static str, message: impl Into<String>) -> Refusal {
    (code, message.into())
}

/// The attribute keys LookupEvents accepts.
const KEYS: [&str; 7] = [
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
];

/// A parsed LookupEvents request.
#[derive(Debug, Default)]
pub struct Query {
    attribute: Option<(String, String)>,
    start: Option<f64>,
    end: Option<f64>,
    max: usize,
    /// Only records at or below this sequence number (the page a token names).
    below: Option<u64>,
}

fn seconds(v: &Value, name: &str) -> Result<Option<f64>, Refusal> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.timestamp() as f64))
            .map_err(|_| invalid("InvalidTimeRangeException", format!("{name} is not a time"))),
        Some(_) => Err(invalid(
            "InvalidTimeRangeException",
            format!("{name} is not a time"),
        )),
    }
}

impl Query {
    /// Reads the request's JSON body.
    pub fn parse(body: &[u8]) -> Result<Query, Refusal> {
        let v: Value = if body.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(body)
                .map_err(|_| invalid("SerializationException", "The request body is not JSON."))?
        };
        let mut q = Query {
            max: 50,
            ..Query::default()
        };
        match v.get("LookupAttributes").and_then(Value::as_array) {
            None => {}
            Some(list) if list.len() > 1 => {
                return Err(invalid(
                    "InvalidLookupAttributesException",
                    "You cannot specify more than one lookup attribute.",
                ));
            }
            Some(list) => {
                for a in list {
                    let key = a.get("AttributeKey").and_then(Value::as_str).unwrap_or("");
                    let value = a
                        .get("AttributeValue")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if !KEYS.contains(&key) || value.is_empty() {
                        return Err(invalid(
                            "InvalidLookupAttributesException",
                            format!("Invalid lookup attribute: {key}"),
                        ));
                    }
                    q.attribute = Some((key.to_string(), value.to_string()));
                }
            }
        }
        q.start = seconds(&v, "StartTime")?;
        q.end = seconds(&v, "EndTime")?;
        if let (Some(s), Some(e)) = (q.start, q.end)
            && s > e
        {
            return Err(invalid(
                "InvalidTimeRangeException",
                "Start time must be before end time.",
            ));
        }
        if let Some(m) = v.get("MaxResults").filter(|m| !m.is_null()) {
            match m.as_u64() {
                Some(n @ 1..=50) => q.max = n as usize,
                _ => {
                    return Err(invalid(
                        "InvalidMaxResultsException",
                        "MaxResults must be between 1 and 50.",
                    ));
                }
            }
        }
        if let Some(t) = v.get("NextToken").and_then(Value::as_str) {
            let seq = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix("seq:").and_then(|n| n.parse().ok()));
            q.below = Some(
                seq.ok_or_else(|| invalid("InvalidNextTokenException", "Invalid NextToken."))?,
            );
        }
        Ok(q)
    }
}

fn text<'a>(r: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(r, |v, k| v.get(k))?.as_str()
}

/// CloudTrail's `Username`: the IAM user, the role a session belongs to, or `root`.
fn username(r: &Value) -> Option<&str> {
    let id = r.get("userIdentity")?;
    match text(id, &["type"]) {
        Some("Root") => Some("root"),
        _ => text(id, &["userName"])
            .or_else(|| text(id, &["sessionContext", "sessionIssuer", "userName"])),
    }
}

/// The resources a record names: the request's entity names, ARNs and key ids.
fn resources(r: &Value) -> Vec<(String, String)> {
    let Some(params) = r.get("requestParameters").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.ends_with("Name") || k.ends_with("Arn") || *k == "accessKeyId")
        .filter_map(|(k, v)| {
            let kind = match k.as_str() {
                "userName" => "AWS::IAM::User",
                "roleName" => "AWS::IAM::Role",
                "groupName" => "AWS::IAM::Group",
                "policyArn" => "AWS::IAM::Policy",
                "accessKeyId" => "AWS::IAM::AccessKey",
                _ => "",
            };
            v.as_str().map(|s| (kind.to_string(), s.to_string()))
        })
        .collect();
    // The entities of known types first (a policy name, say, is not the resource).
    out.sort_by_key(|(kind, _)| kind.is_empty());
    out
}

fn matches(r: &Value, (key, value): &(String, String)) -> bool {
    let v = value.as_str();
    match key.as_str() {
        "EventId" => text(r, &["eventID"]) == Some(v),
        "EventName" => text(r, &["eventName"]) == Some(v),
        "EventSource" => text(r, &["eventSource"]) == Some(v),
        "AccessKeyId" => text(r, &["userIdentity", "accessKeyId"]) == Some(v),
        "Username" => username(r) == Some(v),
        "ReadOnly" => {
            r.get("readOnly")
                .and_then(Value::as_bool)
                .map(|b| b.to_string())
                == Some(v.to_string())
        }
        "ResourceName" => resources(r).iter().any(|(_, n)| n == v),
        _ => false,
    }
}

fn event_seconds(r: &Value) -> Option<f64> {
    DateTime::parse_from_rfc3339(text(r, &["eventTime"])?)
        .ok()
        .map(|d| d.timestamp() as f64)
}

fn seq(r: &Value) -> Option<u64> {
    r.get("portcullisChain")?.get("seq")?.as_u64()
}

/// One record as a CloudTrail `Event`.
fn event(r: &Value) -> Value {
    let resources: Vec<Value> = resources(r)
        .into_iter()
        .map(|(t, n)| json!({"ResourceType": t, "ResourceName": n}))
        .collect();
    json!({
        "EventId": text(r, &["eventID"]),
        "EventName": text(r, &["eventName"]),
        "ReadOnly": r.get("readOnly").and_then(Value::as_bool).map(|b| b.to_string()),
        "AccessKeyId": text(r, &["userIdentity", "accessKeyId"]),
        "EventTime": event_seconds(r),
        "EventSource": text(r, &["eventSource"]),
        "Username": username(r),
        "Resources": resources,
        "CloudTrailEvent": r.to_string(),
    })
}

/// The page of `records` (oldest first, as the log holds them) of account `account` that the
/// query asks for, as LookupEvents' response.
pub fn page(records: &[Value], account: &str, q: &Query) -> Value {
    let mut events = Vec::new();
    let mut next = None;
    let hits = records.iter().rev().filter(|r| {
        text(r, &["recipientAccountId"]) == Some(account)
            && q.below.is_none_or(|b| seq(r).is_some_and(|s| s <= b))
            && event_seconds(r)
                .is_some_and(|t| q.start.is_none_or(|s| t >= s) && q.end.is_none_or(|e| t <= e))
            && q.attribute.as_ref().is_none_or(|a| matches(r, a))
    });
    for r in hits {
        if events.len() == q.max {
            next = seq(r).map(|s| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("seq:{s}"))
            });
            break;
        }
        events.push(event(r));
    }
    let mut out = json!({ "Events": events });
    if let Some(t) = next {
        out["NextToken"] = json!(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq: u64, name: &str, user: &str, t: &str) -> Value {
        json!({
            "eventTime": t, "eventName": name, "eventSource": "iam.amazonaws.com",
            "eventID": format!("id-{seq}"), "readOnly": name.starts_with("Get"),
            "recipientAccountId": "123456789012",
            "userIdentity": {"type": "IAMUser", "userName": user, "accessKeyId": "AKIAX"},
            "requestParameters": {"userName": "bob"},
            "portcullisChain": {"seq": seq},
        })
    }

    #[test]
    fn filters_pages_and_shapes() {
        let records = vec![
            rec(1, "CreateUser", "alice", "2026-12-01T00:00:00Z"),
            rec(2, "GetUser", "alice", "2026-12-01T00:01:00Z"),
            rec(3, "CreateUser", "carol", "2026-12-01T00:02:00Z"),
            json!({"eventName": "LoggingStarted", "eventTime": "2026-12-01T00:03:00Z"}),
        ];
        let q = Query::parse(br#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateUser"}],"MaxResults":1}"#).unwrap_or_default();
        let p = page(&records, "123456789012", &q);
        assert_eq!(p["Events"][0]["EventId"], "id-3");
        assert_eq!(p["Events"][0]["Resources"][0]["ResourceName"], "bob");
        let token = p["NextToken"].as_str().unwrap_or_default();
        let body = format!(
            r#"{{"LookupAttributes":[{{"AttributeKey":"EventName","AttributeValue":"CreateUser"}}],"MaxResults":1,"NextToken":"{token}"}}"#
        );
        let q = Query::parse(body.as_bytes()).unwrap_or_default();
        let p = page(&records, "123456789012", &q);
        assert_eq!(p["Events"][0]["EventId"], "id-1");
        assert!(p.get("NextToken").is_none());
        // Another account sees nothing; a time range and ReadOnly filter.
        assert_eq!(
            page(
                &records,
                "999999999999",
                &Query::parse(b"{}").unwrap_or_default()
            )["Events"],
            json!([])
        );
        let q = Query::parse(br#"{"StartTime":1764547230,"LookupAttributes":[{"AttributeKey":"ReadOnly","AttributeValue":"true"}]}"#).unwrap_or_default();
        assert_eq!(
            page(&records, "123456789012", &q)["Events"][0]["EventId"],
            "id-2"
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        for (body, code) in [
            (&br#"{"MaxResults":51}"#[..], "InvalidMaxResultsException"),
            (br#"{"NextToken":"nope"}"#, "InvalidNextTokenException"),
            (
                br#"{"StartTime":10,"EndTime":5}"#,
                "InvalidTimeRangeException",
            ),
            (
                br#"{"LookupAttributes":[{"AttributeKey":"Color","AttributeValue":"x"}]}"#,
                "InvalidLookupAttributesException",
            ),
            (b"{", "SerializationException"),
        ] {
            assert_eq!(Query::parse(body).err().map(|e| e.0), Some(code));
        }
    }
}
