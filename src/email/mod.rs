//! Emails the console sends, rendered from paired askama templates (`templates/email/<name>.txt`
//! and `.html`) and sent as multipart/alternative by the outbox worker.

pub mod transport;

use askama::Template;

use crate::error::AppError;
use crate::outbox::NewMail;

/// What the seller is told about a decision.
pub struct DecisionMail<'a> {
    pub recipient: &'a str,
    pub company_id: i64,
    pub application_id: i64,
    pub kind_label: &'a str,
    pub subject: &'a str,
    pub approved: bool,
    /// The reviewer's reason (required for a rejection) or comment.
    pub reason: Option<&'a str>,
    /// Labels of the fields a rejection names.
    pub fields: &'a [String],
    /// Absolute link to the application in the console.
    pub link: String,
}

impl DecisionMail<'_> {
    pub fn outcome(&self) -> &'static str {
        if self.approved {
            "approved"
        } else {
            "rejected"
        }
    }

    pub fn mail_subject(&self) -> String {
        format!(
            "Application #{} {}: {} - {}",
            self.application_id,
            self.outcome(),
            self.kind_label,
            self.subject
        )
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

pub fn decision(m: &DecisionMail) -> Result<NewMail, AppError> {
    let render = |r: askama::Result<String>| {
        r.map_err(|e| AppError::Internal(anyhow::anyhow!("email template: {e}")))
    };
    Ok(NewMail {
        company_id: Some(m.company_id),
        application_id: Some(m.application_id),
        recipient: m.recipient.to_string(),
        subject: m.mail_subject(),
        body_text: render(DecisionText { m }.render())?,
        body_html: render(DecisionHtml { m }.render())?,
    })
}

/// A sign-up: the link that confirms it, or, for an address that already has an account, the
/// sign-in page. The page after signing up says the same either way.
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
        subject: "Confirm your Seller Console account".to_string(),
        body_text: rendered(SignupConfirmText { m }.render())?,
        body_html: rendered(SignupConfirmHtml { m }.render())?,
    })
}

pub fn signup_exists(m: &SignupMail) -> Result<NewMail, AppError> {
    Ok(NewMail {
        company_id: None,
        application_id: None,
        recipient: m.email.to_string(),
        subject: "You already have a Seller Console account".to_string(),
        body_text: rendered(SignupExistsText { m }.render())?,
        body_html: rendered(SignupExistsHtml { m }.render())?,
    })
}
