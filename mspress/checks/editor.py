"""Editor mode: check typed citation numbers ([1], [4-7], ［8］, superscripts) against a typed reference list."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from mspress.checks.report import CheckReport, NumberRow
from mspress.errors import Diagnostic, Location, Severity
from mspress.sources.editor_files import Line
from mspress.text import normalise

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_DASHES = "-–—―‒−－~～〜∼"
_DASH = rf"\\?[{_DASHES}]"
"""Range dashes as typed: hyphen, en and em dash, minus, full-width hyphen, tildes (``\\~`` escaped in Markdown)."""
_SEP = rf"(?:\s*(?:[,，、;；]|{_DASH})\s*)"
MAX_RANGE = 2000
"""A typed range longer than any reference list is a typo (or an attack on memory), not thousands of citations."""
# Numbers of at most six digits: a longer one is no citation (and would not convert in bounded time).
_GROUP = re.compile(rf"[\[［〔【]\s*(?P<first>\d{{1,6}})\s*[\]］〕】]\s*{_DASH}\s*[\[［〔【]\s*(?P<last>\d{{1,6}})\s*[\]］〕】]"  # [1]-[3]
                    rf"|[\[［〔【]\s*(?P<body>\d{{1,6}}(?:{_SEP}\d{{1,6}}){{0,200}})\s*[\]］〕】]")
_BARE = re.compile(rf"^[\[［〔【]?(?P<body>\d{{1,6}}(?:{_SEP}\d{{1,6}}){{0,200}})[\]］〕】]?$")
_DECORATION = re.compile(r"[\s${}^]|\\textsuperscript|\\,|<sup>|</sup>")
_HEADING = re.compile(
    r"^[#\s*_]*(?:(?:第?[0-9０-９]{1,2}(?:\.[0-9]{1,2})*|[一二三四五六七八九十]{1,3}|[IVXⅠ-Ⅻ]{1,5})[\s.．、章节:：]*)?"
    r"[【\[［(（]?\s*(?P<name>(?:主\s*要\s*)?参\s*考\s*文\s*献|引\s*用\s*文\s*献|参\s*考\s*资\s*料|references?(?:\s+(?:and|&)\s+notes)?"
    r"|reference\s+list|bibliography|literature\s+cited|works\s+cited|cited\s+literature)\s*[】\]］)）]?"
    r"(?:\s*[/(（]?\s*(?:references?|bibliography|参考文献)\s*[)）]?)?[\s:：.*_]*$", re.I)
_LABEL = re.compile(r"^\s*(?:[\[［〔【]\s*(?P<a>\d{1,4})\s*[\]］〕】]|(?P<b>\d{1,4})\s*(?:[.．]\s|[.．](?=[^\d\s.．])|[、)）]))\s*")
_ABSTRACT = re.compile(r"^[\s#*]*(?:[【\[［(（]\s*)?(摘\s*要|abstract|summary)\s*([】\]］)）:：]|$)", re.I)  # one way to match blanks: linear
_DOI = re.compile(r"10\.\d{4,9}/[^\s,;，；]+")
_NARRATIVE_WORDS = ("文献", "参考文献", "ref.", "Ref.", "reference", "Reference")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Brackets that hold an interval or coordinates, not citations: what comes just before or after says so.
_MATH_BEFORE = re.compile(r"(?:∈|\\in|[=≤≥×])\s*$")
_WORD_BEFORE = re.compile(r"(?:区间|范围|取值|值域|定义域|interval|range|within|between)\s*(?:为|是|of|in)?\s*$"
                          r"|(?<![A-Za-z])[A-Za-z](?:_\w{1,5})?$", re.I)
_INTERVAL_AFTER = re.compile(r"^\s*(?:内(?!容)|之间|区间|范围|上的|上连续|中取|岁|℃|°|%|‰|[kMGT]?Hz|[nμmck]?m\b|m/s|m²|[mμ]?s\b|min\b|h\b"
                             r"|d\b|天|小时|分钟|周|年龄|kg|mg|g\b|m[lL]|L\b|[mk]?V\b|[mk]?W\b|dB|K\b|px|像素|元)")
_UNIT_BEFORE = re.compile(r"(?:\d|(?<![A-Za-z])(?:[kcmμn]?m|kg|mol|s|Hz|L|K|°))$")


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
    in_math: bool = False
    """Raised as TeX math (``$^{[8]}$``): a converter's rendering, which says nothing about how the author set it."""
    span: tuple[int, int] = (0, 0)
    """(start, end) of the mark in its paragraph, 0-based (``end`` may pass the line's end when a group is broken
    across lines): what ``import`` replaces."""


@dataclass(frozen=True, slots=True)
class ListEntry:
    number: int
    text: str
    location: Location


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the typed reference list is: the text around it (searched for citations) and its entries."""

    text: list[Line]
    entries: list[ListEntry] | None
    """None: no list was found."""
    heading: Line | None = None
    """The list's heading (when there is one, even with no entries after it)."""


def check_document(lines: list[Line], path: Path, min_run: int = 2, style: str | None = None) -> CheckReport:
    """``style`` (``gb7714-2015``/``gb7714-2025``): also check each typed entry's format against that edition."""
    layout = find_list(lines, path)
    entries = layout.entries
    diagnostics: list[Diagnostic] = []
    limit = max((e.number for e in entries), default=0) if entries else None
    citations = list(_citations(layout.text, path, diagnostics, min_run, limit))
    diagnostics += _order(citations, None if entries is None else {e.number for e in entries})
    diagnostics += _bracket_style(citations)
    if entries is None:
        diagnostics += _no_list(lines, path, layout.heading)
        diagnostics += _gaps(citations, path)
    else:
        diagnostics += _against_list(citations, entries)
        if style is not None:
            from mspress.checks.entry_format import check_entries

            diagnostics += check_entries(entries, style)
    table = _table(citations, entries)
    diagnostics.sort(key=lambda x: (x.location.line, x.location.column))
    return CheckReport(tuple(diagnostics), table)


def read_citations(lines: list[Line], path: Path, min_run: int = 2, limit: int | None = None) -> tuple[list[TypedCitation], list[Diagnostic]]:
    """The typed citations of ``lines`` as editor mode reads them (``limit``: the list's highest number, which tells
    coordinates from citations), and what it found wrong with them (invalid ranges…): for ``import``."""
    diagnostics: list[Diagnostic] = []
    return list(_citations(lines, path, diagnostics, min_run, limit)), diagnostics


def is_list_heading(text: str) -> bool:
    """Whether a short paragraph is a reference list's heading (参考文献, References…), as ``find_list`` tells one."""
    return len(text) < 80 and bool(_HEADING.match(text.strip()))


def find_list(lines: list[Line], path: Path) -> Layout:
    """The reference list after its heading (the last one), else a run of ``[1] … [2] …`` lines at the end.

    Each part of a paragraph after a soft line break is a line here. In a Word or HTML file (``path``'s suffix) a line
    is a whole paragraph, so a line without a label never continues an entry.
    """
    paragraphs = path.suffix.lower() in PARAGRAPH_SUFFIXES
    lines = [part for line in lines for soft in line.soft_lines() for part in _heading_apart(soft)]
    heading = next((i for i in range(len(lines) - 1, -1, -1)
                    if not lines[i].in_table and is_list_heading(lines[i].text)), None)
    if heading is not None:
        entries, end = _entries(lines[heading + 1:], path, paragraphs)
        if entries:
            return Layout(lines[:heading] + lines[heading + 1 + end:], entries, lines[heading])
    starts = [i for i, line in enumerate(lines) if not line.in_table and (m := _LABEL.match(line.text)) and m.group("a") == "1"]
    for start in reversed(starts[-MAX_LIST_STARTS:]):  # a list with no heading: the last run that starts at [1]
        entries, end = _entries(lines[start:], path, paragraphs)
        if len(entries) >= 2 and [e.number for e in entries[:2]] == [1, 2]:
            return Layout(lines[:start] + lines[start + end:], entries)
    return Layout(lines, None, None if heading is None else lines[heading])


PARAGRAPH_SUFFIXES = (".docx", ".html", ".htm")
MAX_LIST_STARTS = 20
"""Lines starting ``[1]`` tried as the start of a list without a heading, from the last: each try reads to the end."""
_FIRST_ENTRY = re.compile(r"\s+(?=[\[［〔【]\s*1\s*[\]］〕】])")


def _heading_apart(line: Line) -> list[Line]:
    """A heading and the list's first entry in one paragraph (``参考文献 [1] …``, a converter's doing): two lines."""
    cut = _FIRST_ENTRY.search(line.text, 0, 60) if "1" in line.text[:60] else None
    if cut is None or not _HEADING.match(line.text[:cut.start()].strip()):
        return [line]
    head, rest = line.text[:cut.start()], line.text[cut.end():]
    return [replace(line, text=head, superscripts=(), math=()),
            replace(line, text=rest, superscripts=(), math=(), list_number=None, offset=line.offset + cut.end())]


def _no_list(lines: list[Line], path: Path, heading: Line | None) -> Iterator[Diagnostic]:
    if heading is not None:
        yield Diagnostic("no-reference-list", WARNING, f"the heading {heading.text.strip()!r} has no numbered entries after it "
                         "([1] …, 1. … or Word's numbering): only the order and gaps of the cited numbers were checked",
                         Location(path, heading.number, 1))
        return
    last = next((line for line in reversed(lines) if line.text.strip()), None)
    if last is not None and any(_GROUP.search(line.text) or line.superscripts for line in lines):
        yield Diagnostic("no-reference-list", WARNING, "no reference list found (no heading 参考文献/References and no [1] [2] … list at "
                         "the end): only the order and gaps of the cited numbers were checked; give the list a heading",
                         Location(path, last.number, 1))


def _entries(lines: list[Line], path: Path, paragraphs: bool) -> tuple[list[ListEntry], int]:
    """The list's entries, and how many of ``lines`` the list takes (what follows it is text again).

    An entry starts at a label (``[n]``, ``n.``, ``n、``) or a paragraph in Word's numbering, also after a soft
    line break or in mid-paragraph (``… 2020. [5] …``, and ``… 2017, 10, 1–17. 2. Stroppiana, D. …`` in a list
    labelled ``n.``: the next number); lines in between continue it.
    """
    entries: list[tuple[int, list[str], Location]] = []  # number, text pieces (joined once: no quadratic growth), where
    end = 0
    expected = 1
    dotted: bool | None = None  # the list's labels: n. (True) or [n] (False), from its first entry
    for index, line in enumerate(lines):
        if line.in_table and entries:
            break  # a table after the list (its cells are no entries)
        number, text, dotted_label = _label(line.text, expected, line.list_number)
        if number is None:
            if not line.text.strip():
                continue
            if not entries or not (_soft_continuation(lines, index) or (not paragraphs and _continues(line)) or not _ends_list(lines, index)):
                if entries:
                    break
                continue
            (_, head, _), *typed_on = _split_run_on(entries[-1][0], line.text, 0, bool(dotted))
            entries[-1][1].append(head.strip())
        else:
            dotted = dotted_label if dotted is None else dotted
            typed_on = list(_split_run_on(number, text, len(line.text) - len(text), bool(dotted)))
        for sub_number, sub_text, sub_offset in typed_on:
            entries.append((sub_number, [sub_text.strip()], Location(path, line.number, line.offset + sub_offset + 1)))
            expected = sub_number + 1
        end = index + 1
    return [ListEntry(number, " ".join(p for p in pieces if p), where) for number, pieces, where in entries], end


def _label(text: str, expected: int, list_number: int | None) -> tuple[int | None, str, bool]:
    """The entry's number, its text without the label and whether the label is ``n.``; None when the text does not
    start an entry."""
    m = _LABEL.match(text)
    if m and (m.group("a") or list_number is None):
        number = int(m.group("a") or m.group("b"))
        if 1 <= number <= expected + 20 and not (1500 <= number <= 2100 and expected < 1000):
            return number, text[m.end():], bool(m.group("b"))
    if list_number is not None and text.strip():
        return list_number, text, False
    return None, text, False


def _split_run_on(number: int, text: str, offset: int, dotted: bool) -> Iterator[tuple[int, str, int]]:
    """An entry and those typed on after it in the same paragraph (``[4] … 2020. [5] …``; ``… 1–17. 2. Next, A.``
    where the list is labelled ``n.``), each with the offset of its label (``offset``: where ``text`` starts)."""
    label_start = 0
    while True:
        after = None
        for n in (number + 1, number + 2):  # the next number, or the one after it when an entry is missing
            pattern = rf"(?:(?<=[.。\]］)）])\s*|(?<!\s)\s+)(?P<label>[\[［〔【]\s*{n}\s*[\]］〕】])\s*"  # blanks from their start: linear
            if dotted:  # only after a full stop, and before what starts an entry (a name, an organisation)
                pattern += rf"|(?<=[.。\]］)）])\s+(?P<dot>{n}[.．])\s+(?=[A-Z\u00c0-\u024f\u3400-\u9fff])"
            after = re.search(pattern, text)
            if after is not None:
                break
        if after is None:
            yield number, text, label_start
            return
        yield number, text[:after.start()], label_start
        label_start = offset + after.start("label" if after.group("label") else "dot")
        offset += after.end()
        number, text = n, text[after.end():]


_AFTER_LIST = re.compile(r"^\s*(?:#{1,6}\s|(?:附\s*录|致\s*谢|作者简介|作者贡献|利益冲突|基金项目|收稿日期|appendix|acknowledg"
                         r"|author contributions|conflicts? of interest|funding)(?![a-z]))", re.I)


def _soft_continuation(lines: list[Line], index: int) -> bool:
    """A part after a soft line break (Shift+Enter in Word) continues the entry it follows."""
    return index > 0 and lines[index - 1].number == lines[index].number and not _AFTER_LIST.match(lines[index].text)


def _continues(line: Line) -> bool:
    """In a text file a line without a label continues the entry before it (text extracted from a PDF breaks
    entries over lines, even over blank lines), unless it starts what follows the list (a heading, 附录, 致谢…)."""
    return not line.in_table and line.list_number is None and not _AFTER_LIST.match(line.text)


def _ends_list(lines: list[Line], index: int) -> bool:
    """Text after the list ends it unless another entry of the list follows soon (a stray line inside it)."""
    return not any(_LABEL.match(line.text) or line.list_number is not None for line in lines[index + 1:index + 3])


def _citations(lines: list[Line], path: Path, diagnostics: list[Diagnostic], min_run: int, limit: int | None) -> Iterator[TypedCitation]:
    # Superscript numbers above an abstract's label are affiliation marks (张三¹,²), not citations: above the last
    # label (the English abstract follows the Chinese one's front matter) before the first bracketed citation
    # outside an abstract.
    front = next((i for i, line in enumerate(lines) if _GROUP.search(line.text) and not _ABSTRACT.match(line.text)),
                 len(lines) // 2 + 1)
    labels = [i for i, line in enumerate(lines[:front]) if _ABSTRACT.match(line.text)]
    abstract = labels[-1] if labels else 0
    for index, line in enumerate(lines):
        text = _joined(lines, index).translate(_FULL_WIDTH_DIGITS)
        lead = len(text) - len(text.lstrip())
        found = []
        for m in _GROUP.finditer(text):
            if m.start() >= len(line.text):
                break  # the next line's part of a group broken across lines
            body = m.group("body") or f"{m.group('first')}-{m.group('last')}"
            found.append((m.start(), m.end(), body, text[m.start()] != "["))
        taken = [(a, b) for a, b, _, _ in found]
        for a, b in line.superscripts if index >= abstract else ():
            bare = _BARE.match(_DECORATION.sub("", text[a:b]))
            if bare and not _overlaps(taken, a, b) and not _UNIT_BEFORE.search(text[max(0, a - 8):a]):
                found.append((a, b, bare.group("body"), any(c in text[a:b] for c in "［〔【")))
        for start, end, body, full in _adjacent_merged(sorted(found), text):
            superscript = line.in_superscript(start, min(end, len(line.text)))
            if not superscript and (line.in_math(start, end) or _interval(text, start, end, body, limit) or _list_label(text, start, end, lead)):
                continue
            where = Location(path, line.number, line.offset + start + 1)
            numbers = _expand(body, text[start:end], where, diagnostics, min_run)
            if numbers is None:
                continue
            before = text[max(0, start - 40):start].rstrip()  # the words just before, not a copy of the line
            yield TypedCitation(tuple(numbers), " ".join(text[start:end].split()), where, full, superscript, before.endswith(_NARRATIVE_WORDS),
                                line.in_math(start, min(end, len(line.text))), (line.offset + start, line.offset + end))


def _adjacent_merged(found: list[tuple[int, int, str, bool]], text: str) -> list[tuple[int, int, str, bool]]:
    """``[3][4]`` typed as one mark: one citation of 3 and 4 (which GB/T 7714 writes [3-4])."""
    merged: list[tuple[int, int, str, bool]] = []
    for start, end, body, full in found:
        if merged and text[merged[-1][1]:start].strip() == "" and merged[-1][1] <= start:
            a, _, previous, wide = merged[-1]
            merged[-1] = (a, end, f"{previous},{body}", wide or full)
        else:
            merged.append((start, end, body, full))
    return merged


def _list_label(text: str, start: int, end: int, lead: int) -> bool:
    """``[1]<tab>text`` at the start of a line (after ``lead`` blanks) labels an item of a list in the text, not a
    citation."""
    return start == lead and bool(re.match(r"\s+\S", text[end:end + 3]))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a span of the sorted, disjoint ``spans`` overlaps ``start``–``end`` (by bisection)."""
    import bisect

    at = bisect.bisect_right(spans, (start, start))
    return any(a < end and start < b for a, b in spans[max(0, at - 1):at + 1])


def _joined(lines: list[Line], index: int) -> str:
    """The line, and when it ends inside a citation group (``[1,`` … ``2]``), the next line's first characters."""
    text = lines[index].text
    if index + 1 < len(lines) and _OPEN_GROUP.search(text[-120:]):
        rest = _CLOSE_GROUP.match(lines[index + 1].text)
        if rest:
            return text + " " + rest.group(0)
    return text


_OPEN_GROUP = re.compile(rf"[\[［〔【]\s*\d[{_DASHES}\d\s,，、;；\\]{{0,80}}$")
_CLOSE_GROUP = re.compile(rf"^[{_DASHES}\d\s,，、;；\\]{{0,80}}[\]］〕】]")


def _interval(text: str, start: int, end: int, body: str, limit: int | None) -> bool:
    """Brackets that hold an interval or coordinates (``x∈[0,1]``, ``[400,1400]``, ``[20,30]岁``), not citations."""
    before = text[max(0, start - 12):start]
    if _MATH_BEFORE.search(before):
        return True
    if body.isdigit():
        return False  # one number: an interval only after ∈ or =
    numbers = [int(n) for n in re.findall(r"\d+", body)]
    after = text[end:end + 8]
    if len(numbers) >= 2 and (_WORD_BEFORE.search(before) or _INTERVAL_AFTER.match(after) or 0 in numbers):
        return True
    if len(numbers) == 2 and not re.search(_DASH, body):  # [400,1400]: coordinates beyond any list
        return (all(n > limit for n in numbers) or max(numbers) > 2 * limit + 10) if limit else max(numbers) > 999
    return False


def _expand(body: str, raw: str, where: Location, diagnostics: list[Diagnostic], min_run: int) -> list[int] | None:
    if body.isdigit() and int(body) != 0 and not (len(body) == 4 and 1500 <= int(body) <= 2100):
        return [int(body)]  # the common case, one number: nothing to compress or check
    items = [i.strip() for i in re.split(r"[,，、;；]", body) if i.strip()]
    if len(items) == 1 and items[0].isdigit() and len(items[0]) == 4 and 1500 <= int(items[0]) <= 2100:
        return None  # a year in brackets, not a citation
    numbers: list[int] = []
    singles: list[int] = []
    for item in items:
        parts = [p.strip() for p in re.split(_DASH, item)]
        if len(parts) == 2:
            first, last = int(parts[0]), int(parts[1])
            if abs(last - first) > MAX_RANGE:
                diagnostics.append(Diagnostic("invalid-range", ERROR, f"invalid range {raw}: it spans more than {MAX_RANGE} references", where))
                return None
            if min(first, last) == 0 or last <= first:
                fix = "numbers start at 1" if min(first, last) == 0 else (f"write [{last}-{first}]" if last < first else f"write [{first}]")
                diagnostics.append(Diagnostic("invalid-range", ERROR, f"invalid range {raw}: {fix}", where))
                if min(first, last) == 0:
                    return None
            # A reversed range still cites its numbers: reporting them as uncited too would bury the one mistake.
            numbers.extend(range(min(first, last), max(first, last) + 1))
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


def _order(citations: list[TypedCitation], listed: set[int] | None) -> Iterator[Diagnostic]:
    # A smaller number that is never cited is a gap or an uncited entry, a number not in the list an undefined
    # citation: those rules report them, not this one.
    cited = {n for c in citations for n in c.numbers if listed is None or n in listed}
    highest = 0
    seen: set[int] = set()
    for citation in citations:
        for n in sorted(set(citation.numbers) - seen):
            if listed is not None and n not in listed:
                continue
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
    placed = [c for c in citations if not c.narrative and not c.in_math]
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


def _against_list(citations: list[TypedCitation], entries: list[ListEntry]) -> Iterator[Diagnostic]:
    numbers = {e.number for e in entries}
    seen: dict[int, ListEntry] = {}
    for entry in entries:
        if entry.number in seen:
            yield Diagnostic("duplicate-key", ERROR, f"reference [{entry.number}] appears twice in the list (also at line {seen[entry.number].location.line})", entry.location)
        seen.setdefault(entry.number, entry)
    for citation in citations:
        missing = sorted({n for n in citation.numbers if n not in numbers})
        if missing:
            what = f"[{missing[0]}] is cited but the reference list has no entry [{missing[0]}]" if len(missing) == 1 else \
                f"[{_compressed(missing)}] are cited but the reference list has no entries for them"
            yield Diagnostic("undefined-citation", ERROR, what, citation.location)
    cited = {n for c in citations for n in c.numbers}
    for entry in entries:
        if entry.number not in cited:
            yield Diagnostic("uncited-reference", ERROR, f"reference [{entry.number}] is never cited: cite it or remove it", entry.location)
    yield from _duplicate_entries(entries)


def _duplicate_entries(entries: list[ListEntry]) -> Iterator[Diagnostic]:
    """Two numbers for one work: the same DOI, or the same first author, year and title — a title told apart
    only by a slip (a word typed twice, an OCR letter) counts as the same."""
    seen: dict[str, ListEntry] = {}
    works: dict[tuple[str, str], list[tuple[str, ListEntry]]] = {}
    for entry in entries:
        dois, work = _identities(entry.text)
        first = next((seen[d] for d in dois if d in seen and seen[d].number != entry.number), None)
        if first is None and work is not None:
            author, year, title = work
            first = next((other for known, other in works.get((author, year), [])
                          if other.number != entry.number and _same_title(known, title)), None)
            works.setdefault((author, year), []).append((title, entry))
        for doi in dois:
            seen.setdefault(doi, entry)
        if first is not None:
            yield Diagnostic("duplicate-reference", WARNING, f"references [{first.number}] and [{entry.number}] are the same work: cite one number", entry.location)


_TYPE_CODE = re.compile(r"[\[［]\s*[A-Z]{1,2}(?:\s*/\s*[A-Z]{2})?\s*[\]］]")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def _identities(text: str) -> tuple[list[str], tuple[str, str, str] | None]:
    """The entry's DOIs, and (first author, year, title) read from the text before and after its type code."""
    dois = [f"doi:{m.group(0).lower().rstrip('.')}" for m in _DOI.finditer(text)]
    code = _TYPE_CODE.search(text)
    if code is None:
        return dois, None
    title = normalise(re.split(r"[.．。]\s*", text[:code.start()].rstrip())[-1])
    year = _YEAR.search(text, code.end()) or _YEAR.search(text)
    author = normalise(re.split(r"[,，、\s.．]", text.strip(), maxsplit=1)[0])
    if len(title) < 6 or year is None:
        return dois, None
    return dois, (author, year.group(0), title)


def _same_title(a: str, b: str) -> bool:
    import difflib

    return a == b or (abs(len(a) - len(b)) < 0.2 * max(len(a), len(b)) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9)


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
