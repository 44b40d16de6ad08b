//! Forms that create: a payment link, a registered payment, an income invoice (saved as a
//! draft, previewed, then stamped), a credit note and a client. Each form is built from the
//! form toolkit, checked before anything is sent (SAT's rules, exact totals), and handed to
//! the audited write path as a `WriteRequest::Create`.

pub mod check;
pub mod created;
pub mod drafts;
pub mod items;
pub mod keys;
pub mod model;
pub mod sat;
