"""Editor mode: check typed citation numbers ([1], [4-7], ［8］, superscripts) against a typed reference list."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mspress.checks.report import CheckReport, NumberRow
from mspress.errors import Diagnostic, Location, Severity
from mspress.sources.editor_files import Line
from mspress.text import normalise

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_DASH = "–—~～\\-"
MAX_RANGE = 2000
"""A typed range longer than any reference list is a typo (or an attack on memory), not thousands of citations."""
# Numbers of at most six digits: a longer one is no citation (and would not convert in bounded time).
_GROUP = re.compile(rf"(?P<open>[\[［])\s*(?P<body>\d{{1,6}}(?:\s*[,，、{_DASH}]\s*\d{{1,6}})*)\s*(?P<close>[\]］])")
_BARE = re.compile(rf"^\s*(?P<body>\d{{1,6}}(?:\s*[,，、{_DASH}]\s*\d{{1,6}})*)\s*$")
_HEADING = re.compile(r"^[#\s*]*(参\s*考\s*文\s*献|references|reference list|bibliography|literature cited)[\s:：*]*$", re.I)
_ENTRY = re.compile(r"^\s*(?:[\[［]\s*(?P<a>\d{1,6})\s*[\]］]|(?P<b>\d{1,6})\s*[.．、)）]\s)\s*(?P<text>.*)$")
_ABSTRACT = re.compile(r"^[\s#*]*[【\[［(（]?\s*(摘\s*要|abstract|summary)\s*([】\]］)）:：]|$)", re.I)
_DOI = re.compile(r"10\.\d{4,9}/[^\s,;，；]+")
_NARRATIVE_WORDS = ("文献", "参考文献", "ref.", "Ref.", "reference", "Reference")


@dataclass(frozen=True, slots=True)
class TypedCitation:
    numbers: tuple[int, ...]
    """Every number the group stands for, ranges expanded, in written order."""
    raw: str
    location: Location
    full_width: bool
    superscript: bool
    narrative: bool
    """Preceded by 文献/ref.: the number belongs on the line, not in superscript."""


@dataclass(frozen=True, slots=True)
class ListEntry:
    number: int
    text: str
    location: Location


def check_document(lines: list[Line], path: Path, min_run: int = 2) -> CheckReport:
    heading = next((i for i in range(len(lines) - 1, -1, -1) if _HEADING.match(lines[i].text.strip())), None)
    body = lines if heading is None else lines[:heading]
    entries = _entries(lines[heading + 1 :], path, docx=path.suffix.lower() == ".docx") if heading is not None else None
    diagnostics: list[Diagnostic] = []
    citations = list(_citations(body, path, diagnostics, min_run))
    diagnostics += _order(citations)
    diagnostics += _bracket_style(citations)
    if entries is None:
        diagnostics += _gaps(citations, path)
    else:
        diagnostics += _against_list(citations, entries)
    table = _table(citations, entries)
    diagnostics.sort(key=lambda x: (x.location.line, x.location.column))
    return CheckReport(tuple(diagnostics), table)


def _citations(lines: list[Line], path: Path, diagnostics: list[Diagnostic], min_run: int) -> Iterator[TypedCitation]:
    # Superscript numbers above an abstract's label are affiliation marks (张三¹,²), not citations: above the last
    # label (the English abstract follows the Chinese one's front matter) before the first bracketed citation
    # outside an abstract.
    front = next((i for i, line in enumerate(lines) if _GROUP.search(line.text) and not _ABSTRACT.match(line.text)),
                 len(lines) // 2 + 1)
    labels = [i for i, line in enumerate(lines[:front]) if _ABSTRACT.match(line.text)]
    abstract = labels[-1] if labels else 0
    for index, line in enumerate(lines):
        found = [(m.start(), m.end(), m.group("body"), m.group("open") == "［") for m in _GROUP.finditer(line.text)]
        taken = [(a, b) for a, b, _, _ in found]
        for a, b in line.superscripts if index >= abstract else ():
            if _BARE.match(line.text[a:b]) and not any(x <= a < y or a <= x < b for x, y in taken):
                found.append((a, b, line.text[a:b], False))
        for start, end, body, full in sorted(found):
            where = Location(path, line.number, start + 1)
            numbers = _expand(body, line.text[start:end], where, diagnostics, min_run)
            if numbers is None:
                continue
            before = line.text[max(0, start - 40):start].rstrip()  # the words just before, not a copy of the line
            yield TypedCitation(tuple(numbers), line.text[start:end], where, full, line.in_superscript(start, end),
                                before.endswith(_NARRATIVE_WORDS))


def _expand(body: str, raw: str, where: Location, diagnostics: list[Diagnostic], min_run: int) -> list[int] | None:
    items = [i.strip() for i in re.split(r"[,，、]", body) if i.strip()]
    if len(items) == 1 and items[0].isdigit() and len(items[0]) == 4 and 1500 <= int(items[0]) <= 2100:
        return None  # a year in brackets, not a citation
    numbers: list[int] = []
    singles: list[int] = []
    for item in items:
        parts = [p.strip() for p in re.split(f"[{_DASH}]", item)]
        if len(parts) == 2:
            first, last = int(parts[0]), int(parts[1])
            if last - first > MAX_RANGE:
                diagnostics.append(Diagnostic("invalid-range", ERROR, f"invalid range {raw}: it spans more than {MAX_RANGE} references", where))
                return None
            if first == 0 or last < first or first == last:
                fix = "numbers start at 1" if first == 0 else (f"write [{last}-{first}]" if last < first else f"write [{first}]")
                diagnostics.append(Diagnostic("invalid-range", ERROR, f"invalid range {raw}: {fix}", where))
                return None
            numbers.extend(range(first, last + 1))
        else:
            n = int(parts[0])
            if n == 0:
                diagnostics.append(Diagnostic("invalid-range", ERROR, f"invalid citation number {raw}: numbers start at 1", where))
                return None
            numbers.append(n)
            singles.append(n)
    run = _longest_run(singles)
    if run >= min_run:
        diagnostics.append(Diagnostic("uncompressed-range", WARNING, f"{raw} lists consecutive numbers one by one: write them as a range, e.g. [{_compressed(numbers, min_run)}]", where))
    return numbers


def _longest_run(numbers: list[int]) -> int:
    ordered = sorted(set(numbers))
    best = run = 1 if ordered else 0
    for a, b in zip(ordered, ordered[1:], strict=False):
        run = run + 1 if b == a + 1 else 1
        best = max(best, run)
    return best


def _compressed(numbers: list[int], min_run: int = 2) -> str:
    from mspress.citations.numbering import compress, format_runs

    return format_runs(compress(numbers, min_run))


def _order(citations: list[TypedCitation]) -> Iterator[Diagnostic]:
    # A smaller number that is never cited is a gap or an uncited entry, reported by those rules.
    cited = {n for c in citations for n in c.numbers}
    highest = 0
    seen: set[int] = set()
    for citation in citations:
        for n in sorted(set(citation.numbers) - seen):
            if n > highest + 1 and any(m in cited for m in range(highest + 1, n)):
                missing = next(m for m in range(highest + 1, n) if m in cited)
                yield Diagnostic("citation-out-of-order", ERROR,
                                 f"[{n}] is cited for the first time before [{missing}]: number references in order of first citation", citation.location)
            highest = max(highest, n)
            seen.add(n)


def _bracket_style(citations: list[TypedCitation]) -> Iterator[Diagnostic]:
    for attribute, words in (("full_width", ("full-width ［ ］", "ASCII [ ]")),):
        values = [getattr(c, attribute) for c in citations]
        if len(set(values)) > 1:
            majority = max(set(values), key=values.count)
            odd = next(c for c in citations if getattr(c, attribute) != majority)
            yield Diagnostic("bracket-style", WARNING, f"citation {odd.raw} uses {words[0] if not majority else words[1]} while most use "
                             f"{words[0] if majority else words[1]}: use one bracket style", odd.location)
    placed = [c for c in citations if not c.narrative]
    values = [c.superscript for c in placed]
    if len(set(values)) > 1:
        majority = max(set(values), key=values.count)
        odd = next(c for c in placed if c.superscript != majority)
        style = ("superscript", "on the line") if majority else ("on the line", "superscript")
        yield Diagnostic("bracket-style", WARNING, f"citation {odd.raw} is {style[1]} while most are {style[0]}: set them alike", odd.location)


def _gaps(citations: list[TypedCitation], path: Path) -> Iterator[Diagnostic]:
    cited = {n for c in citations for n in c.numbers}
    if not cited:
        return
    missing = sorted(set(range(1, max(cited) + 1)) - cited)
    if missing:
        last = next(c for c in reversed(citations) if max(cited) in c.numbers)
        what = f"number {missing[0]} is" if len(missing) == 1 else f"numbers {_compressed(missing)} are"
        yield Diagnostic("citation-gap", ERROR, f"{what} never cited although [{max(cited)}] is: renumber or cite them", last.location)


def _entries(lines: list[Line], path: Path, docx: bool) -> list[ListEntry]:
    entries: list[ListEntry] = []
    for line in lines:
        m = _ENTRY.match(line.text)
        if m:
            entries.append(ListEntry(int(m.group("a") or m.group("b")), m.group("text").strip(), Location(path, line.number, 1)))
        elif entries and line.text.strip():
            last = entries[-1]
            entries[-1] = ListEntry(last.number, f"{last.text} {line.text.strip()}", last.location)
    if not entries and docx:  # Word's automatic numbering is not in the text
        texts = [line for line in lines if line.text.strip()]
        entries = [ListEntry(i, line.text.strip(), Location(path, line.number, 1)) for i, line in enumerate(texts, 1)]
    return entries


def _against_list(citations: list[TypedCitation], entries: list[ListEntry]) -> Iterator[Diagnostic]:
    numbers = {e.number for e in entries}
    seen: dict[int, ListEntry] = {}
    for entry in entries:
        if entry.number in seen:
            yield Diagnostic("duplicate-key", ERROR, f"reference [{entry.number}] appears twice in the list (also at line {seen[entry.number].location.line})", entry.location)
        seen.setdefault(entry.number, entry)
    for citation in citations:
        for n in citation.numbers:
            if n not in numbers:
                yield Diagnostic("undefined-citation", ERROR, f"[{n}] is cited but the reference list has no entry [{n}]", citation.location)
    cited = {n for c in citations for n in c.numbers}
    for entry in entries:
        if entry.number not in cited:
            yield Diagnostic("uncited-reference", ERROR, f"reference [{entry.number}] is never cited: cite it or remove it", entry.location)
    yield from _duplicate_entries(entries)


def _duplicate_entries(entries: list[ListEntry]) -> Iterator[Diagnostic]:
    seen: dict[str, ListEntry] = {}
    for entry in entries:
        for identity in _identities(entry.text):
            first = seen.setdefault(identity, entry)
            if first is not entry:
                yield Diagnostic("duplicate-reference", WARNING, f"references [{first.number}] and [{entry.number}] are the same work: cite one number", entry.location)
                break


def _identities(text: str) -> list[str]:
    found = [f"doi:{m.group(0).lower().rstrip('.')}" for m in _DOI.finditer(text)]
    parts = re.split(r"\.\s+", text, maxsplit=2)
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)
    if len(parts) >= 2 and year:
        title = re.split(r"[\[［]", parts[1])[0]
        author = normalise(re.split(r"[,，\s]", parts[0].strip())[0])
        found.append(f"work:{normalise(title)}|{year.group(0)}|{author}")
    return found


def _table(citations: list[TypedCitation], entries: list[ListEntry] | None) -> tuple[NumberRow, ...]:
    first: dict[int, Location] = {}
    counts: dict[int, int] = {}
    for citation in citations:
        for n in set(citation.numbers):
            first.setdefault(n, citation.location)
            counts[n] = counts.get(n, 0) + 1
    texts = {e.number: e.text for e in entries or []}
    numbers = sorted(set(first) | set(texts))
    return tuple(NumberRow(n, texts.get(n, ""), first.get(n), counts.get(n, 0)) for n in numbers)
