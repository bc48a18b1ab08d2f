//! Roles, application kinds and statuses: enums in Rust, text with a CHECK in the database.

use std::fmt;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $($variant),+ }

        /// Written as its text, on every backend.
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        /// Read from its text; a value this version does not know is an error, never a default.
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                $name::parse(&text).ok_or_else(|| {
                    format!("unknown {} stored: {text:?}", stringify!($name)).into()
                })
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        /// Stored and serialised as its text, like the database column.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {text}", stringify!($name))))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

text_enum!(Role {
    Seller => "seller", "Seller";
    Operator => "operator", "Operator";
    Admin => "admin", "Administrator";
});

impl Role {
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Operator | Role::Admin)
    }
}

text_enum!(
    /// Where a company stands with its seller registration.
    RegistrationStatus {
        Unregistered => "unregistered", "Not registered";
        Pending => "pending", "Pending review";
        Approved => "approved", "Approved";
        Rejected => "rejected", "Rejected";
    }
);

text_enum!(ApplicationKind {
    Registration => "registration", "Seller registration";
    ProductRelease => "product_release", "Product release";
    ProductModification => "product_modification", "Product modification";
    ProductRemoval => "product_removal", "Product removal";
    BusinessContactChange => "business_contact_change", "Business contact change";
    PresalesInfoChange => "presales_info_change", "Pre-sales info change";
    CompanyNameChange => "company_name_change", "Company name change";
});

text_enum!(ApplicationStatus {
    Pending => "pending", "Pending review";
    InReview => "in_review", "In review";
    Approved => "approved", "Approved";
    Rejected => "rejected", "Rejected";
    Withdrawn => "withdrawn", "Withdrawn";
});

impl ApplicationStatus {
    /// Not yet decided or withdrawn: blocks another application on the same subject.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Pending | ApplicationStatus::InReview
        )
    }

    pub const OPEN: [&'static str; 2] = ["pending", "in_review"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_text() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(s.as_str()), Some(*s));
        }
        for k in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

text_enum!(DeliveryMethod {
    Image => "image", "Image";
    Saas => "saas", "SaaS";
    License => "license", "License";
    ProfessionalServices => "professional_services", "Professional Services";
    ConsultingServices => "consulting_services", "Consulting Services";
});

impl DeliveryMethod {
    /// Multi-SKU specifications are allowed only for these (SPEC §5).
    pub fn allows_multi_sku(self) -> bool {
        matches!(
            self,
            DeliveryMethod::Saas | DeliveryMethod::License | DeliveryMethod::ProfessionalServices
        )
    }

    /// Consulting Services are not sold through the marketplace: the listing links out.
    pub fn is_sold_here(self) -> bool {
        self != DeliveryMethod::ConsultingServices
    }
}

text_enum!(
    /// Where a product stands, as My Products shows it.
    ProductStatus {
        Draft => "draft", "Draft";
        InReview => "in_review", "In review";
        Listed => "listed", "Listed";
        Rejected => "rejected", "Rejected";
        Hidden => "hidden", "Hidden";
        Removed => "removed", "Removed";
    }
);

text_enum!(BillingMode {
    YearlyMonthly => "yearly_monthly", "Yearly/monthly";
    OneTime => "one_time", "One-time";
    PayPerUse => "pay_per_use", "Pay-per-use";
});

impl BillingMode {
    /// Which billing modes each delivery method may offer.
    pub fn allowed_for(method: DeliveryMethod) -> &'static [BillingMode] {
        match method {
            DeliveryMethod::Image => &[BillingMode::YearlyMonthly, BillingMode::PayPerUse],
            DeliveryMethod::Saas => &[
                BillingMode::YearlyMonthly,
                BillingMode::OneTime,
                BillingMode::PayPerUse,
            ],
            DeliveryMethod::License => &[BillingMode::YearlyMonthly, BillingMode::OneTime],
            DeliveryMethod::ProfessionalServices => &[BillingMode::OneTime],
            DeliveryMethod::ConsultingServices => &[],
        }
    }
}

text_enum!(
    /// Where an outbox message stands with delivery.
    OutboxStatus {
        Queued => "queued", "Queued";
        Sending => "sending", "Sending";
        Sent => "sent", "Sent";
        Failed => "failed", "Failed";
    }
);

text_enum!(UploadKind {
    Logo => "logo", "Logo";
    RequestTemplate => "request_template", "Request template";
    BusinessLetter => "business_letter", "Business letter";
    CopyrightCertificate => "copyright_certificate", "Software copyright certificate";
});

impl UploadKind {
    /// Which files a product of each delivery method has: request templates belong to
    /// Professional Services only (buyers fill them in before the work starts).
    pub fn allowed_for(self, method: DeliveryMethod) -> bool {
        self != UploadKind::RequestTemplate || method == DeliveryMethod::ProfessionalServices
    }
}
