//! A replacement: one placeholder and what it stands for. Its own module because both the
//! pseudonymizer (which makes them) and the restorer (which reads them) use it, and neither
//! should depend on the other for it.

use serde::{Deserialize, Serialize};

use crate::kind::Kind;

/// One placeholder and what it stands for: what left this computer in its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    /// "[NOM_1]".
    pub placeholder: String,
    pub kind: Kind,
    /// The value the placeholder restores to (the fullest spelling seen, for a name).
    pub original: String,
    /// Every spelling replaced by this placeholder, as written ("Youssef AMRANI", "Amrani").
    pub spellings: Vec<String>,
    /// Where it was found: the origins given to `Pseudonymizer::apply_from` (a field, a file,
    /// a sheet), in order of first occurrence.
    pub origins: Vec<String>,
    /// How many times it was replaced.
    pub count: usize,
}
