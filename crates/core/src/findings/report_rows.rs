//! Reads a credential report (the CSV of GetCredentialReport, from any IAM endpoint) back into
//! the facts the benchmark checks read. User names may contain commas and AWS does not quote
//! them; a name appears in the `user` and `arn` cells only, so the 20 cells after them are
//! found from the end of the row.

use super::cis::{ReportKey, ReportUser};
use crate::credential_report::ROOT_NAME;
use chrono::{DateTime, Utc};

fn time(cell: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(cell?).ok().map(|d| d.to_utc())
}

/// The non-root users of a credential report; rows it cannot read are skipped.
pub fn parse(csv: &str) -> Vec<ReportUser> {
    let mut lines = csv.lines();
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let header: Vec<&str> = header.split(',').collect();
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let Some(extra) = cells.len().checked_sub(header.len()) else {
            continue;
        };
        if extra % 2 != 0 {
            continue;
        }
        let commas = extra / 2;
        let user = cells[..=commas].join(",");
        if user == ROOT_NAME {
            continue;
        }
        // Cell `name` of the row, past the user and ARN cells.
        let cell = |name: &str| {
            let i = header.iter().position(|h| *h == name)?;
            cells.get(i + extra).copied()
        };
        let yes = |name: &str| cell(name) == Some("true");
        let key = |n: u8| ReportKey {
            active: yes(&format!("access_key_{n}_active")),
            last_rotated: time(cell(&format!("access_key_{n}_last_rotated"))),
            last_used: time(cell(&format!("access_key_{n}_last_used_date"))),
        };
        out.push(ReportUser {
            name: user,
            created: time(cell("user_creation_time")),
            password_enabled: yes("password_enabled"),
            password_last_used: time(cell("password_last_used")),
            password_last_changed: time(cell("password_last_changed")),
            mfa_active: yes("mfa_active"),
            keys: vec![key(1), key(2)],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::credential_report::{self, KeyFacts, Password, Row};
    use chrono::TimeZone;

    #[test]
    fn reads_back_what_the_report_writes() {
        let t = |s: i64| {
            chrono::Utc
                .timestamp_opt(1_700_000_000 + s, 0)
                .single()
                .unwrap_or_default()
        };
        let row = |user: &str| Row {
            user: user.into(),
            arn: format!("arn:aws:iam::123456789012:user/{user}"),
            created: t(0),
            password: Password::Set {
                last_used: None,
                last_changed: t(10),
                next_rotation: None,
            },
            mfa_active: true,
            keys: vec![
                KeyFacts {
                    active: false,
                    created: t(20),
                    last_used: None,
                },
                KeyFacts {
                    active: true,
                    created: t(30),
                    last_used: None,
                },
            ],
            certs: vec![],
        };
        let root = Row {
            user: credential_report::ROOT_NAME.into(),
            password: Password::Root { last_used: None },
            ..row("x")
        };
        let text = credential_report::render(&[root, row("a,b"), row("carol")]);
        let users = super::parse(&text);
        let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["a,b", "carol"]);
        let u = &users[0];
        assert!(u.password_enabled && u.mfa_active);
        assert_eq!(u.password_last_changed, Some(t(10)));
        assert_eq!(u.password_last_used, None);
        assert!(!u.keys[0].active && u.keys[1].active);
        assert_eq!(u.keys[1].last_rotated, Some(t(30)));
    }
}
