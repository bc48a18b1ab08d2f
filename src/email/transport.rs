//! Where mail leaves the process: an SMTP server (one pooled transport, built once) or, when no
//! `SMTP_URL` is set, .eml files in the mail directory.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;
use crate::outbox::OutboxMessage;

/// One SMTP exchange may take this long before it counts as a (transient) failure; well inside
/// the worker's lease, so a slow server cannot make two workers send the same message.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message was not sent. A permanent failure (SMTP 5xx, an address that cannot be
/// parsed) is not retried.
#[derive(Debug, Clone)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    fn permanent(message: impl Into<String>) -> Self {
        SendError {
            permanent: true,
            message: message.into(),
        }
    }

    fn transient(message: impl Into<String>) -> Self {
        SendError {
            permanent: false,
            message: message.into(),
        }
    }
}

impl Mailer {
    /// Must run inside a Tokio runtime: the SMTP pool starts its idle-connection reaper.
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Mailer> {
        config
            .from
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM {:?}: {e}", config.from))?;
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(
                        PoolConfig::new()
                            .max_size(8)
                            .idle_timeout(Duration::from_secs(60)),
                    )
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(&config.mail_dir)
                    .map_err(|e| anyhow::anyhow!("MAIL_DIR {}: {e}", config.mail_dir.display()))?;
                Ok(Mailer::File(AsyncFileTransport::new(&config.mail_dir)))
            }
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Mailer::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: format!("SMTP: {e}"),
            }),
            Mailer::File(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::transient(format!("mail file: {e}"))),
        }
    }
}

/// The outbox id in a Message-ID: a re-send after a crash carries the same id, so the receiving
/// side (and a person reading headers) can tell it is the same message.
pub fn message_id(outbox_id: i64, from: &str) -> String {
    let host = from
        .parse::<Mailbox>()
        .ok()
        .map(|m| m.email.domain().to_string())
        .unwrap_or_else(|| "seller-console.local".to_string());
    format!("<outbox-{outbox_id}@{host}>")
}

/// The outbox id back out of a Message-ID made by `message_id`.
pub fn outbox_id_of(message_id: &str) -> Option<i64> {
    message_id
        .trim()
        .trim_start_matches('<')
        .strip_prefix("outbox-")?
        .split('@')
        .next()?
        .parse()
        .ok()
}

/// The email of an outbox row: multipart/alternative, plain text first, then HTML.
pub fn build(row: &OutboxMessage, from: &str) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::permanent(format!("sender address: {e}")))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|e| SendError::permanent(format!("recipient {:?}: {e}", row.recipient)))?;
    Message::builder()
        .message_id(Some(message_id(row.id, &from.to_string())))
        .from(from)
        .to(to)
        .subject(&row.subject)
        .date_now()
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .map_err(|e| SendError::permanent(format!("building the message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_id_names_its_outbox_row() {
        let id = message_id(42, "Seller Console <no-reply@console.example>");
        assert_eq!(id, "<outbox-42@console.example>");
        assert_eq!(outbox_id_of(&id), Some(42));
        assert_eq!(outbox_id_of("<abc@example>"), None);
    }
}
