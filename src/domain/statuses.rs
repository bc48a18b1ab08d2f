//! Roles, application kinds and statuses: enums in Rust, text with a CHECK in the database.

use std::fmt;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal;)+ }) => {
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

            /// The key of its label in `locales/`: `ApplicationStatus-in_review`.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => concat!(stringify!($name), "-", $text)),+ }
            }

            /// The label in the reader's language.
            pub fn label(self) -> String {
                crate::i18n::tr(self.key())
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
                f.write_str(&self.label())
            }
        }
    };
}

text_enum!(Role {
    Seller => "seller";
    Operator => "operator";
    Admin => "admin";
    Buyer => "buyer";
});

text_enum!(
    /// Where an order stands (SPEC 11).
    OrderState {
        PendingPayment => "pending_payment";
        Processing => "processing";
        Completed => "completed";
        Cancelled => "cancelled";
        Expired => "expired";
        Unsubscribed => "unsubscribed";
    }
);

text_enum!(
    /// Where a monthly bill stands (SPEC 12).
    BillState {
        Generated => "generated";
        PendingApproval => "pending_approval";
        AwaitingInvoice => "awaiting_invoice";
        Paid => "paid";
        Disputed => "disputed";
    }
);

text_enum!(
    /// A buyer's refund request on an order, decided by the seller (SPEC 11).
    RefundState {
        Requested => "requested";
        Approved => "approved";
        Rejected => "rejected";
    }
);

impl Role {
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Operator | Role::Admin)
    }
}

text_enum!(
    /// Where a company stands with its seller registration.
    RegistrationStatus {
        Unregistered => "unregistered";
        Pending => "pending";
        Approved => "approved";
        Rejected => "rejected";
    }
);

text_enum!(ApplicationKind {
    Registration => "registration";
    ProductRelease => "product_release";
    ProductModification => "product_modification";
    ProductRemoval => "product_removal";
    BusinessContactChange => "business_contact_change";
    PresalesInfoChange => "presales_info_change";
    CompanyNameChange => "company_name_change";
    BannerRequest => "banner_request";
    FeaturedRequest => "featured_request";
    TestCouponRequest => "test_coupon_request";
});

text_enum!(ApplicationStatus {
    Pending => "pending";
    InReview => "in_review";
    Approved => "approved";
    Rejected => "rejected";
    Withdrawn => "withdrawn";
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

impl ApplicationKind {
    /// A benefit request (SPEC 13): its own rules say how many may be open (one slot request
    /// per seller and month, a coupon once per product), not one per kind.
    pub fn is_benefit(self) -> bool {
        matches!(
            self,
            ApplicationKind::BannerRequest
                | ApplicationKind::FeaturedRequest
                | ApplicationKind::TestCouponRequest
        )
    }

    /// The kind as a word in a state, e.g. "Listed · modification in review".
    pub fn noun(self) -> String {
        crate::i18n::tr(&format!("noun-{}", self.as_str()))
    }
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
    Image => "image";
    Saas => "saas";
    License => "license";
    ProfessionalServices => "professional_services";
    ConsultingServices => "consulting_services";
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
    /// Where a product is in its life (SPEC 7.1): a draft until its first release is approved,
    /// live from then on, removed once a removal is approved (for good).
    Lifecycle {
        Draft => "draft";
        Live => "live";
        Removed => "removed";
    }
);

text_enum!(
    /// Whether a live product is in the catalog list and search (it opens by URL either way).
    Visibility {
        Shown => "shown";
        Hidden => "hidden";
    }
);

/// The application a product has open (pending or in review), read from `applications`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenApplication {
    pub id: i64,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
}

/// A product's three states (SPEC 7.1), and what was last decided about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductState {
    pub lifecycle: Lifecycle,
    pub visibility: Visibility,
    pub open: Option<OpenApplication>,
    /// The latest application about the product was rejected (and nothing is open).
    pub rejected: bool,
}

impl ProductState {
    /// What My Products says, e.g. "Listed · modification in review".
    pub fn label(&self) -> String {
        use crate::i18n::Msg;
        let base = match (self.lifecycle, self.visibility) {
            (Lifecycle::Live, Visibility::Hidden) => crate::i18n::tr("product-state-hidden"),
            (lifecycle, _) => lifecycle.label(),
        };
        let lang = crate::i18n::lang();
        match (self.open, self.rejected) {
            (Some(open), _) => Msg::new("product-state-in-review")
                .arg("base", base)
                .arg("noun", open.kind.noun())
                .render(lang),
            (None, true) if self.lifecycle == Lifecycle::Draft => {
                Msg::new("product-state-rejected")
                    .arg("base", base)
                    .render(lang)
            }
            (None, true) if self.lifecycle == Lifecycle::Live => {
                Msg::new("product-state-last-rejected")
                    .arg("base", base)
                    .render(lang)
            }
            _ => base,
        }
    }

    /// The badge's class: the state that matters most to the seller.
    pub fn badge(&self) -> &'static str {
        match (self.lifecycle, self.visibility, self.open, self.rejected) {
            (Lifecycle::Removed, ..) => "removed",
            (_, _, Some(_), _) => "in_review",
            (_, _, None, true) => "rejected",
            (Lifecycle::Live, Visibility::Hidden, ..) => "hidden",
            (Lifecycle::Live, ..) => "listed",
            (Lifecycle::Draft, ..) => "draft",
        }
    }

    /// The working copy can be edited: not removed, and nothing about it is in review.
    pub fn is_editable(&self) -> bool {
        self.lifecycle != Lifecycle::Removed && self.open.is_none()
    }
}

/// The tabs of My Products: one per state a seller looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductFilter {
    Draft,
    Listed,
    InReview,
    Hidden,
    Removed,
}

impl ProductFilter {
    pub const ALL: [ProductFilter; 5] = [
        ProductFilter::Draft,
        ProductFilter::Listed,
        ProductFilter::InReview,
        ProductFilter::Hidden,
        ProductFilter::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductFilter::Draft => "draft",
            ProductFilter::Listed => "listed",
            ProductFilter::InReview => "in_review",
            ProductFilter::Hidden => "hidden",
            ProductFilter::Removed => "removed",
        }
    }

    pub fn label(self) -> String {
        crate::i18n::tr(&format!("filter-{}", self.as_str()))
    }

    pub fn parse(s: &str) -> Option<ProductFilter> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

text_enum!(
    /// One entry of a product's history (SPEC 7.6).
    ProductEventKind {
        Submitted => "submitted";
        Claimed => "claimed";
        Approved => "approved";
        Rejected => "rejected";
        Withdrawn => "withdrawn";
        Hidden => "hidden";
        Unhidden => "unhidden";
        SpecHidden => "spec_hidden";
        SpecUnhidden => "spec_unhidden";
    }
);

impl ProductEventKind {
    /// The history entry an application's change of status makes.
    pub fn for_status(status: ApplicationStatus) -> ProductEventKind {
        match status {
            ApplicationStatus::Pending => ProductEventKind::Submitted,
            ApplicationStatus::InReview => ProductEventKind::Claimed,
            ApplicationStatus::Approved => ProductEventKind::Approved,
            ApplicationStatus::Rejected => ProductEventKind::Rejected,
            ApplicationStatus::Withdrawn => ProductEventKind::Withdrawn,
        }
    }
}

text_enum!(BillingMode {
    YearlyMonthly => "yearly_monthly";
    OneTime => "one_time";
    PayPerUse => "pay_per_use";
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
        Queued => "queued";
        Sending => "sending";
        Sent => "sent";
        Failed => "failed";
    }
);

text_enum!(UploadKind {
    Logo => "logo";
    RequestTemplate => "request_template";
    BusinessLetter => "business_letter";
    CopyrightCertificate => "copyright_certificate";
});

impl UploadKind {
    /// Which files a product of each delivery method has: request templates belong to
    /// Professional Services only (buyers fill them in before the work starts).
    pub fn allowed_for(self, method: DeliveryMethod) -> bool {
        self != UploadKind::RequestTemplate || method == DeliveryMethod::ProfessionalServices
    }
}
