"""Render the accuracy-set résumés (tests/profiles/resumes/*.json) to TXT, Markdown, DOCX and PDF.

Only the content fields are read here; the `expected` block is for the assertions alone.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESUME_DIR = Path(__file__).parent / "resumes"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def load_resumes() -> list[dict[str, Any]]:
    """Every résumé source file, in name order."""
    return [json.loads(p.read_text("utf-8")) for p in sorted(RESUME_DIR.glob("r*.json"))]


@dataclass
class Block:
    """One rendered line: its role in the layout and its text."""

    kind: str  # name | contact | heading | header | bullet | text
    text: str
    column: str = "main"  # main | side (for two-column layouts)


def _link_text(url: str, bare: bool) -> str:
    return url.removeprefix("https://") if bare else url


def _role_lines(role: dict[str, Any], style: str) -> list[str]:
    title, employer, dates, where = role["title"], role["employer"], role["dates"], role["location"]
    return {
        "comma": [f"{title}, {employer} — {dates}"],
        "pipe": [f"{employer} | {title} | {where} | {dates}"],
        "two_line": [title, f"{employer}, {where} · {dates}"],
        "date_first": [dates, f"{title} at {employer}"],
        "at_parens": [f"{title} at {employer} ({dates})"],
    }[style]


def blocks(doc: dict[str, Any]) -> list[Block]:
    """The résumé as an ordered list of layout blocks."""
    person, layout = doc["person"], doc["layout"]
    headings = layout["headings"]
    bare = doc["id"][-1] in "13579"
    out = [Block("name", person["name"])]
    out.append(
        Block("contact", f"{person['location']} | {person['email']} | {person['phone']}", "side")
    )
    if person["links"]:
        out.append(
            Block("contact", " · ".join(_link_text(u, bare) for u in person["links"]), "side")
        )
    out.append(Block("heading", headings["summary"]))
    out.append(Block("text", doc["summary"]))
    out.append(Block("heading", headings["experience"]))
    for role in doc["roles"]:
        out += [Block("header", line) for line in _role_lines(role, layout["header_style"])]
        out += [Block("bullet", b) for b in role["bullets"]]
    if doc["projects"]:
        out.append(Block("heading", headings["projects"]))
        for project in doc["projects"]:
            out.append(Block("header", project["name"]))
            out += [Block("bullet", b) for b in project["bullets"]]
    out.append(Block("heading", headings["education"], "side"))
    for edu in doc["education"]:
        out.append(Block("text", f"{edu['degree']}, {edu['institution']}, {edu['years']}", "side"))
    out.append(Block("heading", headings["skills"], "side"))
    # Hand-written résumés may group skills on several lines ("Languages: ...").
    for line in doc.get("skills_lines") or [", ".join(doc["skills"])]:
        out.append(Block("text", line, "side"))
    if doc["extra"]:
        out.append(Block("heading", "Achievements"))
        out += [Block("bullet", text) for text in doc["extra"]]
    return out


def to_txt(doc: dict[str, Any]) -> bytes:
    """Plain text, headings on their own lines, "- " bullets."""
    lines = []
    for block in blocks(doc):
        if block.kind == "heading":
            lines += ["", block.text]
        else:
            lines.append(f"- {block.text}" if block.kind == "bullet" else block.text)
    return "\n".join(lines).encode("utf-8")


def to_md(doc: dict[str, Any]) -> bytes:
    """Markdown with #/## headings, ### role headers and [label](url) links."""
    lines = []
    for block in blocks(doc):
        if block.kind == "name":
            lines.append(f"# {block.text}")
        elif block.kind == "heading":
            lines += ["", f"## {block.text}"]
        elif block.kind == "header":
            lines.append(f"### {block.text}")
        elif block.kind == "bullet":
            lines.append(f"- {block.text}")
        elif block.kind == "contact" and "·" in block.text and doc["person"]["links"]:
            labels = ["GitHub", "LinkedIn", "Website"]
            lines.append(
                " · ".join(
                    f"[{label}]({url})"
                    for label, url in zip(labels, doc["person"]["links"], strict=False)
                )
            )
        else:
            lines.append(block.text)
    return "\n".join(lines).encode("utf-8")


def _add_hyperlink(paragraph: Any, url: str, text: str) -> None:
    """python-docx has no public hyperlink API; this is the documented OXML recipe."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def to_docx(doc: dict[str, Any]) -> bytes:
    """DOCX: List Bullet paragraphs; optional tables for contact and skills; optional hyperlinks."""
    import docx

    layout = doc["layout"]
    document = docx.Document()
    items = blocks(doc)
    index = 0
    while index < len(items):
        block = items[index]
        if block.kind == "name":
            document.add_heading(block.text, level=0)
        elif block.kind == "contact" and "·" in block.text and layout["docx_hyperlinks"]:
            paragraph = document.add_paragraph()
            labels = ["GitHub", "LinkedIn", "Website"]
            for label, url in zip(labels, doc["person"]["links"], strict=False):
                _add_hyperlink(paragraph, url, label)
                paragraph.add_run("  ")
        elif block.kind == "contact" and layout["docx_tables"] and "|" in block.text:
            parts = [p.strip() for p in block.text.split("|")]
            table = document.add_table(rows=1, cols=len(parts))
            for cell, part in zip(table.rows[0].cells, parts, strict=False):
                cell.text = part
        elif (
            block.kind == "heading"
            and layout["docx_tables"]
            and block.text == layout["headings"]["skills"]
        ):
            table = document.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text = block.text
            table.rows[0].cells[1].text = items[index + 1].text
            index += 1
            while index + 1 < len(items) and items[index + 1].column == "side":
                index += 1  # further skills lines stay as paragraphs after the table
                document.add_paragraph(items[index].text)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
        index += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def _write(pdf: Any, block: Block, width: float) -> None:
    if block.kind == "name":
        pdf.set_font("DejaVu", "B", 18)
        pdf.multi_cell(width, 9, block.text, new_x="LMARGIN", new_y="NEXT")
    elif block.kind == "heading":
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("DejaVu", "B" if block.kind == "header" else "", 9.5)
        text = f"•  {block.text}" if block.kind == "bullet" else block.text
        pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT", align="L")


def to_pdf(doc: dict[str, Any], *, repeat: int = 1) -> bytes:
    """PDF with an embedded DejaVu font: one column, or a sidebar plus a main column.

    `repeat` duplicates the experience section to make longer documents (for benchmarks).
    """
    pdf = _pdf()
    items = blocks(doc)
    if repeat > 1:
        body = [b for b in items if b.kind in ("header", "bullet")]
        items = items + [Block("heading", "More Experience")] + body * (repeat - 1)
    if doc["layout"]["pdf_columns"] == 1:
        for block in items:
            _write(pdf, block, 0)
        return bytes(pdf.output())
    _write(pdf, items[0], 0)
    top = pdf.get_y() + 2
    pdf.set_y(top)
    pdf.set_left_margin(10)
    for block in (b for b in items[1:] if b.column == "side"):
        if block.kind == "contact":  # a sidebar lists contact details one per line
            for part in block.text.replace(" · ", " | ").split(" | "):
                _write(pdf, Block("text", part), 60)
        else:
            _write(pdf, block, 60)
    pdf.set_left_margin(80)
    pdf.set_xy(80, top)
    for block in (b for b in items[1:] if b.column == "main"):
        _write(pdf, block, 0)
    return bytes(pdf.output())


RENDERERS = {"txt": to_txt, "md": to_md, "docx": to_docx, "pdf": to_pdf}
