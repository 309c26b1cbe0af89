"""Small factories that build résumé files in memory for the tests."""

from __future__ import annotations

import io
import zipfile

from fpdf import FPDF

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

SAMPLE_TXT = """Zoë Çelik
Istanbul, Türkiye | zoe.celik@example.com | +90 532 555 01 42
github.com/zoecelik · linkedin.com/in/zoe-celik · zoecelik.dev

SUMMARY
Backend engineer building payment systems. Familiar with cloud.

WHERE I'VE WORKED
Senior Backend Engineer, Paylane — Jan 2021 – Present
• Led the migration from RabbitMQ to Kafka across 14 services, cutting p99 latency by 30%.
• Built an idempotent ledger service in Go with PostgreSQL.
• Worked with backend.

Backend Developer | Trendyol | Istanbul | 2018-03 – 2021-06
• Designed REST APIs in Python and Django serving 2M users.
• Maintained the Go build scripts.

Software Engineering Intern, Initech — Summer 2017
• Helped with various tasks.

EDUCATION
BSc Computer Science, Boğaziçi University, 2013 – 2017

TOOLBOX
Go, Python, Django, k8s, postgres, Terraform, React
"""


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-column PDF with the given lines (DejaVu embedded so any script renders)."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", "", 10)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def two_column_pdf(header: str, left: list[str], right: list[str]) -> bytes:
    """A PDF with a full-width header, then a left sidebar and a right main column."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", "", 10)
    pdf.add_page()
    pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y()
    for line in left:
        pdf.multi_cell(60, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_left_margin(80)
    pdf.set_xy(80, top)
    for line in right:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A PDF with drawing but no text layer, like a scan."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A DOCX with paragraphs, and a table inserted after the first paragraph when given."""
    import docx

    document = docx.Document()
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if index == 0 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, values in zip(grid.rows, table, strict=False):
                for cell, value in zip(row.cells, values, strict=False):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(uncompressed_mb: int = 60) -> bytes:
    """A DOCX-shaped zip whose document.xml declares tens of MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (uncompressed_mb * 1024 * 1024))
    return buffer.getvalue()


def right_aligned_dates_pdf() -> bytes:
    """One column whose role dates sit right-aligned on the title's line."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", "", 10)
    pdf.add_page()
    pdf.cell(0, 6, "EXPERIENCE", new_x="LMARGIN", new_y="NEXT")
    for title, dates in [
        ("Senior Engineer, Acme", "Jan 2020 – Present"),
        ("Engineer, Initech", "Mar 2018 – Dec 2019"),
        ("Intern, Globex", "Summer 2017"),
    ]:
        pdf.cell(120, 6, title)
        pdf.cell(0, 6, dates, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, "• Built it", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx_with_text_box(box_lines: list[str], body: list[str]) -> bytes:
    """A DOCX whose first paragraph anchors a text box (as Word résumé templates do)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    anchor = document.add_paragraph()
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in box_lines)
    run = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
        f"<w:txbxContent>{paragraphs}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r>"
    )
    anchor._p.append(run)
    for text in body:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- hostile files


def scattered_glyphs_pdf(glyphs: int = 20_000, seed: int = 16) -> bytes:
    """One page with a heading and `glyphs` single letters at random places: each its own line."""
    import random

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=6)
    pdf.text(20, 20, "Experience")
    for _ in range(glyphs):
        pdf.text(rng.uniform(5, 200), rng.uniform(5, 290), rng.choice("abcdefghijklmnopqrstuvwxyz"))
    return bytes(pdf.output())


def many_pages_pdf(pages: int = 200) -> bytes:
    """A PDF of `pages` nearly empty pages."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for number in range(pages):
        pdf.add_page()
        pdf.text(20, 20, f"Experience, page {number + 1}")
    return bytes(pdf.output())


def dense_pages_pdf(pages: int = 14) -> bytes:
    """Pages of tiny text inside every limit, which take pdfminer seconds of CPU to read."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=6)
    line = ("Experience with Python and PostgreSQL at Example " * 3)[:100]
    for _ in range(pages):
        pdf.add_page()
        for row in range(95):
            pdf.text(5, 3 + row * 3, line)
    return bytes(pdf.output())


def cpu_heavy_pdf(pages: int = 30, words: int = 900, seed: int = 3) -> bytes:
    """Seconds of pdfminer CPU inside every structural limit: `pages` (the limit is 30) of
    `words` two-letter words at random places (each its own line, under the lines-per-page limit).

    About 5 s of CPU on a 2026 server core, several times the 1-s limits the tests set. The 14
    dense pages used before took 1.1-1.3 s, near the characters limit, and once finished inside
    a 1-s limit after earlier parses had warmed the worker."""
    import random

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=6)
    for _ in range(pages):
        pdf.add_page()
        pdf.text(20, 20, "Experience")
        for _ in range(words):
            pdf.text(rng.uniform(5, 200), rng.uniform(5, 290), "ab")
    return bytes(pdf.output())


def many_paragraphs_docx(paragraphs: int = 5_000) -> bytes:
    """A DOCX with an Experience heading and `paragraphs` short paragraphs, every other a list."""
    import docx

    document = docx.Document()
    document.add_paragraph("Experience")
    for index in range(paragraphs):
        style = "List Bullet" if index % 2 else None
        document.add_paragraph(f"Engineer at Company {index}, 2019 – 2023", style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
