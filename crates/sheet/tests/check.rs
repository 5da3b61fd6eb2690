//! The number check on answers about the budget fixture: correct figures in several writings
//! pass, an invented one is flagged with its span, tables filled from anchors pass.

use katib_sheet::{check_numbers, computed_tables, fact_sheet, fill_anchors, FactOptions, Figures, Lang};

use crate::util::profile_with_spec;

#[test]
fn a_faithful_answer_passes_and_an_invented_figure_is_flagged() {
    let p = profile_with_spec("budget_oujda_lo.xlsx");
    let figures = Figures::from_profile(&p);
    let answer = "# Exécution du budget 2026 – situation au 31 octobre 2026\n\n\
        ## 1. Synthèse\n\n\
        Au 31/10/2026, 302 782 303,50 MAD sont engagés sur 550 800 000 MAD de crédits ouverts, soit 55,0 % \
        (environ 302,8 millions de dirhams, ou 0,3 milliard). Les crédits de l'exercice 2026 couvrent 42 rubriques.\n\n\
        - Frais de télécommunications : 1.224.600,00 DH engagés pour 1 200 000 DH (102,0 %), soit un dépassement de 24 600 DH.\n\
        - Six rubriques sont sous 30 % ; la ligne 28 (article 1210) n'a pas de crédits.\n\
        - Le TOTAL GÉNÉRAL du fichier indique 302 782 403,50 MAD, soit 100 MAD de plus que la somme des lignes.\n\
        - Reste à payer : 98 041 806,64 MAD ; la Division technique a engagé 58,3 % de ses crédits.\n\n\
        [[tableau:totaux_par_service]]\n\n\
        Conformément à l'article 12 de la loi organique n° 113-14, voir la décision 1234/DAG/2026.\n";
    let c = check_numbers(answer, &figures);
    let unmatched: Vec<&str> = c.unmatched().map(|n| n.text.as_str()).collect();
    assert!(unmatched.is_empty(), "faithful figures flagged: {unmatched:?}");
    assert!(c.numbers.len() >= 15, "{:?}", c.numbers);
    // One invented amount, one invented rate, one invented rounding.
    let invented = answer
        .replace("98 041 806,64", "98 541 806,64")
        .replace("58,3 %", "61,3 %")
        .replace("302,8 millions", "312,8 millions");
    let c = check_numbers(&invented, &figures);
    let flagged: Vec<(&str, &str)> = c.unmatched().map(|n| (n.text.as_str(), &invented[n.span.clone()])).collect();
    assert_eq!(flagged, vec![("312,8 millions", "312,8 millions"), ("98 541 806,64", "98 541 806,64"), ("61,3 %", "61,3 %")]);
    assert_eq!(c.unmatched().map(|n| n.line).collect::<Vec<_>>(), vec![5, 10, 10]);
}

#[test]
fn an_arabic_answer_with_arabic_indic_digits() {
    let p = profile_with_spec("budget_oujda_lo.xlsx");
    let figures = Figures::from_profile(&p);
    let answer = "بلغت المبالغ الملتزم بها ٣٠٢ ٧٨٢ ٣٠٣٫٥٠ درهم من أصل 550 800 000 درهم من الاعتمادات المفتوحة، أي بنسبة ٥٥٫٠ ٪، \
        أي ما يقارب 302,8 مليون درهم برسم سنة 2026، طبقا للمادة 12 من القانون التنظيمي رقم 113.14.";
    let c = check_numbers(answer, &figures);
    assert!(c.unmatched().next().is_none(), "{:?}", c.unmatched().collect::<Vec<_>>());
    assert_eq!(c.numbers.len(), 4, "{:?}", c.numbers);
    let wrong = answer.replace("٥٥٫٠", "٥٧٫٠");
    let c = check_numbers(&wrong, &figures);
    assert_eq!(c.unmatched().map(|n| n.text.as_str()).collect::<Vec<_>>(), vec!["٥٧٫٠ ٪"]);
}

#[test]
fn every_figure_of_the_fact_sheet_and_of_the_tables_checks() {
    let p = profile_with_spec("budget_oujda.xlsx");
    let figures = Figures::from_profile(&p);
    for lang in [Lang::Fr, Lang::Ar] {
        // A model that copies the fact sheet and places every table raises no flag.
        let facts = fact_sheet(&p, &FactOptions::prompt(lang));
        let c = check_numbers(&facts, &figures);
        let bad: Vec<&str> = c.unmatched().map(|n| n.text.as_str()).collect();
        assert!(bad.is_empty(), "{lang:?}: {bad:?}\n{facts}");
        let tables = computed_tables(&p, lang);
        let answer: String = tables.iter().map(|t| format!("Texte.\n[[tableau:{}]]\n", t.name)).collect();
        let filled = fill_anchors(&answer, &tables);
        assert_eq!(filled.inserted.len(), tables.len());
        assert!(filled.unknown.is_empty());
        let c = check_numbers(&filled.text, &figures);
        let bad: Vec<&str> = c.unmatched().map(|n| n.text.as_str()).collect();
        assert!(bad.is_empty(), "{lang:?}: {bad:?}\n{}", filled.text);
    }
}
