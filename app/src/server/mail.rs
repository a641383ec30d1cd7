//! Sending mail through lettre: real SMTP when `SMTP_URL` is set, otherwise `.eml` files under
//! the data folder (so a first run works without a mail server). Account mails (invitation,
//! password reset) are rendered here from the message catalogues.

use std::path::PathBuf;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::Locale;
use crate::i18n::{translate, translate_with};

#[derive(Clone)]
pub enum Mailer {
    Files {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mailer {
    pub fn from_settings(settings: &super::Settings) -> anyhow::Result<Self> {
        match &settings.smtp_url {
            Some(url) => {
                // One open connection per mail in flight, reused from mail to mail.
                let pool = PoolConfig::new().max_size(settings.mail_concurrency as u32);
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("invalid SMTP_URL: {e}"))?
                    .pool_config(pool)
                    .build();
                tracing::info!(smtp = %super::config::redact_url(url), "mail goes through SMTP");
                Ok(Mailer::Smtp(transport))
            }
            None => {
                let dir = settings.mail_dir();
                std::fs::create_dir_all(&dir)?;
                tracing::info!(folder = %dir.display(), "SMTP_URL is not set: mail is written as .eml files");
                Ok(Mailer::Files {
                    transport: AsyncFileTransport::new(&dir),
                    dir,
                })
            }
        }
    }

    pub async fn send(&self, from: &str, email: Email) -> anyhow::Result<()> {
        let from: Mailbox = from.parse()?;
        let to: Mailbox = email.to.parse()?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject)
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))?;
        match self {
            Mailer::Files { transport, dir } => {
                let id = transport.send(message).await?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "mail written");
            }
            Mailer::Smtp(transport) => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}

/// Why a mail did not leave: worth retrying or not.
#[derive(Debug)]
pub enum SendError {
    Temporary(String),
    Permanent(String),
}

/// `List-Unsubscribe: <link>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_matches(['<', '>']).to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

impl Mailer {
    /// A notification: with its stable Message-ID and one-click unsubscribe headers, dated
    /// when the change it tells of happened (mails leave several at once, so their order of
    /// arrival is not the order of the changes; mail readers sort by this date); failures
    /// sorted into temporary (retry) and permanent (give up).
    pub async fn send_tracked(
        &self,
        from: &str,
        email: Email,
        message_id: &str,
        unsubscribe: &str,
        written: std::time::SystemTime,
    ) -> Result<(), SendError> {
        let permanent = |e: &dyn std::fmt::Display| SendError::Permanent(e.to_string());
        let from: Mailbox = from.parse().map_err(|e| permanent(&e))?;
        let to: Mailbox = email.to.parse().map_err(|e| permanent(&e))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject)
            .date(written)
            .message_id(Some(message_id.to_string()))
            .header(ListUnsubscribe(unsubscribe.to_string()))
            .header(ListUnsubscribePost)
            .multipart(MultiPart::alternative_plain_html(email.text, email.html))
            .map_err(|e| permanent(&e))?;
        match self {
            Mailer::Files { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Temporary(e.to_string())),
            Mailer::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Temporary(e.to_string())
                }
            }),
        }
    }
}

pub fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// What kind of one-time account link a mail carries.
#[derive(Clone, Copy)]
pub enum AccountMail {
    Invitation,
    PasswordReset,
}

/// The invitation or reset mail: a greeting, one sentence, the link, its validity. No case data.
/// The neutral notice to the owner of an account someone tried to invite into an
/// organisation: no link, no organisation named, nothing changed.
pub fn existing_account_mail(locale: Locale, to: &str, name: &str) -> Email {
    let greeting = translate_with(locale, "mail-greeting", &[("name", name.to_string())]);
    let body = translate(locale, "mail-invitation-existing-body");
    let ignore = translate(locale, "mail-ignore");
    Email {
        to: to.to_string(),
        subject: translate(locale, "mail-invitation-existing-subject"),
        text: format!("{greeting}\n\n{body}\n\n{ignore}\n"),
        html: format!(
            "<!doctype html><html lang=\"{lang}\"><body><p>{greeting}</p><p>{body}</p>\
             <p>{ignore}</p></body></html>",
            lang = locale.as_str(),
            greeting = escape_html(&greeting),
            body = escape_html(&body),
            ignore = escape_html(&ignore),
        ),
    }
}

pub fn account_mail(kind: AccountMail, locale: Locale, to: &str, name: &str, link: &str) -> Email {
    let (subject, intro) = match kind {
        AccountMail::Invitation => ("mail-invitation-subject", "mail-invitation-body"),
        AccountMail::PasswordReset => ("mail-reset-subject", "mail-reset-body"),
    };
    let validity = match kind {
        AccountMail::Invitation => "mail-invitation-validity",
        AccountMail::PasswordReset => "mail-reset-validity",
    };
    let greeting = translate_with(locale, "mail-greeting", &[("name", name.to_string())]);
    let intro = translate(locale, intro);
    let validity = translate(locale, validity);
    let ignore = translate(locale, "mail-ignore");
    let text = format!("{greeting}\n\n{intro}\n\n{link}\n\n{validity}\n{ignore}\n");
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><body><p>{greeting}</p><p>{intro}</p>\
         <p><a href=\"{link_attr}\">{link_text}</a></p><p>{validity}<br>{ignore}</p></body></html>",
        lang = locale.as_str(),
        greeting = escape_html(&greeting),
        intro = escape_html(&intro),
        link_attr = escape_html(link),
        link_text = escape_html(link),
        validity = escape_html(&validity),
        ignore = escape_html(&ignore),
    );
    Email {
        to: to.to_string(),
        subject: translate(locale, subject),
        text,
        html,
    }
}
