//! Emails the console sends, rendered from paired askama templates (`templates/email/<name>.txt`
//! and `.html`) and sent as multipart/alternative by the outbox worker.

pub mod transport;

use askama::Template;

use crate::domain::statuses::ApplicationKind;
use crate::error::AppError;
use crate::i18n::{Arg, Lang, Msg, Viewer};
use crate::outbox::NewMail;

/// A decision as the seller is told of it, in the message center and by email: keys with
/// arguments, so each reader reads it in their language.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: ApplicationKind,
    pub application_id: i64,
    pub subject: String,
    pub approved: bool,
    /// The reviewer's reason (required for a rejection) or comment, as typed.
    pub reason: Option<String>,
    /// Labels of the fields a rejection names.
    pub fields: Vec<Msg>,
}

impl Decision {
    fn outcome(&self) -> Msg {
        Msg::new(if self.approved {
            "notice-outcome-approved"
        } else {
            "notice-outcome-rejected"
        })
    }

    /// "Product release #12 approved: Backup Pro".
    pub fn title(&self) -> Msg {
        Msg::new("notice-decision-title")
            .arg("kind", Msg::new(self.kind.key()))
            .arg("id", self.application_id)
            .arg("outcome", self.outcome())
            .arg("subject", self.subject.clone())
    }

    /// The reason or comment, and the fields to fix, a line each.
    pub fn body(&self) -> Vec<Msg> {
        let mut lines = vec![match &self.reason {
            Some(reason) if self.approved => {
                Msg::new("notice-comment-line").arg("reason", reason.clone())
            }
            Some(reason) => Msg::new("notice-reason-line").arg("reason", reason.clone()),
            None => Msg::new("notice-in-force"),
        }];
        if !self.fields.is_empty() {
            lines
                .push(Msg::new("notice-fields-line").arg("fields", Arg::List(self.fields.clone())));
        }
        lines
    }
}

/// The email of a decision, to the person who submitted it, in their language.
pub struct DecisionMail<'a> {
    pub recipient: &'a str,
    pub company_id: i64,
    pub notice: &'a Decision,
    /// Absolute link to the application in the console.
    pub link: String,
    pub reader: Viewer,
}

impl DecisionMail<'_> {
    pub fn lang(&self) -> Lang {
        self.reader.lang
    }

    pub fn t(&self, key: &str) -> String {
        crate::i18n::t(self.lang(), key)
    }

    pub fn approved(&self) -> bool {
        self.notice.approved
    }

    pub fn reason(&self) -> Option<&str> {
        self.notice.reason.as_deref()
    }

    pub fn fields(&self) -> Vec<String> {
        self.notice
            .fields
            .iter()
            .map(|f| f.render(self.lang()))
            .collect()
    }

    pub fn fields_text(&self) -> String {
        crate::i18n::list(self.lang(), &self.notice.fields)
    }

    /// "Your product release application #12 (Backup Pro) has been approved."
    pub fn opening(&self) -> String {
        let n = self.notice;
        let kind = n.kind.label();
        let kind = match self.lang() {
            Lang::En => kind.to_lowercase(),
            Lang::ZhCn => kind,
        };
        Msg::new("mail-decision-opening")
            .arg("kind", kind)
            .arg("id", n.application_id)
            .arg("subject", n.subject.clone())
            .arg("outcome", n.outcome())
            .render(self.lang())
    }

    pub fn mail_subject(&self) -> String {
        let n = self.notice;
        Msg::new("mail-decision-subject")
            .arg("id", n.application_id)
            .arg("outcome", n.outcome())
            .arg("kind", Msg::new(n.kind.key()))
            .arg("subject", n.subject.clone())
            .render(self.lang())
    }

    pub fn view_link_text(&self) -> String {
        Msg::new("mail-view-application")
            .arg("id", self.notice.application_id)
            .render(self.lang())
    }
}

#[derive(Template)]
#[template(path = "email/decision.txt")]
struct DecisionText<'a> {
    m: &'a DecisionMail<'a>,
}

#[derive(Template)]
#[template(path = "email/decision.html")]
struct DecisionHtml<'a> {
    m: &'a DecisionMail<'a>,
}

/// Rendered now, in the recipient's language and zone; the outbox keeps what was sent.
pub fn decision(m: &DecisionMail) -> Result<NewMail, AppError> {
    crate::i18n::with(m.reader.clone(), || {
        Ok(NewMail {
            company_id: Some(m.company_id),
            application_id: Some(m.notice.application_id),
            recipient: m.recipient.to_string(),
            subject: m.mail_subject(),
            body_text: rendered(DecisionText { m }.render())?,
            body_html: rendered(DecisionHtml { m }.render())?,
        })
    })
}

/// A sign-up: the link that confirms it, or, for an address that already has an account, the
/// sign-in page. The page after signing up says the same either way. Written in the language of
/// the visitor who signed up (the current viewer).
pub struct SignupMail<'a> {
    pub email: &'a str,
    pub link: String,
}

#[derive(Template)]
#[template(path = "email/signup_confirm.txt")]
struct SignupConfirmText<'a> {
    m: &'a SignupMail<'a>,
}

#[derive(Template)]
#[template(path = "email/signup_confirm.html")]
struct SignupConfirmHtml<'a> {
    m: &'a SignupMail<'a>,
}

#[derive(Template)]
#[template(path = "email/signup_exists.txt")]
struct SignupExistsText<'a> {
    m: &'a SignupMail<'a>,
}

#[derive(Template)]
#[template(path = "email/signup_exists.html")]
struct SignupExistsHtml<'a> {
    m: &'a SignupMail<'a>,
}

fn rendered(r: askama::Result<String>) -> Result<String, AppError> {
    r.map_err(|e| AppError::Internal(anyhow::anyhow!("email template: {e}")))
}

pub fn signup_confirm(m: &SignupMail) -> Result<NewMail, AppError> {
    Ok(NewMail {
        company_id: None,
        application_id: None,
        recipient: m.email.to_string(),
        subject: crate::i18n::tr("mail-signup-subject"),
        body_text: rendered(SignupConfirmText { m }.render())?,
        body_html: rendered(SignupConfirmHtml { m }.render())?,
    })
}

pub fn signup_exists(m: &SignupMail) -> Result<NewMail, AppError> {
    Ok(NewMail {
        company_id: None,
        application_id: None,
        recipient: m.email.to_string(),
        subject: crate::i18n::tr("mail-exists-subject"),
        body_text: rendered(SignupExistsText { m }.render())?,
        body_html: rendered(SignupExistsHtml { m }.render())?,
    })
}

/// A notice about an order (placed, paid, cancelled) to its buyer or its seller: rendered now
/// in the recipient's language and zone.
pub struct OrderMail<'a> {
    pub recipient: &'a str,
    pub company_id: Option<i64>,
    pub subject: Msg,
    pub lines: Vec<Msg>,
    pub link: String,
    pub reader: Viewer,
}

#[derive(Template)]
#[template(path = "email/order.txt")]
struct OrderText<'a> {
    m: &'a OrderMail<'a>,
}

#[derive(Template)]
#[template(path = "email/order.html")]
struct OrderHtml<'a> {
    m: &'a OrderMail<'a>,
}

pub fn order_notice(m: &OrderMail) -> Result<NewMail, AppError> {
    crate::i18n::with(m.reader.clone(), || {
        Ok(NewMail {
            company_id: m.company_id,
            application_id: None,
            recipient: m.recipient.to_string(),
            subject: m.subject.to_string(),
            body_text: rendered(OrderText { m }.render())?,
            body_html: rendered(OrderHtml { m }.render())?,
        })
    })
}
