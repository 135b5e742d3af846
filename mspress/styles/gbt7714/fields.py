"""What GB/T 7714 needs of each entry type, and what a well-formed field looks like."""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from mspress.styles.gbt7714.language import LANGUAGE_FIELDS, language_code

# Each requirement is a tuple of alternatives: one of them must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("title",), ("publisher",), ("year", "date")),
    "mvbook": (("title",), ("publisher",), ("year", "date")),
    "collection": (("title",), ("publisher",), ("year", "date")),
    "proceedings": (("title",), ("year", "date")),
    "inbook": (("title",), ("booktitle", "maintitle"), ("publisher",), ("year", "date")),
    "incollection": (("title",), ("booktitle", "maintitle"), ("publisher",), ("year", "date")),
    "inproceedings": (("title",), ("booktitle", "eventtitle"), ("year", "date")),
    "conference": (("title",), ("booktitle", "eventtitle"), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "thesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "techreport": (("title",), ("institution", "publisher", "number"), ("year", "date")),
    "report": (("title",), ("institution", "publisher", "number"), ("year", "date")),
    "standard": (("title",), ("number",)),
    "patent": (("title",), ("number",), ("year", "date")),
    "online": (("title",), ("url", "doi")),
    "www": (("title",), ("url",)),
    "electronic": (("title",), ("url",)),
    "dataset": (("title",), ("url", "doi", "publisher")),
    "software": (("title",), ("url", "doi", "publisher")),
    "misc": (("title",),),
}
REQUIRED.update({alias: REQUIRED[same] for alias, same in (
    ("bookinbook", "inbook"), ("suppbook", "inbook"), ("suppcollection", "incollection"), ("suppperiodical", "article"),
    ("review", "article"), ("mvreference", "collection"))})


_CHECKS = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "a DOI looks like 10.1016/j.xxx.2020.01.001 (a https://doi.org/ link to it is read too)"),
    "year": (re.compile(r"^(\d{4}[a-z]?|\[\d{4}\]|c\d{4})$"), "a year is four digits, such as 2015"),
    "pages": (re.compile(r"^[\w.+]+(\s*(-{1,2}|–|—|~|～)\s*[\w.+]+)?(\s*[,;]\s*[\w.+]+(\s*(-{1,2}|–|—)\s*[\w.+]+)?)*$"),
              "pages look like 240--248, e9--e11 or 2796"),
    "date": (re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"), "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    "urldate": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "an access date is YYYY-MM-DD"),
}


def missing_fields(entry_type: str, fields: Mapping[str, str], names: Mapping[str, object]) -> list[str]:
    """Requirements of the type that the entry does not meet, as ``a or b`` strings."""
    needed = REQUIRED.get(entry_type, REQUIRED["misc"])
    present = {k for k, v in fields.items() if v} | {k for k, v in names.items() if v}
    return [" or ".join(choice) for choice in needed if not present & set(choice)]


def field_problem(name: str, value: str) -> str | None:
    """Why ``value`` is malformed for field ``name``, or ``None``."""
    if name in LANGUAGE_FIELDS:
        return None if language_code(value) else f"unknown language {value!r}; use english, chinese, japanese, russian…"
    check = _CHECKS.get(name)
    if check is None:
        return None
    pattern, hint = check
    checked = bare_doi(value) if name == "doi" else value  # a DOI given as a URL is printed as a DOI: not a fault
    return None if pattern.match(checked.strip()) else f"malformed {name} {value!r}: {hint}"


# --- values the standard prescribes a form for ----------------------------------------------------------
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBERED_EDITION = re.compile(
    r"(?i)^\s*(?:第\s*)?(?P<number>\d{1,3}|[一二三四五六七八九十]{1,3}|" + "|".join(ORDINALS) + r")"
    r"\s*(?:st|nd|rd|th|\.)?\s*(?:edition|edn\.?|ed\.?|版|版次)?\s*(?:[,，(（]?\s*(?:\d{4})\s*[)）]?)?\s*$")
_WORDED_EDITION = re.compile(r"(?i)^\s*(rev(ised)?\.?|enl(arged)?\.?|new|updated|expanded|international|student|"
                             r"abridged|reprint|repr\.|修订|增订|新|重排|缩印|影印|精装|平装|普及|第?\s*\d+\s*次印刷|明刻|清刻|\w*刻)")


def edition_number(value: str) -> int | None:
    """``2``, ``2nd``, ``2nd edition``, ``Second Edition 1973``, ``第2版``, ``二版`` → 2; ``None`` for other statements."""
    m = _NUMBERED_EDITION.match(value)
    if not m:
        return None
    number = m.group("number").lower()
    if number.isdigit():
        return int(number)
    if number in ORDINALS:
        return ORDINALS[number]
    total = 0
    for ch in number:  # 十二 = 12, 二十 = 20
        digit = _CHINESE_DIGITS[ch]
        total = (total or 1) * 10 if digit == 10 else total + digit
    return total


def edition_readable(value: str) -> bool:
    """A number or an edition statement the standard prints as given (``Rev. ed.``, ``修订版``, ``新1版``)."""
    return edition_number(value) is not None or bool(_WORDED_EDITION.match(value))


_DOI_PREFIX = re.compile(r"(?i)^\s*(?:doi\s*[:：]?\s*|https?://(?:dx\.)?doi\.org/|doi\.org/)+")


def bare_doi(value: str) -> str:
    """``https://doi.org/10.1/x``, ``doi:10.1/x`` → ``10.1/x`` (URL-escaped ``%2F`` restored)."""
    doi = _DOI_PREFIX.sub("", value.strip())
    return doi.replace("%2F", "/").replace("%2f", "/") if doi.startswith("10.") else doi


_PLACES = re.compile(r" and | ?[;；、] ?| & ")


def first_place(value: str) -> str:
    """Only the first place of publication is given (``北京 and 上海`` → ``北京``; ``Cambridge, Mass.`` stays)."""
    return _PLACES.split(" ".join(value.split()), maxsplit=1)[0].strip()  # spaces collapsed first: linear time


_PUBLISHERS = re.compile(r" ?[;；、] ?")


def first_publisher(value: str) -> str:
    """Only the first publisher (``人民出版社、中央文献出版社`` → ``人民出版社``); ``and`` may belong to a name."""
    return _PUBLISHERS.split(" ".join(value.split()), maxsplit=1)[0].strip()


_URL_COMMAND = re.compile(r"\\url\s*\{([^{}]+)\}")


def url_in_text(raw_fields: Mapping[str, str]) -> str:
    """A URL given as ``\\url{…}`` in ``howpublished`` or ``note`` (BibTeX had no url field), or ''."""
    for name in ("howpublished", "note"):
        m = _URL_COMMAND.search(raw_fields.get(name, ""))
        if m:
            return m.group(1).strip()
    return ""


def plain_number(value: str) -> str:
    """An issue or volume without the leading zeros CNKI writes (``01`` → ``1``)."""
    return value.lstrip("0") or value if value.isdigit() else value


ARXIV_JOURNAL = re.compile(r"(?i)^\s*(arxiv|corr|biorxiv|medrxiv|chemrxiv|ssrn|research\s*square|preprints?)\b")
ARXIV_ID = re.compile(r"(?i)(?:arxiv[:\s]*|abs/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)")


def preprint_server(journal: str) -> str | None:
    """The server a ``journal`` field names when it is really a preprint (``arXiv preprint arXiv:…``, ``CoRR``)."""
    m = ARXIV_JOURNAL.match(journal)
    if not m:
        return None
    server = m.group(1).lower()
    return {"arxiv": "arXiv", "corr": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv", "chemrxiv": "ChemRxiv",
            "ssrn": "SSRN"}.get(server, m.group(1))


_CARRIERS = {"MT": ("mt", "magnetic tape", "tape", "磁带"), "DK": ("dk", "disk", "disc", "diskette", "floppy", "磁盘", "软盘"),
             "CD": ("cd", "cd-rom", "cdrom", "dvd", "dvd-rom", "光盘"), "MM": ("mm", "microform", "microfilm", "microfiche", "缩微"),
             "OL": ("ol", "online", "联机", "网络")}


def carrier(value: str) -> str:
    """The medium code (Annex A) a ``medium`` or ``howpublished`` value names: ``CD-ROM`` → ``CD``; else ''."""
    word = value.strip().lower().strip("[]")
    return next((code for code, names in _CARRIERS.items() if word in names), "")


KNOWN_FIELDS = frozenset("""
abstract addendum address afterword annotation annote annotator archiveprefix author authortype bookauthor bookpagination
booksubtitle booktitle booktitleaddon chapter commentator crossref date dimensions doi edition editor editora editorb
editorc editortype editoratype editorbtype editorctype eid entryset entrysubtype eprint eprintclass eprinttype eventdate
eventtitle eventtitleaddon file foreword holder howpublished ids indextitle institution introduction isan isbn ismn isrn
issn issue issuesubtitle issuetitle iswc journal journalsubtitle journaltitle journaltitleaddon key keywords label langid
langidopts language library location mainsubtitle maintitle maintitleaddon medium month nameaddon note number options
organization origdate origlanguage origlocation origpublisher origtitle pages pagetotal pagination part primaryclass
publisher pubstate reprinttitle school series shortauthor shorteditor shorthand shorthandintro shortjournal shortseries
shorttitle sortkey sortname sortshorthand sorttitle sortyear subtitle title titleaddon translator type url urldate
venue version volume volumes xdata xref year userd usera userb userc usere userf verba verbb verbc cstr scale
hyphenation mrclass mrnumber zbl pmid pmcid arxivid timestamp owner groups mendeley-tags mendeley-groups copyright
lccn bdsk-url-1 bdsk-url-2 bdsk-file-1 biburl bibsource citeulike-article-id citeulike-linkout-0 posted-at priority
rating read readstatus researcherid unique-id article-number numpages articleno acmid affiliation affiliations
cited-references da ea funding-acknowledgement funding-text journal-iso keywords-plus number-of-cited-references
orcid-numbers research-areas times-cited usage-count web-of-science-categories web-of-science-index type-of-work
school-name collaborator country dept degree advisor supervisor place pubmed pmc shortjournal-iso ppn isbn13
isbn10 eissn oclc adsnote adsurl comment comments day
""".split())
"""Fields of BibLaTeX's data model, BibTeX's, and those reference managers add (Zotero, JabRef, Mendeley, Web of
Science, BibDesk…). A field not here but one letter or two from one of them is probably misspelt."""


@cache
def misspelt_field(name: str) -> str | None:
    """The known field ``name`` is a misspelling of (``puslisher`` → ``publisher``), or ``None``."""
    if name in KNOWN_FIELDS or "_" in name or name.startswith(("x-", "bdsk", "tex.")):
        return None
    if not any(_letters_overlap(name, known) >= 0.75 for known in KNOWN_FIELDS):
        return None  # no known field shares enough letters: difflib (and its import) would say the same
    import difflib

    close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1, cutoff=0.75)
    return close[0] if close else None


def _letters_overlap(a: str, b: str) -> float:
    """difflib's ``quick_ratio``, an upper bound of the similarity ``get_close_matches`` compares with its cutoff."""
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(a))
    return 2 * common / (len(a) + len(b))
