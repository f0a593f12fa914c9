//! The credential report: a CSV with a header row, the account root's row and one row per IAM
//! user, 22 columns in AWS's order. Built from plain facts gathered by the caller, so the rules
//! for each cell (`N/A`, `not_supported`, `no_information`, lowercase booleans, timestamps with
//! an explicit `+00:00` offset) live in one place.

use crate::model::LastUsed;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// The report's header line, as AWS writes it.
pub const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,\
password_last_changed,password_next_rotation,mfa_active,access_key_1_active,\
access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,\
access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,\
cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// The `user` cell of the root row.
pub const ROOT_NAME: &str = "<root_account>";

/// A user's console password, as the report sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// The root row: the account root's password is not an IAM password, but AWS still reports
    /// when it was last used (`no_information` when never, as tools parse the column as a date).
    Root { last_used: Option<DateTime<Utc>> },
    /// The user has no login profile.
    None,
    Set {
        last_used: Option<DateTime<Utc>>,
        last_changed: DateTime<Utc>,
        /// When the account's MaxPasswordAge makes it expire, if it does.
        next_rotation: Option<DateTime<Utc>>,
    },
}

/// An access key: first and second by creation time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    pub active: bool,
    pub created: DateTime<Utc>,
    pub last_used: Option<LastUsed>,
}

/// An X.509 signing certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertFacts {
    pub active: bool,
    pub uploaded: DateTime<Utc>,
}

/// One row of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub user: String,
    pub arn: String,
    pub created: DateTime<Utc>,
    pub password: Password,
    pub mfa_active: bool,
    /// The first two keys are reported; a user has at most two.
    pub keys: Vec<KeyFacts>,
    pub certs: Vec<CertFacts>,
}

/// A report timestamp: `2017-06-10T02:35:07+00:00`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

const NA: &str = "N/A";

fn opt_time(t: Option<DateTime<Utc>>, absent: &str) -> String {
    t.map(timestamp).unwrap_or_else(|| absent.to_string())
}

/// The report's text: header, then the rows in the order given, each line ending in `\n`.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::with_capacity(HEADER.len() + 1 + rows.len() * 200);
    out.push_str(HEADER);
    out.push('\n');
    for row in rows {
        write_row(&mut out, row);
    }
    out
}

fn write_row(out: &mut String, row: &Row) {
    let mut cells: Vec<String> = Vec::with_capacity(22);
    cells.push(row.user.clone());
    cells.push(row.arn.clone());
    cells.push(timestamp(row.created));
    match &row.password {
        Password::Root { last_used } => {
            cells.push("not_supported".into());
            cells.push(opt_time(*last_used, "no_information"));
            cells.push("not_supported".into());
            cells.push("not_supported".into());
        }
        Password::None => {
            cells.push("false".into());
            cells.extend([NA, NA, NA].map(String::from));
        }
        Password::Set {
            last_used,
            last_changed,
            next_rotation,
        } => {
            cells.push("true".into());
            cells.push(opt_time(*last_used, "no_information"));
            cells.push(timestamp(*last_changed));
            cells.push(opt_time(*next_rotation, NA));
        }
    }
    cells.push(row.mfa_active.to_string());
    for i in 0..2 {
        match row.keys.get(i) {
            Some(k) => {
                cells.push(k.active.to_string());
                cells.push(timestamp(k.created));
                match &k.last_used {
                    Some(u) => {
                        cells.push(timestamp(u.at));
                        cells.push(if u.region.is_empty() {
                            NA.into()
                        } else {
                            u.region.clone()
                        });
                        cells.push(u.service.clone());
                    }
                    None => cells.extend([NA, NA, NA].map(String::from)),
                }
            }
            None => {
                cells.push("false".into());
                cells.extend([NA, NA, NA, NA].map(String::from));
            }
        }
    }
    for i in 0..2 {
        match row.certs.get(i) {
            Some(c) => {
                cells.push(c.active.to_string());
                cells.push(timestamp(c.uploaded));
            }
            None => {
                cells.push("false".into());
                cells.push(NA.into());
            }
        }
    }
    let _ = writeln!(out, "{}", cells.join(","));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_497_061_707 + s, 0)
            .single()
            .expect("valid")
    }

    fn cells(line: &str) -> Vec<&str> {
        line.split(',').collect()
    }

    #[test]
    fn header_has_the_22_columns_in_order() {
        let h = cells(HEADER);
        assert_eq!(h.len(), 22);
        assert_eq!(h[0], "user");
        assert_eq!(h[7], "mfa_active");
        assert_eq!(h[12], "access_key_1_last_used_service");
        assert_eq!(h[21], "cert_2_last_rotated");
    }

    #[test]
    fn root_row_and_user_rows() {
        let root = Row {
            user: ROOT_NAME.into(),
            arn: "arn:aws:iam::123456789012:root".into(),
            created: t(0),
            password: Password::Root { last_used: None },
            mfa_active: true,
            keys: vec![],
            certs: vec![],
        };
        let alice = Row {
            user: "alice".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            created: t(10),
            password: Password::Set {
                last_used: None,
                last_changed: t(20),
                next_rotation: Some(t(20 + 86_400)),
            },
            mfa_active: false,
            keys: vec![
                KeyFacts {
                    active: true,
                    created: t(30),
                    last_used: Some(LastUsed {
                        at: t(40),
                        service: "iam".into(),
                        region: "us-east-1".into(),
                    }),
                },
                KeyFacts {
                    active: false,
                    created: t(50),
                    last_used: None,
                },
            ],
            certs: vec![CertFacts {
                active: true,
                uploaded: t(60),
            }],
        };
        let text = render(&[root, alice]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(text.ends_with('\n'));
        assert_eq!(
            lines[1],
            "<root_account>,arn:aws:iam::123456789012:root,2017-06-10T02:28:27+00:00,\
             not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,\
             false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
        );
        let a = cells(lines[2]);
        assert_eq!(a.len(), 22);
        assert_eq!(
            a[3..8],
            [
                "true",
                "no_information",
                "2017-06-10T02:28:47+00:00",
                "2017-06-11T02:28:47+00:00",
                "false"
            ]
        );
        assert_eq!(
            a[8..13],
            [
                "true",
                "2017-06-10T02:28:57+00:00",
                "2017-06-10T02:29:07+00:00",
                "us-east-1",
                "iam"
            ]
        );
        assert_eq!(
            a[13..18],
            ["false", "2017-06-10T02:29:17+00:00", "N/A", "N/A", "N/A"]
        );
        assert_eq!(
            a[18..22],
            ["true", "2017-06-10T02:29:27+00:00", "false", "N/A"]
        );
    }

    #[test]
    fn user_without_password_or_credentials() {
        let text = render(&[Row {
            user: "bob".into(),
            arn: "arn:aws:iam::123456789012:user/bob".into(),
            created: t(0),
            password: Password::None,
            mfa_active: false,
            keys: vec![],
            certs: vec![],
        }]);
        let line = text.lines().nth(1).expect("row");
        assert_eq!(
            cells(line)[3..],
            [
                "false", "N/A", "N/A", "N/A", "false", "false", "N/A", "N/A", "N/A", "N/A",
                "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"
            ]
        );
    }
}
