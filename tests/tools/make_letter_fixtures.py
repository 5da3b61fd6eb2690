#!/usr/bin/env python3
"""Regenerates the letter fixtures in tests/fixtures/ with the standard library only:

- logo.png: a neutral demo mark (the word LOGO in a ring, dark grey on transparent), standing
  for the administration's own emblem, which Katib never ships: it is neither a flag nor arms;
- entete-commune.docx: an administration's own Word letterhead, as Word writes one: a header
  holding the logo and the letterhead lines, a footer with the address, styles, and
  placeholders ({{objet}}, {{corps}}, {{date}}, ...), one of them split over three runs the way
  Word splits text after an edit or a spell-check mark.
"""
import math
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")


def png(width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


# The letters of "LOGO" in a 5 x 7 grid, drawn large and centred in the ring.
GLYPHS = {
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "G": ["01110", "10001", "10000", "10111", "10001", "10001", "01111"],
}
INK = (64, 64, 64, 255)  # dark grey: prints the same in black and white


def emblem(x, y, size=160):
    c = size / 2
    d = math.hypot(x + 0.5 - c, y + 0.5 - c)
    if c - 8 < d <= c - 2:
        return INK  # the ring
    cell, gap = 5, 5  # pixels per grid square, space between letters
    word = "LOGO"
    width = len(word) * 5 * cell + (len(word) - 1) * gap
    left, top = (size - width) // 2, (size - 7 * cell) // 2
    gx, gy = x - left, y - top
    if 0 <= gy < 7 * cell and 0 <= gx < width:
        k, off = divmod(gx, 5 * cell + gap)
        if off < 5 * cell and GLYPHS[word[k]][gy // cell][off // cell] == "1":
            return INK
    return (0, 0, 0, 0)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'


def para(runs, style=None, jc=None, bidi=False):
    ppr = ""
    if style or jc or bidi:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:bidi/>" if bidi else "") + (f'<w:jc w:val="{jc}"/>' if jc else "") + "</w:pPr>"
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def run(text, bold=False, rtl=False, size=None):
    rpr = ""
    if bold or rtl or size:
        rpr = "<w:rPr>" + ("<w:b/><w:bCs/>" if bold else "") + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "") + ("<w:rtl/>" if rtl else "") + "</w:rPr>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def logo_run(rid, cx=640080, cy=640080):
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Logo"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def cell(content, width):
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def letterhead_docx(path, logo):
    fr = ["ROYAUME DU MAROC", "MINISTÈRE DE L'INTÉRIEUR", "WILAYA DE LA RÉGION DE L'ORIENTAL", "COMMUNE D'OUJDA"]
    ar = ["المملكة المغربية", "وزارة الداخلية", "ولاية جهة الشرق", "جماعة وجدة"]
    header = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W}>'
        '<w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="3700"/><w:gridCol w:w="1670"/><w:gridCol w:w="3700"/></w:tblGrid><w:tr>'
        + cell("".join(para([run(l, bold=True, size=18)], jc="center") for l in fr), 3700)
        + cell(para([logo_run("rIdLogo")], jc="center"), 1670)
        + cell("".join(para([run(l, bold=True, rtl=True, size=22)], jc="center", bidi=True) for l in ar), 3700)
        + "</w:tr></w:tbl>"
        + para([run("Direction des Affaires Générales")], style="EnTete", jc="center")
        + "</w:hdr>"
    )
    footer = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}>'
        + para([run("Hôtel de Ville, boulevard Mohammed V, Oujda · Tél. 05 36 68 00 00 · Réf. {{reference}}", size=16)], jc="center")
        + "</w:ftr>"
    )
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
        + para([run("N° {{reference}}", bold=True)])
        + para([run("{{lieu_date}}")], jc="right")
        + para([])
        + para([run("{{destinataire}}", bold=True)], jc="center")
        + para([run("{{sous_couvert}}")], jc="center")
        + para([])
        # Split the way Word does after an edit: "{{ob" + "je" + "t}}", each run with its own rPr.
        + para([run("Objet : ", bold=True), run("{{ob"), '<w:proofErr w:type="spellStart"/>', run("je"), '<w:proofErr w:type="spellEnd"/>', run("t}}")])
        + para([run("Réf. : ", bold=True), run("{{ref}}")])
        + para([run("P.J. : ", bold=True), run("{{pj}}")])
        + para([])
        + para([run("{{corps}}")], style="Corps")
        + para([])
        + para([run("{{delegation}}")], jc="right")
        + para([run("{{signataire}}", bold=True)], jc="right")
        + para([run("{{signature_nom}}")], jc="right")
        + para([])
        + para([run("{{copies}}")])
        + '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2600" w:right="1418" w:bottom="1418" w:left="1418" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
        "</w:body></w:document>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="fr-FR" w:bidi="ar-MA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Corps"><w:name w:val="Corps de lettre"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="both"/><w:ind w:firstLine="709"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="EnTete"><w:name w:val="En-tête service"/><w:basedOn w:val="Normal"/><w:rPr><w:i/><w:color w:val="1F3864"/><w:sz w:val="18"/></w:rPr></w:style>'
        "</w:styles>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
        '<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>'
    )
    header_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("word/document.xml", body),
            ("word/_rels/document.xml.rels", doc_rels),
            ("word/styles.xml", styles),
            ("word/header1.xml", header),
            ("word/_rels/header1.xml.rels", header_rels),
            ("word/footer1.xml", footer),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 23, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
        info = zipfile.ZipInfo("word/media/logo.png", date_time=(2026, 11, 23, 9, 0, 0))
        z.writestr(info, logo)


if __name__ == "__main__":
    logo = png(160, 160, emblem)
    with open(os.path.join(FIXTURES, "logo.png"), "wb") as f:
        f.write(logo)
    letterhead_docx(os.path.join(FIXTURES, "entete-commune.docx"), logo)
    print("wrote tests/fixtures/logo.png and tests/fixtures/entete-commune.docx")
