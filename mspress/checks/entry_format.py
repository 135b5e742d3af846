"""Editor mode's GB/T 7714 format check of a typed reference list (``check FILE --style gb7714-2015|gb7714-2025``).

Each entry is read into fields (``sources.typed_references``) and formatted by our own engine; the typed text is
then compared with that formatting. Content both agree on (the same words and numbers) lets every difference
in punctuation be reported with certainty; where the words differ the reading may be at fault, so only what
the typed text shows by itself is reported (a missing type code, authors without 等, a URL without /OL…).
Every report carries the entry as our engine would print it ("did you mean: …").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from mspress.checks.editor import ListEntry
from mspress.errors import Diagnostic, Severity
from mspress.model import Reference
from mspress.sources.typed_references import ParsedEntry, parse_entry, split_translation
from mspress.styles.gbt7714.fields import missing_fields
from mspress.styles.gbt7714.options import Options

WARNING = Severity.WARNING
STYLES = {"gb7714-2015": 2015, "gb7714-2025": 2025}
TYPE_CODES = {2015: {"M", "C", "G", "N", "J", "D", "R", "S", "P", "DB", "CP", "EB", "A", "CM", "DS", "Z"},
              2025: {"M", "C", "G", "N", "J", "D", "R", "S", "P", "DB", "CP", "EB", "A", "CM", "DS", "PP", "Z"}}
WIDTHS = {2015: "ASCII , : ; ( ) [ ] .", 2025: "full-width ，：；（）, ASCII [ ] ."}
"""The punctuation each edition prints (2015's examples; the 2025 standard's own typesetting)."""
MEDIUM_CODES = {"OL", "CD", "DK", "MT", "MM"}
ACCESS_DATE_TYPES_2025 = {"EB", "DS", "PP", "CP", "DB"}
"""2025 asks the access date of web sites and pages, data sets and preprints (8.11, 8.14, 8.15); its own example
of a program's download page (8.11.3.2) gives one too."""
SUGGEST_CONFIDENCE = 0.8
"""A correction is offered only for an entry read whole with at least this confidence."""
MIN_CONFIDENCE = 0.6
"""Below this the entry's reading is a guess: it is reported as unreadable, not checked field by field."""
_URL = re.compile(r"https?://\S+", re.I)
_ACCESS_DATE = re.compile(r"[\[［]\s*\d{4}-\d{1,2}-\d{1,2}\s*[\]］]")
_TYPE_MARK = re.compile(r"[\[［]([A-Z]{1,2})(?:/([A-Z]{2}))?[\]］]")
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WIDE = str.maketrans("，：；（）．［］／", ",:;().[]/")
_DOTTED_INITIALS = re.compile(r"\b[A-Z]\.\s*[A-Z]\b")
_FINAL_DOT = re.compile(r"\b[A-Z]\.$")
_GIVEN_FIRST = re.compile(r"^(?:[A-Z](?:\.\s*|\s+)){1,3}(?:[A-Z][a-z'’-]+|[A-Z]{2,}[A-Z'’-]*)$")
_SUFFIX = re.compile(r"[,，]?\s*(?:Jr|Sr|II|III|IV)\.?$")


def check_entries(entries: list[ListEntry], style: str) -> Iterator[Diagnostic]:
    edition = STYLES[style]
    options = Options(edition=edition, system="numeric")
    widths: list[tuple[ListEntry, str]] = []
    for entry in entries:
        text = " ".join(entry.text.split())
        original, translation = split_translation(text)  # 中英对照: the English version is checked as an entry too
        reported: set[str] = set()  # one report per kind of fault and entry, its translation included
        parts = ((original, ""), (translation, " (its translation)")) if translation else ((text, ""),)
        for part, which in parts:
            for code, message in _check_one(entry, part.strip(), edition, options):
                if code == "entry-punctuation":
                    widths.append((entry, f"{which.strip()} {message}".strip()))
                elif code not in reported:
                    reported.add(code)
                    yield Diagnostic(code, WARNING, f"[{entry.number}]{which} {message}", entry.location)
    yield from _widths(widths, len(entries), edition)


def _widths(found: list[tuple[ListEntry, str]], total: int, edition: int) -> Iterator[Diagnostic]:
    """Punctuation of the other width: once for the list when most entries share it (a journal's house style),
    else at each entry that has it."""
    entries = {entry.number: (entry, message) for entry, message in found}
    kind = WIDTHS[edition]
    if len(entries) > max(2, total // 2):
        first = min(entries.values(), key=lambda e: e[0].number)
        yield Diagnostic("entry-punctuation", WARNING, f"{len(entries)} of {total} entries (the first [{first[0].number}]) use punctuation "
                         f"of the other width: GB/T 7714-{edition} prints {kind}", first[0].location)
        return
    for entry, message in sorted(entries.values(), key=lambda e: e[0].number):
        yield Diagnostic("entry-punctuation", WARNING, f"[{entry.number}] {message}", entry.location)


def _check_one(entry: ListEntry, text: str, edition: int, options: Options) -> Iterator[tuple[str, str]]:
    parsed = parse_entry(text, f"ref{entry.number}", entry.location)
    raw = list(_raw_findings(text, edition))
    if parsed.confidence < MIN_CONFIDENCE:
        unread = "; ".join(parsed.unparsed[:3])
        yield from raw or [("entry-unreadable", "cannot be read as a GB/T 7714 entry" + (f" (not understood: {unread})" if unread else "")
                            + ": check it by hand")]
        return
    expected = _formatted(parsed.reference, options)
    # Only a whole reading makes a trustworthy correction: with pieces left over it would drop or misplace them.
    whole = not parsed.unparsed and parsed.confidence >= SUGGEST_CONFIDENCE
    suggestion = f"; did you mean: {expected}" if whole and expected and _normal(expected) != _normal(text) else ""
    own = list(_findings(parsed, text, expected, edition))
    found = [*(r for r in raw if r[0] not in {code for code, _ in own}), *own]  # the reading's message says more
    codes = {code for code, _ in found}
    for code, message in found:
        if (code == "missing-field" and "entry-type-code" in codes) or (code == "entry-separators" and "entry-names" in codes):
            continue  # a wrong type asks for the wrong fields; dotted initials are the separators found
        yield code, f"{message}{suggestion}"


def _formatted(reference: Reference, options: Options) -> str:
    from mspress.styles.gbt7714 import format_reference

    return format_reference(reference, options).text


_YEAR = re.compile(r"(?<![\d-])(?:1[5-9]|20)\d\d(?![\d-])")
_CONFERENCE_HOST = re.compile(r"[\[［]C(?:/[A-Z]{2})?[\]］]\s*[.．]\s*(?:In[:\s]|Proc|[^.．]{0,120}(?:Conference|Symposium|Workshop|Congress|会议|论文集|研讨会))")
_STANDARD_FIRST = re.compile(r"^[A-Z]{2,4}(?:/[A-Z])?\s*[\d.]+[-—–:]\d{2,4}\s")
"""A 2025 standard starts with its number (GB/T 3792—2021 …), its type code being optional."""
_AFTER_TYPE_CODE = re.compile(r"[\[［][A-Z]{1,2}(?:/[A-Z]{2})?[\]］]\s*[,，;；:：]")


def _findings(parsed: ParsedEntry, text: str, expected: str, edition: int) -> Iterator[tuple[str, str]]:
    yield from _type_code(parsed, text, expected, edition)
    yield from _online(parsed, text, edition)
    yield from _et_al(parsed)
    yield from _names(parsed)
    missing = [need for need in missing_fields(parsed.reference.entry_type, parsed.reference.fields, parsed.reference.names)
               if need != "author" and not ("institution" in need and parsed.authors_typed)  # a report's author is its institution
               and not (need == "year or date" and _YEAR.search(text))]  # typed, but where the reader did not look for it
    if missing:
        yield "missing-field", f"lacks {', '.join(missing)}, which GB/T 7714 requires for {_kind(parsed)}"
    yield from _punctuation(parsed, text, expected, edition)


def _raw_findings(text: str, edition: int) -> Iterator[tuple[str, str]]:
    """What the typed text shows by itself, however it reads: a type code, followed by a full stop or //."""
    if not _TYPE_MARK.search(text) and not (edition == 2025 and _STANDARD_FIRST.match(text)):
        yield "entry-type-code", "has no document type code after its title"
    if _CONFERENCE_HOST.search(text):
        yield "entry-separators", "gives a conference paper's proceedings after '[C].': a paper in proceedings is followed by // before its host"
    after = _AFTER_TYPE_CODE.search(text)
    if after:
        yield "entry-separators", f"has {after.group(0)!r}: a type code is followed by a full stop (or // before its host work)"


def _kind(parsed: ParsedEntry) -> str:
    return f"[{parsed.type_code}]" if parsed.type_code else f"this type of work ({parsed.reference.entry_type})"


def _type_code(parsed: ParsedEntry, text: str, expected: str, edition: int) -> Iterator[tuple[str, str]]:
    printed = _TYPE_MARK.search(expected)
    if parsed.type_code is None:
        if printed and printed.group(1) != "Z" and _TYPE_MARK.search(text) is None:
            yield "entry-type-code", f"has no document type code after its title ([{printed.group(1)}] for what it looks like)"
    elif parsed.type_code not in TYPE_CODES[edition]:
        instead = " (2015 has no preprint code: [EB] or [A])" if parsed.type_code == "PP" else ""
        yield "entry-type-code", f"has the type code [{parsed.type_code}], which GB/T 7714-{edition} does not define{instead}"
    elif parsed.type_code == "J" and re.search(r"[\[［]J(?:/[A-Z]{2})?[\]］]\s*//", text):
        yield "entry-type-code", "is a part of a host work (//) typed as a journal article [J]: a chapter is [M]//, a conference paper [C]//"
    if parsed.medium is not None and parsed.medium not in MEDIUM_CODES:
        yield "entry-type-code", f"has the medium code /{parsed.medium}, which GB/T 7714 does not define (OL, CD, DK, MT, MM)"


def _online(parsed: ParsedEntry, text: str, edition: int) -> Iterator[tuple[str, str]]:
    url = _URL.search(text)
    if parsed.type_code is None:
        return  # reported as a missing type code, with which the medium goes
    if url and parsed.medium is None:
        yield "entry-online", f"gives a URL but no medium code: write [{parsed.type_code}/OL]"
    elif parsed.medium == "OL" and not url and "doi" not in text.lower():
        yield "entry-online", f"is marked /OL but gives no URL or DOI: add the URL or write [{parsed.type_code}]"
    has_date = bool(_ACCESS_DATE.search(text))
    if url and not has_date and (edition == 2015 or parsed.type_code in ACCESS_DATE_TYPES_2025):
        which = "an online work" if edition == 2015 else f"[{parsed.type_code}]"
        yield "entry-online", f"lacks the access date [YYYY-MM-DD] that GB/T 7714-{edition} requires for {which}"
    elif has_date and edition == 2025 and parsed.type_code not in ACCESS_DATE_TYPES_2025 and url:
        yield "entry-online", (f"gives an access date, which GB/T 7714-2025 prints only for web pages, data sets and "
                               f"preprints, not [{parsed.type_code}]: remove it")


def _et_al(parsed: ParsedEntry) -> Iterator[tuple[str, str]]:
    authors, et_al = parsed.authors_typed, parsed.et_al
    wanted = "等" if parsed.language == "zh" else "et al."
    if et_al is None and len(authors) > 3:
        yield "entry-et-al", f"lists {len(authors)} authors: GB/T 7714 gives the first three, then {wanted}"
    elif et_al is not None and len(authors) < 3:
        yield "entry-et-al", f"has {et_al} after {len(authors)} author(s): list up to three authors in full, {wanted} only after the third"
    elif et_al is not None and (et_al == "等") != (parsed.language == "zh"):
        yield "entry-et-al", f"has {et_al!r} in a{'' if parsed.language == 'zh' else 'n'} {'Chinese' if parsed.language == 'zh' else 'Western'} entry: write {wanted}"


def _names(parsed: ParsedEntry) -> Iterator[tuple[str, str]]:
    if parsed.language == "zh":
        return
    names = list(parsed.reference.names.get("author", ()))
    corporate = [n.corporate for n in names] if len(names) == len(parsed.authors_typed) else [False] * len(parsed.authors_typed)
    for at, (typed, is_corporate) in enumerate(zip(parsed.authors_typed, corporate, strict=True)):
        name = _SUFFIX.sub("", typed.strip())
        last = at == len(parsed.authors_typed) - 1 and parsed.et_al is None  # its dot may end the author list
        if _GIVEN_FIRST.match(name):
            yield "entry-names", f"writes {name!r} given name first: GB/T 7714 puts the family name first, then initials (Smith J)"
            return
        if not is_corporate and (_DOTTED_INITIALS.search(name) or "," in name or (_FINAL_DOT.search(name) and not last)):
            yield "entry-names", f"writes {name!r}: initials take no dots and no comma follows the family name (Smith J A)"
            return


def _punctuation(parsed: ParsedEntry, text: str, expected: str, edition: int) -> Iterator[tuple[str, str]]:
    """Where the words agree, each difference between the typed and the printed punctuation."""
    typed_tokens, typed_gaps = _split(text)
    printed_tokens, printed_gaps = _split(expected)
    if not expected or typed_tokens != printed_tokens:
        return
    width = separator = None
    for at, (typed, printed) in enumerate(zip(typed_gaps, printed_gaps, strict=True)):
        if typed == printed or re.sub(r"\s", "", typed) == re.sub(r"\s", "", printed):
            continue  # spacing alone: PDF and Word text space inconsistently, and the standard prescribes little
        context = f"{typed_tokens[at - 1] if at else ''}{typed.strip()}{typed_tokens[at] if at < len(typed_tokens) else ''}"
        if re.sub(r"\s", "", typed.translate(_WIDE)) == re.sub(r"\s", "", printed.translate(_WIDE)):
            if edition == 2025 and parsed.language != "zh":
                continue  # 2025 does not say which width a Western entry takes (RULES §2.2)
            width = width or (context, printed.strip())
        else:
            separator = separator or (context, printed.strip() or "nothing")
    if width:
        yield "entry-punctuation", f"has {width[0]!r} where GB/T 7714-{edition} prints {width[1]!r} ({WIDTHS[edition]})"
    if separator:
        yield "entry-separators", f"has {separator[0]!r} where GB/T 7714 separates with {separator[1]!r}"


def _split(text: str) -> tuple[list[str], list[str]]:
    """Words (each CJK character one) compared without case or width, and the text between them."""
    tokens, gaps, last = [], [], 0
    for match in _TOKEN.finditer(text):
        gaps.append(text[last:match.start()])
        tokens.append(unicodedata.normalize("NFKC", match.group(0)).lower())
        last = match.end()
    gaps.append(text[last:])
    return tokens, gaps


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()
