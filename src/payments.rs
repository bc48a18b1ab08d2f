//! The payment provider (SPEC 11): an interface with one implementation that needs no outside
//! service. The provider tells the console an order is paid by a JSON notification, signed
//! with HMAC-SHA256 over the exact body (`X-Signature: <hex>`); a notification that is badly
//! signed, stale, for another amount or already applied (its `id`) changes nothing.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The longest notification body read.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

/// A notification older (or newer) than this is refused: a captured one cannot be replayed
/// later even under a new id.
pub const MAX_SKEW_SECS: i64 = 300;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-signature";

/// What the provider says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The provider's own id of this notification (at most 64 characters).
    pub id: String,
    pub order_id: i64,
    pub amount_minor: i64,
    pub currency: String,
    /// Only "paid" is known.
    pub status: String,
    /// When it was sent, in seconds since 1970 (UTC).
    pub sent_at: i64,
}

/// Why a notification is refused before it reaches an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    BadSignature,
    Malformed,
    Stale,
}

/// A provider: signs and checks notifications.
pub trait Provider: Send + Sync {
    fn sign(&self, body: &[u8]) -> String;
    fn verify(&self, body: &[u8], signature: &str) -> bool;
}

/// The built-in test provider: its key comes from `PAYMENT_SECRET`, else from the console's
/// own secret (kept in the database, the same on every instance).
#[derive(Clone)]
pub struct TestProvider {
    key: [u8; 32],
}

impl TestProvider {
    pub fn new(secret: &[u8]) -> TestProvider {
        let mut h = Sha256::new();
        h.update(b"seller-console payment notifications\0");
        h.update(secret);
        TestProvider {
            key: h.finalize().into(),
        }
    }

    /// HMAC takes a key of any length, so this is never `None`.
    fn mac(&self) -> Option<Hmac<Sha256>> {
        Hmac::<Sha256>::new_from_slice(&self.key).ok()
    }
}

impl Provider for TestProvider {
    fn sign(&self, body: &[u8]) -> String {
        let Some(mut mac) = self.mac() else {
            return String::new();
        };
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    /// In constant time (`Mac::verify_slice`).
    fn verify(&self, body: &[u8], signature: &str) -> bool {
        let (Ok(given), Some(mut mac)) = (hex::decode(signature.trim()), self.mac()) else {
            return false;
        };
        mac.update(body);
        mac.verify_slice(&given).is_ok()
    }
}

/// Checks the signature first (nothing of an unsigned body is read), then the shape and the
/// time.
pub fn read(
    provider: &dyn Provider,
    body: &[u8],
    signature: Option<&str>,
    now_unix: i64,
) -> Result<Notification, Refused> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Refused::Malformed);
    }
    match signature {
        Some(sig) if provider.verify(body, sig) => {}
        _ => return Err(Refused::BadSignature),
    }
    let n: Notification = serde_json::from_slice(body).map_err(|_| Refused::Malformed)?;
    if n.id.is_empty() || n.id.chars().count() > 64 || n.status != "paid" || n.currency.len() != 3 {
        return Err(Refused::Malformed);
    }
    if (now_unix - n.sent_at).abs() > MAX_SKEW_SECS {
        return Err(Refused::Stale);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: &str, sent_at: i64) -> Vec<u8> {
        serde_json::to_vec(&Notification {
            id: id.into(),
            order_id: 7,
            amount_minor: 800,
            currency: "CNY".into(),
            status: "paid".into(),
            sent_at,
        })
        .unwrap()
    }

    #[test]
    fn only_a_body_signed_with_the_key_is_read() {
        let p = TestProvider::new(b"secret");
        let b = body("n1", 1_000);
        let sig = p.sign(&b);
        assert_eq!(read(&p, &b, Some(&sig), 1_010).unwrap().order_id, 7);
        assert_eq!(read(&p, &b, None, 1_010), Err(Refused::BadSignature));
        assert_eq!(read(&p, &b, Some("zz"), 1_010), Err(Refused::BadSignature));
        let other = TestProvider::new(b"other secret");
        assert_eq!(
            read(&p, &b, Some(&other.sign(&b)), 1_010),
            Err(Refused::BadSignature)
        );
        let mut tampered = b.clone();
        let at = tampered.iter().position(|c| *c == b'8').unwrap();
        tampered[at] = b'1';
        assert_eq!(
            read(&p, &tampered, Some(&sig), 1_010),
            Err(Refused::BadSignature)
        );
    }

    #[test]
    fn a_stale_or_odd_notification_is_refused() {
        let p = TestProvider::new(b"secret");
        let b = body("n1", 1_000);
        assert_eq!(
            read(&p, &b, Some(&p.sign(&b)), 1_000 + MAX_SKEW_SECS + 1),
            Err(Refused::Stale)
        );
        let odd = br#"{"id":"x","order_id":1}"#;
        assert_eq!(
            read(&p, odd, Some(&p.sign(odd)), 1_000),
            Err(Refused::Malformed)
        );
    }
}
