//! The form toolkit dialogs are made of: fields (text, exact amount, Mexico City date, a
//! choice from a catalog with type-to-filter, a picker over a team's clients or services, a
//! repeated group of fields), their errors in words, Tab/Shift-Tab order and the confirm row
//! that starts on "No" (with the typed word on live keys). Knows nothing of writes.

pub mod text;
