//! IP addresses and CIDR blocks as Istio parses them, with Go's `netip`
//! rules (`ParseAddr`, `ParsePrefix`): dotted-quad IPv4 without leading
//! zeros, IPv6 with an optional `%zone` (addresses only), prefix lengths in
//! plain decimal within the address family. Blocks are `ipnet` networks.

use std::net::{IpAddr, Ipv6Addr};

use ipnet::IpNet;

/// Why a value is not an IP address or CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidrProblem {
    /// The address part does not parse.
    Address,
    /// The prefix length is not plain decimal within the address family.
    PrefixLength,
}

/// An IP address as Go's `netip.ParseAddr` reads it: an IPv6 address may
/// carry a non-empty `%zone`.
pub fn is_ip_address(text: &str) -> bool {
    match text.split_once('%') {
        Some((address, zone)) => !zone.is_empty() && address.parse::<Ipv6Addr>().is_ok(),
        None => text.parse::<IpAddr>().is_ok(),
    }
}

/// A CIDR block (`10.0.0.0/8`, `2001:db8::/32`; host bits may be set, as
/// Go allows), or a bare address as the block of that one address.
pub fn parse_ip_or_cidr(value: &str) -> Result<IpNet, CidrProblem> {
    let (address, bits) = match value.split_once('/') {
        Some((address, bits)) => (address, Some(bits)),
        None => (value, None),
    };
    let address: IpAddr = address.parse().map_err(|_| CidrProblem::Address)?;
    let Some(bits) = bits else {
        return Ok(IpNet::from(address));
    };
    // Go refuses a sign or a leading zero (`/08`), which `u8` parsing takes.
    let plain_decimal =
        bits == "0" || (!bits.starts_with('0') && bits.bytes().all(|b| b.is_ascii_digit()));
    let length = bits
        .parse::<u8>()
        .ok()
        .filter(|_| plain_decimal)
        .ok_or(CidrProblem::PrefixLength)?;
    IpNet::new(address, length).map_err(|_| CidrProblem::PrefixLength)
}

/// Whether `ip` lies in `block` (a CIDR block or an address). An address of
/// the other family is never inside; a block that does not parse is an
/// error rather than a guess.
pub fn contains(block: &str, ip: IpAddr) -> Result<bool, CidrProblem> {
    parse_ip_or_cidr(block).map(|net| net.contains(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_follow_netip() {
        assert!(is_ip_address("10.0.0.1"));
        assert!(is_ip_address("::ffff:10.0.0.1"));
        assert!(is_ip_address("fe80::1%eth0"));
        assert!(!is_ip_address("fe80::1%"));
        assert!(!is_ip_address("10.0.0.1%eth0"));
        assert!(!is_ip_address("%eth0"));
        assert!(!is_ip_address("010.0.0.1"));
    }

    #[test]
    fn prefixes_follow_netip() {
        assert!(parse_ip_or_cidr("10.0.0.0/8").is_ok());
        assert!(parse_ip_or_cidr("10.1.2.3/8").is_ok());
        assert!(parse_ip_or_cidr("2001:db8::/32").is_ok());
        assert!(parse_ip_or_cidr("10.0.0.0/0").is_ok());
        assert_eq!(
            parse_ip_or_cidr("10.0.0.0/33"),
            Err(CidrProblem::PrefixLength)
        );
        assert_eq!(
            parse_ip_or_cidr("10.0.0.0/08"),
            Err(CidrProblem::PrefixLength)
        );
        assert_eq!(
            parse_ip_or_cidr("10.0.0.0/+8"),
            Err(CidrProblem::PrefixLength)
        );
        assert_eq!(
            parse_ip_or_cidr("10.0.0.0/"),
            Err(CidrProblem::PrefixLength)
        );
        assert_eq!(parse_ip_or_cidr("10.0.0/8"), Err(CidrProblem::Address));
        assert_eq!(
            parse_ip_or_cidr("fe80::1%eth0/64"),
            Err(CidrProblem::Address)
        );
        assert_eq!(
            parse_ip_or_cidr("10.0.0.0/8/8"),
            Err(CidrProblem::PrefixLength)
        );
    }

    #[test]
    fn containment_by_prefix_and_family() {
        assert_eq!(contains("10.1.0.0/16", ip("10.1.2.3")), Ok(true));
        assert_eq!(contains("10.1.0.0/16", ip("10.2.2.3")), Ok(false));
        assert_eq!(contains("10.1.2.3", ip("10.1.2.3")), Ok(true));
        assert_eq!(contains("10.1.2.3", ip("10.1.2.4")), Ok(false));
        assert_eq!(contains("0.0.0.0/0", ip("1.2.3.4")), Ok(true));
        assert_eq!(contains("fd00::/8", ip("fd00::1")), Ok(true));
        assert_eq!(contains("fd00::/8", ip("10.1.2.3")), Ok(false));
    }

    /// A bad prefix is an error, never a silent /32 (simulate's old copy).
    #[test]
    fn a_bad_prefix_is_not_read_as_a_single_address() {
        assert_eq!(
            contains("10.1.2.3/abc", ip("10.1.2.3")),
            Err(CidrProblem::PrefixLength)
        );
        assert_eq!(
            contains("nonsense", ip("10.1.2.3")),
            Err(CidrProblem::Address)
        );
    }
}
