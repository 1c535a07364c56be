//! The text of a `Bytes` default: standard base64 with canonical padding, as Prisma writes it.
//!
//! Validation (is this a valid default?), codegen (the bytes to put into DDL) and `db pull`
//! (the default to write back) must agree on one encoding, so the one engine is here.

use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};

/// Standard base64, padded; the unused bits of the last character are not checked (`"QR=="`
/// reads as `"QQ=="`), as validation has always allowed.
const ENGINE: GeneralPurpose =
    GeneralPurpose::new(&STANDARD, GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true));

/// The bytes a `Bytes` default's text stands for; `None` when it is not base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    ENGINE.decode(text).ok()
}

/// The text of a `Bytes` default holding `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        assert_eq!(encode(&[1, 2, 3]), "AQID");
        assert_eq!(encode(b"hi"), "aGk=");
        assert_eq!(encode(b"h"), "aA==");
        assert_eq!(encode(b""), "");
        assert_eq!(decode("AQID"), Some(vec![1, 2, 3]));
        assert_eq!(decode("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode("QR=="), Some(b"A".to_vec()));
        for bad in ["a!", "aGk", "aGk==", "A===", "====", "aG=k"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
