"""parse_resume end to end, and one typed error with a stable code per kind of bad input."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiresight.profiles.errors import ResumeError
from hiresight.profiles.filetypes import MAX_RESUME_BYTES
from hiresight.profiles.parser import parse_resume
from tests.profiles.factories import (
    SAMPLE_TXT,
    docx_bytes,
    image_only_pdf,
    pdf_bytes,
    zip_bomb_docx,
)

TODAY = dt.date(2026, 11, 1)


def test_parses_a_text_resume_into_a_profile() -> None:
    """Contacts, roles, total months, education and skills come out of one call."""
    parsed = parse_resume(SAMPLE_TXT.encode(), "cv.txt", today=TODAY)
    assert parsed.file_type == "txt"
    assert parsed.contact.name == "Zoë Çelik"
    assert parsed.contact.links == [
        "https://github.com/zoecelik",
        "https://linkedin.com/in/zoe-celik",
        "https://zoecelik.dev",
    ]
    assert [(r.employer, r.months) for r in parsed.roles] == [
        ("Paylane", 71),
        ("Trendyol", 40),
        ("Initech", 3),
    ]
    assert parsed.total_experience_months == 71 + 40 - 6 + 3  # Jan-Jun 2021 overlap counted once
    assert parsed.education[0].institution == "Boğaziçi University"
    assert {"Go", "Python", "Kubernetes", "PostgreSQL", "Apache Kafka"} <= {
        s.name for s in parsed.skills
    }


def test_pdf_and_docx_give_the_same_profile_as_text() -> None:
    """The same résumé as PDF or DOCX yields the same roles and skills."""
    lines = SAMPLE_TXT.strip().split("\n")
    expected = parse_resume(SAMPLE_TXT.encode(), today=TODAY)
    for data in (pdf_bytes(lines), docx_bytes(lines)):
        parsed = parse_resume(data, today=TODAY)
        assert [r.label for r in parsed.roles] == [r.label for r in expected.roles]
        assert {s.name for s in parsed.skills} == {s.name for s in expected.skills}


def test_result_is_json_serialisable() -> None:
    """The model round-trips through JSON for the API and the database."""
    parsed = parse_resume(SAMPLE_TXT.encode(), today=TODAY)
    data = json.loads(parsed.model_dump_json())
    assert data["contact"]["email"] == "zoe.celik@example.com"
    assert type(parsed).model_validate(data) == parsed


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(["Experience"]))))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "cv.txt", "resume_empty"),
        (b"a" * (MAX_RESUME_BYTES + 1), "cv.txt", "resume_too_large"),
        (pdf_bytes(["Experience"]), "cv.docx", "resume_type_mismatch"),
        (b"%PDF-1.4\n1 0 obj <<>>\ntrailer <<>>\n%%EOF", "cv.pdf", "resume_corrupt"),
        (image_only_pdf(), "scan.pdf", "resume_no_text"),
        (zip_bomb_docx(), "cv.docx", "resume_archive_too_large"),
        (b"Name\x81\x8d plus \x01\x02 controls", "cv.txt", "resume_bad_encoding"),
        (b"Just some words about my cat.\nShe is nice.", "cat.txt", "resume_no_sections"),
        (bytes(range(256)) * 4, None, "resume_unsupported_type"),
    ],
)
def test_bad_input_raises_typed_errors(data: bytes, filename: str | None, code: str) -> None:
    """Every uploader mistake maps to a ResumeError with its stable code and a message."""
    with pytest.raises(ResumeError) as info:
        parse_resume(data, filename)
    assert info.value.code == code
    assert info.value.message
    assert 400 <= info.value.status_code < 500


def test_encrypted_pdf_error_code() -> None:
    """A password-protected PDF raises resume_encrypted through parse_resume."""
    with pytest.raises(ResumeError) as info:
        parse_resume(_encrypted_pdf(), "cv.pdf")
    assert info.value.code == "resume_encrypted"


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["EXPERIENCE", "Skills", "Engineer, Acme — Jan 2020 – Present", "- Built Go APIs."]
            ),
            st.text(max_size=80),
        ),
        max_size=30,
    )
)
def test_any_text_parses_or_raises_a_resume_error(lines: list[str]) -> None:
    """Arbitrary text never crashes the parser: it parses or raises a typed ResumeError."""
    try:
        parsed = parse_resume("\n".join(lines).encode("utf-8", "surrogatepass"), today=TODAY)
    except ResumeError:
        return
    assert parsed.total_experience_months >= 0
    assert all(0.0 <= c.specificity <= 1.0 for c in parsed.claims)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.tuples(
        st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe"]), st.binary(max_size=3000)
    )
)
def test_any_bytes_parse_or_raise_a_resume_error(parts: tuple[bytes, bytes]) -> None:
    """Arbitrary bytes, also behind PDF, ZIP and UTF-16 magic, never crash the parser."""
    data = parts[0] + parts[1]
    with contextlib.suppress(ResumeError):
        parse_resume(data, today=TODAY)
