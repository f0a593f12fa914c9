//! Throw-away PostgreSQL schemas for tests: the test command (`scripts/test.sh`, through
//! `scripts/pg.sh`) starts a private server and names it in `PORTCULLIS_TEST_DATABASE_URL`; each
//! test that runs on PostgreSQL gets a fresh schema of its own there, dropped when it ends, so
//! tests run in parallel on one server without seeing each other.

use portcullis_core::{StoreError, StoreResult};

/// The variable naming the test server.
pub const DATABASE_URL_VAR: &str = "PORTCULLIS_TEST_DATABASE_URL";

/// The test server's URL, or `None` (with a note on stderr) when the variable is not set.
pub fn database_url() -> Option<String> {
    match std::env::var(DATABASE_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "{DATABASE_URL_VAR} is not set: skipping the PostgreSQL run (scripts/test.sh sets it)"
            );
            None
        }
    }
}

/// A schema of its own on the test server; dropped, with everything in it, on drop.
#[derive(Debug)]
pub struct TestSchema {
    server: String,
    name: String,
    /// The URL whose connections work in this schema.
    pub url: String,
}

fn connect(url: &str) -> StoreResult<postgres::Client> {
    postgres::Client::connect(url, postgres::NoTls)
        .map_err(|e| StoreError::Backend(format!("connecting to the test server: {e}")))
}

impl TestSchema {
    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Creates a schema with a fresh random name on the server of `url`.
    pub fn create(url: &str) -> StoreResult<Self> {
        let name = format!("t{:016x}", rand::random::<u64>());
        std::thread::scope(|s| {
            // The `postgres` client may not block a thread that drives async tasks.
            s.spawn(|| {
                connect(url)?
                    .batch_execute(&format!("CREATE SCHEMA {name}"))
                    .map_err(|e| StoreError::Backend(e.to_string()))
            })
            .join()
            .unwrap_or_else(|_| Err(StoreError::Backend("schema creation panicked".into())))
        })?;
        let sep = if url.contains('?') { '&' } else { '?' };
        Ok(TestSchema {
            server: url.to_string(),
            url: format!("{url}{sep}options=-c%20search_path%3D{name}"),
            name,
        })
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let (server, name) = (&self.server, &self.name);
        std::thread::scope(|s| {
            s.spawn(|| {
                if let Ok(mut c) = connect(server) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA {name} CASCADE"));
                }
            });
        });
    }
}
