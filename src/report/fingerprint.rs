//! A finding's identity for code hosts (SARIF `partialFingerprints`,
//! GitLab's `fingerprint`): its rule, file, resource, field path and
//! message, but not its line, so an alert survives lines moving above it.

use super::Diagnostic;

/// 16 hex digits of FNV-1a over the identity: stable across builds and
/// platforms, unlike the standard library's hasher.
pub fn fingerprint(d: &Diagnostic, uri: &str) -> String {
    let origin = d
        .origin
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let path = d.location.as_ref().map_or("", |l| l.path.as_str());
    let parts = [d.rule.code, d.rule.name, uri, &origin, path, &d.message];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
