"""Contact details: names in any script, phones that are not dates, normalised links."""

from __future__ import annotations

import pytest

from hiresight.profiles.contacts import (
    extract_contact,
    find_links,
    find_name,
    find_phone,
    normalise_phone,
)
from hiresight.profiles.sections import split_sections


@pytest.mark.parametrize(
    "name",
    [
        "Zoë Çelik",
        "Nguyễn Văn An",
        "Søren Ødegård",
        "José Muñoz",
        "Aisha Al-Farsi",
        "Liam O'Connor",
    ],
)
def test_names_in_many_scripts(name: str) -> None:
    """The first short line of letters is the name, diacritics and hyphens included."""
    assert find_name([f"{name} | Engineer", "x@example.com"]) == name


def test_name_skips_contact_lines() -> None:
    """An email or phone line at the top is not taken for a name."""
    assert find_name(["ana@example.com | +44 20 7946 0958", "Ana Lima"]) == "Ana Lima"


@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("Tel: +44 20 7946 0958", "+44 20 7946 0958"),
        ("(512) 555-0134 · Austin", "(512) 555-0134"),
        ("Mobile 0049 170 1234567", "0049 170 1234567"),
    ],
)
def test_phone_formats(line: str, phone: str) -> None:
    """International, North American and 00-prefixed numbers are found as written."""
    assert find_phone([line]) == phone


def test_date_ranges_are_not_phones() -> None:
    """ "2019 - 2021" and "03/2019 - 11/2020" have enough digits but are dates."""
    assert find_phone(["Acme 2019 - 2021", "Initech 03/2019 - 11/2020"]) is None


def test_phone_normalisation() -> None:
    """Comparison form: digits, with + for international numbers (00 becomes +)."""
    assert normalise_phone("+90 532 555 01 42") == "+905325550142"
    assert normalise_phone("0049 170 1234567") == "+491701234567"
    assert normalise_phone("(512) 555-0134") == "5125550134"


def test_links_are_normalised() -> None:
    """Bare or full URLs become https:// without www or trailing slash."""
    text = "www.github.com/zoe-c/ · https://de.linkedin.com/in/zoë-celik · zoe.dev"
    assert find_links(text) == (
        "https://github.com/zoe-c",
        "https://linkedin.com/in/zoë-celik",
        "https://zoe.dev",
    )


def test_email_domains_are_not_websites() -> None:
    """The domain of an email address is not a personal site."""
    assert find_links("ana@lima.dev | +351 912 345 678")[2] is None


def test_extract_contact_from_header() -> None:
    """Name, email, phone, location and links come from the header block."""
    text = (
        "Zoë Çelik\nIstanbul, Türkiye | zoe@example.com | +90 532 555 01 42\n"
        "github.com/zoecelik\nEXPERIENCE\nDev, Acme, 2019 – 2020"
    )
    contact = extract_contact(split_sections(text), text)
    assert contact.model_dump() == {
        "name": "Zoë Çelik",
        "email": "zoe@example.com",
        "phone": "+90 532 555 01 42",
        "location": "Istanbul, Türkiye",
        "github": "https://github.com/zoecelik",
        "linkedin": None,
        "website": None,
        "links": ["https://github.com/zoecelik"],
    }


@pytest.mark.parametrize(
    ("top", "name"),
    [
        ("AMARA OKAFOR\nLagos, Nigeria | amara@example.com", "AMARA OKAFOR"),
        ("JOSÉ-MARÍA NÚÑEZ\nMadrid, Spain | jm@example.com", "JOSÉ-MARÍA NÚÑEZ"),
        ("SØREN ØDEGÅRD\nSENIOR DATA ENGINEER\nOslo, Norway | s@example.com", "SØREN ØDEGÅRD"),
        ("AISHA AL-FARSI | aisha@example.com | +971 50 123 4567", "AISHA AL-FARSI"),
        ("CURRICULUM VITAE\nAMARA OKAFOR\nLagos, Nigeria | amara@example.com", "AMARA OKAFOR"),
        ("Curriculum Vitae\nLiam O'Connor\nDublin, Ireland | liam@example.com", "Liam O'Connor"),
        ("RÉSUMÉ\nZOË ÇELIK\nIstanbul, Türkiye | zoe@example.com", "ZOË ÇELIK"),
        ("SUMMARY\nBackend engineer with eight years in payments.", None),
    ],
)
def test_a_name_in_capitals_is_the_name(top: str, name: str | None) -> None:
    """A name written in capitals is read as the name, not the line under it; a document
    title ("CURRICULUM VITAE") or a section heading ("SUMMARY") never is."""
    text = f"{top}\n\nEXPERIENCE\nEngineer, Acme — Jan 2020 – Dec 2022\n• Built the ledger."
    contact = extract_contact(split_sections(text), text)
    assert contact.name == name


def test_location_under_a_name_in_capitals() -> None:
    """The contact line under a name (and headline) in capitals still gives the location."""
    text = (
        "AMARA OKAFOR\nSENIOR DATA ENGINEER\nLagos, Nigeria | amara@example.com\n\n"
        "EXPERIENCE\nData Engineer, Paystack — 2019 – 2022"
    )
    contact = extract_contact(split_sections(text), text)
    assert (contact.name, contact.location, contact.email) == (
        "AMARA OKAFOR", "Lagos, Nigeria", "amara@example.com",
    )  # fmt: skip


def test_headings_in_capitals_in_the_first_lines_are_not_names() -> None:
    """Without a header, the fallback over the first lines skips headings in capitals."""
    assert find_name(["KEY ACHIEVEMENTS", "x"], capitals_may_be_a_name=False) is None
    assert find_name(["CURRICULUM VITAE", "Ana Lima"]) == "Ana Lima"
