//! Schema migrations of the SQLite engine: the numbered files under `migrations/sqlite/`,
//! compiled in and applied in order at open; `PRAGMA user_version` records how many ran, so a
//! migration, once released, is never edited or renumbered, and a new one is a new file at the
//! end. The whitespace inside each statement is kept as first written: SQLite keeps the text of
//! every CREATE statement, so the schema of a new database stays byte-for-byte the same.

/// Names the migration files in order and compiles them in.
macro_rules! migrations {
    ($($name:literal),* $(,)?) => {
        /// The migration files' names, in the order they run.
        #[cfg(test)]
        const NAMES: &[&str] = &[$($name),*];

        /// The migrations' SQL, in the order they run.
        pub(crate) const MIGRATIONS: &[&str] = &[
            $(include_str!(concat!("../migrations/sqlite/", $name, ".sql"))),*
        ];
    };
}

migrations![
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
];

#[cfg(test)]
mod tests {
    use super::NAMES;

    /// Every file in the folder runs, once, in the order of its number, and numbers have no gap.
    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = NAMES.iter().map(|n| format!("{n}.sql")).collect();
        assert_eq!(files, listed);
        for (i, name) in NAMES.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} is migration {}",
                i + 1
            );
        }
    }
}
