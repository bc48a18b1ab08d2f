//! Demo data: on an empty database, one of each thing the console has, so a newcomer sees it
//! all at once. Grows with every feature.

use diesel::prelude::*;

use crate::auth::password;
use crate::db::schema::{application_events, applications, companies};
use crate::db::{self, write_transaction, DbConn};
use crate::domain::registration::RegistrationForm;
use crate::domain::statuses::{ApplicationKind, ApplicationStatus, RegistrationStatus, Role};
use crate::domain::support::{BusinessContactForm, ServiceGroupForm};
use crate::domain::working_days::review_due_date;
use crate::error::AppError;
use crate::models::application::{self, NewApplication, SubmitOutcome};
use crate::models::company::Company;
use crate::models::service_group;
use crate::models::user::{NewUser, User};

pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub note: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin {
        role: "seller",
        email: "seller@demo.example",
        password: "demo-seller-2026",
        note: "approved seller with service groups and a contact change under review",
    },
    DemoLogin {
        role: "seller",
        email: "newseller@demo.example",
        password: "demo-seller-2026",
        note: "company registration awaiting review",
    },
    DemoLogin {
        role: "operator",
        email: "operator@demo.example",
        password: "demo-operator-2026",
        note: "operations staff",
    },
];

pub fn has_demo_data(conn: &mut DbConn) -> Result<bool, AppError> {
    User::email_taken(conn, DEMO_LOGINS[0].email)
}

pub fn is_empty(conn: &mut DbConn) -> Result<bool, AppError> {
    use crate::db::schema::users;
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

fn create_user(
    conn: &mut DbConn,
    login: &DemoLogin,
    company_id: Option<i64>,
) -> Result<i64, AppError> {
    let hash = password::hash(login.password)?;
    let now = db::now();
    User::insert(
        conn,
        &NewUser {
            email: login.email,
            password_hash: &hash,
            role: if login.role == "operator" {
                Role::Operator.as_str()
            } else {
                Role::Seller.as_str()
            },
            company_id,
            created_at: now,
            password_changed_at: now,
        },
    )
}

fn registration_form(name: &str, region: &str) -> RegistrationForm {
    RegistrationForm {
        legal_name: name.into(),
        country_region: region.into(),
        established_on: "2019-03-18".into(),
        licence_number: "91440300MA5F2K8X1Q".into(),
        offerings: vec![
            "saas".into(),
            "images".into(),
            "professional_services".into(),
        ],
        tax_number: "TX-4403-0087".into(),
        bank_name: "Demo Commercial Bank".into(),
        bank_account_name: name.into(),
        bank_account_number: "6222 0212 3456 7890".into(),
        presales_staff: "4".into(),
        aftersales_staff: "6".into(),
        support_days: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            .map(String::from)
            .to_vec(),
        support_start: "08:30".into(),
        support_end: "20:30".into(),
        contact_name: "Lin Chen".into(),
        contact_email: "lin.chen@demo.example".into(),
        agreement: "accepted".into(),
    }
}

fn submit_registration(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    form: RegistrationForm,
    holidays: &[time::Date],
) -> Result<i64, AppError> {
    let now = db::now();
    let registration = form
        .check(now.date(), &crate::web::format_time(&now))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo registration invalid: {e:?}")))?;
    let outcome = application::submit(
        conn,
        NewApplication {
            company_id,
            kind: ApplicationKind::Registration,
            subject: &registration.legal_name,
            payload: serde_json::to_string(&registration).map_err(anyhow::Error::from)?,
            product_id: None,
            submitted_by: user_id,
            due_date: review_due_date(now.date(), holidays),
            may_take_longer: false,
        },
    )?;
    match outcome {
        SubmitOutcome::Submitted(id) => Ok(id),
        SubmitOutcome::AlreadyOpen(a) => Ok(a.id),
    }
}

/// Loads the demo data in one transaction; does nothing if the demo seller exists.
pub fn seed_demo(conn: &mut DbConn, holidays: &[time::Date]) -> Result<bool, AppError> {
    if has_demo_data(conn)? {
        return Ok(false);
    }
    write_transaction(conn, |conn| {
        let operator_id = create_user(conn, &DEMO_LOGINS[2], None)?;

        // An approved seller: registration decided, contact and pre-sales info in force.
        let company_id = Company::create_unregistered(conn)?;
        let seller_id = create_user(conn, &DEMO_LOGINS[0], Some(company_id))?;
        let name = "Demo Cloud Software Ltd";
        let reg_id = submit_registration(
            conn,
            company_id,
            seller_id,
            registration_form(name, "CN"),
            holidays,
        )?;
        let now = db::now();
        // The review console arrives later; until then the demo records the decision directly.
        diesel::update(applications::table.find(reg_id))
            .set((
                applications::status.eq(ApplicationStatus::Approved.as_str()),
                applications::reviewer_id.eq(Some(operator_id)),
                applications::decided_at.eq(Some(now)),
                applications::latest_comment.eq(Some("Licence, tax and bank details certified.")),
                applications::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::insert_into(application_events::table)
            .values((
                application_events::application_id.eq(reg_id),
                application_events::actor_id.eq(Some(operator_id)),
                application_events::status.eq(ApplicationStatus::Approved.as_str()),
                application_events::comment.eq(Some("Licence, tax and bank details certified.")),
                application_events::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(companies::table.find(company_id))
            .set((
                companies::legal_name.eq(Some(name)),
                companies::registration_status.eq(RegistrationStatus::Approved.as_str()),
                companies::contact_name.eq(Some("Lin Chen")),
                companies::contact_phone.eq(Some("+86 755 2878 0808")),
                companies::contact_email.eq(Some("lin.chen@demo.example")),
                companies::presales_phone.eq(Some("+86 400 830 8300")),
                companies::presales_email.eq(Some("presales@demo.example")),
                companies::presales_address.eq(Some("88 Keji Road, Nanshan, Shenzhen")),
                companies::updated_at.eq(now),
            ))
            .execute(conn)?;
        for (group_name, phone, email, days, start, end) in [
            (
                "Weekday support desk",
                "+86 755 2878 0810",
                "support@demo.example",
                "Mon,Tue,Wed,Thu,Fri",
                "09:00",
                "18:00",
            ),
            (
                "24x7 hotline",
                "+86 400 830 8310",
                "hotline@demo.example",
                "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
                "00:00",
                "24:00",
            ),
        ] {
            let group = ServiceGroupForm::from_stored(group_name, phone, email, days, start, end)
                .check()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("demo group invalid: {e:?}")))?;
            service_group::add(conn, company_id, &group)?;
        }
        let change = BusinessContactForm {
            contact_name: "Wei Zhang".into(),
            contact_phone: "+86 755 2878 0999".into(),
            contact_email: "wei.zhang@demo.example".into(),
        };
        application::submit(
            conn,
            NewApplication {
                company_id,
                kind: ApplicationKind::BusinessContactChange,
                subject: "Business contact: Wei Zhang",
                payload: serde_json::to_string(&change).map_err(anyhow::Error::from)?,
                product_id: None,
                submitted_by: seller_id,
                due_date: review_due_date(now.date(), holidays),
                may_take_longer: false,
            },
        )?;

        // A new seller whose registration awaits review.
        let new_company = Company::create_unregistered(conn)?;
        let new_seller = create_user(conn, &DEMO_LOGINS[1], Some(new_company))?;
        submit_registration(
            conn,
            new_company,
            new_seller,
            registration_form("Northwind Data Services Pte Ltd", "SG"),
            holidays,
        )?;
        Company::set_registration_status(conn, new_company, RegistrationStatus::Pending)?;
        Ok(true)
    })
}
