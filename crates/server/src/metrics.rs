//! Prometheus metrics at `GET /metrics`: requests by operation and outcome, request latency
//! histograms by operation, denials, authentication failures, cache hit rates and the time
//! changes spend in the store. Recording is a few relaxed atomic additions into fixed tables
//! (one row per operation of the table), so it takes no lock and allocates nothing on the hot
//! path; the text is written only when scraped. The endpoint answers loopback peers, and
//! others only with `metrics_public = true`. It reads the server through [`Source`].
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use portcullis_proto::{AwsError, Operation};
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Upper bounds (seconds) of the latency buckets.
const BOUNDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How a request ended.
const OUTCOMES: [&str; 5] = [
    "ok",
    "denied",
    "unauthenticated",
    "client_error",
    "server_error",
];

/// Codes of requests refused by authentication.
const UNAUTHENTICATED: [&str; 6] = [
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "ExpiredToken",
    "AuthFailure",
];

#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; BOUNDS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = BOUNDS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_nanos
            .fetch_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX), Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        let sep = if labels.is_empty() { "" } else { "," };
        for (b, n) in BOUNDS.iter().zip(&self.buckets) {
            cumulative += n.load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{b}\"}} {cumulative}");
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_nanos.load(Relaxed) as f64 / 1e9;
        let braces = |l: &str| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{{{l}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }
}

#[derive(Debug, Default)]
struct OpStats {
    outcomes: [AtomicU64; OUTCOMES.len()],
    latency: Histogram,
}

/// The server's counters.
#[derive(Debug)]
pub struct Metrics {
    /// One row per operation, then one for requests that named none.
    ops: Box<[OpStats]>,
    writes: Histogram,
    /// Console sign-ins refused (wrong or unknown user or password, locked, throttled, bad
    /// MFA code).
    signin_failures: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            ops: (0..=Operation::all().count())
                .map(|_| OpStats::default())
                .collect(),
            writes: Histogram::default(),
            signin_failures: AtomicU64::new(0),
        }
    }
}

fn outcome(result: Result<(), &AwsError>) -> usize {
    match result {
        Ok(()) => 0,
        Err(e) if e.code == "AccessDenied" => 1,
        Err(e) if UNAUTHENTICATED.contains(&e.code.as_ref()) => 2,
        Err(e) if e.status < 500 => 3,
        Err(_) => 4,
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, op: Option<Operation>, result: Result<(), &AwsError>, took: Duration) {
        let row = op.map_or(self.ops.len() - 1, |o| o as usize);
        if let Some(s) = self.ops.get(row) {
            s.outcomes[outcome(result)].fetch_add(1, Relaxed);
            s.latency.observe(took);
        }
    }

    /// Counts one refused console sign-in.
    pub fn signin_failed(&self) {
        self.signin_failures.fetch_add(1, Relaxed);
    }

    /// Times one change's handler: the store transaction and the rules it runs.
    pub fn write(&self, took: Duration) {
        self.writes.observe(took);
    }

    fn render(&self, caches: &[(&str, (u64, u64))]) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let names: Vec<&str> = Operation::all()
            .map(|o| o.name())
            .chain(["(none)"])
            .collect();
        let used = || {
            self.ops
                .iter()
                .zip(&names)
                .filter(|(s, _)| s.latency.count.load(Relaxed) > 0)
        };
        out.push_str(
            "# HELP portcullis_requests_total Requests answered, by operation and outcome.\n",
        );
        out.push_str("# TYPE portcullis_requests_total counter\n");
        let (mut denied, mut unauthenticated) = (0, 0);
        for (s, name) in used() {
            for (i, o) in OUTCOMES.iter().enumerate() {
                let n = s.outcomes[i].load(Relaxed);
                denied += if i == 1 { n } else { 0 };
                unauthenticated += if i == 2 { n } else { 0 };
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "portcullis_requests_total{{operation=\"{name}\",outcome=\"{o}\"}} {n}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP portcullis_request_duration_seconds Time to answer a request, by operation.\n",
        );
        out.push_str("# TYPE portcullis_request_duration_seconds histogram\n");
        for (s, name) in used() {
            s.latency.render(
                &mut out,
                "portcullis_request_duration_seconds",
                &format!("operation=\"{name}\""),
            );
        }
        out.push_str(
            "# HELP portcullis_denials_total Requests refused by authorization (AccessDenied).\n",
        );
        out.push_str("# TYPE portcullis_denials_total counter\n");
        let _ = writeln!(out, "portcullis_denials_total {denied}");
        out.push_str("# HELP portcullis_authentication_failures_total Requests refused by authentication (unknown key, bad signature, expired token...).\n");
        out.push_str("# TYPE portcullis_authentication_failures_total counter\n");
        let _ = writeln!(
            out,
            "portcullis_authentication_failures_total {unauthenticated}"
        );
        out.push_str("# HELP portcullis_console_signin_failures_total Console sign-ins refused (password, MFA code, lock or throttle).\n");
        out.push_str("# TYPE portcullis_console_signin_failures_total counter\n");
        let _ = writeln!(
            out,
            "portcullis_console_signin_failures_total {}",
            self.signin_failures.load(Relaxed)
        );
        out.push_str("# HELP portcullis_store_write_seconds Time a change spends in its handler: the store transaction and the rules it runs.\n");
        out.push_str("# TYPE portcullis_store_write_seconds histogram\n");
        self.writes
            .render(&mut out, "portcullis_store_write_seconds", "");
        out.push_str("# HELP portcullis_cache_lookups_total Cache lookups, by cache and result.\n");
        out.push_str("# TYPE portcullis_cache_lookups_total counter\n");
        for (cache, (hits, misses)) in caches {
            let _ = writeln!(
                out,
                "portcullis_cache_lookups_total{{cache=\"{cache}\",result=\"hit\"}} {hits}"
            );
            let _ = writeln!(
                out,
                "portcullis_cache_lookups_total{{cache=\"{cache}\",result=\"miss\"}} {misses}"
            );
        }
        out
    }
}

/// What the endpoint reads of the server (its `App`).
pub trait Source: Send + Sync + 'static {
    fn metrics(&self) -> &Metrics;
    /// `metrics_public`: serve peers other than loopback ones.
    fn public(&self) -> bool;
    /// Each cache's name and `(hits, misses)`.
    fn cache_stats(&self) -> Vec<(&'static str, (u64, u64))>;
}

/// `GET /metrics`: the text exposition format, for loopback peers (or anyone with
/// `metrics_public`).
pub async fn serve<S: Source>(State(app): State<Arc<S>>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !app.public() && !peer.is_some_and(|p| p.is_loopback()) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are served to loopback peers only (metrics_public = true opens them)\n",
        )
            .into_response();
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics().render(&app.cache_stats()),
    )
        .into_response()
}
