//! The run's id in the filled letterhead's custom document properties (`docProps/custom.xml`,
//! property `katib_run`), so a printed letter's file leads back to its run: the letterhead's own
//! custom properties are kept and ours is set among them (replaced if the letterhead already had
//! one); a letterhead without custom properties gets the part, its relationship from the package
//! and its content type.

pub(super) const PART: &str = "docProps/custom.xml";
pub(super) const PACKAGE_RELS: &str = "_rels/.rels";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const PROPS_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
/// The property set every custom property of an Office document belongs to.
const FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
pub(super) const NAME: &str = "katib_run";

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// A new custom properties part holding only ours.
pub(super) fn new_part(run_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"{PROPS_NS}\" xmlns:vt=\"{VT_NS}\"><property fmtid=\"{FMTID}\" pid=\"2\" name=\"{NAME}\"><vt:lpwstr>{}</vt:lpwstr></property></Properties>",
        esc(run_id)
    )
}

/// The letterhead's custom properties with ours set; None when the part is not one (no
/// `</Properties>`), so the caller can say the file is damaged.
pub(super) fn set_in(existing: &str, run_id: &str) -> Option<String> {
    existing.rfind("</Properties>")?;
    // The prefix the part binds to the variant types' namespace ("vt" as Office writes it).
    let vt = existing
        .find(&format!("=\"{VT_NS}\""))
        .and_then(|at| {
            let decl = &existing[..at];
            let start = decl.rfind("xmlns:")? + "xmlns:".len();
            Some(decl[start..].to_string())
        })
        .unwrap_or_else(|| "vt".to_string());
    let needs_ns = !existing.contains(&format!("=\"{VT_NS}\""));
    let mut xml = existing.to_string();
    // An existing katib_run property: drop it (ours replaces it).
    let needle = format!("name=\"{NAME}\"");
    if let Some(at) = xml.find(&needle) {
        let start = xml[..at].rfind("<property")?;
        let end = xml[at..].find("</property>").map(|e| at + e + "</property>".len())?;
        xml.replace_range(start..end, "");
    }
    let max_pid = xml
        .match_indices(" pid=\"")
        .filter_map(|(i, m)| xml[i + m.len()..].split('"').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(1);
    let prop = format!("<property fmtid=\"{FMTID}\" pid=\"{}\" name=\"{NAME}\"><{vt}:lpwstr>{}</{vt}:lpwstr></property>", max_pid.max(1) + 1, esc(run_id));
    let close = xml.rfind("</Properties>")?;
    xml.insert_str(close, &prop);
    if needs_ns {
        // Bind the prefix on the root element.
        let root = xml.find("<Properties")?;
        let at = root + "<Properties".len();
        xml.insert_str(at, &format!(" xmlns:{vt}=\"{VT_NS}\""));
    }
    Some(xml)
}

/// The package relationships with one to the custom properties (unchanged when there is one).
pub(super) fn add_relationship(rels: &str) -> String {
    if rels.contains(REL_TYPE) {
        return rels.to_string();
    }
    let mut n = 1;
    while rels.contains(&format!("Id=\"rIdKatibProps{n}\"")) {
        n += 1;
    }
    let rel = format!("<Relationship Id=\"rIdKatibProps{n}\" Type=\"{REL_TYPE}\" Target=\"{PART}\"/>");
    match rels.rfind("</Relationships>") {
        Some(at) => format!("{}{rel}{}", &rels[..at], &rels[at..]),
        None => rels.replacen("/>", &format!(">{rel}</Relationships>"), 1),
    }
}

/// The content types with the custom properties part declared.
pub(super) fn add_content_type(types: &str) -> String {
    let name = format!("PartName=\"/{PART}\"");
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

    #[test]
    fn ours_is_set_among_the_letterheads_own() {
        let own = "<?xml version=\"1.0\"?><Properties xmlns=\"p\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"5\" name=\"Service\"><vt:lpwstr>DAG</vt:lpwstr></property></Properties>";
        let x = set_in(own, "r-1&2").unwrap();
        assert!(x.contains("name=\"Service\"><vt:lpwstr>DAG</vt:lpwstr>"), "{x}");
        assert!(x.contains("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"6\" name=\"katib_run\"><vt:lpwstr>r-1&amp;2</vt:lpwstr></property></Properties>"), "{x}");
        // Set again: replaced, not doubled.
        let y = set_in(&x, "r-3").unwrap();
        assert_eq!(y.matches("katib_run").count(), 1, "{y}");
        assert!(y.contains("<vt:lpwstr>r-3</vt:lpwstr>"));
        // Another prefix, or none bound yet.
        let other = "<Properties xmlns=\"p\" xmlns:t=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"></Properties>";
        assert!(set_in(other, "r").unwrap().contains("pid=\"2\" name=\"katib_run\"><t:lpwstr>r</t:lpwstr>"));
        let bare = set_in("<Properties xmlns=\"p\"></Properties>", "r").unwrap();
        assert!(bare.starts_with("<Properties xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\" xmlns=\"p\">"), "{bare}");
        assert!(set_in("<Types/>", "r").is_none());
        let rels = add_relationship("<Relationships xmlns=\"r\"></Relationships>");
        assert!(rels.contains("Target=\"docProps/custom.xml\""));
        assert_eq!(add_relationship(&rels), rels);
        let t = add_content_type("<Types></Types>");
        assert!(t.contains("PartName=\"/docProps/custom.xml\""));
    }
}
