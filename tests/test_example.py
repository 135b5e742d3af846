"""The example article (manuscript/, references/) built end to end, HTML and PDF."""
from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import fitz  # PyMuPDF
import pytest

from mspress.cli import main

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    for name in ("manuscript", "references"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert main(["build", "-C", str(root)]) == 0
    return root / "output"


@pytest.fixture(scope="module")
def page_html(built: Path) -> str:
    return (built / "manuscript.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf(built: Path) -> fitz.Document:
    return fitz.open(built / "manuscript.pdf")


def citation_marks(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="cite"><sup>(.*?)</sup></span>', page)]


def expand(mark: str) -> list[int]:
    numbers: list[int] = []
    for part in mark.strip("[]").split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def test_first_citations_run_from_1_to_34_in_order(page_html: str) -> None:
    seen: list[int] = []
    for mark in citation_marks(page_html):
        seen.extend(n for n in expand(mark) if n not in seen)
    assert seen == list(range(1, 35))


def test_groups_are_compressed_as_in_the_article(page_html: str) -> None:
    marks = citation_marks(page_html)
    for group in ("[4-7]", "[20-21]", "[27-28]"):
        assert group in marks
    assert len(marks) == 32


def reference_items(page: str) -> list[str]:
    items = re.findall(r'<div id="ref-[^"]+" class="reference"[^>]*>\s*<p><span class="ref-label">\[\d+\]</span>(.*?)</p>', page)
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def test_entry_29_is_the_dougherty_trial(page_html: str) -> None:
    items = reference_items(page_html)
    assert len(items) == 34
    assert items[28].startswith("DOUGHERTY D D, REZAI A R, CARPENTER L L, et al. A randomized sham-controlled trial")
    assert "2015, 78(4): 240-248" in items[28]


def test_provenance_fields_are_not_printed(page_html: str) -> None:
    for word in ("confidence", "guess", "evidence", "unverified", "from memory"):
        assert word not in page_html


def pdf_text(pdf: fitz.Document) -> str:
    """The PDF's text without spaces, running heads and page numbers (an entry may run on to the next page), and
    without the hyphens hyphenation added at line ends (U+2010)."""
    body = "".join(page.get_text(clip=fitz.Rect(0, 62, page.rect.width, page.rect.height - 50)) for page in pdf)
    return re.sub(r"\s+", "", re.sub(r"\u2010\s*\n", "", body))


def test_pdf_holds_titles_abstracts_and_all_references(pdf: fitz.Document, page_html: str) -> None:
    text = pdf_text(pdf)
    for needle in ("深部脑刺激对难治性抑郁症的治疗进展",
                   "Researchprogressinthetreatmentoftreatment-resistantdepressionbydeepbrainstimulation",
                   "近年来诸多研究表明深部脑刺激", "therefore providing a factual basis".replace(" ", ""), "参考文献"):
        assert needle in text
    for item in reference_items(page_html):
        assert re.sub(r"\s+", "", item) in text, item


def test_pdf_fonts_are_embedded_subsets_of_the_named_families(pdf: fitz.Document) -> None:
    fonts = {font for i in range(len(pdf)) for font in pdf.get_page_fonts(i)}
    assert fonts
    for _xref, ext, _type, basefont, _name, _enc, *_ in fonts:
        assert ext != "n/a", f"{basefont} not embedded"
        assert re.match(r"^[A-Z]{6}\+", basefont), f"{basefont} not subset"
    families = {basefont.split("+", 1)[1] for _x, _e, _t, basefont, *_ in fonts}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= {f.replace("-Bold", "") for f in families}


def test_pdf_has_no_notdef_glyph(pdf: fitz.Document) -> None:
    missing = [(page.number + 1, chr(c[0])) for page in pdf for span in page.get_texttrace() for c in span["chars"] if c[1] == 0]
    assert missing == []


def test_pdf_pages_are_numbered_from_the_journal_first_page(pdf: fitz.Document) -> None:
    first = pdf[0].get_text().split()
    assert "187" in first
    assert "四川精神卫生" in pdf[1].get_text() or "Sichuan Mental Health" in pdf[1].get_text()
