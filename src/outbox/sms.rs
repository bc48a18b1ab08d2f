//! The SMS gateway (issue 12): an SMS row of the outbox goes out as a JSON POST to
//! `SMS_GATEWAY_URL`, signed with HMAC-SHA256 over the exact body with `SMS_GATEWAY_SECRET`
//! (`X-Signature: <hex>`). The body carries the outbox id (a gateway drops a repeat) and the
//! time it was sent (a gateway refuses a stale one). 2xx is sent; 4xx is a permanent failure
//! (408 and 429 aside); anything else, or no answer in time, is tried again later.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::SmsConfig;
use crate::email::transport::SendError;
use crate::outbox::OutboxMessage;

/// One POST may take this long (well inside the worker's lease).
const TIMEOUT: Duration = Duration::from_secs(15);

/// What the gateway receives.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SmsRequest {
    /// "outbox-<id>": the same on every attempt.
    pub id: String,
    pub to: String,
    pub text: String,
    /// Seconds since 1970 (UTC).
    pub sent_at: i64,
}

/// The signature of a body: hex HMAC-SHA256 with the secret.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `signature` is the body's (in constant time): what a gateway checks.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> bool {
    let (Ok(given), Ok(mut mac)) = (
        hex::decode(signature.trim()),
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()),
    ) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

pub struct Gateway {
    client: reqwest::Client,
    config: SmsConfig,
}

impl Gateway {
    pub fn new(config: &SmsConfig) -> anyhow::Result<Gateway> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| anyhow::anyhow!("SMS gateway client: {e}"))?;
        Ok(Gateway {
            client,
            config: config.clone(),
        })
    }

    pub async fn send(&self, row: &OutboxMessage) -> Result<(), SendError> {
        let request = SmsRequest {
            id: format!("outbox-{}", row.id),
            to: row.recipient.clone(),
            text: row.body_text.clone(),
            sent_at: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        let body = serde_json::to_vec(&request).map_err(|e| SendError {
            permanent: true,
            message: format!("SMS: {e}"),
        })?;
        let answer = self
            .client
            .post(&self.config.url)
            .header("content-type", "application/json")
            .header("x-signature", sign(&self.config.secret, &body))
            .body(body)
            .send()
            .await
            .map_err(|e| SendError {
                permanent: false,
                message: format!("SMS gateway: {e}"),
            })?;
        let status = answer.status();
        if status.is_success() {
            return Ok(());
        }
        let permanent =
            status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429;
        Err(SendError {
            permanent,
            message: format!("SMS gateway answered {status}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_bodys_only() {
        let body = br#"{"id":"outbox-1","to":"+8613800000000","text":"hi","sent_at":1}"#;
        let sig = sign("s3cret", body);
        assert!(verify("s3cret", body, &sig));
        assert!(!verify("other", body, &sig));
        assert!(!verify("s3cret", b"{}", &sig));
        assert!(!verify("s3cret", body, "zz"));
    }
}
