"""One vocabulary: the catalogue uses the terms of docs/glossary.md and none of their variants."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_translations import msgstr_text, po_entries

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "glossary.md"


def glossary_rows():
    text = GLOSSARY.read_text(encoding="utf-8")
    table = text.split("<!-- glossary:begin -->")[1].split("<!-- glossary:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:  # past the header and its rule
        concept, english, term, forbidden = (cell.strip() for cell in line.strip("|").split("|"))
        variants = [variant.strip() for variant in forbidden.split(",") if variant.strip()]
        rows.append((concept, english, term, variants))
    return rows


def translations():
    return [msgstr_text(entry) for entry in po_entries()]


def test_the_glossary_names_each_concept_and_each_term_once():
    rows = glossary_rows()
    assert len(rows) >= 20
    terms = [term.casefold() for _concept, _english, term, _variants in rows]
    concepts = [concept for concept, *_rest in rows]
    assert len(set(terms)) == len(terms)
    assert len(set(concepts)) == len(concepts)


@pytest.mark.parametrize(
    ("concept", "variant"),
    [(row[0], variant) for row in glossary_rows() for variant in row[3]],
)
def test_no_translation_uses_a_variant_the_glossary_rules_out(concept, variant):
    pattern = re.compile(variant, re.IGNORECASE)
    offending = [text for text in translations() if pattern.search(text.strip())]
    assert offending == [], f"{concept}: use the glossary's term, not {variant!r}"


@pytest.mark.parametrize(("concept", "term"), [(row[0], row[2]) for row in glossary_rows()])
def test_every_glossary_term_is_used_by_the_interface(concept, term):
    assert any(term.casefold() in text.casefold() for text in translations()), concept


def test_the_variant_check_can_fail():
    """The patterns do catch what they are meant to (a check that cannot fail proves nothing)."""
    samples = {
        "chứng chỉ(?! khóa học)": "Tải chứng chỉ (PDF)",
        "^đã nộp$": "Đã nộp",
        "điểm đạt": "Điểm đạt 50",
        "cần minh chứng": "cần minh chứng",
    }
    for variant, sample in samples.items():
        assert re.search(variant, sample, re.IGNORECASE)
    assert not re.search("chứng chỉ(?! khóa học)", "chứng chỉ khóa học")
