//! The polite fetcher: one HTTP client with a clear User-Agent, robots.txt honoured per host, per-host
//! concurrency and minimum interval (raised to the host's Crawl-delay), conditional requests, a
//! timeout, bounded redirects, a body size limit, and retries with exponential back-off.

use crate::polite::{Backoff, RobotsFetch, RobotsPolicy};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How politely and patiently to fetch.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent with every request.
    pub user_agent: String,
    /// The product token robots.txt groups are matched against.
    pub robots_agent: String,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bodies larger than this are abandoned.
    pub max_bytes: usize,
    pub max_redirects: usize,
    /// Requests in flight to one host at most.
    pub per_host_concurrency: usize,
    /// Least time between the starts of two requests to one host.
    pub per_host_interval: Duration,
    /// The longest Crawl-delay obeyed.
    pub max_crawl_delay: Duration,
    /// Further tries after a timeout, a network error, a 429 or a 5xx.
    pub retries: u32,
    pub retry_backoff: Backoff,
    /// How long a read robots.txt is trusted (RFC 9309 suggests at most 24 hours).
    pub robots_ttl: Duration,
    /// How long a host whose robots.txt could not be read is left alone before it is asked again.
    pub robots_retry: Duration,
    /// Also connect to loopback, private, link-local and unique-local addresses (`serve` and
    /// `watch --allow-private-fetch`; tests on loopback). Off by default: an analyst's source must
    /// not reach the server's own network.
    pub allow_private: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: concat!(
                "casebook-monitor/",
                env!("CARGO_PKG_VERSION"),
                " (register of persecution cases; follows feeds; honours robots.txt)"
            )
            .to_string(),
            robots_agent: "casebook-monitor".to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            per_host_concurrency: 2,
            per_host_interval: Duration::from_secs(1),
            max_crawl_delay: Duration::from_secs(60),
            retries: 2,
            retry_backoff: Backoff {
                base: Duration::from_secs(2),
                max: Duration::from_secs(30),
            },
            robots_ttl: Duration::from_secs(24 * 3600),
            robots_retry: Duration::from_secs(600),
            allow_private: false,
        }
    }
}

/// Validators from an earlier fetch, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A body that came back.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub validators: Validators,
    /// The body as sent (after the transfer's gzip is undone).
    pub bytes: Vec<u8>,
}

/// What a fetch gave.
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    /// 304: unchanged since the validators were issued.
    NotModified,
    Fetched(Fetched),
}

/// Why a fetch gave nothing.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("not an http(s) URL: {0}")]
    BadUrl(String),
    #[error("robots.txt disallows it")]
    Disallowed,
    #[error("robots.txt of the host could not be read ({0}); the host is left alone until it can")]
    RobotsUnavailable(String),
    /// The address is not public and private fetches are not allowed.
    #[error("refused: {0}; an operator may allow such addresses with --allow-private-fetch")]
    NonPublic(#[from] crate::address_guard::NonPublicAddress),
    /// Connection and timeout failures share one message (see [`UNREACHABLE`]); the variant keeps
    /// the detail for debugging.
    #[error("{UNREACHABLE}")]
    Timeout(Duration),
    #[error("HTTP {0}")]
    Status(u16),
    #[error("larger than the {0}-byte limit")]
    TooLarge(usize),
    #[error("too many redirects")]
    Redirects,
    #[error("{UNREACHABLE}")]
    Network(String),
}

/// What any failed or refused connection reports, whatever the cause: refused, reset, timed out or
/// not speaking HTTP. One message, so the answer does not tell an open port from a closed one.
pub const UNREACHABLE: &str = "the host could not be reached or gave no HTTP answer";

impl FetchError {
    /// Whether trying again soon may help.
    fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout(_) | FetchError::Network(_) => true,
            FetchError::Status(s) => *s == 429 || *s >= 500,
            _ => false,
        }
    }
}

/// The robots.txt answer kept for a host, and until when.
struct CachedRobots {
    policy: Arc<RobotsPolicy>,
    /// Why it could not be read, when it could not.
    unavailable: Option<String>,
    until: Instant,
}

/// One host's gate: how many requests may be in flight, when the next may start, its robots.txt.
struct Host {
    permits: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
    robots: tokio::sync::Mutex<Option<CachedRobots>>,
}

/// The fetcher; cheap to share by reference across concurrent fetches.
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Fetcher {
    /// A fetcher with its HTTP client.
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let max_redirects = config.max_redirects;
        let allow_private = config.allow_private;
        // A redirect to a non-public address written as an IP is refused here; names are checked
        // by the resolver when the client connects.
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                attempt.error("too many redirects")
            } else if !allow_private && crate::address_guard::check_literal(attempt.url()).is_err()
            {
                attempt.error(crate::address_guard::NonPublicAddress)
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirects)
            .gzip(true);
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(crate::address_guard::PublicOnlyResolver));
        }
        let client = builder
            .build()
            .map_err(|e| FetchError::Network(format!("cannot build the HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            config,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(self.config.per_host_concurrency.max(1)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    robots: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Fetches `url` politely: robots.txt first, then the host's gate, then the request, retried
    /// with back-off when the failure may pass.
    pub async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed = url::Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(FetchError::BadUrl(url.to_string()));
        }
        if !self.config.allow_private {
            crate::address_guard::check_host(&parsed).await?;
        }
        let origin = parsed.origin().ascii_serialization();
        let host = self.host(&origin);
        let (policy, unavailable) = self.robots(&host, &origin).await;
        if let Some(why) = unavailable {
            return Err(FetchError::RobotsUnavailable(why));
        }
        if !policy.allows(url) {
            return Err(FetchError::Disallowed);
        }
        let interval = policy
            .crawl_delay(self.config.max_crawl_delay)
            .unwrap_or_default()
            .max(self.config.per_host_interval);
        let mut attempt = 0;
        loop {
            let result = self.request_gated(&host, interval, url, validators).await;
            match result {
                Err(err) if err.is_transient() && attempt < self.config.retries => {
                    attempt += 1;
                    tokio::time::sleep(self.config.retry_backoff.delay(attempt)).await;
                }
                other => return other,
            }
        }
    }

    /// The host's robots policy, read at most once per TTL; concurrent callers wait for one read.
    async fn robots(&self, host: &Host, origin: &str) -> (Arc<RobotsPolicy>, Option<String>) {
        let mut cached = host.robots.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.until > Instant::now()) {
            return (c.policy.clone(), c.unavailable.clone());
        }
        let robots_url = format!("{origin}/robots.txt");
        let answer = self
            .request_gated(
                host,
                self.config.per_host_interval,
                &robots_url,
                &Validators::default(),
            )
            .await;
        let (policy, unavailable) = match &answer {
            Ok(FetchOutcome::Fetched(f)) => (
                RobotsPolicy::from_fetch(
                    &self.config.robots_agent,
                    RobotsFetch::Answered {
                        status: f.status,
                        body: &f.bytes,
                    },
                ),
                None,
            ),
            Err(FetchError::Status(status)) if (400..500).contains(status) => (
                RobotsPolicy::from_fetch(
                    &self.config.robots_agent,
                    RobotsFetch::Answered {
                        status: *status,
                        body: b"",
                    },
                ),
                None,
            ),
            Err(err) => (
                RobotsPolicy::from_fetch(&self.config.robots_agent, RobotsFetch::Unreachable),
                Some(err.to_string()),
            ),
            Ok(FetchOutcome::NotModified) => (RobotsPolicy::AllowAll, None),
        };
        let ttl = if unavailable.is_some() {
            self.config.robots_retry
        } else {
            self.config.robots_ttl
        };
        let policy = Arc::new(policy);
        *cached = Some(CachedRobots {
            policy: policy.clone(),
            unavailable: unavailable.clone(),
            until: Instant::now() + ttl,
        });
        (policy, unavailable)
    }

    /// One request through the host's gate: a permit, then the host's next free start time.
    async fn request_gated(
        &self,
        host: &Host,
        interval: Duration,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        let _permit = host
            .permits
            .acquire()
            .await
            .map_err(|_| FetchError::Network("the host gate was closed".into()))?;
        {
            let mut next = host.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            *next = Instant::now() + interval;
        }
        self.request(url, validators).await
    }

    async fn request(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(FetchOutcome::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        let limit = self.config.max_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(FetchError::TooLarge(limit));
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let final_url = response.url().to_string();
        let mut bytes = Vec::new();
        // Read chunk by chunk so a body without Content-Length cannot grow past the limit.
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(FetchOutcome::Fetched(Fetched {
            final_url,
            status,
            content_type,
            validators,
            bytes,
        }))
    }

    fn classify(&self, err: reqwest::Error) -> FetchError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        while let Some(e) = cause {
            if let Some(refused) = e.downcast_ref::<crate::address_guard::NonPublicAddress>() {
                return FetchError::NonPublic(refused.clone());
            }
            cause = e.source();
        }
        if err.is_timeout() {
            FetchError::Timeout(self.config.timeout)
        } else if err.is_redirect() {
            FetchError::Redirects
        } else {
            // The source chain says what failed (refused, reset, DNS), without the URL twice.
            let err = err.without_url();
            let mut why = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                why.push_str(": ");
                why.push_str(&s.to_string());
                source = s.source();
            }
            FetchError::Network(why)
        }
    }
}
