"""Typed GB/T 7714 reference entries (a manuscript's reference list as text) → ``Reference``.

Editors receive reference lists as typed text::

    [3] 王晓明, 李华, 张三, 等. 抑郁症的神经机制研究[J]. 中华医学杂志, 2020, 100(5): 321-325.
    Smith J, Brown A. Deep learning[M]. 2nd ed. New York: Springer, 2019: 10-20.
    博伯尔, 2023. 银行业的未来与人工智能[M]. 徐超，译. 北京：清华大学出版社：35.

``parse_entry`` reads one entry into a ``Reference`` with the BibTeX/BibLaTeX type and field names the GB/T 7714
engine reads, so that the engine formats it back; ``split_list`` cuts a typed list into entries. The reading works
on the entry's blocks (the runs between ``. `` separators, ``//`` before a host): the type code ``[J]`` splits the
entry into the part before it (responsible persons, ``year``, title) and the part after it, whose blocks are read as
the code's template has them. Without a code each block is read by its shape.

Only regular expressions with bounded repetition run over the text, so any input — hostile or merely long — is read
in linear time, and nothing raises. Values are kept as typed, as a CSL-JSON library keeps them: plain text (not
LaTeX), titles in the case they are printed (``source_format = "csl-json"`` tells the engine so).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mspress.errors import Location
from mspress.model import Name, Reference
from mspress.sources.names import ET_AL

MAX_ENTRY = 4000
"""Characters of one entry that are read; the rest is reported as unparsed (no reference list entry is this long)."""

# --- characters -----------------------------------------------------------------------------------------------
# Scripts are told by code point: a regular expression class of the CJK ranges takes milliseconds to compile.
def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def _is_cjk_letter(ch: str) -> bool:
    """A Chinese character, kana or hangul (not CJK punctuation: 2025 sets ，： in Western entries too)."""
    code = ord(ch)
    return _is_han(ch) or 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF


def _has(text: str, test: Callable[[str], bool]) -> bool:
    return not text.isascii() and any(map(test, text))


def _has_han(text: str) -> bool:
    return _has(text, _is_han)


def _has_cjk(text: str) -> bool:
    return _has(text, _is_cjk_letter)


def _has_kana(text: str) -> bool:
    return _has(text, lambda ch: 0x3040 <= ord(ch) <= 0x30FF)


def _has_hangul(text: str) -> bool:
    return _has(text, lambda ch: 0xAC00 <= ord(ch) <= 0xD7AF)


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SPACES = re.compile(r"[ \t\r\n\u00a0\u200b\ufeff]+")  # an em space (after a standard's number) is content
_FULL_WIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}

# --- labels, links, codes ---------------------------------------------------------------------------------------
_LABEL = re.compile(r"^\s*(?:\\?[\[［]\s*\d{1,4}\s*\\?[\]］](?![.,，．。:：\]])|[(（]\d{1,3}[)）]|\d{1,3}\s{0,3}[.．、](?![\d.])|\d{1,3}\)(?!\d)|\d{1,3}\t)[ \t]*(?=\S)")
_URL = r"(?:https?|htps?|ftp)://[^\s<>\"，。；、]{1,2000}"
_LINK = re.compile(rf"(?i)(?P<url>{_URL})|\bdoi\s{{0,3}}[:：]\s{{0,3}}(?P<doi>10\.\d{{3,9}}/[^\s，；]{{1,500}})|\bCSTR\s{{0,3}}[:：]\s{{0,3}}(?P<cstr>[0-9A-Za-z][^\s，；]{{0,200}})")
_TRAILING_URLDATE = re.compile(r"\[(\d{4}-\d{1,2}-\d{1,2})\]$")
CODES = ("M", "C", "G", "N", "J", "D", "R", "S", "P", "EB", "A", "CM", "DS", "PP", "CP", "DB", "Z", "K")
MEDIA = ("OL", "CD", "DK", "MT", "MM")
_CODE = re.compile(r"[\[［]\s{0,2}(" + "|".join(sorted(CODES, key=len, reverse=True)) + r")\s{0,2}(?:/\s{0,2}(" + "|".join(MEDIA)
                   + r"))?\s{0,2}[\]］]")

# --- blocks ------------------------------------------------------------------------------------------------------
_SEPARATOR = re.compile(r"\.(?:[ ]+|(?=[^\x00-\x7f，：；、。．）”’》」』〕】,:;)\]])|(?<=[^\x00-\x7f]\.)(?=[A-Za-z0-9《“])|(?<=[a-z]{2}\.)(?=[A-Z][a-z])|(?<=\s[A-Z]\.)(?=[A-Z][a-z]{2}))")
"""``. `` or, typed without the space, a full stop before or after a Chinese character (``王晓明.抑郁症``,
``郦敏杰.MOS方法``) or between a word and a capitalised one (``et al.Runoff``)."""
_WORD_BEFORE = re.compile(r"([^\s,，:：;；(（]{1,40})$")
_NO_STOP = frozenset("univ rev dept co corp st mt ft dr mr mrs ms prof vol no nos pp fig ch sect".split())
"""Abbreviations whose dot never ends a block (``Univ. of Chicago Press``, ``Rev. ed.``)."""
_KEEPS_DOT = frozenset("ed eds mass eng colo calif conn ill inc co ltd corp jr sr al etc d.c u.s n.d".split())
"""Abbreviations whose dot belongs to the value when they end the entry (``Cambridge, Mass.``, ``5th ed.``)."""

# --- values ------------------------------------------------------------------------------------------------------
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_YEAR = r"(?:c\.?\s?\d{4}|\[\d{4}\]|\d{4}(?:\s?[-–—]\s?(?:\d{4})?)?(?:\s?印刷)?(?:\s?[（(][^()（）]{1,40}[)）])?)"
_HEAD_YEAR = re.compile(r"[,，]\s{0,3}(?P<label>(?P<year>" + _DATE + r"|\[\d{4}[a-z]?\]|c\.?\s?\d{4}|\d{4}(?:\s?[-–—]\s?(?:\d{4})?)?"
                        r"(?:\s?印刷)?(?:\s?[（(][^()（）]{1,40}[)）])?|无日期|n\.\s?d\.?)(?:-?[a-z])?)$")
_PUB_TAIL = re.compile(r"(?:^|[,，]\s{0,3})(?P<year>" + _DATE + "|" + _YEAR + r")(?:\s{0,3}[:：]\s{0,3}(?P<pages>[^:：]{1,200}))?$")
_PAGE = re.compile(r"^(?:[A-Za-z序第附录]{0,5}\d[\w.]{0,14}(?:\s?[-－–—~～]\s?[A-Za-z]{0,5}\d[\w.]{0,14})?|扉页|封[面底二三四]|前言|目录|[ivxlcdm]{1,8}(?:\s?-\s?[ivxlcdm]{1,8})?)$")
_ISSUE = re.compile(r"^(?:(?:增刊|专刊|合刊|Suppl\.?|Supplement|S|Z|No\.?)\s?)?\d[\dA-Za-z]{0,6}(?:\s?[/-]\s?\d[\dA-Za-z]{0,6}){0,4}$|^(?:增刊|专刊|S\d{0,3})$")
_VOLUME = re.compile(r"^[A-Za-z]{0,4}\d[\dA-Za-z.]{0,10}(?:\s?[-/]\s?\d[\dA-Za-z.]{0,10})?$")
_SOURCE_SHAPE = re.compile(r"[,，]\s{0,3}(?:1[5-9]|20)\d{2}(?:[,，]\s{0,3}[\w.]{1,10})?\s{0,2}(?:[(（][^()（）]{1,20}[)）])?\s{0,3}[:：]\s{0,3}\S")
"""A journal's ``, 2020, 100(5): 321``: an article typed without its code."""
_VOL_NO = re.compile(r"(?:^|[,，]\s{0,3})(?:vol|Vol|VOL)\.?\s{0,2}(?P<volume>[\w.-]{1,10})\s{0,2}(?:[(（](?P<issue>[^()（）]{1,20})[)）])?"
                     r"(?:[,，]\s{0,3}(?:no|No|NO)\.?\s{0,2}(?P<no>[\w/-]{1,10}))?")
_SPACED_SOURCE = re.compile(r"^[A-Z][^:：,，()（）]{2,150}?\s\d{1,5}\s?(?:[(（][^()（）]{1,12}[)）])?\s?[:：]\s?[A-Za-z]{0,3}\d[\w–\-]{0,20}$")
"""``Expert Syst Appl 39(10):9928–9937``: a journal, its volume, issue and pages as Springer and Vancouver lists write them."""
_IN_HOST = re.compile(r"^(?:In|in|IN)\s?:\s{0,3}(?P<book>.{2,300}?)(?:[,，]\s{0,3}(?P<year>\d{4}))?(?:[,，]\s{0,3}pp?\.?\s{0,2}(?P<pages>\d[\w–\-]{0,20}))?$")
"""``In: 2019 International … conference (IWLPC), pp 1–5``: the host of a contribution, as other styles write it."""
_PAPER_IN = re.compile(r"^(?P<book>.{3,300}?)[,，.]\s{0,3}(?P<year>\d{4})\s{0,3}[:：]\s{0,3}(?P<pages>\d[\w.]{0,10}\s?[-–—－]\s?\d[\w.]{0,10})$")
_LAST_ITEM = re.compile(r"(?:^|[,，]\s{0,3})([^,，]{1,24})$")
_YEAR_LIKE = re.compile(r"^(?:1[5-9]|20)\d{2}$")
_DATE_LIKE = re.compile(rf"^{_DATE}$|^\d{{4}}-\d{{1,2}}$")
_EDITION = re.compile(r"(?i)^(?:第?\s?[\d一二三四五六七八九十]{1,4}\s?版(?:次)?|新\s?\d{0,3}\s?版|(?:修订|增订|重订|重排|缩印|影印|精装|平装|普及)[版本]|\S{0,8}[刻印抄写]本|"
                      r"\d{1,3}(?:st|nd|rd|th)\s?(?:ed\.?|edn\.?|edition)(?:\s?\(?rev(?:ised)?\.?\)?)?|rev(?:ised)?\.?\s?(?:ed\.?|edition)|"
                      r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s(?:ed\.?|edition)|\d{4}\s?(?:版|ed\.?|edition))$")
_VERSION = re.compile(r"^[Vv](?:er\.?\s?|ersion\s)?(\d[\w.\-]{0,15})$")
_DIMENSIONS = re.compile(r"^\d{1,4}(?:\.\d{1,2})?\s?cm\s?[×xX*]\s?\d{1,4}(?:\.\d{1,2})?\s?cm$")
_SCALE = re.compile(r"^1\s?[:∶]\s?\d[\d ,]{0,14}$")
_TRANSLATOR = re.compile(r"^(?P<names>.{1,400}?)[,，]?\s{0,3}(?P<role>译|编译|译注|trans\.?|translated|tr\.)$", re.I)
_HOLDINGS = re.compile(r"^(?:\d{4}[,，]\s{0,2}[\w.]{1,6}\s?[(（][^()（）]{1,10}[)）]|\d{4}\s?[(（][^()（）]{1,10}[)）])\s?[-–—]\s?(?:\d{4}\s?[(（][^()（）]{1,10}[)）])?$")
_DATED = re.compile(r"^(?P<year>\d{4})?\s{0,2}(?:[(（](?P<date>\d{4}(?:-\d{1,2}){0,2})[)）])?\s{0,2}(?:\[(?P<urldate>" + _DATE + r")\])?$")
_DATE_PAGES = re.compile(r"^(?P<date>" + _DATE + r"|\d{4})(?:\s{0,3}[:：]\s{0,3}(?P<pages>[^:：\[\]]{1,100}))?(?:\s{0,2}\[(?P<urldate>" + _DATE + r")\])?$")
_PLATFORM = re.compile(r"^(?P<platform>.{1,300}?)\s{0,2}[(（](?P<when>\d{4}(?:-\d{1,2}){0,2})[)）]\s{0,2}(?:\[(?P<urldate>" + _DATE + r")\])?$")
_NEWS = re.compile(r"^(?P<journal>.{0,300}?)[,，]?\s{0,3}(?P<date>" + _DATE + r")\s{0,2}(?:[(（](?P<page>[^()（）]{1,12})[)）])?\s{0,2}(?:\[(?P<urldate>" + _DATE + r")\])?$")
_STANDARD_NUMBER = re.compile(r"^(?P<number>[A-Z][A-Z]{0,7}(?:/[A-Z]{1,8}){0,3}\s?[A-Z]{0,3}[-\w.:/—–()]{0,40}\d[-\w.:/—–()]{0,40})[\s\u2003\u3000]{1,3}(?P<title>\S.*)$")
_PAREN_YEAR = re.compile(r"^(?P<names>[^()（）]{1,300}?)\s{0,2}[(（](?P<year>\d{4}[a-z]?)[)）][.,，]?\s{0,2}(?P<rest>.*)$")
"""``Smith J, Brown A (2019) Title``: the year in brackets after the authors, as Springer and APA lists write it."""
_STANDARD_NUMBER_ALONE = re.compile(r"^[A-Z]{1,8}(?:/[A-Z]{1,8}){0,3}\s?[A-Z]{0,3}[-\w.:/—–()]{0,40}\d[-\w.:/—–()]{0,40}$")
_ET_AL = re.compile(r"(?:^|[,，、;；]\s{0,3}|\s{1,3}|(?<=[^\x00-\x7f]))(?P<mark>等人|等|[Ee][Tt]\s{0,2}[Aa][Ll]\.?|[Ee]tc\.?|\.\.\.|…)$")
_NAME_SEPARATOR = re.compile(r"\s{0,3}[,，;；、]\s{0,3}")
_AND = re.compile(r"\s{1,3}(?:and|&)\s{1,3}")
_ANONYMOUS = frozenset(("佚名", "无名氏", "anon", "anon.", "anonymous"))
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
_COMPANY_SUFFIX = re.compile(r"(?i)^(?:Inc|Ltd|LLC|LLP|Co|Corp|PLC|GmbH|AG|S\.A|Pty\.?\s?Ltd)\.?$")
_INITIALS = re.compile(r"^(?:[A-Z\u00c0-\u00de\u0400-\u042f]\.?)(?:\s?-?\s?[A-Z\u00c0-\u00de\u0400-\u042f]\.?){0,3}$")
_INITIAL_TOKEN = re.compile(r"^[A-Z\u00c0-\u00de\u0400-\u042f](?:\.?-?[A-Z\u00c0-\u00de\u0400-\u042f]){0,2}\.?$")
_ORGANISATION = re.compile(r"(?i)\b(?:society|association|university|institute|institution|organi[sz]ation|council|committee|centre|center|"
                           r"foundation|agency|ministry|department|office|bureau|library|museum|academy|college|school|group|"
                           r"consortium|collaboration|commission|board|corporation|company|inc|ltd|llc|gmbh|press|publishers?|"
                           r"publishing|laborator(?:y|ies)|service|federation|union|congress|conference|team|network|project)\b")
_PUBLISHER_WORD = re.compile(r"(?i)(?:出版|书局|书店|印书馆|书社|社$|公司|集团|\bpress\b|\bpublish|\bverlag\b|\bbooks\b|\binc\.?$|\bltd\.?$|"
                             r"\bsons\b|springer|wiley|elsevier|macmillan|routledge|mcgraw|pearson)")
_JOURNAL_WORD = re.compile(r"(?i)(?:学报|杂志|期刊|[A-Z]\s?辑|\bjournal\b|\breview\b|\bbulletin\b|\bletters\b|\bproceedings\b|^J\s|(?:\b[A-Z][a-z]{1,5}\s){2}J$|"
                           r"\bannals\b|\btransactions\b|\bquarterly\b|\bmagazine\b)")


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One typed reference entry, read."""

    text: str
    """The entry as typed, without its ``[n]``/``n.`` label."""
    reference: Reference
    """Key and location as given."""
    type_code: str | None
    """As typed: ``J``, ``M``, ``EB``…; ``None`` when absent."""
    medium: str | None
    """``OL``, ``CD``… as typed after ``/``; ``None`` when absent."""
    authors_typed: tuple[str, ...]
    """Each author as typed, in order, without 等/et al."""
    et_al: str | None
    """``等``, ``et al``, ``et al.``… exactly as typed; ``None`` when absent."""
    language: str
    """``zh`` (CJK text) or ``en`` (otherwise)."""
    system: str
    """``numeric`` or ``author-year`` (the year right after the authors)."""
    edition: str | None
    """``2015``, ``2025`` or ``None``: what the punctuation suggests (full-width ，： → 2025, ASCII → 2015)."""
    confidence: float
    """0–1: how much of the text found a field, lowered for each guess."""
    unparsed: tuple[str, ...]
    """Pieces of text no field took."""


# --- the list --------------------------------------------------------------------------------------------------


_LIST_HEADING = re.compile(r"^[ \t]{0,8}(?:#{1,6}[ \t]{0,4})?(?:\*\*)?(?:参考文献|引用文献|参考资料|references?|bibliography|works cited|literature cited)(?:\*\*)?[ \t]{0,4}[:：]?[ \t]{0,8}$", re.I)
_BULLET = re.compile(r"^\s{0,8}[-*+•·]\s+(?=\S)")
_BRACKET_LABEL = re.compile(r"^\s*\\?[\[［]\s*(\d{1,4})\s*\\?[\]］](?![.,，．。:：\]])")
_NUMBER_LABEL = re.compile(r"^\s*(?:[(（](\d{1,4})[)）]|(\d{1,4})\s{0,3}[.．、](?![\d.])|(\d{1,4})\)(?!\d)|(\d{1,4})\t)[ \t]*")


def split_list(text: str) -> list[tuple[int, str]]:
    """A typed reference list → ``(line number, entry text)``, the entry without its label.

    One entry per ``[n]``/``n.`` label (a line without a label continues the entry before it), or — when no line
    has a label — one entry per line (per paragraph, when entries are separated by blank lines and wrapped). A
    heading (``参考文献``, ``# References``), Markdown bullets and HTML comments are not entries.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_BULLET.sub("", _strip_comment(line)) for line in lines]
    labelled = sum(1 for line in lines if _label_number(line) is not None)
    first = next((line for line in lines if line.strip() and not _LIST_HEADING.match(line)), "")
    if labelled >= 2 or _label_number(first) is not None:
        return _split_labelled(lines)
    return _split_unlabelled(lines)


def _strip_comment(line: str) -> str:
    """A line without its HTML comments (found with ``str.find``: linear however many ``<!--`` it holds)."""
    out: list[str] = []
    pos = 0
    while True:
        start = line.find("<!--", pos)
        end = line.find("-->", start + 4) if start >= 0 else -1
        if start < 0 or end < 0:
            return "".join(out) + line[pos:]
        out.append(line[pos:start])
        pos = end + 3


def _label_number(line: str) -> int | None:
    m = _BRACKET_LABEL.match(line) or _NUMBER_LABEL.match(line)
    if m and line[m.end():].strip():
        return int(next(g for g in m.groups() if g))
    return None


def _without_label(line: str) -> str:
    m = _BRACKET_LABEL.match(line) or _NUMBER_LABEL.match(line)
    return (line[m.end():] if m else line).strip()


def _split_labelled(lines: list[str]) -> list[tuple[int, str]]:
    entries: list[tuple[int, list[str]]] = []  # (first line, the entry's lines)
    previous: int | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip() or _LIST_HEADING.match(line):
            continue
        label = _label_number(line)
        bracketed = _BRACKET_LABEL.match(line) is not None
        # ``12.`` starts an entry only where the numbering expects it: a wrapped line may begin with a number
        if label is not None and (bracketed or previous is None or label in (previous + 1, 1)):
            previous = label
            entries.append((number, [_without_label(line)]))
        elif entries:
            entries[-1][1].append(_BULLET.sub("", line).strip())
    out = [(number, _joined(parts)) for number, parts in entries]
    return [(number, text) for number, text in out if text]


def _split_unlabelled(lines: list[str]) -> list[tuple[int, str]]:
    paragraphs: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            paragraphs.append([])
        elif not _LIST_HEADING.match(line):
            paragraphs[-1].append((number, _BULLET.sub("", line).strip()))
    paragraphs = [p for p in paragraphs if p]
    # Wrapped entries separated by blank lines: a paragraph is an entry. Otherwise each line is one.
    if len(paragraphs) > 1 and any(len(p) > 1 for p in paragraphs) and all(len(p) <= 6 for p in paragraphs):
        return [(p[0][0], _joined([text for _, text in p])) for p in paragraphs]
    return [(n, t) for p in paragraphs for n, t in p]


def _joined(parts: list[str]) -> str:
    """An entry's lines as one text (built once: linear in the entry's length)."""
    out: list[str] = []
    previous = ""
    for part in parts:
        if not part:
            continue
        if out and _space_between(previous, part):
            out.append(" ")
        out.append(part)
        previous = part
    return "".join(out).strip()


def _space_between(text: str, more: str) -> bool:
    """A line continued: no space between Chinese characters, after a URL's ``/`` or a hyphen in a range."""
    a, b = text[-1], more[0]
    return not (_is_cjk_letter(a) or _is_cjk_letter(b) or a in "/-–—_=?&，：；（、" or b in "，：；）。、")


def strip_label(text: str) -> str:
    """The entry without its ``[n]``, ``n.``, ``(n)`` or Markdown bullet."""
    text = _BULLET.sub("", text)
    m = _LABEL.match(text)
    return (text[m.end():] if m else text).strip()


# --- one entry ----------------------------------------------------------------------------------------------------


def parse_entries(items: Iterable[tuple[str, str, Location]]) -> list[ParsedEntry]:
    """Several entries of one list ``(text, key, location)``: the list's citation system — the one most entries show —
    decides the entries that do not show it themselves (``哈尔滨, 2013.`` is a place and year in a numeric list,
    an author and year in an author-year one)."""
    items = list(items)
    first = [parse_entry(text, key, location) for text, key, location in items]
    author_year = sum(1 for p in first if p.system == "author-year")
    system = "author-year" if author_year * 2 > len(first) else "numeric"
    return [p if p.system == system else parse_entry(text, key, location, system=system)
            for p, (text, key, location) in zip(first, items, strict=True)]


def parse_entry(text: str, key: str, location: Location, *, system: str | None = None) -> ParsedEntry:
    """One typed entry (with or without its label) → ``ParsedEntry``; never raises.

    ``system`` (``numeric`` or ``author-year``), when the list's system is known, settles entries whose text does not
    show it.
    """
    try:
        return _Reader(text, key, location, system).read()
    except Exception:  # noqa: BLE001 — a reader of any text must not fail; what it could not read is reported
        typed = strip_label(text[:MAX_ENTRY]) if isinstance(text, str) else ""
        ref = Reference(key, "misc", {"note": typed}, {}, location, {"note": typed}, "csl-json")
        return ParsedEntry(typed, ref, None, None, (), None, "en", "numeric", None, 0.0, (typed,) if typed else ())


@dataclass
class _Names:
    names: list[Name] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    et_al: str | None = None


class _Reader:
    def __init__(self, text: str, key: str, location: Location, system: str | None) -> None:
        self.key, self.location, self.hint = key, location, system
        typed = strip_label(text)
        self.typed = typed
        work = _SPACES.sub(" ", typed[:MAX_ENTRY]).strip().translate(_FULL_WIDTH_ALNUM)
        work = work.replace("．", ". ").replace("。", ". ").replace("  ", " ")
        self.work = work
        self.fields: dict[str, str] = {}
        self.roles: dict[str, _Names] = {}
        self.unparsed: list[str] = [typed[MAX_ENTRY: MAX_ENTRY + 80] + "…"] if len(typed) > MAX_ENTRY else []
        self.guesses = 0
        self.entry_type = ""
        self.system = "numeric"
        self.code: str | None = None
        self.medium: str | None = None
        self.head_language: str | None = None
        """``zh`` or ``en`` when the head says it (佚名/Anon, 无日期/n.d.), as the engine would print it."""

    # --- the whole entry -------------------------------------------------------------------------------------
    def read(self) -> ParsedEntry:
        self.work, english = split_translation(self.work)
        if english is not None:
            self._translation(english)
        body = self._links(self.work)
        code = _CODE.search(body)
        if code:
            self.code, self.medium = code.group(1), code.group(2)
            self._before_code(body[: code.start()].strip())
            self._after_code(body[code.end():].strip())
        else:
            self._without_code(body)
        return self._result()

    def _translation(self, english: str) -> None:
        """A Chinese entry's English version (中英对照), read on its own into the ``*_translation_en`` fields the
        engine prints after the entry when a journal asks for both."""
        other = _Reader(english, self.key, self.location, self.hint).read()
        for name in ("title", "journal", "booktitle", "publisher", "address", "school", "institution"):
            if other.reference.fields.get(name):
                self.fields[f"{name}_translation_en"] = other.reference.fields[name]
        people = other.reference.names.get("author") or other.reference.names.get("editor")
        if people:
            self.fields["author_transliteration_en"] = " and ".join(_bibtex_name(n) for n in people)
        self.unparsed.extend(other.unparsed)

    def _links(self, work: str) -> str:
        """URL, DOI and CSTR at the end of the entry taken out; the rest is returned."""
        code = _CODE.search(work)
        start = code.end() if code else 0
        matches = list(_LINK.finditer(work, start))
        if not matches:
            return _strip_end(work)
        body, rest_from = work[: matches[0].start()], matches[0].start()
        for i, m in enumerate(matches):
            gap = work[rest_from: m.start()]
            self._leftover(gap)
            value = m.group(m.lastgroup or "url").rstrip(".,;，。；")
            if m.lastgroup == "url":
                date = re.search(r"\[(" + _DATE + r")\]$", value)
                if date:
                    self.fields.setdefault("urldate", date.group(1))
                    value = value[: date.start()].rstrip(".")
                if "url" in self.fields:
                    self.unparsed.append(value)
                else:
                    self.fields["url"] = value
                    doi = re.match(r"(?i)https?://(?:dx\.)?doi\.org/(10\.\d{3,9}/\S+)$", value)
                    if doi and "doi" not in self.fields:
                        self.fields["doi"] = doi.group(1)
            elif m.lastgroup == "doi":
                self.fields["doi"] = value
            else:
                self.fields["cstr"] = value
            rest_from = m.end()
            if i == len(matches) - 1:
                self._leftover(work[rest_from:])
        return _strip_end(body)

    def _leftover(self, gap: str) -> None:
        gap = gap.strip(" .,;，。；")
        if not gap:
            return
        date = re.fullmatch(r"\[(" + _DATE + r")\]", gap)
        if date:
            self.fields.setdefault("urldate", date.group(1))
        else:
            self.unparsed.append(gap)

    # --- before the type code: responsible persons, (year,) title ------------------------------------------------
    def _before_code(self, before: str) -> None:
        pieces = _split_blocks(before, strict=False)
        if not pieces:
            return
        title_at = len(pieces) - 1
        if len(pieces) > 1 and _SCALE.match(pieces[-1][1]) and self.code == "CM":
            self.fields["scale"] = pieces[-1][1].replace("∶", ":").replace(" ", "")
            title_at -= 1
        title = pieces[title_at][1]
        head = _head_text(before[: pieces[title_at][0]]) if title_at else ""
        if not head and self.code != "S":
            glued = _glued_names(title)
            if glued:  # Kaddoum G,Soujeri E.On the comparison: the names' full stop typed without its space
                head, title = glued
        paren = _PAREN_YEAR.match(before) if self.hint != "numeric" else None
        if paren and _looks_like_names(paren.group("names"), level=1) and paren.group("rest"):
            head, title = f"{paren.group('names')}, {paren.group('year')}", _split_blocks(paren.group("rest"), strict=False)[-1][1]
        if head and self.code == "S" and _STANDARD_NUMBER_ALONE.match(head):
            self.fields["number"] = head  # GB/T 7714—2015. 信息与文献…[S]: the number typed as its own block
        elif head:
            self._head(head, fragment=False)
        self._title(title)

    def _head(self, head: str, fragment: bool) -> bool:
        """Authors (and, author-year, the year after them); False when the text is no name list."""
        year = _HEAD_YEAR.search(head) if self.hint != "numeric" else None
        if year and (self.hint == "author-year" or not fragment or not re.match(r"^\d|\[", year.group("year"))
                     or year.group("year").startswith(("无日期", "n."))):
            self.system = "author-year"
            self._head_year(year.group("year"))
            names = head[: year.start()].strip()
        else:
            names = head
        undated = year.group("year") if year else ""
        if undated.startswith(("无日期", "n.")):
            self.head_language = "zh" if undated.startswith("无") else "en"
        if not names or names.lower() in _ANONYMOUS:
            if names:
                self.head_language = "zh" if _has_han(names) else "en"  # 佚名 or Anon: the entry's language
            return True
        if fragment and not _looks_like_names(names):
            return False
        self.roles["author"] = _parse_names(names)
        return True

    def _head_year(self, label: str) -> None:
        label = label.strip()
        if label.startswith(("无日期", "n.")):
            return
        bracket = re.fullmatch(r"\[(\d{4})[a-z]?\]", label)
        if bracket:
            self.fields["_bracket_year"] = f"[{bracket.group(1)}]"  # the access year unless the entry has no access date
            return
        label = re.sub(r"(?<=[\d）)—–\-刷])-?[a-z]$", "", label)
        if re.fullmatch(_DATE, label):
            self.fields["date"] = label
            label = label[:4]
        self.fields["year"] = _year_value(label)

    def _title(self, title: str) -> None:
        title = title.strip()
        if not title:
            return
        code = self.code or ""
        if code == "S":
            m = _STANDARD_NUMBER.match(title)
            if m and _number_suffix(title) is None:
                self.fields["number"] = m.group("number").strip()
                title = m.group("title").strip()
                year = re.search(r"[:—–-]((?:1[89]|20)\d{2})(?:\([a-z]{2}\))?$", self.fields["number"])
                if year and self.system == "numeric":
                    self.fields["year"] = year.group(1)  # 2025's number-first entry prints no year: the number's is it
        if code in ("S", "R", "P", "A") and "number" not in self.fields:
            number = _number_suffix(title)
            if number:
                self.fields["number"], title = number[1], number[0]
        title, volume = _volume_of(title, self.code or "")
        if volume:
            self.fields["volume"] = volume
        self.fields["title"] = title

    # --- after the type code --------------------------------------------------------------------------------------
    def _after_code(self, after: str) -> None:
        code = self.code or "Z"
        host_at = _host_mark(after)
        host = None
        if host_at is not None:
            host, after = after[host_at + 2:].strip(), after[:host_at]
        blocks = [b for _, b in _split_blocks(after.lstrip(" .").rstrip(), strict=True)]
        blocks = self._common_blocks(blocks)
        if host is not None:
            self._contribution(code, blocks, host)
            return
        self.entry_type = _TYPES.get(code, "misc")
        paper = _PAPER_IN.match(" ".join(blocks)) if code == "C" and blocks else None
        if paper and not re.search(r"[:：]", paper.group("book")):
            # Title[C]. Proceedings of …, 2001: 511-518: a paper typed with a full stop where GB/T 7714 has //
            self.entry_type = "inproceedings"
            book = paper.group("book").strip()
            vol = _VOL_NO.search(book)
            if vol:
                self.fields["volume"], book = vol.group("volume"), (book[: vol.start()] + book[vol.end():]).strip(" ,，")
            self.fields["booktitle"] = book
            self._set_year(paper.group("year"))
            self.fields["pages"] = _page_range(paper.group("pages"))
            return
        if code == "J":
            self._journal(blocks)
        elif code == "N":
            self._newspaper(blocks)
        elif code in ("EB", "R", "P", "A", "CP", "DB", "S", "DS", "PP", "Z", "CM", "M", "C", "G", "D", "K"):
            self._publication_like(code, blocks)
        if code in ("C", "G"):
            self._names_as("editor")

    def _common_blocks(self, blocks: list[str]) -> list[str]:
        """Translators, editions, versions and map sizes taken; the other blocks returned in order."""
        rest = []
        for block in blocks:
            translator = _TRANSLATOR.match(block)
            if translator and _looks_like_names(translator.group("names")) and "translator" not in self.roles:
                self.roles["translator"] = _parse_names(translator.group("names"))
            elif _EDITION.match(block) and "edition" not in self.fields:
                self.fields["edition"] = block
            elif _VERSION.match(block) and "version" not in self.fields:
                self.fields["version"] = _VERSION.match(block).group(1)  # type: ignore[union-attr]
            elif _DIMENSIONS.match(block) and "dimensions" not in self.fields:
                self.fields["dimensions"] = block
            else:
                rest.append(block)
        return rest

    def _contribution(self, code: str, blocks: list[str], host: str) -> None:
        """``title[M]//editors. book title. edition. place: publisher, year: pages`` (``//会议名，年：页`` too)."""
        self.entry_type = {"M": "incollection", "C": "inproceedings", "S": "standard", "CM": "map", "J": "article"}.get(code, "incollection")
        for block in blocks:
            self.unparsed.append(block)
        parts = [b for _, b in _split_blocks(host.strip(), strict=True)]
        parts = self._common_blocks(parts)
        if not parts:
            return
        event = re.match(r"^(?P<event>.{1,400}?)(?:[,，]\s{0,3}(?P<year>\d{4}))?(?:\s{0,3}[:：]\s{0,3}(?P<pages>[^:：]{1,60}))?$", parts[0])
        if code == "C" and len(parts) == 1 and event and (event.group("year") or self.system == "author-year") \
                and (event.group("pages") is None or _pages_like(event.group("pages"))):
            self.fields["eventtitle"] = event.group("event").strip()
            if event.group("year"):
                self._set_year(event.group("year"))
            if event.group("pages"):
                self.fields["pages"] = event.group("pages").strip()
            return
        publication = parts[-1] if len(parts) > 1 and self._is_publication(parts[-1]) else None
        if publication is not None:
            parts = parts[:-1]
        if len(parts) >= 2:
            self.roles["editor"] = _parse_names(parts[0])
            parts = parts[1:]
        booktitle, volume = _volume_of(". ".join(parts), code)
        if volume and "volume" not in self.fields:
            self.fields["volume"] = volume
        self.fields["booktitle"] = booktitle if volume else ". ".join(parts)
        if publication is not None:
            self._publication(publication)

    def _journal(self, blocks: list[str]) -> None:
        if not blocks:
            return
        if _HOLDINGS.match(blocks[0]):
            self.entry_type = "periodical"
            self._names_as("editor")
            self.fields["volume"] = blocks[0]
            if len(blocks) > 1:
                self._publication(blocks[1], periodical=True)
            self.unparsed.extend(blocks[2:])
            return
        rest = [b for b in blocks if not (_dated_shape(b) and self._dated(b))]  # an online article's (date)[accessed]
        if rest:
            # the journal's block has its numbers; other text around it is reported, not taken for the journal
            at = next((i for i in range(len(rest) - 1, -1, -1) if re.search(r"\d", rest[i]) and re.search(r"[,，(（:：]", rest[i])),
                      len(rest) - 1)
            self.unparsed.extend(rest[:at] + rest[at + 1:])
            self._source(rest[at])

    def _newspaper(self, blocks: list[str]) -> None:
        self.entry_type = "article"
        self.fields["entrysubtype"] = "newspaper"
        if not blocks:
            return
        self.unparsed.extend(blocks[:-1])
        m = _NEWS.match(blocks[-1])
        if m:
            self._news(m)
        else:
            self._source(blocks[-1])

    def _news(self, m: re.Match[str]) -> None:
        if m.group("journal"):
            self.fields["journal"] = m.group("journal").strip()
        self.fields["date"] = m.group("date")
        self._set_year(m.group("date")[:4])
        if m.group("page"):
            self.fields["pages"] = m.group("page").strip()
        if m.group("urldate"):
            self.fields["urldate"] = m.group("urldate")

    def _publication_like(self, code: str, blocks: list[str]) -> None:
        """The blocks after a code whose template ends with a publication, a date or a platform."""
        if code in ("PP", "DS") and blocks:
            if not self._platform(blocks[-1], "publisher"):
                self._publication(blocks[-1])  # 2015's platform, year[accessed]
            self.unparsed.extend(blocks[:-1])
            return
        for block in blocks:
            if self._dated(block):
                continue
            if "address" in self.fields or "publisher" in self.fields or "institution" in self.fields or "school" in self.fields:
                self.unparsed.append(block)
                continue
            self._publication(block)

    def _dated(self, block: str) -> bool:
        """``(2012-05-03)[2013-11-12]``, ``[2012-03-27]``, ``2005(2005-07-12)``, ``2008-01-16：8-9``, ``2011：8-9``."""
        m = _DATED.match(block)
        if m and any(m.groups()):
            if m.group("year"):
                self._set_year(m.group("year"))
            if m.group("date"):
                self._set_date(m.group("date"))
            if m.group("urldate"):
                self.fields["urldate"] = m.group("urldate")
            return True
        m = _DATE_PAGES.match(block)
        if m and (len(m.group("date")) > 4 or m.group("pages") is not None) and self.code in ("R", "P", "A", "EB", "CP", "S", "Z"):
            self._set_date(m.group("date")) if len(m.group("date")) > 4 else self._set_year(m.group("date"))
            if m.group("pages"):
                self.fields["pages"] = m.group("pages").strip()
            if m.group("urldate"):
                self.fields["urldate"] = m.group("urldate")
            return True
        return False

    def _platform(self, block: str, target: str) -> bool:
        """A data set's or preprint's ``platform（date）[accessed]``."""
        m = _PLATFORM.match(block)
        if not m:
            return False
        self.fields[target] = m.group("platform").strip()
        when = m.group("when")
        self._set_date(when) if len(when) > 4 else self._set_year(when)
        if m.group("urldate"):
            self.fields["urldate"] = m.group("urldate")
        return True

    def _set_year(self, year: str) -> None:
        self.fields.setdefault("year", _year_value(year))

    def _set_date(self, date: str) -> None:
        self.fields["date"] = date
        self.fields.setdefault("year", date[:4])

    # --- publication, source -------------------------------------------------------------------------------------
    def _is_publication(self, block: str) -> bool:
        return bool(_PUB_TAIL.search(_TRAILING_URLDATE.sub("", block))) or bool(re.search(r"[:：]", block))

    def _publication(self, block: str, periodical: bool = False) -> None:
        """``place: publisher, year: pages[accessed]`` and whatever part of it the block has."""
        block = block.strip()
        urldate = _TRAILING_URLDATE.search(block)
        if urldate:
            self.fields["urldate"] = urldate.group(1)
            block = block[: urldate.start()].rstrip()
        if not block:
            return
        kind = self.entry_type
        publisher_field = {"phdthesis": "school", "mastersthesis": "school", "report": "institution", "archive": "institution"}.get(kind, "publisher")
        m = _PUB_TAIL.search(block)
        pages = None
        if m:
            year = m.group("year").strip()
            pages = m.group("pages")
            if pages is not None and not _pages_like(pages.strip()):
                self.unparsed.append(pages.strip())
                pages = None
            if re.fullmatch(_DATE, year):
                self._set_date(year)
            elif periodical and re.search(r"[-–—]", year):
                years = re.split(r"\s?[-–—]\s?", year)
                self.fields["year"] = f"{years[0]}-{years[1]}"
                self.fields["date"] = f"{years[0]}/{years[1] or '..'}"
            else:
                self.fields["year"] = _year_value(year)
            before = block[: m.start()].strip()
        else:
            before = block
            parts = re.split(r"\s{0,3}[:：]\s{0,3}", before)
            if len(parts) == 1 and re.match(r"^\d", before) and _pages_like(before):
                pages, before = before, ""  # author-year: the pages alone (the year went to the head)
            elif len(parts) >= 2 and _pages_like(parts[-1]):
                pages, before = parts[-1], before[: before.rfind(parts[-1])].rstrip(" :：")
        if pages:
            self.fields["pages"] = _page_range(pages.strip())
        if not before:
            return
        parts = re.split(r"\s{0,3}[:：]\s{0,3}", before, maxsplit=1)
        if len(parts) == 2:
            self.fields["address"], self.fields[publisher_field] = parts[0].strip(), parts[1].strip()
        elif publisher_field != "publisher" or _PUBLISHER_WORD.search(before) or re.fullmatch(r"[A-Z]{2,8}", before):
            self.fields[publisher_field] = before
            self.guesses += publisher_field == "publisher"
        else:
            self.fields["address"] = before  # a place alone, or a publisher without a publisher's word: both print alike
            self.guesses += 1

    def _source(self, block: str) -> None:
        """A journal article's ``journal, year, volume(issue): pages[accessed]`` (author-year: without the year)."""
        block = block.strip()
        urldate = _TRAILING_URLDATE.search(block)
        if urldate:
            self.fields["urldate"] = urldate.group(1)
            block = block[: urldate.start()].rstrip()
        pages = None
        colon = re.search(r"(?<=[\d)）])\s{0,3}[:：]\s{0,3}(?=\S)", block)
        if colon and _pages_like(block[colon.end():].split(";")[0].split("；")[0].split(",")[0].split("，")[0].strip()):
            pages, block = block[colon.end():].strip(), block[: colon.start()].strip()
        if pages:
            pages = re.sub(r"^pp?\.\s?", "", pages)
        issue = None
        vol = _VOL_NO.search(block)
        if vol:  # Journal, vol. 32, no. 9, 2010 (other styles' labels)
            self.fields["volume"] = vol.group("volume")
            if vol.group("issue") or vol.group("no"):
                issue = (vol.group("issue") or vol.group("no")).strip()
            block = (block[: vol.start()] + block[vol.end():]).strip(" ,，")
        m = re.search(r"[(（]([^()（）]{1,24})[)）]$", block)
        if m and _ISSUE.match(m.group(1).strip()) and issue is None:
            issue, block = m.group(1).strip(), block[: m.start()].strip()
        volume = year = None
        head_year = "year" in self.fields or "_bracket_year" in self.fields or self.system == "author-year"
        last = _LAST_ITEM.search(block)
        if last and (_VOLUME.match(last.group(1)) or _DATE_LIKE.match(last.group(1))):
            before = block[: last.start()].rstrip(" ,，")
            second = _LAST_ITEM.search(before)
            yearish = second and not head_year and (_YEAR_LIKE.match(second.group(1)) or _DATE_LIKE.match(second.group(1)))
            if yearish and second:  # 科学通报, 2012, 57(34) · Mathematical Problems in Engineering, 2014, 2014(1)
                volume, year, block = last.group(1), second.group(1), before[: second.start()].rstrip(" ,，")
            elif not head_year and (_YEAR_LIKE.match(last.group(1)) or _DATE_LIKE.match(last.group(1))):
                year, block = last.group(1), before  # 中国物价, 2005(8) · 铁道学报, 2024-05-09
            elif before or re.fullmatch(r"\d[\d.\-/]*", last.group(1)):
                volume, block = last.group(1), before
        elif "volume" not in self.fields:
            spaced = re.search(r"(?<=[A-Za-z])\s(\d{1,5})$", block)  # Expert Syst Appl 39(10): a volume after the journal
            if spaced:
                volume, block = spaced.group(1), block[: spaced.start()]
        journal = block.strip(" ,，")
        if journal:
            self.fields["journal"] = journal
        if year:
            if _DATE_LIKE.match(year) and len(year) > 4:
                self._set_date(year)
            else:
                self.fields["year"] = year
        if volume:
            self.fields["volume"] = volume
        if issue:
            self.fields["number"] = issue
        if pages:
            number = re.fullmatch(r"[A-Za-z]{1,5}\d{1,10}|\d{5,10}", pages)
            self.fields["eid" if number else "pages"] = _page_range(pages)

    # --- without a type code ---------------------------------------------------------------------------------------
    def _without_code(self, body: str) -> None:
        """A fragment or an entry typed without its code: the head, then each block read by its shape."""
        blocks = _split_blocks(body.strip(), strict=True)
        if not blocks:
            return
        self.guesses += 1
        rest = self._fragment_head(body, blocks)
        if rest and len(rest) >= 2 and not self._kind_of_block(rest[0], probe=True):
            self.fields["title"] = rest[0]  # a block no shape claims, with others after it: the title
            rest = rest[1:]
        for block in self._common_blocks(rest):
            self._kind_of_block(block, probe=False)
        if not self.entry_type:
            self.entry_type = "dataset" if "version" in self.fields else "book"

    def _fragment_head(self, body: str, blocks: list[tuple[int, str]]) -> list[str]:
        """The responsible persons (author-year: with the year) at the start of a code-less entry; the other blocks."""
        texts = [b for _, b in blocks]
        for k, (offset, text) in enumerate(blocks[:3]):
            m = _HEAD_YEAR.search(text)
            if not m:
                continue
            label = m.group("year")
            undated = label.startswith(("无日期", "n."))
            if self.hint == "numeric" or not (undated or self.hint == "author-year"):
                break
            names = body[: offset + m.start()].strip()
            if names and names.lower() not in _ANONYMOUS and not _looks_like_names(names, level=1):
                break
            self._head(body[: offset + len(text)], fragment=False)
            return texts[k + 1:]
        paren = _PAREN_YEAR.match(texts[0]) if self.hint != "numeric" else None
        if paren and _looks_like_names(paren.group("names"), level=1):
            self._head(f"{paren.group('names')}, {paren.group('year')}", fragment=False)
            return [paren.group("rest"), *texts[1:]] if paren.group("rest") else texts[1:]
        if self._kind_of_block(texts[0], probe=True) or not _looks_like_names(texts[0], level=1):
            return texts
        self._head(texts[0], fragment=False)
        rest = texts[1:]
        author = self.roles.get("author")
        # an organisation's hierarchy: Stanford University. Department of Civil Engineering
        if author and len(rest) == 1 and len(author.names) == 1 and author.names[0].corporate and not author.et_al \
                and _ORGANISATION.search(rest[0]) and _looks_like_names(rest[0]) and not self._kind_of_block(rest[0], probe=True):
            joined = f"{author.typed[0]}. {rest[0]}"
            self.roles["author"] = _Names([Name(family=joined, corporate=True)], [joined])
            rest = []
        return rest

    def _kind_of_block(self, block: str, probe: bool) -> bool:
        """Read a code-less block by its shape; ``probe``: only say whether a shape claims it."""
        block = block.strip()
        if _EDITION.match(block) or _VERSION.match(block) or _DIMENSIONS.match(block):
            if not probe:
                self._common_blocks([block])
            return True
        m = _DATED.match(block)
        if m and (m.group("date") or m.group("urldate")):
            if not probe:
                self.entry_type = self.entry_type or "online"  # (created or updated)[accessed]: a web page's dates
                self._dated(block)
            return True
        m = _NEWS.match(block)
        if m and not re.search(r"[:：]", m.group("journal") or ""):
            if not probe:
                self.entry_type = "article"
                self.fields["entrysubtype"] = "newspaper"  # a full date (and its page): a newspaper's issue
                self._news(m)
            return True
        if re.fullmatch(_YEAR, block) and re.match(r"^c?\.?\s?\[?\d{4}", block):
            if not probe:
                self.fields["year"] = _year_value(block)
            return True
        if _is_article_numbers(block):
            if not probe:
                self.entry_type = "article"
                self._source(block)
            return True
        source = _SOURCE_SHAPE.search(block)
        if source and not re.search(r"[:：]", block[: source.start()]):
            if not probe:
                self.entry_type = "article"
                self._source(block)
            return True
        if _SPACED_SOURCE.match(block):
            if not probe:
                self.entry_type = "article"
                self._source(block)
            return True
        host = _IN_HOST.match(block)
        if host:
            if not probe:
                self.entry_type = "inproceedings" if re.search(r"(?i)conference|proceedings|symposium|workshop|会议", block) else "incollection"
                self.fields["booktitle"] = host.group("book").strip()
                if host.group("year"):
                    self._set_year(host.group("year"))
                if host.group("pages"):
                    self.fields["pages"] = _page_range(host.group("pages"))
            return True
        journal = bool(_JOURNAL_WORD.search(block)) and not _PUBLISHER_WORD.search(block) and not _PUB_TAIL.search(block)
        if journal:
            if not probe:
                self.entry_type = self.entry_type or "article"
                self.fields.setdefault("journal", block)
            return True
        if _pub_shape(block):
            if not probe:
                if re.search(r"[,，]\s{0,3}" + _DATE + "$", block) and not self.entry_type:
                    self.entry_type = "archive"  # place: holder, the date a document was made
                self.entry_type = self.entry_type or "book"
                self._publication(block)
            return True
        if probe:
            return bool(_PUBLISHER_WORD.search(block)) and not _looks_like_names(block, level=2)
        # no shape claims it: a short block alone is a publisher or a place (they print alike); a long one a title
        self.entry_type = self.entry_type or "book"
        short = len(block) <= 60 and (_has_cjk(block) and len(block) <= 12 or _looks_like_names(block)
                                      and all(len(part.split()) <= 3 for part in _NAME_SEPARATOR.split(block)[:2]) and len(_NAME_SEPARATOR.split(block)) <= 2)
        if short and "publisher" not in self.fields and "address" not in self.fields:
            self._publication(block)
        elif "title" not in self.fields:
            self.fields["title"] = block
            self.entry_type = "misc"
            self.guesses += 3
        else:
            self.unparsed.append(block)
        return True

    # --- the result ------------------------------------------------------------------------------------------------
    def _names_as(self, role: str) -> None:
        if "author" in self.roles and role not in self.roles:
            self.roles[role] = self.roles.pop("author")

    def _result(self) -> ParsedEntry:
        fields = {k: v.strip() for k, v in self.fields.items() if v and v.strip()}
        bracket_year = fields.pop("_bracket_year", None)
        if bracket_year and not fields.get("year") and fields.get("urldate", "")[:4] != bracket_year[1:5]:
            if fields.get("url") or self.medium == "OL":
                fields.setdefault("urldate", bracket_year[1:5])  # the year it was accessed (its day not printed)
            else:
                fields["year"] = bracket_year  # a year supplied by the cataloguer: [1936]
        entry_type = self.entry_type or "misc"
        if entry_type == "phdthesis" and re.search(r"硕士|master", self.work, re.I):
            entry_type = "mastersthesis"
        if entry_type == "patent" and "author" in self.roles:
            self.roles["holder"] = self.roles.pop("author")
        if "version" in fields:
            fields["version"] = re.sub(r"^[Vv]", "", fields["version"])
        title = fields.get("title", "")
        language = self.head_language or _language(title or self.work)
        langid = _langid(title, self.work) if self.head_language is None else ("chinese" if language == "zh" else "english")
        if langid:
            fields["langid"] = langid
        names = {role: tuple([*n.names, ET_AL] if n.et_al else n.names) for role, n in self.roles.items() if n.names or n.et_al}
        raw = {k: v if k in _VERBATIM or k.endswith("_transliteration_en") else _latex(v) for k, v in fields.items()}
        for role, people in names.items():
            raw[role] = " and ".join(_bibtex_name(n) for n in people)
        lines = dict.fromkeys(fields, self.location.line)
        ref = Reference(self.key, entry_type, fields, names, self.location, raw, "csl-json", lines)
        authors = self.roles.get("author") or self.roles.get("editor") or self.roles.get("holder") or _Names()
        pieces = [u for u in (p.strip() for p in self.unparsed) if u]
        unparsed = tuple(sorted(pieces, key=lambda piece: (self.typed.find(piece) % (len(self.typed) + 1), pieces.index(piece))))
        return ParsedEntry(self.typed, ref, self.code, self.medium, tuple(authors.typed), authors.et_al, language, self.system,
                           _edition(self.work), self._confidence(unparsed), unparsed)

    def _confidence(self, unparsed: tuple[str, ...]) -> float:
        if not self.fields and not self.roles:
            return 0.0
        letters = len(re.sub(r"[\s.,:;，：；。、()（）\[\]/]", "", self.work)) or 1
        missed = len(re.sub(r"[\s.,:;，：；。、()（）\[\]/]", "", "".join(unparsed)))
        score = max(0.0, 1.0 - missed / letters) * (0.9 ** self.guesses)
        if self.code is None:
            score *= 0.9
        if not self.fields.get("title") and self.code is not None:
            score *= 0.8
        if self.entry_type not in _AUTHORLESS and not any(self.roles.get(role) for role in ("author", "editor", "holder")) \
                and _starts_with_names(self.fields.get("title", "")):
            score *= 0.6  # Kaddoum G, Soujeri E. On …[C] read as a title without authors: the names were not told apart
        return round(score, 3)


_TYPES = {"M": "book", "C": "proceedings", "G": "collection", "N": "article", "J": "article", "D": "phdthesis", "R": "report",
          "S": "standard", "P": "patent", "EB": "online", "A": "archive", "CM": "map", "DS": "dataset", "PP": "preprint",
          "CP": "software", "DB": "database", "Z": "misc", "K": "book"}
"""The entry type each code's template is read into (``N`` is an ``article`` with ``entrysubtype = {newspaper}``)."""
_VERBATIM = frozenset(("url", "doi", "urldate", "date", "year", "pages", "eid", "cstr", "langid", "scale", "dimensions", "version"))
_LATEX_ESCAPES = str.maketrans({"\\": r"\textbackslash{}", "$": r"\$", "~": r"\textasciitilde{}", "{": r"\{", "}": r"\}",
                                "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "#": r"\#", "&": r"\&"})


def _latex(text: str) -> str:
    """Plain text as the LaTeX that decodes back to it (the raw value a ``title_case = "sentence"`` conversion reads)."""
    return text.translate(_LATEX_ESCAPES)


# --- helpers ---------------------------------------------------------------------------------------------------------


_TRANSLATION_OPENS = re.compile(r"[.．。]\s{0,3}([\[［〔【(（])")
_TRANSLATION_CLOSES = re.compile(r"[\]］〕】)）]\s{0,2}[.．]?\s{0,2}$")


def split_translation(work: str) -> tuple[str, str | None]:
    """``中文条目. [English version[J]. …]``: the entry and its English version in brackets after it, if it has one
    (a Chinese entry, then a bracketed text without Chinese characters that has a type code of its own)."""
    first = _CODE.search(work)
    if not first or not _has_han(work[: first.start()]):
        return work, None
    for m in _TRANSLATION_OPENS.finditer(work, first.end()):
        inner = work[m.end():]
        if _CODE.search(inner) and not _has_han(inner) and len(inner) > 10:
            return work[: m.start() + 1].rstrip(), _TRANSLATION_CLOSES.sub("", inner).strip()
    return work, None


def _bibtex_name(name: Name) -> str:
    """A parsed name as BibTeX writes it (``Veen, P H``, ``{American Chemical Society}``, ``others``)."""
    if name == ET_AL:
        return "others"
    if name.corporate:
        return "{" + name.family + "}"
    family = f"{name.particle} {name.family}".strip()
    if not name.given_raw and not name.suffix:
        return family
    parts = [family, name.suffix, name.given_raw] if name.suffix else [family, name.given_raw]
    return ", ".join(parts)


def _strip_end(text: str) -> str:
    """The entry without its final full stop, unless the stop belongs to an abbreviation (``Mass.``, ``5th ed.``)."""
    text = text.strip().rstrip(",;，；").strip()
    if not text.endswith("."):
        return text
    word = _WORD_BEFORE.search(text[:-1])
    last = word.group(1).lower().lstrip("(（,，") if word else ""
    if last in _KEEPS_DOT or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last) or (last.startswith("rev") and text.lower().endswith("ed.")):
        return text
    return text[:-1].rstrip()


def _head_text(text: str) -> str:
    """The text before the title without the full stop that ends it — unless the stop is part of ``et al.`` or of an
    initial (``Smith, J.``)."""
    text = text.rstrip()
    if not text.endswith("."):
        return text
    last = _WORD_BEFORE.search(text[:-1])
    if last and last.group(1).lower() in _KEEPS_DOT:  # et al., Inc., Jr.
        return text
    initial = re.compile(r"(?<![^\s,，.])[A-Z]\.")
    if initial.search(text[-3:]) and initial.search(text[:-2]):  # dotted initials throughout: Smith, J., Brown, A.
        return text
    return text[:-1].rstrip()


def _split_blocks(text: str, strict: bool) -> list[tuple[int, str]]:
    """The blocks between ``. `` separators, with their offsets. ``strict``: a dot after an abbreviation or inside a
    run of dotted initials (``A. A. Balkema``, ``U.S. Department``, ``Univ. of``) is no separator."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SEPARATOR.finditer(text):
        if strict and not _separates(text, m.start(), m.end()):
            continue
        if m.start() > start and text[start: m.start()].strip():
            out.append((start, text[start: m.start()].strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start + len(text[start:]) - len(text[start:].lstrip()), text[start:].strip()))
    return out


_NEXT_WORD = re.compile(r"\s{0,3}(\S{1,40})")


def _separates(text: str, dot: int, after: int) -> bool:
    m = _WORD_BEFORE.search(text[max(0, dot - 40): dot])
    word = m.group(1) if m else ""
    bare = word.lstrip("(（,，:：").lower()
    if bare in _NO_STOP or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):
        return False
    if re.fullmatch(r"[A-Z\u00c0-\u00de]", word):
        if re.search(r"(?:^|[,，;；]\s{0,3})$", text[max(0, dot - len(word) - 4): dot - len(word)]):
            return False  # P. Viola, M. Jones: an initial before its family name (a given-first list)
        following = _NEXT_WORD.match(text, after)
        previous = re.search(r"(?<![^\s,，:：;；(（])[A-Z]\.\s$", text[max(0, dot - len(word) - 4): dot - len(word)])
        if following and re.fullmatch(r"[A-Z]\.[,:：，]?", following.group(1)):
            return False
        if previous:
            return False
    return True


def _host_mark(text: str) -> int | None:
    """Where ``//`` introduces a host (not inside a URL)."""
    for m in re.finditer(r"//", text):
        if m.start() and text[m.start() - 1] == ":":
            continue
        return m.start()
    return None


_VOLUME_IN_TITLE = re.compile(r"^(?P<title>.{1,1000}?)(?:: |：)(?:第 (?P<zh>\d{1,4}) 卷|v\.(?P<en>\d{1,4}))$")


def _volume_of(title: str, code: str) -> tuple[str, str]:
    """``国史旧闻: 第 1 卷`` → (``国史旧闻``, ``1``): a volume as the engine prints it (``第 1 卷``, ``v.1``) becomes the
    ``volume`` field; other forms (``第1册``, ``下册``) stay in the title, as typed."""
    if code not in ("M", "C", "G", "CM", "K", "Z", ""):
        return title, ""
    m = _VOLUME_IN_TITLE.match(title)
    if not m:
        return title, ""
    return m.group("title").strip(), m.group("zh") or m.group("en") or ""


def _number_suffix(title: str) -> tuple[str, str] | None:
    """``title: GB/T 25100—2010`` → (title, number) when what follows the last colon is a number."""
    for m in reversed(list(re.finditer(r"\s{0,3}[:：]\s{0,3}", title))):
        if m.start() and m.end() < len(title) and title[m.start() - 1].isdigit() and title[m.end()].isdigit() and ":" in m.group(0) \
                and not m.group(0).strip() != m.group(0):
            continue  # ISO 15836:2009
        number = title[m.end():].strip()
        if _number_like(number):
            return title[: m.start()].strip(), number
        return None
    return None


def _number_like(text: str) -> bool:
    if not text or len(text) > 60 or not re.search(r"\d", text) or _YEAR_LIKE.match(text):
        return False
    if _has_han(text):
        return bool(re.fullmatch(r"[^\x00-\x7f]{1,8}[［\[〔(（]?\d{4}[］\]〕)）]?\s?\d{1,5}\s?号", text))
    return len(text.split()) <= 3 and not re.search(r"[a-z]{4,}", text)


def _dated_shape(block: str) -> bool:
    m = _DATED.match(block)
    return bool(m and any(m.groups()))


def _page_range(pages: str) -> str:
    """``1433 -1440``, ``27－30`` → ``1433-1440``, ``27-30``: a range typed with spaces or a full-width hyphen."""
    return re.sub(r"(?<=\d)\s{0,2}[-－]\s{0,2}(?=\d)", "-", pages)


def _pages_like(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > 200:
        return False
    return all(_PAGE.match(p.strip()) for p in re.split(r"\s{0,3}[,，;；+]\s{0,3}", text) if p.strip()) or bool(
        re.match(r"^\d{1,6}(?:-\d{1,6})?\s?[;；]", text))


def _pub_shape(block: str) -> bool:
    """``place: publisher, year``, ``publisher, year`` or ``place: publisher``."""
    if _PUB_TAIL.search(block):
        return True
    parts = re.split(r"\s{0,3}[:：]\s{0,3}", block)
    return len(parts) in (2, 3) and all(p and len(p) <= 120 for p in parts) and len(parts[0]) <= 40 and not re.search(r"\d", parts[0]) \
        and not _JOURNAL_WORD.search(parts[0])


def _is_article_numbers(block: str) -> bool:
    """``2001, 1(1): 5-6``, ``2010(6): 23``, ``510: 356-363``, ``(8/9/10)：36-39``: a serial's numbers without a title."""
    return bool(re.fullmatch(r"(?:\d{4}[,，]\s{0,3})?(?:[\dA-Za-z.]{1,10})?\s{0,2}(?:[(（][^()（）]{1,20}[)）])?\s{0,3}(?:[:：]\s{0,3}.{1,200})?", block)) \
        and bool(re.search(r"[:：(（]", block)) and bool(re.match(r"^[\d(（]", block))


def _year_value(label: str) -> str:
    """A year as the engine reads it: ranges with ``-`` (``1957-1990``, ``1984-``)."""
    label = label.strip()
    if re.fullmatch(r"\d{4}\s?[-–—]\s?(?:\d{4})?", label):
        return re.sub(r"\s?[-–—]\s?", "-", label)
    return label


def _looks_like_names(text: str, level: int = 0) -> bool:
    """A list of people or organisations, not a title or a publication. ``level`` 0: capitalised words pass as an
    organisation; 1 (a block without a type code around it): a Western name needs initials, an organisation's word
    (``Society``), capitals (``IHME``) or a pinyin given name; 2: only names with initials and short Chinese names."""
    strict = level >= 2
    text = text.strip()
    if not text or len(text) > 400 or re.search(r"\d{2}", text) and not _has_han(text):
        return False
    if _PUB_TAIL.search(text) or _EDITION.match(text):
        return False
    pieces = [p for p in _NAME_SEPARATOR.split(_ET_AL.sub("", text)) if p]
    if not pieces:
        return bool(_ET_AL.search(text))
    for piece in pieces:
        if _has_han(piece):
            if re.search(r"[:：]", piece) or (strict and len(piece) > 6):
                return False
            continue
        tokens = piece.split()
        if len(tokens) > 1 and _INITIAL_TOKEN.match(tokens[-1].rstrip(".")) or _SUFFIX.match(piece) or _COMPANY_SUFFIX.match(piece):
            continue
        if _INITIALS.match(piece):
            continue
        if strict or len(tokens) > 8 or re.search(r"[:：]", piece):
            return False
        if level == 1:
            if _ORGANISATION.search(piece) or re.fullmatch(r"[A-Z]{2,10}", piece) or len(tokens) == 2 and pinyin_name(tokens[0], tokens[1]):
                continue
            return False
        # an organisation, or a name without initials: capitalised words, small words between them
        if not tokens[0][:1].isupper() or not all(t[:1].isupper() or not t[:1].isalpha() or t.lower() in _NAME_SMALL_WORDS for t in tokens):
            return False
    return True


_NAME_SMALL_WORDS = frozenset("of and for the de du des la le van von der den da di y on in at to zu".split())
_AUTHORLESS = frozenset(("standard",))
"""Entry types typed without responsible persons as a rule (a standard's number and title come first)."""
_INITIALS_END = re.compile(r"(?:^|[\s,，])[A-Z\u00c0-\u00de](?:\.?-?[A-Z\u00c0-\u00de]){0,2}$")
_FAMILY_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u00de][^\W\d_]*(?:['’-][^\W\d_]+)*|[a-z]{1,3})$")
_HAN_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$|^[\u3400-\u9fff]{1,6}[·•‧・][\u3400-\u9fff]{1,8}$")


def _typed_name_list(text: str) -> bool:
    """``Kaddoum G,Soujeri E``, ``Smith J.A``, ``张三,李四``: unmistakably names as GB/T 7714 types them — each a
    Western family name with its initials, or a Chinese name of two to four characters (two of them at least: one
    short Chinese phrase could be anything)."""
    text = text.strip()
    m = _ET_AL.search(text)
    if m and m.start() > 0:
        text = text[: m.start()].rstrip(" ,，、;；")
    pieces = _NAME_SEPARATOR.split(text)
    if not text or len(pieces) > 60:
        return False
    han = 0
    for piece in pieces:
        if _HAN_NAME.match(piece):
            han += 1
            continue
        tokens = piece.split()
        initials = 0
        while len(tokens) > 1 and _INITIAL_TOKEN.match(tokens[-1]):
            tokens.pop()
            initials += 1
        if not initials or len(tokens) > 3 or not all(_FAMILY_TOKEN.match(t) for t in tokens) or not tokens[-1][:1].isupper():
            return False
    return han == 0 or han >= 2


def _glued_names(text: str) -> tuple[str, str] | None:
    """(names, title) of a block whose names end with an initial and a full stop typed without its space
    (``Kaddoum G,Soujeri E.On the comparison``), else ``None``; the longest such run of names is taken (``Smith J.A.On``)."""
    found = None
    for m in re.finditer(r"\.(?=[^\s.,，;；:：)）\]])", text[:400]):
        head, rest = text[: m.start()], text[m.end():].strip()
        if rest and _INITIALS_END.search(head) and _typed_name_list(head):
            found = (head, rest)
    return found


def _starts_with_names(title: str) -> bool:
    """The title starts like a list of names: ``Kaddoum G,Soujeri E.On …``, ``Smith J, Brown A: A method``,
    ``Kaddoum G,Soujeri E On …``, ``张三,李四.…``."""
    for m in re.finditer(r"[.．。:：]", title[:400]):
        if _typed_name_list(title[: m.start()]) and title[m.end():].strip():
            return True
    pair = re.match(r"^([^,，;；]{1,60})[,，;；]\s{0,3}(\S{1,40} [A-Z])(?![^\W\d_])", title)  # the last name's initial, then the title
    return bool(pair and _typed_name_list(f"{pair.group(1)}, {pair.group(2)}"))


def _parse_names(text: str) -> _Names:
    """``王晓明, 李华, 等`` / ``Smith J, Brown A, et al.`` / ``Smith, J., Brown, A.`` / ``PEEBLES P Z, Jr``."""
    out = _Names()
    text = text.strip().rstrip(",，;；")
    m = _ET_AL.search(text)
    if m and m.start() > 0:
        out.et_al = m.group("mark")
        text = text[: m.start()].rstrip(" ,，、;；")
    pieces = [p for p in _NAME_SEPARATOR.split(text) if p.strip()]
    if len(pieces) == 1 and _AND.search(pieces[0]) and all(_INITIAL_TOKEN.match(p.split()[-1]) for p in _AND.split(pieces[0]) if p.split()):
        pieces = _AND.split(pieces[0])
    elif pieces and _AND.match(" " + pieces[-1].split(" ", 1)[0] + " ") and len(pieces) > 1:
        pieces[-1] = pieces[-1].split(" ", 1)[1] if " " in pieces[-1] else pieces[-1]
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        previous = out.names[-1] if out.names else None
        if previous is not None and _SUFFIX.match(piece) and not previous.corporate:
            out.names[-1] = Name(previous.family, previous.given, previous.particle, piece, False, previous.given_raw, previous.dropping)
            out.typed[-1] = f"{out.typed[-1]}, {piece}"
            continue
        if previous is not None and _COMPANY_SUFFIX.match(piece):
            joined = f"{out.typed[-1]}, {piece}"
            out.names[-1], out.typed[-1] = Name(family=joined, corporate=True), joined
            continue
        if previous is not None and _INITIALS.match(piece) and not previous.given and len(out.typed[-1].split()) == 1 \
                and not _has_han(out.typed[-1]):  # Smith, J.: a family name, then its initials after a comma
            family = out.typed[-1]
            out.names[-1] = typed_name(f"{family} {piece}")
            out.typed[-1] = f"{family}, {piece}"
            continue
        out.names.append(typed_name(piece))
        out.typed.append(piece)
    return out


def typed_name(piece: str) -> Name:
    """One name as GB/T 7714 types it: ``王晓明``, ``Smith J``, ``SMITH J A``, ``Veen P H v d``, ``Li Jiangning``,
    ``American Chemical Society``."""
    piece = piece.strip()
    if _has_cjk(piece):
        if not all(_is_cjk_letter(ch) or ch in "·•‧・" or ch.isspace() for ch in piece):
            return Name(family=piece, corporate=True)  # 昂温 G, 黄土高原科学数据中心（…）: printed as typed
        return Name(family=piece)
    tokens = piece.split()
    suffix = ""
    if len(tokens) > 1 and _SUFFIX.match(tokens[-1]):
        suffix, tokens = tokens[-1], tokens[:-1]
    if tokens and tokens[-1].lower().rstrip(".") in _ORGANISATION_LAST:
        return Name(family=piece, corporate=True)
    dropping: list[str] = []
    while len(tokens) > 2 and re.fullmatch(r"[a-z]\.?", tokens[-1]):
        dropping.insert(0, tokens.pop().rstrip("."))
    initials: list[str] = []
    while len(tokens) > 1 and _INITIAL_TOKEN.match(tokens[-1]):
        initials.insert(0, tokens.pop())
    if not initials:
        if dropping:
            tokens += dropping
        if len(tokens) == 2 and pinyin_name(tokens[0], tokens[1]):
            family = family_case(tokens[0])
            return Name(family, tokens[1], suffix=suffix, given_raw="{" + tokens[1] + "}")
        leading = 0  # given names first, as other styles write them: T. S. Huang, Zhengxia Zou
        while leading < len(tokens) - 1 and re.fullmatch(r"[A-Z]\.(?:-?[A-Z]\.)?", tokens[leading]):
            leading += 1
        if leading and len(tokens) - leading <= 2 and not _ORGANISATION.search(piece):
            given = " ".join(_initial(t) for t in tokens[:leading])
            return Name(family_case(" ".join(tokens[leading:])), given, "", suffix, False, given)
        if len(tokens) == 2 and pinyin_name(tokens[1], tokens[0]):
            return Name(family_case(tokens[1]), tokens[0], suffix=suffix, given_raw="{" + tokens[0] + "}")
        return Name(family=piece, corporate=True)
    if _ORGANISATION.search(" ".join(tokens)) and len(tokens) > 2:
        return Name(family=piece, corporate=True)
    given = " ".join(_initial(t) for t in initials)
    particle_end = 0
    while particle_end < len(tokens) - 1 and tokens[particle_end].islower():
        particle_end += 1
    particle = " ".join(tokens[:particle_end])
    family = family_case(" ".join(tokens[particle_end:]))
    return Name(family, given, particle, suffix, False, given, " ".join(dropping))


_ORGANISATION_LAST = frozenset("""ltd inc llc plc gmbh corp corporation company co pty ag sa bv nv university institute association society
council committee organization organisation foundation agency ministry department office centre center group consortium
collaboration collaborators press publishers""".split())


def _initial(token: str) -> str:
    """``J.`` → ``J``; ``J.-L.`` → ``J-L``; ``JR`` → ``J R``."""
    token = token.replace(".", "")
    if "-" not in token and len(token) > 1 and token.isupper():
        return " ".join(token)
    return token


def family_case(family: str) -> str:
    """``PEEBLES`` (2015's capitals) → ``Peebles``; ``O'BRIEN`` → ``O'Brien``; a family name written otherwise is kept."""
    letters = [c for c in family if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and not _CYRILLIC.search(family):
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), family.lower())
    return family


def pinyin_name(family: str, given: str) -> bool:
    """``Li Jiangning``: a common Chinese surname and a given name written in full as pinyin syllables."""
    letters = given.lower().replace("-", "")
    if not re.fullmatch(r"[A-Z][a-z]{1,11}(?:-[A-Za-z][a-z]{1,8})?", given) or letters in _WESTERN_GIVEN:
        return False
    from mspress.styles.gbt7714.pinyin import CHINESE_SURNAMES  # a set of names; the module reads no file on import

    if family.lower() not in CHINESE_SURNAMES:
        return False
    ends = {len(letters)}  # the letters split into syllables: dynamic programming from the end
    for start in range(len(letters) - 1, -1, -1):
        if any(end in ends and letters[start:end] in _PINYIN for end in range(start + 1, min(len(letters), start + 6) + 1)):
            ends.add(start)
    return 0 in ends


_PINYIN = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can cang cao ce
cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci
cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong dou du duan
dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu
gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji
jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai
kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu
luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao
ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei
pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang
rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she
shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang
tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia
xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za
zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan
zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".split())
"""The toneless pinyin syllables (ü as v), as pypinyin's table has them; kept here so that reading a name loads no table."""
_WESTERN_GIVEN = frozenset("alan alice amanda angela anna anne ben dan dana diana hana helen jan juan julia julie karen lena leo linda lisa "
                           "lori maria marie mia mike mina nina sean susan tina yuri".split())


def _language(text: str) -> str:
    return "zh" if _has_cjk(text) else "en"


def _langid(title: str, text: str) -> str | None:
    """``langid`` when the script tells: Chinese (and Japanese, Korean, Russian) by their characters; English only where
    other fields hold Chinese characters that would mislead the engine."""
    sample = title or text
    if _has_kana(sample):
        return "japanese"
    if _has_hangul(sample):
        return "korean"
    if _has_han(sample):
        return "chinese"
    if _CYRILLIC.search(sample):
        return "russian"
    if _has_cjk(text):
        return "english"
    return None


_WIDE = re.compile(r"[，：；]")
_NARROW = re.compile(r"[,:;](?=\s|$)|(?<=[^\x00-\x7f])[,:]|[,:](?=[^\x00-\x7f])")


def _edition(text: str) -> str | None:
    """``2025`` for full-width ``，：；`` (2025 sets them in every entry), ``2015`` for ASCII; ``None`` when the entry has
    neither or as many of each."""
    text = _LINK.sub("", text)
    wide, narrow = len(_WIDE.findall(text)), len(_NARROW.findall(text))
    if wide > narrow:
        return "2025"
    if narrow > wide:
        return "2015"
    return None


__all__ = ["CODES", "MEDIA", "ParsedEntry", "parse_entries", "parse_entry", "split_list", "strip_label"]
