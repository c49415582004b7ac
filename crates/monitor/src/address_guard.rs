//! Which addresses the fetcher may connect to. By default only public ones: an analyst who adds a
//! source must not make the server reach its own loopback services, the private network it sits
//! in, or a cloud metadata address. The check runs on the resolved addresses of every connection
//! (redirects and DNS answers that change between checks included), through the HTTP client's
//! resolver; an operator turns it off with `--allow-private-fetch` (tests on loopback do).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a connection was refused before it was tried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the address is not public (loopback, private, link-local or unspecified)")]
pub struct NonPublicAddress;

/// True for an address on the public internet: not loopback, private, shared (carrier-grade NAT),
/// link-local, unique-local, unspecified, broadcast, multicast or documentation.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10
    let this_network = a == 0; // 0.0.0.0/8
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || shared
        || this_network)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = first & 0xffc0 == 0xfe80; // fe80::/10
    let site_local = first & 0xffc0 == 0xfec0; // fec0::/10, deprecated but routed privately
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || site_local
        || documentation)
}

/// The HTTP client's resolver: the system's answer with every non-public address removed; an
/// error when none is left.
pub(crate) struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(Box::new(NonPublicAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Refuses a URL whose host is written as a non-public IP address (the resolver never sees
/// those). Names are left to the resolver.
pub(crate) fn check_literal(url: &url::Url) -> Result<(), NonPublicAddress> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(NonPublicAddress)
    }
}

/// Refuses a host name none of whose addresses is public, before anything is sent to it (so the
/// refusal is the same whatever listens there).
pub(crate) async fn check_host(url: &url::Url) -> Result<(), NonPublicAddress> {
    check_literal(url)?;
    let Some(url::Host::Domain(name)) = url.host() else {
        return Ok(());
    };
    // A name that does not resolve fails later, as an unreachable host.
    let Ok(found) = tokio::net::lookup_host((name, 0)).await else {
        return Ok(());
    };
    let mut any = false;
    for addr in found {
        if is_public(addr.ip()) {
            return Ok(());
        }
        any = true;
    }
    if any {
        Err(NonPublicAddress)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_private_link_local_and_unspecified_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1234",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "1.1.1.1", "172.32.0.1", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_url_naming_a_private_address_is_refused_and_a_name_is_left_to_the_resolver() {
        let url = |s: &str| url::Url::parse(s).unwrap();
        assert!(check_literal(&url("http://127.0.0.1:8080/feed")).is_err());
        assert!(check_literal(&url("http://[::1]/")).is_err());
        assert!(check_literal(&url("http://[::ffff:192.168.0.1]/")).is_err());
        assert!(check_literal(&url("http://2130706433/")).is_err()); // 127.0.0.1 as a number
        assert!(check_literal(&url("https://news.example.org/feed")).is_ok());
    }
}
