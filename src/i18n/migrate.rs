//! Rows written before texts were stored as keys (message-center titles and bodies, timeline
//! steps, history details) are rewritten once into stored messages: the console's own
//! sentences become their keys with their arguments, anything else (a reviewer's reason, a
//! specification's name) is kept as typed. Runs after the migrations on both backends; a row
//! already stored as a message is not touched, so running it again changes nothing.

use diesel::prelude::*;
use once_cell::sync::Lazy;
use regex::Regex;

use super::{lines_to_stored, Arg, Lang, Msg};
use crate::db::schema::{application_events, messages, product_events};
use crate::db::DbConn;
use crate::domain::statuses::ApplicationKind;
use crate::error::AppError;

/// Rows are read and rewritten this many at a time.
const BATCH: i64 = 500;

/// Rewrites every row not stored as a message yet; returns how many were rewritten.
pub fn stored_texts(conn: &mut DbConn) -> Result<usize, AppError> {
    Ok(events(conn)? + notices(conn)? + details(conn)? + subjects(conn)?)
}

/// Subjects the console composed in English ("Business contact: Wei Zhang", "Backup Pro: The
/// whole product") become data only ("Wei Zhang", "Backup Pro"): the kind says the rest.
fn subjects(conn: &mut DbConn) -> Result<usize, AppError> {
    use crate::db::schema::applications;
    let mut done = 0;
    for (kind, pattern) in [
        (
            ApplicationKind::BusinessContactChange,
            "Business contact: %",
        ),
        (ApplicationKind::PresalesInfoChange, "Pre-sales info: %"),
        (ApplicationKind::ProductRemoval, "%: %"),
    ] {
        let rows: Vec<(i64, String)> = applications::table
            .filter(applications::kind.eq(kind.as_str()))
            .filter(applications::subject.like(pattern))
            .select((applications::id, applications::subject))
            .load(conn)?;
        for (id, subject) in rows {
            if let Some(data) = subject_data(kind, &subject) {
                diesel::update(applications::table.find(id))
                    .set(applications::subject.eq(data))
                    .execute(conn)?;
                done += 1;
            }
        }
    }
    Ok(done)
}

static REMOVAL_SUBJECT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^(?s)(.*): (?:The whole product|Specification “(.*)”|SKU “(.*)” of specification “(.*)”)$",
    )
    .expect("removal subject regex compiles")
});

/// The data of a subject composed in English; `None` when it is data already.
pub fn subject_data(kind: ApplicationKind, subject: &str) -> Option<String> {
    match kind {
        ApplicationKind::BusinessContactChange => subject
            .strip_prefix("Business contact: ")
            .map(str::to_string),
        ApplicationKind::PresalesInfoChange => {
            subject.strip_prefix("Pre-sales info: ").map(str::to_string)
        }
        ApplicationKind::ProductRemoval => {
            let c = REMOVAL_SUBJECT.captures(subject)?;
            let name = &c[1];
            Some(match (c.get(2), c.get(3), c.get(4)) {
                (Some(spec), _, _) => format!("{name} · {}", spec.as_str()),
                (_, Some(sku), Some(spec)) if sku.as_str() == "Standard" => {
                    format!("{name} · {}", spec.as_str())
                }
                (_, Some(sku), Some(spec)) => {
                    format!("{name} · {} · {}", spec.as_str(), sku.as_str())
                }
                _ => name.to_string(),
            })
        }
        _ => None,
    }
}

/// Walks rows by id, `BATCH` at a time: `load` reads the next rows after an id, `each`
/// rewrites one. Returns how many were rewritten.
fn batched<R>(
    conn: &mut DbConn,
    load: impl Fn(&mut DbConn, i64) -> QueryResult<Vec<(i64, R)>>,
    mut each: impl FnMut(&mut DbConn, i64, R) -> Result<(), AppError>,
) -> Result<usize, AppError> {
    let mut done = 0;
    let mut after = 0i64;
    loop {
        let rows = load(conn, after)?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(done);
        };
        for (id, row) in rows {
            each(conn, id, row)?;
            done += 1;
        }
        after = last;
    }
}

fn events(conn: &mut DbConn) -> Result<usize, AppError> {
    batched(
        conn,
        |c, after| {
            application_events::table
                .filter(application_events::id.gt(after))
                .filter(application_events::comment.is_not_null())
                .filter(application_events::comment.not_like("{%"))
                .order(application_events::id.asc())
                .select((application_events::id, application_events::comment))
                .limit(BATCH)
                .load::<(i64, Option<String>)>(c)
        },
        |c, id, comment| {
            let text = comment.unwrap_or_default();
            diesel::update(application_events::table.find(id))
                .set(application_events::comment.eq(Some(event_msg(&text).to_stored())))
                .execute(c)?;
            Ok(())
        },
    )
}

fn details(conn: &mut DbConn) -> Result<usize, AppError> {
    batched(
        conn,
        |c, after| {
            product_events::table
                .filter(product_events::id.gt(after))
                .filter(product_events::detail.is_not_null())
                .filter(product_events::detail.not_like("{%"))
                .order(product_events::id.asc())
                .select((product_events::id, product_events::detail))
                .limit(BATCH)
                .load::<(i64, Option<String>)>(c)
        },
        |c, id, detail| {
            let text = detail.unwrap_or_default();
            let msg = if text == "its last shown specification was removed" {
                Msg::new("event-detail-last-spec-removed")
            } else {
                Msg::raw(text)
            };
            diesel::update(product_events::table.find(id))
                .set(product_events::detail.eq(Some(msg.to_stored())))
                .execute(c)?;
            Ok(())
        },
    )
}

fn notices(conn: &mut DbConn) -> Result<usize, AppError> {
    batched(
        conn,
        |c, after| {
            messages::table
                .filter(messages::id.gt(after))
                .filter(
                    messages::title
                        .not_like("{%")
                        .or(messages::body.not_like("[%")),
                )
                .order(messages::id.asc())
                .select((messages::id, (messages::title, messages::body)))
                .limit(BATCH)
                .load::<(i64, (String, String))>(c)
        },
        |c, id, (title, body)| {
            let title = if title.starts_with('{') {
                title
            } else {
                title_msg(&title).to_stored()
            };
            let body = if body.starts_with('[') {
                body
            } else {
                lines_to_stored(&body_msgs(&body))
            };
            diesel::update(messages::table.find(id))
                .set((messages::title.eq(title), messages::body.eq(body)))
                .execute(c)?;
            Ok(())
        },
    )
}

/// A timeline step as the console wrote it in English.
pub fn event_msg(text: &str) -> Msg {
    match text {
        "Submitted" => Msg::new("event-submitted"),
        "Claimed for review" => Msg::new("event-claimed"),
        "Withdrawn by the seller" => Msg::new("event-withdrawn-by-seller"),
        other => Msg::raw(other),
    }
}

static TITLE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?s)(.+?) #(\d+) (approved|rejected): (.*)$").expect("title regex compiles")
});

/// "Product release #12 approved: Backup Pro" as the decision title it was written from.
pub fn title_msg(text: &str) -> Msg {
    let parsed = TITLE.captures(text).and_then(|c| {
        let kind = ApplicationKind::ALL
            .iter()
            .find(|k| super::t(Lang::En, k.key()) == c[1])?;
        let id: i64 = c[2].parse().ok()?;
        let outcome = match &c[3] {
            "approved" => "notice-outcome-approved",
            _ => "notice-outcome-rejected",
        };
        Some(
            Msg::new("notice-decision-title")
                .arg("kind", Msg::new(kind.key()))
                .arg("id", id)
                .arg("outcome", Msg::new(outcome))
                .arg("subject", c[4].to_string()),
        )
    });
    parsed.unwrap_or_else(|| Msg::raw(text))
}

/// A decision's body, a line each: the reason or comment, the fields to fix.
pub fn body_msgs(text: &str) -> Vec<Msg> {
    let (first, fields) = match text.rsplit_once("\nFields to fix: ") {
        Some((first, fields)) => (first, Some(fields)),
        None => match text.strip_prefix("Fields to fix: ") {
            Some(fields) => ("", Some(fields)),
            None => (text, None),
        },
    };
    let mut lines = Vec::new();
    if let Some(reason) = first.strip_prefix("Reviewer's comment: ") {
        lines.push(Msg::new("notice-comment-line").arg("reason", reason.to_string()));
    } else if let Some(reason) = first.strip_prefix("Reason: ") {
        lines.push(Msg::new("notice-reason-line").arg("reason", reason.to_string()));
    } else if first == "The change is now in force." {
        lines.push(Msg::new("notice-in-force"));
    } else if !first.is_empty() {
        lines.push(Msg::raw(first));
    }
    if let Some(fields) = fields {
        let labels = fields.split(", ").map(field_of_label).collect();
        lines.push(Msg::new("notice-fields-line").arg("fields", Arg::List(labels)));
    }
    lines
}

/// A field's English label back to its key, over every kind's fields; else as it is.
fn field_of_label(label: &str) -> Msg {
    ApplicationKind::ALL
        .iter()
        .flat_map(|k| crate::applications::fields_for(*k).iter())
        .map(|(_, key)| *key)
        .find(|key| super::has_key(key) && super::t(Lang::En, key) == label)
        .map(Msg::new)
        .unwrap_or_else(|| Msg::raw(label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_decision_title_becomes_its_key_and_reads_in_chinese() {
        let m = title_msg("Product release #12 approved: Backup Pro");
        assert_eq!(m.key, "notice-decision-title");
        assert_eq!(
            m.render(Lang::En),
            "Product release #12 approved: Backup Pro"
        );
        assert_eq!(m.render(Lang::ZhCn), "商品发布 #12 已通过：Backup Pro");
        // A subject with the separator in it keeps all of it.
        let m = title_msg("Company name change #3 rejected: A: B #4 approved: C");
        assert_eq!(
            m.render(Lang::En),
            "Company name change #3 rejected: A: B #4 approved: C"
        );
        assert!(title_msg("Welcome!").is_raw());
    }

    #[test]
    fn an_english_body_becomes_lines_with_the_reason_kept_as_typed() {
        let lines = body_msgs("Reason: Logo blurry\nFields to fix: Contact name, Tax number");
        let en: Vec<String> = lines.iter().map(|l| l.render(Lang::En)).collect();
        assert_eq!(
            en,
            [
                "Reason: Logo blurry",
                "Fields to fix: Contact name, Tax number"
            ]
        );
        let zh: Vec<String> = lines.iter().map(|l| l.render(Lang::ZhCn)).collect();
        assert_eq!(
            zh,
            [
                "驳回原因：Logo blurry",
                "需修改的字段：联系人姓名、税务登记号"
            ]
        );
        assert_eq!(
            body_msgs("The change is now in force.")[0].render(Lang::ZhCn),
            "变更已生效。"
        );
        assert_eq!(
            body_msgs("Something else")[0].render(Lang::ZhCn),
            "Something else"
        );
    }

    #[test]
    fn composed_subjects_keep_only_their_data() {
        use ApplicationKind::*;
        assert_eq!(
            subject_data(BusinessContactChange, "Business contact: Wei Zhang").as_deref(),
            Some("Wei Zhang")
        );
        assert_eq!(
            subject_data(ProductRemoval, "Backup Pro: The whole product").as_deref(),
            Some("Backup Pro")
        );
        assert_eq!(
            subject_data(ProductRemoval, "A: B: SKU “Pro” of specification “Basic”").as_deref(),
            Some("A: B · Basic · Pro")
        );
        assert_eq!(subject_data(ProductRemoval, "Backup Pro"), None);
        assert_eq!(subject_data(Registration, "Acme: Ltd"), None);
    }

    #[test]
    fn the_systems_timeline_steps_become_keys_and_typed_ones_stay() {
        assert_eq!(event_msg("Submitted").render(Lang::ZhCn), "已提交");
        assert_eq!(event_msg("Looks fine").render(Lang::ZhCn), "Looks fine");
    }
}
