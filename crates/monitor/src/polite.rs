//! The pure rules of a polite fetcher: what robots.txt allows, and how long to back off after failures.

use std::time::Duration;

/// How a host's robots.txt came back.
#[derive(Debug)]
pub enum RobotsFetch<'a> {
    /// The server answered with this status and body (after redirects).
    Answered { status: u16, body: &'a [u8] },
    /// No answer: refused, timed out, or the body was too large.
    Unreachable,
}

/// What a host allows this agent to fetch.
pub enum RobotsPolicy {
    /// No robots.txt (4xx) or none that can be read: everything is allowed.
    AllowAll,
    /// The server failed (5xx) or could not be reached: RFC 9309 §2.3.1.3 says assume complete
    /// disallow until a later try reads it.
    DisallowAll,
    /// The rules that apply to the agent.
    Rules(Box<texting_robots::Robot>),
}

impl std::fmt::Debug for RobotsPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RobotsPolicy::AllowAll => f.write_str("AllowAll"),
            RobotsPolicy::DisallowAll => f.write_str("DisallowAll"),
            RobotsPolicy::Rules(r) => write!(f, "Rules(delay: {:?})", r.delay),
        }
    }
}

impl RobotsPolicy {
    /// Reads a robots.txt answer for `agent` (the product token of the User-Agent).
    pub fn from_fetch(agent: &str, fetch: RobotsFetch<'_>) -> Self {
        match fetch {
            RobotsFetch::Answered { status, body } if (200..300).contains(&status) => {
                match texting_robots::Robot::new(agent, body) {
                    Ok(robot) => RobotsPolicy::Rules(Box::new(robot)),
                    // A file no parser can read states no rule.
                    Err(_) => RobotsPolicy::AllowAll,
                }
            }
            RobotsFetch::Answered { status, .. } if (400..500).contains(&status) => {
                RobotsPolicy::AllowAll
            }
            RobotsFetch::Answered { .. } | RobotsFetch::Unreachable => RobotsPolicy::DisallowAll,
        }
    }

    /// Whether the agent may fetch `url`.
    pub fn allows(&self, url: &str) -> bool {
        match self {
            RobotsPolicy::AllowAll => true,
            RobotsPolicy::DisallowAll => false,
            RobotsPolicy::Rules(robot) => robot.allowed(url),
        }
    }

    /// The Crawl-delay the host asks of this agent, capped at `cap` so one line cannot stall a source
    /// for hours.
    pub fn crawl_delay(&self, cap: Duration) -> Option<Duration> {
        match self {
            RobotsPolicy::Rules(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d).min(cap)),
            _ => None,
        }
    }
}

/// Exponential back-off: `base`, then twice that after each further failure, never above `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait after the `failures`-th consecutive failure (1 = the first); zero for none.
    pub fn delay(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: &str = "casebook-monitor";

    #[test]
    fn robots_rules_apply_to_our_agent() {
        let txt = b"User-agent: *\nDisallow: /private/\n\nUser-agent: casebook-monitor\nDisallow: /drafts/\nCrawl-delay: 2\n";
        let policy = RobotsPolicy::from_fetch(
            AGENT,
            RobotsFetch::Answered {
                status: 200,
                body: txt,
            },
        );
        assert!(!policy.allows("https://n.example/drafts/1"));
        // The group for our agent replaces the `*` group.
        assert!(policy.allows("https://n.example/private/1"));
        assert!(policy.allows("https://n.example/news/1"));
        assert_eq!(
            policy.crawl_delay(Duration::from_secs(60)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.crawl_delay(Duration::from_secs(1)),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn missing_robots_allows_and_failing_robots_disallows() {
        let missing = RobotsPolicy::from_fetch(
            AGENT,
            RobotsFetch::Answered {
                status: 404,
                body: b"",
            },
        );
        assert!(missing.allows("https://n.example/anything"));
        let failing = RobotsPolicy::from_fetch(
            AGENT,
            RobotsFetch::Answered {
                status: 503,
                body: b"",
            },
        );
        assert!(!failing.allows("https://n.example/anything"));
        assert!(
            !RobotsPolicy::from_fetch(AGENT, RobotsFetch::Unreachable).allows("https://n.example/")
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Backoff {
            base: Duration::from_secs(60),
            max: Duration::from_secs(3600),
        };
        assert_eq!(b.delay(0), Duration::ZERO);
        assert_eq!(b.delay(1), Duration::from_secs(60));
        assert_eq!(b.delay(2), Duration::from_secs(120));
        assert_eq!(b.delay(4), Duration::from_secs(480));
        assert_eq!(b.delay(7), Duration::from_secs(3600));
        assert_eq!(b.delay(200), Duration::from_secs(3600));
    }
}
