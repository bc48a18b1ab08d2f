//! Roles, application kinds and statuses: enums in Rust, text with a CHECK in the database.

use std::fmt;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

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
