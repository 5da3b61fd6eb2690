//! katib-pseudo: personal data found, replaced by placeholders before a prompt leaves the
//! computer, and put back into the answer as it streams in.
//!
//! - [`detect`] finds personal data in any text (form values, file extracts, sheet cells, a
//!   model's answer), in French and Arabic: names (after a civility, a label, or already known),
//!   CIN, phones, e-mail, RIB (key checked), IBAN and ICE (mod 97), CNSS / IF / Massar numbers
//!   with their keyword, dates of birth with their keyword, addresses with a house number or in
//!   an address block. It returns spans; it changes nothing.
//! - [`Pseudonymizer`] is one run: it replaces each value by a typed, numbered placeholder
//!   ([NOM_1], [CIN_1], [TEL_1]...), one per value whatever its spelling, across all the run's
//!   texts, and lists the [`Replacement`]s ("what left this computer"). One per run, no global
//!   state: nothing carries over to the next run.
//! - [`Restorer`] puts the values back into the streamed answer, chunk by chunk, holding back only
//!   a possible placeholder's beginning, and reports placeholders dropped or invented.
//! - [`instruction`] is the sentence for the system prompt (FR, AR, EN) that asks the model to
//!   keep placeholders as written.
//!
//! Everything here is local and synchronous; nothing is logged and the `Debug` output of the
//! run's state prints no value. Every function is total (any text is valid input), so there is no
//! error type. This crate does not depend on katib-core. What is detected and how well:
//! docs/privacy.md.
//!
//! ```
//! use katib_pseudo::{Hints, Kind, Pseudonymizer};
//!
//! let mut hints = Hints::new();
//! hints.add("Youssef Amrani", Some(Kind::Nom)); // a form field marked personal
//! let mut run = Pseudonymizer::new(hints);
//! let sent = run.apply_all([
//!     ("champ objet", "Réclamation de M. Youssef Amrani (CIN n° AB123456)"),
//!     ("lettre.docx", "Je soussigné Youssef AMRANI, tél. 06 12 34 56 78, sollicite..."),
//! ]);
//! assert_eq!(sent[0], "Réclamation de M. [NOM_1] (CIN n° [CIN_1])");
//! assert_eq!(sent[1], "Je soussigné [NOM_1], tél. [TEL_1], sollicite...");
//!
//! // The answer streams back in chunks that split placeholders anywhere.
//! let mut restorer = run.restorer();
//! let mut shown = String::new();
//! for chunk in ["Monsieur [NO", "M_1], votre demande (CIN [ci", "n_1]) est ", "accordée."] {
//!     shown.push_str(&restorer.push(chunk));
//! }
//! shown.push_str(&restorer.finish());
//! assert_eq!(shown, "Monsieur Youssef Amrani, votre demande (CIN AB123456) est accordée.");
//! assert_eq!(restorer.report().dropped, ["[TEL_1]"]);
//! ```

mod checks;
mod detect;
mod fold;
mod hints;
mod instruction;
mod kind;
mod lexicon;
mod pseudonymizer;
mod replacement;
mod restore;
mod text;

pub use checks::{ice_key, rib_key};
pub use detect::{detect, Found};
pub use hints::{Hints, MAX_HINT_CHARS};
pub use instruction::instruction;
pub use kind::{column_kind, Kind};
pub use pseudonymizer::Pseudonymizer;
pub use replacement::Replacement;
pub use restore::{RestoreReport, Restorer};
