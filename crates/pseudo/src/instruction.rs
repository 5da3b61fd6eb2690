//! The instruction added to the system prompt of a pseudonymised run, in French, Arabic and
//! English: keep every placeholder exactly as written, invent none, and do not guess what they
//! hide.
//!
//! Deliberately not here: where the instruction goes in the messages (the pipeline decides).

const FR: &str = "Certaines données personnelles du texte ont été remplacées par des marqueurs entre \
crochets, par exemple [NOM_1], [CIN_1], [TEL_1], [ADRESSE_1], [RIB_1], [EMAIL_1], [DATE_NAISSANCE_1]. \
Recopiez chaque marqueur exactement tel qu'il est écrit (mêmes majuscules, même numéro, mêmes \
crochets) partout où la donnée qu'il remplace doit figurer dans votre réponse. N'inventez aucun \
marqueur, ne traduisez pas, ne modifiez pas et ne cherchez pas à deviner la donnée qu'un marqueur \
remplace. En arabe, une préposition peut précéder le marqueur sans espace (ل[NOM_1]).";

const AR: &str = "تم تعويض بعض المعطيات الشخصية الواردة في النص برموز بين معقوفين، مثل [NOM_1] و[CIN_1] \
و[TEL_1] و[ADRESSE_1] و[RIB_1] و[EMAIL_1] و[DATE_NAISSANCE_1]. يرجى نقل كل رمز كما هو تماما (بالحروف \
اللاتينية الكبيرة نفسها والرقم نفسه والمعقوفين نفسيهما) في كل موضع من جوابكم يجب أن ترد فيه المعطية \
التي يعوضها، دون ترجمته أو تغييره. لا تضيفوا أي رمز جديد، ولا تحاولوا تخمين المعطية التي يخفيها أي \
رمز. يجوز إلحاق حرف الجر بالرمز مباشرة، مثل: ل[NOM_1].";

const EN: &str = "Some personal data in the text has been replaced by bracketed placeholders such as \
[NOM_1], [CIN_1], [TEL_1], [ADRESSE_1], [RIB_1], [EMAIL_1], [DATE_NAISSANCE_1]. Copy every \
placeholder exactly as written (same capitals, same number, same brackets) wherever the data it \
stands for belongs in your answer. Do not invent placeholders, do not translate or alter them, and \
do not try to guess the data they hide.";

/// The instruction for the system prompt in `lang` ("fr", "ar", "en"; French for anything else).
pub fn instruction(lang: &str) -> &'static str {
    match lang.trim().to_ascii_lowercase().as_str() {
        "ar" | "arabic" | "arabe" => AR,
        "en" | "english" | "anglais" => EN,
        _ => FR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;

    #[test]
    fn every_instruction_shows_placeholders_that_restore() {
        for lang in ["fr", "ar", "en"] {
            let text = instruction(lang);
            for tag in ["[NOM_1]", "[CIN_1]", "[TEL_1]", "[ADRESSE_1]", "[RIB_1]"] {
                assert!(text.contains(tag), "{lang}: {tag}");
            }
            assert!(Kind::ALL.iter().filter(|k| text.contains(&k.placeholder(1))).count() >= 7);
        }
        assert_eq!(instruction("xx"), instruction("fr"));
        assert_ne!(instruction("ar"), instruction("en"));
    }
}
