//! Real Word lists in the administration's own letterhead: the numbering definitions the body's
//! lists use, added to the package. When the letterhead has a numbering part, two abstract
//! definitions (bullets; numbers, letters at the odd levels) and one numbering instance per list
//! are added to it with ids above every id it uses; when it has none, a numbering part is
//! created, with its relationship from the document and its content type. Nothing else in the
//! user's definitions is touched.
//!
//! Each list gets its own instance (`w:num`), and a numbered one a start override at its level:
//! Word and LibreOffice continue a numbering across instances of one abstract definition unless
//! told to restart, so this is what makes every list start at its own first number.

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml";
pub(super) const RELS: &str = "word/_rels/document.xml.rels";
pub(super) const CONTENT_TYPES: &str = "[Content_Types].xml";

/// Indentation of level 0, and added per level, in twentieths of a point; the number hangs in
/// the last 360. The same as Katib's own layout.
pub(super) const INDENT: u32 = 720;
pub(super) const LEVEL_INDENT: u32 = 360;
const HANGING: u32 = 360;

/// A numbering instance: its id, its abstract definition, and for a numbered list the level
/// and first number it restarts at.
#[derive(Debug)]
struct Num {
    id: u32,
    abstract_id: u32,
    restart: Option<(usize, u64)>,
}

/// The numbering instances the body's lists use, with ids that do not collide with the
/// letterhead's own.
#[derive(Debug)]
pub(super) struct Numbering {
    next_abstract: u32,
    next_num: u32,
    bullet: Option<u32>,
    decimal: Option<u32>,
    nums: Vec<Num>,
}

impl Numbering {
    /// Ids above those used in `existing` (the letterhead's numbering part, if any).
    pub(super) fn after(existing: Option<&str>) -> Numbering {
        let max = |attr: &str, tag: &str| existing.map_or(0, |x| max_attr(x, tag, attr));
        Numbering {
            next_abstract: max("w:abstractNumId", "<w:abstractNum ") + 1,
            next_num: max("w:numId", "<w:num ") + 1,
            bullet: None,
            decimal: None,
            nums: Vec::new(),
        }
    }

    /// A new list: its numbering instance id, for `w:numId`.
    pub(super) fn list(&mut self, ordered: bool, level: usize, start: u64) -> u32 {
        let slot = if ordered { &mut self.decimal } else { &mut self.bullet };
        let abs = match *slot {
            Some(a) => a,
            None => {
                let a = self.next_abstract;
                self.next_abstract += 1;
                *slot = Some(a);
                a
            }
        };
        let id = self.next_num;
        self.next_num += 1;
        self.nums.push(Num { id, abstract_id: abs, restart: ordered.then_some((level, start)) });
        id
    }

    pub(super) fn is_empty(&self) -> bool {
        self.nums.is_empty()
    }

    fn abstracts_xml(&self) -> String {
        let mut x = String::new();
        let mut defs: Vec<(u32, bool)> = [(self.bullet, false), (self.decimal, true)].into_iter().filter_map(|(a, o)| Some((a?, o))).collect();
        defs.sort();
        for (abs, ordered) in defs {
            // nsid: any stable 8-digit hex id, distinct per definition.
            x.push_str(&format!("<w:abstractNum w:abstractNumId=\"{abs}\"><w:nsid w:val=\"{:08X}\"/><w:multiLevelType w:val=\"hybridMultilevel\"/>", 0x4B41_5400 + abs));
            for lvl in 0..9u32 {
                let (fmt, text) = if ordered {
                    (if lvl % 2 == 0 { "decimal" } else { "lowerLetter" }, format!("%{}.", lvl + 1))
                } else {
                    ("bullet", ["•", "◦", "▪"][lvl as usize % 3].to_string())
                };
                x.push_str(&format!(
                    "<w:lvl w:ilvl=\"{lvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{}\" w:hanging=\"{HANGING}\"/></w:pPr></w:lvl>",
                    INDENT + LEVEL_INDENT * lvl
                ));
            }
            x.push_str("</w:abstractNum>");
        }
        x
    }

    fn nums_xml(&self) -> String {
        let mut x = String::new();
        for Num { id, abstract_id, restart } in &self.nums {
            x.push_str(&format!("<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"{abstract_id}\"/>"));
            if let Some((level, start)) = restart {
                x.push_str(&format!("<w:lvlOverride w:ilvl=\"{level}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>"));
            }
            x.push_str("</w:num>");
        }
        x
    }

    /// A whole numbering part holding only these definitions.
    pub(super) fn new_part(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W_NS}\">{}{}</w:numbering>",
            self.abstracts_xml(),
            self.nums_xml()
        )
    }

    /// The letterhead's numbering part with these definitions added in schema order: abstract
    /// definitions after its own (before its first `w:num`), instances after its own. None if
    /// the part has no `w:numbering` root.
    pub(super) fn merge_into(&self, existing: &str) -> Option<String> {
        let mut x = existing.to_string();
        if x.find("</w:numbering>").is_none() {
            // An empty part written as `<w:numbering .../>`.
            let at = find_tag(&x, "<w:numbering")?;
            let end = x[at..].find("/>")? + at;
            x.replace_range(end..end + 2, "></w:numbering>");
        }
        let close = x.rfind("</w:numbering>")?;
        let nums_at = find_tag(&x, "<w:numIdMacAtCleanup").filter(|&i| i < close).unwrap_or(close);
        x.insert_str(nums_at, &self.nums_xml());
        let abs_at = find_tag(&x, "<w:num").filter(|&i| i < nums_at).unwrap_or(nums_at);
        x.insert_str(abs_at, &self.abstracts_xml());
        Some(x)
    }
}

/// Where the element `tag` (e.g. `<w:num`) starts in `xml`: the name must end there (so
/// `<w:num` does not find `<w:numPicBullet`).
fn find_tag(xml: &str, tag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(off) = xml[from..].find(tag) {
        let at = from + off;
        match xml[at + tag.len()..].chars().next() {
            Some(' ' | '>' | '/' | '\t' | '\n' | '\r') => return Some(at),
            _ => from = at + tag.len(),
        }
    }
    None
}

/// The largest numeric value of `attr` in the elements opened by `tag` (0 if none).
fn max_attr(xml: &str, tag: &str, attr: &str) -> u32 {
    let needle = format!("{attr}=\"");
    let mut max = 0;
    let mut rest = xml;
    while let Some(at) = rest.find(tag) {
        rest = &rest[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        if let Some(v) = rest[..end].find(&needle) {
            let v = &rest[v + needle.len()..end];
            if let Some(n) = v.split('"').next().and_then(|n| n.parse::<u32>().ok()) {
                max = max.max(n);
            }
        }
        rest = &rest[end..];
    }
    max
}

/// The numbering part the document's relationships name (`word/...`), if any.
pub(super) fn part_name(rels: &str) -> Option<String> {
    let mut rest = rels;
    while let Some(at) = rest.find("<Relationship ") {
        rest = &rest[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if attr(tag, "Type").as_deref() == Some(REL_TYPE) {
            let target = attr(tag, "Target")?;
            return Some(match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("word/{}", target.trim_start_matches("./")),
            });
        }
        rest = &rest[end..];
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)? + needle.len();
    let len = tag[at..].find('"')?;
    Some(quick_xml::escape::unescape(&tag[at..at + len]).map(|c| c.into_owned()).unwrap_or_else(|_| tag[at..at + len].to_string()))
}

/// The document's relationships with one to `word/numbering.xml` added (`rels` None: the
/// package had none, a new part).
pub(super) fn add_relationship(rels: Option<&str>) -> String {
    const NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let rels = rels.map(str::to_string).unwrap_or_else(|| {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{NS}\"></Relationships>")
    });
    let mut n = 1;
    while rels.contains(&format!("Id=\"rIdKatib{n}\"")) {
        n += 1;
    }
    let rel = format!("<Relationship Id=\"rIdKatib{n}\" Type=\"{REL_TYPE}\" Target=\"numbering.xml\"/>");
    match rels.rfind("</Relationships>") {
        Some(at) => format!("{}{rel}{}", &rels[..at], &rels[at..]),
        None => rels.replacen("/>", &format!(">{rel}</Relationships>"), 1),
    }
}

/// The content types with the numbering part's declared (unchanged if it already is).
pub(super) fn add_content_type(types: &str, part: &str) -> String {
    let name = format!("PartName=\"/{part}\"");
    if types.contains(&name) {
        return types.to_string();
    }
    let o = format!("<Override {name} ContentType=\"{CONTENT_TYPE}\"/>");
    match types.rfind("</Types>") {
        Some(at) => format!("{}{o}{}", &types[..at], &types[at..]),
        None => types.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXISTING: &str = "<?xml version=\"1.0\"?><w:numbering xmlns:w=\"x\"><w:numPicBullet w:numPicBulletId=\"0\"/><w:abstractNum w:abstractNumId=\"3\"><w:lvl w:ilvl=\"0\"/></w:abstractNum><w:num w:numId=\"7\"><w:abstractNumId w:val=\"3\"/></w:num><w:numIdMacAtCleanup w:val=\"2\"/></w:numbering>";

    #[test]
    fn ids_stay_clear_of_the_letterheads_and_lists_restart() {
        let mut n = Numbering::after(Some(EXISTING));
        assert_eq!(n.list(true, 0, 1), 8);
        assert_eq!(n.list(false, 1, 1), 9);
        assert_eq!(n.list(true, 0, 4), 10);
        let x = n.merge_into(EXISTING).unwrap();
        // Abstract definitions after the letterhead's, instances after its own, before the
        // cleanup marker: the schema's order.
        let pos = |s: &str| x.find(s).unwrap_or_else(|| panic!("{s} in {x}"));
        // Numbers got abstract definition 4 (the first used), bullets 5.
        assert!(pos("w:abstractNumId=\"3\"><w:lvl") < pos("<w:abstractNum w:abstractNumId=\"4\"><w:nsid w:val=\"4B415404\"/><w:multiLevelType w:val=\"hybridMultilevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"));
        assert!(pos("<w:abstractNum w:abstractNumId=\"4\"") < pos("<w:abstractNum w:abstractNumId=\"5\"><w:nsid w:val=\"4B415405\"/><w:multiLevelType w:val=\"hybridMultilevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"));
        assert!(pos("<w:abstractNum w:abstractNumId=\"5\"") < pos("<w:num w:numId=\"7\""));
        assert!(pos("<w:num w:numId=\"7\"") < pos("<w:num w:numId=\"8\"><w:abstractNumId w:val=\"4\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/>"));
        assert!(pos("<w:num w:numId=\"10\"><w:abstractNumId w:val=\"4\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"4\"/>") < pos("<w:numIdMacAtCleanup"));
        assert!(x.contains("<w:num w:numId=\"9\"><w:abstractNumId w:val=\"5\"/></w:num>"), "bullets need no restart");
        assert_eq!(Numbering::after(None).list(false, 0, 1), 1);
    }

    #[test]
    fn package_entries() {
        let rels = "<Relationships xmlns=\"r\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";
        assert_eq!(part_name(rels), None);
        let added = add_relationship(Some(rels));
        assert_eq!(part_name(&added).as_deref(), Some("word/numbering.xml"));
        assert!(added.contains("Id=\"rIdKatib1\""));
        let types = "<Types><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
        let t = add_content_type(types, "word/numbering.xml");
        assert!(t.contains("<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/></Types>"));
        assert_eq!(add_content_type(&t, "word/numbering.xml"), t);
    }
}
