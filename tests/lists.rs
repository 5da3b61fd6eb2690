//! Real Word lists in the administration's own letterhead: the body's numbered and bullet lists
//! become numbered paragraphs backed by numbering definitions added to the user's package (a
//! new numbering part when it has none, with its relationship and content type; definitions
//! with fresh ids in its own part when it has one). Read back by an independent reader
//! (zip + quick-xml), then by LibreOffice, which must show the numbers.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use katib_core::export::{self, ExportDoc, LetterParts};
use katib_core::OutputKind;
use katib_core::Lang;

use crate::util::*;

const BODY: &str = "Monsieur le Directeur,\n\nLes travaux porteront sur :\n\n1. la voirie ;\n2. l'éclairage public :\n   - lot A : Hay Al Qods ;\n   - lot B : Lazaret ;\n3. les espaces verts.\n\nLes pièces jointes sont :\n\n1. le plan de situation ;\n2. le devis estimatif.\n\nVeuillez agréer, Monsieur le Directeur, l'expression de ma haute considération.";

fn fill(template: &Path, out: &Path) {
    let letter = LetterParts { objet: Some("Travaux de voirie".into()), date: Some("2026-11-23".into()), ville: Some("Oujda".into()), ..Default::default() };
    let doc = ExportDoc { letter: Some(letter), ..ExportDoc::new(BODY, Lang::Fr, OutputKind::Letter) };
    export::fill_letterhead(template, &doc, out, false).unwrap();
}

fn parts(path: &Path) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        if f.name().ends_with(".xml") || f.name().ends_with(".rels") {
            f.read_to_string(&mut s).unwrap();
            out.insert(f.name().to_string(), s);
        }
    }
    out
}

/// The entete-commune.docx fixture with a numbering part of its own (abstract 0, instance 1,
/// upper Roman numbers) used by a paragraph before the body.
fn letterhead_with_its_own_list(dir: &Path) -> PathBuf {
    let src = repo().join("tests/fixtures/entete-commune.docx");
    let out = dir.join("entete-avec-liste.docx");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let text = || String::from_utf8(bytes.clone()).unwrap();
        let bytes = match name.as_str() {
            "word/document.xml" => text()
                .replacen("<w:body>", "<w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Article premier du modèle</w:t></w:r></w:p>", 1)
                .into_bytes(),
            "word/_rels/document.xml.rels" => text()
                .replace("</Relationships>", "<Relationship Id=\"rIdN\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/></Relationships>")
                .into_bytes(),
            "[Content_Types].xml" => text()
                .replace("</Types>", "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/></Types>")
                .into_bytes(),
            _ => bytes,
        };
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.start_file("word/numbering.xml", opts).unwrap();
    w.write_all(OWN_NUMBERING.as_bytes()).unwrap();
    w.finish().unwrap();
    out
}

const OWN_NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"%1)\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

/// numId -> (abstractNumId, start overrides by level), and the abstract ids, of a numbering part.
struct Defs {
    nums: BTreeMap<String, (String, BTreeMap<String, String>)>,
    abstracts: Vec<String>,
}

fn numbering_defs(xml: &str) -> Defs {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| String::from_utf8_lossy(&a.value).to_string());
    let mut defs = Defs { nums: BTreeMap::new(), abstracts: Vec::new() };
    let (mut num, mut level, mut in_abstract_num) = (None::<String>, None::<String>, false);
    loop {
        match r.read_event().expect("numbering.xml") {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => {
                    defs.abstracts.push(attr(&e, b"abstractNumId").expect("abstractNumId"));
                    in_abstract_num = true;
                }
                b"num" => {
                    let id = attr(&e, b"numId").expect("numId");
                    defs.nums.insert(id.clone(), (String::new(), BTreeMap::new()));
                    num = Some(id);
                }
                b"abstractNumId" if !in_abstract_num => {
                    if let Some(n) = &num {
                        defs.nums.get_mut(n).expect("num").0 = attr(&e, b"val").expect("val");
                    }
                }
                b"lvlOverride" => level = attr(&e, b"ilvl"),
                b"startOverride" => {
                    if let (Some(n), Some(l)) = (&num, &level) {
                        defs.nums.get_mut(n).expect("num").1.insert(l.clone(), attr(&e, b"val").expect("val"));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"abstractNum" => in_abstract_num = false,
            Event::Eof => break,
            _ => {}
        }
    }
    defs
}

/// (numId, ilvl) of the paragraph whose text is `text`.
fn numbering_of(document: &str, text: &str) -> (String, String) {
    let at = document.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("no '{text}' in the document"));
    let p = document[..at].rfind("<w:p>").or_else(|| document[..at].rfind("<w:p ")).expect("paragraph");
    let para = &document[p..at];
    let val = |tag: &str| {
        let i = para.find(tag).unwrap_or_else(|| panic!("'{text}' has no {tag}: {para}"));
        para[i..].split('"').nth(1).expect("value").to_string()
    };
    (val("<w:numId "), val("<w:ilvl "))
}

/// Checks the lists of a filled letterhead; returns the numbering part's definitions.
fn check_lists(out: &Path) -> Defs {
    let parts = parts(out);
    let document = &parts["word/document.xml"];
    let rels = &parts["word/_rels/document.xml.rels"];
    assert!(rels.contains("relationships/numbering\" Target=\"numbering.xml\""), "{rels}");
    assert!(parts["[Content_Types].xml"].contains("<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"));
    let defs = numbering_defs(&parts["word/numbering.xml"]);
    let (voirie, l0) = numbering_of(document, "la voirie ;");
    let (verts, _) = numbering_of(document, "les espaces verts.");
    let (lot, l1) = numbering_of(document, "lot A : Hay Al Qods ;");
    let (plan, _) = numbering_of(document, "le plan de situation ;");
    assert_eq!((l0.as_str(), l1.as_str()), ("0", "1"), "levels");
    assert_eq!(voirie, verts, "one list, one numbering");
    assert!(voirie != lot && voirie != plan && lot != plan, "each list its own numbering: {voirie} {lot} {plan}");
    for id in [&voirie, &lot, &plan] {
        let (abs, _) = defs.nums.get(id).unwrap_or_else(|| panic!("numId {id} is not defined"));
        assert!(defs.abstracts.contains(abs), "numId {id} points to a missing abstract {abs}");
    }
    // Numbered lists restart at 1; bullets need no override.
    assert_eq!(defs.nums[&voirie].1.get("0").map(String::as_str), Some("1"));
    assert_eq!(defs.nums[&plan].1.get("0").map(String::as_str), Some("1"));
    assert!(defs.nums[&lot].1.is_empty());
    assert!(!document.contains("– ") && !document.contains(">1. "), "no list marker left as text");
    defs
}

#[test]
fn letterhead_without_numbering_gets_a_numbering_part() {
    let sb = Sandbox::new();
    let template = repo().join("tests/fixtures/entete-commune.docx");
    assert!(!parts(&template).contains_key("word/numbering.xml"), "the fixture has no numbering part");
    let out = sb.out("lettre.docx");
    fill(&template, &out);
    check_lists(&out);
}

#[test]
fn letterhead_numbering_is_extended_without_collisions() {
    let sb = Sandbox::new();
    let template = letterhead_with_its_own_list(&sb.path(""));
    let out = sb.out("lettre.docx");
    fill(&template, &out);
    let defs = check_lists(&out);
    let numbering = &parts(&out)["word/numbering.xml"];
    // The letterhead's own definitions are untouched, and still used by its paragraph.
    assert!(numbering.contains("<w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/>"));
    assert_eq!(defs.nums["1"].0, "0");
    assert_eq!(numbering_of(&parts(&out)["word/document.xml"], "Article premier du modèle").0, "1");
    assert_eq!(defs.abstracts.iter().filter(|a| *a == "0").count(), 1, "abstract ids are unique: {:?}", defs.abstracts);
    assert_eq!(defs.nums.len(), 4, "the letterhead's instance and one per list: {:?}", defs.nums.keys());
}

/// LibreOffice shows the numbers and bullets, restarting where a new list starts.
#[test]
#[ignore = "needs LibreOffice: tests/run.sh installs it"]
fn libreoffice_shows_the_numbers() {
    let sb = Sandbox::new();
    let own = letterhead_with_its_own_list(&sb.path(""));
    let templates = [repo().join("tests/fixtures/entete-commune.docx"), own];
    let outs: Vec<_> = templates
        .iter()
        .enumerate()
        .map(|(i, template)| {
            let out = sb.out(&format!("lettre{i}.docx"));
            fill(template, &out);
            out
        })
        .collect();
    let txts = libreoffice_batch(&outs.iter().map(|p| p.as_path()).collect::<Vec<_>>(), "txt:Text (encoded):UTF8", &sb.path("lo"));
    for (i, txt) in txts.iter().enumerate() {
        let text = std::fs::read_to_string(txt).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().map(str::trim).collect();
        let line = |start: &str, rest: &str| {
            assert!(lines.iter().any(|l| l.starts_with(start) && l.ends_with(rest)), "no line '{start} ... {rest}' in LibreOffice's text:\n{text}");
        };
        line("1.", "la voirie ;");
        line("2.", "l'éclairage public :");
        line("◦", "lot A : Hay Al Qods ;");
        line("3.", "les espaces verts.");
        line("1.", "le plan de situation ;");
        line("2.", "le devis estimatif.");
        if i == 1 {
            line("I)", "Article premier du modèle");
        }
    }
}
