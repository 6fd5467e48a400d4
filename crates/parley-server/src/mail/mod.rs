//! Account mail (e-mail verification, password reset). Sent over SMTP with
//! lettre when `PARLEY_SMTP_URL` is set (`smtp://host:port` plain or with
//! STARTTLS as the server offers, `smtps://` for TLS from the start, user and
//! password in the URL); otherwise written to the log, so a laptop install
//! still lets its owner reset a password. Sending happens after the token is
//! committed and never fails the request: a mail that cannot be sent is
//! logged, and the user can ask again.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One mail to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No SMTP server configured: mail goes to the log.
    Log,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Smtp { .. } => "Mailer::Smtp",
            Self::Log => "Mailer::Log",
        })
    }
}

impl Mailer {
    /// The mailer for `smtp_url` (None: the log), sending as `from`.
    pub fn new(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Self> {
        let Some(url) = smtp_url else {
            return Ok(Self::Log);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("PARLEY_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        let from = from
            .parse()
            .map_err(|e| anyhow::anyhow!("PARLEY_MAIL_FROM {from:?}: {e}"))?;
        Ok(Self::Smtp { transport, from })
    }

    /// Sends `mail` in the background: the caller's request never waits for
    /// (or fails because of) the mail server.
    pub fn send_later(&self, mail: Mail) {
        let mailer = self.clone();
        tokio::spawn(async move { mailer.send(mail).await });
    }

    async fn send(&self, mail: Mail) {
        match self {
            Self::Log => tracing::info!(
                to = %mail.to,
                subject = %mail.subject,
                body = %mail.body,
                "mail (no PARLEY_SMTP_URL configured, so it is logged instead of sent)"
            ),
            Self::Smtp { transport, from } => {
                let message = mail
                    .to
                    .parse::<Mailbox>()
                    .map_err(|e| e.to_string())
                    .and_then(|to| {
                        Message::builder()
                            .from(from.clone())
                            .to(to)
                            .subject(&mail.subject)
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.body.clone())
                            .map_err(|e| e.to_string())
                    });
                let outcome = match message {
                    Ok(message) => transport
                        .send(message)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(()) => {
                        metrics::counter!("mail_sent_total", "outcome" => "sent").increment(1)
                    }
                    Err(error) => {
                        metrics::counter!("mail_sent_total", "outcome" => "failed").increment(1);
                        tracing::warn!(%error, subject = %mail.subject, "could not send a mail");
                    }
                }
            }
        }
    }
}
