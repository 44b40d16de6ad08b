//! The status enums of invoices, cancellations, payments and receipts: every documented
//! spelling accepted (`canceled`/`cancelled`, `stamped` ≡ `valid`), unknown values kept.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! status_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => [$($text:literal),+]),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know; kept so the page still loads.
            Other(String),
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.to_ascii_lowercase().as_str() {
                    $($($text)|+ => $name::$variant,)+
                    _ => $name::Other(s),
                }
            }
        }

        impl From<$name> for String {
            fn from(s: $name) -> String {
                s.as_str().to_string()
            }
        }

        impl $name {
            /// The canonical wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => status_enum!(@first $($text),+),)+
                    $name::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@first $first:literal $(, $rest:literal)*) => { $first };
}

status_enum!(
    /// Invoice status; `stamped` is the same as `valid` (§4.7).
    InvoiceStatus {
        Valid => ["valid", "stamped"],
        Canceled => ["canceled", "cancelled"],
        Pending => ["pending", "processing", "created"],
        Draft => ["draft"],
    }
);

status_enum!(
    /// The SAT cancellation request's own state, apart from the invoice status.
    CancellationStatus {
        Pending => ["pending"],
        Accepted => ["accepted"],
        Rejected => ["rejected"],
        None => ["none"],
    }
);

status_enum!(
    /// Payment status (§5.7).
    PaymentStatus {
        RequiresPaymentMethod => ["requires_payment_method"],
        Pending => ["pending"],
        Processing => ["processing"],
        Succeeded => ["succeeded", "paid", "registered"],
        Failed => ["failed"],
        Canceled => ["canceled", "cancelled"],
        Refunded => ["refunded"],
    }
);

status_enum!(
    /// Receipt status (§6.4); `open` ≡ pending, `completed` ≡ invoiced.
    ReceiptStatus {
        Pending => ["pending", "open"],
        Invoiced => ["invoiced", "completed"],
        Expired => ["expired"],
        Canceled => ["cancelled", "canceled"],
    }
);

impl PaymentStatus {
    /// Uncollected: may be marked paid or canceled (cfdi-rules.md).
    pub fn is_uncollected(&self) -> bool {
        matches!(
            self,
            PaymentStatus::RequiresPaymentMethod
                | PaymentStatus::Pending
                | PaymentStatus::Processing
        )
    }
}
