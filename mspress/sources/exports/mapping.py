"""A record of an export → a ``Reference`` with the BibTeX/BibLaTeX types and fields mspress's reader and the GB/T 7714
engine read (``journal``, ``school``, ``institution``, ``number``, ``langid``…).

Names: a Chinese name stays whole as a family name (``张三``; CNKI's ``张三;李四`` is split by the reader), a
Chinese organisation is kept as one corporate name; a Western or pinyin name becomes family and given names, in
whichever order the export wrote it (``Zhang, San``, ``ZHANG San``, ``Wenjie JIANG``, ``Henry Fan Yeung``).
"""
from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from mspress.errors import Location
from mspress.model import Name, Reference
from mspress.sources.exports.record import Record
from mspress.sources.names import ORGANISATION_WORDS, parse_name
from mspress.styles.gbt7714.language import language_code
from mspress.text import has_han, is_han, script_language
from mspress.writers.bibtex import bibtex_names, escape

LANGIDS = {"zh": "chinese", "en": "english", "ja": "japanese", "ko": "korean", "ru": "russian", "de": "german", "fr": "french",
           "es": "spanish", "it": "italian", "pt": "portuguese", "nl": "dutch"}
"""Language codes → the ``langid`` values BibLaTeX (and mspress) read."""


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """One entry of an export, read: its reference (key still empty) and what could not be read of it."""

    reference: Reference
    line: int
    """1-based line of the record in the export."""
    written_type: str
    """The record's type as the export names it."""
    notes: tuple[str, ...] = ()
    """What was guessed or left out, each a phrase for the import's report."""


def to_entry(record: Record, location: Location) -> ImportedEntry:
    fields: dict[str, str] = {}
    notes: list[str] = []
    kind = record.kind
    one = record.first
    title = _clean(one("title"))
    if title:
        fields["title"] = title
    else:
        notes.append("it has no title")
    people = {role: tuple(person_name(p) for p in record.people.get(role, ())) for role in ("author", "editor", "translator", "holder")}
    names = {role: found for role, found in people.items() if found}
    entry_type = _entry_type(record, fields, names)
    if kind == "generic" and record.written_type.strip().upper() not in ("GEN", "GENERIC", ""):
        notes.append(f"its type {record.written_type!r} has no GB/T 7714 counterpart and was read as @misc [Z]")
    year, date = _year_date(record.values.get("year", ()), record.values.get("date", ()))
    if date and kind in ("newspaper", "patent", "webpage"):
        fields["date"] = date  # the day is printed for these
    elif year:
        fields["year"] = year
    urldate = _year_date((), record.values.get("urldate", ()))[1]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", urldate):
        fields["urldate"] = urldate
    for name, value in (("volume", one("volume")), ("edition", one("edition")), ("isbn", one("isbn")), ("issn", one("issn"))):
        if value.strip():
            fields[name] = _clean(value)
    issue = one("issue").strip()
    if issue:
        fields["number"] = (issue.lstrip("0") or issue) if issue.isdigit() else issue
    pages = _pages(one("pages") or "-".join(p for p in (one("start_page"), one("end_page")) if p.strip()))
    if pages:
        fields["pages"] = pages
    doi, url = _doi(record), _url(record)
    if doi:
        fields["doi"] = doi
    if url and not (doi and url.lower().endswith(doi.lower())):  # doi.org/…, CNKI's link.cnki.net/doi/…: the DOI again
        fields["url"] = url
    keywords = _keywords(record.values.get("keywords", ()))
    if keywords:
        fields["keywords"] = keywords
    abstract = _abstract(one("abstract"))
    if abstract:
        fields["abstract"] = abstract
    langid = _langid(record, title, names)
    if langid:
        fields["langid"] = langid
    raw = _translation(record, entry_type, fields)
    fields = {k: v for k, v in fields.items() if v}
    reference = Reference("", entry_type, fields, names, location, {**fields, **raw}, "bibtex")
    return ImportedEntry(reference, record.line, record.written_type, tuple(notes))


def _entry_type(record: Record, fields: dict[str, str], names: dict[str, tuple[Name, ...]]) -> str:
    """The BibTeX type, with the fields that depend on it (the host, the publisher's role, numbers)."""
    kind, one = record.kind, record.first
    host, short = _clean(one("container")), _clean(one("container_short"))
    publisher, place = _clean(one("publisher")), _clean(one("place"))
    number, series = _clean(one("number")), _clean(one("series"))
    if kind in ("article", "magazine", "newspaper"):
        fields["journal"] = host or short
        if short and short != fields["journal"]:
            fields["shortjournal"] = short
        if kind == "newspaper":
            fields["entrysubtype"] = "newspaper"
        return "article"
    if kind == "thesis":
        degree = one("degree")
        fields["school"] = publisher or host
        fields["address"] = place
        if re.search(r"(?i)博士|doctor|ph\.?\s?d|dphil|dissertation", f"{degree} {record.written_type}"):
            return "phdthesis"
        if re.search(r"(?i)硕士|碩士|master|m\.?\s?sc|m\.?\s?a\b|mphil", degree):
            return "mastersthesis"
        fields["type"] = degree
        return "thesis"
    if kind == "report":
        fields.update(institution=publisher, address=place, number=number, type=one("degree"), series=series)
        return "techreport"
    if kind == "patent":
        fields["number"] = number
        fields["applicationnumber"] = _clean(one("application_number"))
        if "holder" not in names and publisher and "author" not in names:
            names["holder"] = (Name(family=publisher, corporate=True),)  # Zotero's assignee, when no inventor is named
        return "patent"
    if kind == "standard":
        fields.update(number=number, publisher=publisher, address=place, series=series)
        return "standard"
    if kind in ("chapter", "conference", "proceedings"):
        event = _clean(one("event"))
        if kind == "conference" and not host:
            host = event  # the conference is the best name of the host there is
        if kind != "proceedings":
            fields["booktitle"] = host
        if event and event != host:
            fields["eventtitle"] = event
        fields.update(publisher=publisher, series=series, organization=_clean(one("organization")))
        # without a publisher, a conference paper's place is where the meeting was held (BibLaTeX's venue)
        fields["address" if publisher or kind == "chapter" else "venue"] = place
        return {"chapter": "incollection", "conference": "inproceedings", "proceedings": "proceedings"}[kind]
    if kind == "webpage":
        fields["organization"] = publisher or host
        return "online"
    if kind in ("dataset", "software"):
        fields.update(publisher=publisher, version=_clean(one("edition")), series=series)
        return kind
    fields.update(publisher=publisher, address=place, series=series)
    if kind == "book":
        return "book"
    fields["howpublished"] = host
    return "misc"


def _translation(record: Record, entry_type: str, fields: dict[str, str]) -> dict[str, str]:
    """The English version of a Chinese record (Wanfang's ``Translated …``) as the ``*_translation_en`` fields the
    GB/T 7714 engine prints after the entry when a journal asks for both; the raw value of the name list."""
    raw: dict[str, str] = {}
    title_en = _clean(record.first("title_en"))
    if not title_en or not has_han(fields.get("title", "")):
        return raw
    fields["title_translation_en"] = title_en
    host_en = _clean(record.first("container_en"))
    if host_en:
        fields["journal_translation_en" if entry_type == "article" else "booktitle_translation_en"] = host_en
    authors = [person_name(p) for p in record.people.get("author_en", ())]
    if authors:
        raw["author_transliteration_en"] = fields["author_transliteration_en"] = bibtex_names(authors)
    return raw


# --- names -------------------------------------------------------------------------------------------------

_HAN_ORGANISATION = re.compile(r"(公司|大学|大學|学院|學院|研究院|研究所|研究中心|委员会|委員會|中心|医院|醫院|协会|學會|学会|实验室|集团|编辑部|"
                               r"出版社|评论员|評論員|办公室|管理局|总局|政府|联合会|小组|课题组|[局部厅署会院所处])$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$|^[A-Z]\.(?:-?[A-Z]\.)+$")


def person_name(text: str) -> Name:
    """One name as an export writes it → ``Name``."""
    from mspress.sources.typed_references import family_case, pinyin_name, typed_name

    text = " ".join(text.replace("\u3000", " ").split()).strip(" ,，;；")
    if has_han(text):
        family, sep, given = text.partition(",") if "," in text else text.partition("，")
        if sep and has_han(family) and (has_han(given) or not given.strip()):
            text = f"{family.strip()}{given.strip()}"  # Zotero's two-field Chinese name: 张, 三 → 张三
        han = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", text)  # 张 三 → 张三
        person = all(is_han(ch) or ch in "·•‧・" for ch in han)
        if not person or (len(han) > 4 and not re.search("[·•‧・]", han)) or _HAN_ORGANISATION.search(han):
            return Name(family=han, corporate=True)
        return Name(family=han)
    if "," in text:
        return parse_name(escape(text))
    tokens = text.split()
    if not tokens:
        return Name(family=text)
    if tokens[-1].rstrip(".").lower() in ORGANISATION_WORDS or any(t.lower() in ("of", "for", "and", "&") for t in tokens[1:-1]) \
            or len(tokens) > 4:
        return Name(family=text, corporate=True)
    if len(tokens) == 1:
        return Name(family=text)
    if len(tokens) == 2:
        a, b = tokens
        if _caps(a) and not _caps(b):
            return Name(family_case(a), b)  # ZHANG San, XU Ya-qiong (Wanfang)
        if _caps(b) and not _caps(a):
            return Name(family_case(b), a)  # Wenjie JIANG
        if pinyin_name(a, b):
            return Name(a, b)  # Jiang Bingjian: a Chinese surname, then the given name in full
    if _INITIALS.match(tokens[-1]) and not _INITIALS.match(tokens[0]):
        typed = typed_name(text)  # Smith JA, Veen P H v d: the family name first, as GB/T 7714 writes it
        if not typed.corporate:
            return typed
    return parse_name(escape(text))  # given names first: Henry Fan Yeung, E.S. Feng


def _caps(token: str) -> bool:
    """A family name in capitals (``ZHANG``, ``SMITH``), not initials (``JA``, ``E.S.``)."""
    from mspress.styles.gbt7714.pinyin import CHINESE_SURNAMES

    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2 or "." in token or not all(c.isupper() for c in letters):
        return False
    return len(letters) > 3 or token.lower().replace("-", "") in CHINESE_SURNAMES


# --- values ------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n]+")  # an ideographic space is content (between a standard's title parts)
_DATE = re.compile(r"(?<!\d)(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?)?")


def _clean(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def _year_date(years: Sequence[str], dates: Sequence[str]) -> tuple[str, str]:
    """(year, ISO date) from an export's year and date values: ``2014``, ``2014/04/03/``, ``2017///``,
    ``2023/09/12/00:16:04``, ``2019-01-09``, ``1995/01/01``."""
    year = date = ""
    for value in [*dates, *years]:
        m = _DATE.search(value)
        if not m:
            continue
        year = year or m.group(1)
        month, day = (int(m.group(2) or 0), int(m.group(3) or 0))
        if not date and 1 <= month <= 12:
            date = f"{m.group(1)}-{month:02d}" + (f"-{day:02d}" if 1 <= day <= 31 else "")
    if years:
        m = _DATE.search(years[0])
        year = m.group(1) if m else year
    return year, date


def _pages(value: str) -> str:
    """``1433 -1440``, ``12～15``, ``004`` → ``1433-1440``, ``12-15``, ``4``; ``187-188,195`` and ``210+209`` as given."""
    value = _clean(value)
    value = re.sub(r"\s*[-–—~～－]+\s*", "-", value)
    return re.sub(r"(?<![\w.])0+(?=\d)", "", value)


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def _doi(record: Record) -> str:
    dois = record.values.get("doi", ())
    for value in [*dois, *(unproxied(url) for url in record.values.get("url", ()))]:
        m = _DOI.search(unicodedata.normalize("NFKC", value))  # Wanfang writes full-width ／ and －
        if m and (value in dois or "doi.org/" in value):
            return m.group(0).rstrip(".,;")
    return ""


_SESSION_URL = re.compile(r"(?i)^https?://(?:kns\.cnki\.net|[\w.-]*cnki\.net)/kcms2?/[^?]*\?(?:.*&)?v=")
"""CNKI's record links that carry a session token (``kcms2/article/abstract?v=…``): they expire, so they are left out."""


_PROXY_LOGIN = re.compile(r"(?i)^https?://[^/?#\s]+/(?:[^?#\s]*/)?login\?(?:[^#\s]*&)?(?P<name>q?url)=(?P<target>\S+)$")
"""A library proxy's login link to a page (EZproxy's ``https://proxy.example.edu/login?url=https://doi.org/…``, or with the
target percent-encoded, ``login?qurl=https%3A%2F%2F…``): only the library's members can follow it."""


def unproxied(url: str) -> str:
    """The page a library proxy's login link leads to; any other URL as it is."""
    url = url.strip()
    for _ in range(3):  # a proxy's link to another proxy's
        m = _PROXY_LOGIN.match(url)
        if not m:
            break
        target = m.group("target")
        if m.group("name").lower() == "qurl":
            target = target.split("&", 1)[0]  # an encoded target ends at the next parameter; url= is the last one
        if re.match(r"(?i)https?%3A", target):
            target = urllib.parse.unquote(target)
        if not re.match(r"(?i)(https?|ftp)://\S", target):
            break
        url = target
    return url


def _url(record: Record) -> str:
    for value in record.values.get("url", ()):
        value = unproxied(value)
        if re.match(r"(?i)(https?|ftp)://", value) and not _SESSION_URL.match(value):
            return value
    return ""


def _keywords(values: Sequence[str]) -> str:
    seen: dict[str, None] = {}  # ordered, and linear however many keywords a record lists
    for value in values:
        for keyword in re.split(r"\s*[;；,，]\s*", value):
            keyword = _clean(keyword)
            if keyword:
                seen.setdefault(keyword)
    return ", ".join(seen)


def _abstract(value: str) -> str:
    """CNKI's line-break mark ``(#br)`` and its ``<正>`` (an article without an abstract: the text's start) removed."""
    value = re.sub(r"^\s*Abstract\s*\(#br\)", "", value)
    value = value.replace("(#br)", " ")
    value = re.sub(r"^\s*[〈<＜]正[>＞〉]", "", value)
    return _clean(value)


def _langid(record: Record, title: str, names: dict[str, tuple[Name, ...]]) -> str:
    """The record's language field, else the script of its title, host and names; a record said to be English whose
    title is Chinese is Chinese (Zotero's default language is the user's, whatever the item)."""
    people = " ".join(n.family for n in names.get("author", ())[:3])
    script = script_language(f"{title}{record.first('container')}{people}")
    declared = next((code for value in record.values.get("language", ()) if (code := language_code(value))), None)
    code = script if declared is None or (declared == "en" and script == "zh") else declared
    return LANGIDS.get(code, "")
