//! Where a request comes from: the TCP peer, or, only when the peer is a configured trusted
//! proxy, the client it names in `X-Forwarded-For`. `aws:SourceIp` cannot be spoofed by a
//! client that talks to Portcullis directly.

use std::net::IpAddr;

/// An IP network such as `10.0.0.0/8` or a single address: the policy engine's, so trusted
/// proxies and `IpAddress` conditions read networks alike.
pub use portcullis_policy::Cidr;

/// What authorization learns from the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub source_ip: IpAddr,
    pub secure_transport: bool,
}

/// The client address: the peer, unless the peer is trusted, in which case the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn origin(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    forwarded_proto: Option<&str>,
    trusted: &[Cidr],
) -> Origin {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return Origin {
            source_ip: peer,
            secure_transport: false,
        };
    }
    let mut source = peer;
    if let Some(list) = forwarded_for {
        for hop in list.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    source = ip;
                    if !is_trusted(ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    }
    let secure = forwarded_proto.is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Origin {
        source_ip: source,
        secure_transport: secure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_matching() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(!net.contains(ip("::1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(Cidr::parse("::/0").unwrap().contains(ip("2001:db8::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("nonsense"), None);
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        let direct = origin(ip("203.0.113.9"), Some("1.2.3.4"), Some("https"), &trusted);
        assert_eq!(
            direct,
            Origin {
                source_ip: ip("203.0.113.9"),
                secure_transport: false
            }
        );
        let proxied = origin(
            ip("10.0.0.5"),
            Some("1.2.3.4, 198.51.100.7, 10.0.0.9"),
            Some("https"),
            &trusted,
        );
        assert_eq!(
            proxied,
            Origin {
                source_ip: ip("198.51.100.7"),
                secure_transport: true
            }
        );
        let none_trusted = origin(ip("10.0.0.5"), Some("1.2.3.4"), None, &[]);
        assert_eq!(none_trusted.source_ip, ip("10.0.0.5"));
    }
}
