//! Schema migrations of each engine: the numbered files under `migrations/<engine>/`, compiled
//! in and applied in order at open (SQLite's `PRAGMA user_version`, PostgreSQL's
//! `schema_migrations` table record how many ran), so a migration, once released, is never edited
//! or renumbered, and a new one is a new file at the end. PostgreSQL's history starts later, as
//! one file holding the schema SQLite's files had built by then. The whitespace inside each statement is kept as first written: SQLite keeps the text of
//! every CREATE statement, so the schema of a new database stays byte-for-byte the same.

/// Names the migration files in order and compiles them in.
macro_rules! migrations {
    ($engine:ident, $dir:literal, $names:ident: $($name:literal),* $(,)?) => {
        /// The migration files' names, in the order they run.
        #[cfg(test)]
        const $names: &[&str] = &[$($name),*];

        /// The migrations' SQL, in the order they run.
        pub(crate) const $engine: &[&str] = &[
            $(include_str!(concat!("../migrations/", $dir, "/", $name, ".sql"))),*
        ];
    };
}

migrations![
    SQLITE, "sqlite", SQLITE_NAMES:
    "0001_accounts_users",
    "0002_groups",
    "0003_inline_policies",
    "0004_managed_policies",
    "0005_entity_tags",
    "0006_roles",
    "0007_account_aliases",
    "0008_credentials",
    "0009_instance_profiles_providers",
    "0010_service_role_deletions",
    "0011_settings_reports_access",
    "0012_login_profiles",
    "0013_credential_reports",
    "0014_mfa_devices",
    "0015_saml_encryption",
    "0016_audit_outbox",
    "0017_guess_windows",
    "0018_signin_throttle_report_claims",
];

migrations![
    POSTGRES, "postgres", POSTGRES_NAMES:
    "0001_schema",
    "0002_changes",
    "0003_guess_windows",
    "0004_audit_outbox",
    "0005_signin_throttle_report_claims",
];

#[cfg(test)]
mod tests {
    /// Every file in an engine's folder runs, once, in the order of its number, and numbers have
    /// no gap.
    fn listed_in_order(engine: &str, names: &[&str]) {
        let dir = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = names.iter().map(|n| format!("{n}.sql")).collect();
        assert_eq!(files, listed);
        for (i, name) in names.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} is migration {}",
                i + 1
            );
        }
    }

    #[test]
    fn every_migration_file_is_listed_in_order() {
        listed_in_order("sqlite", super::SQLITE_NAMES);
        listed_in_order("postgres", super::POSTGRES_NAMES);
    }
}
