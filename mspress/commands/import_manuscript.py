"""``mspress import FILE.docx|FILE.md --to DIR``: an existing manuscript brought in as a new project.

Stages: the file read twice — by editor mode (``sources.editor_files``: its typed reference list, found by
``checks.editor.find_list``) and by pandoc (``sources.foreign_ast``: the AST, tidied) —; the front matter guessed
(``sources.foreign_front``); the reference list parsed into BibTeX (``sources.typed_references``) and removed from
the body; typed citations read as editor mode reads them (``checks.editor.read_citations``) and made ``[@key]``;
the body split into sections at level-1 headings; every file written at the end, all inside DIR. Each guess is
reported as ``PATH:LINE:1: warning: … [import-guess]``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mspress.commands.new import check_new_folder, journal_name, scaffold_file, write_new_project
from mspress.errors import Diagnostic, ExitCode, InputUnreadable, Location, ManuscriptError, SetupError, Severity
from mspress.model import Reference
from mspress.sources import foreign_ast as fa
from mspress.sources.foreign_ast import Node
from mspress.sources.foreign_front import FrontMatter

SUFFIXES = (".docx", ".md", ".markdown")
GUESS = "import-guess"


@dataclass(frozen=True, slots=True)
class Guess:
    where: Location
    message: str

    def __str__(self) -> str:
        return str(Diagnostic(GUESS, Severity.WARNING, self.message, self.where))


@dataclass(frozen=True, slots=True)
class TypedEntry:
    """One entry of the typed reference list, read."""

    number: int
    reference: Reference
    complete: bool
    """Read whole (nothing left over, confident)."""
    unparsed: tuple[str, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    """``01-methods.md``."""
    blocks: list[Node]


@dataclass(slots=True)
class Imported:
    """Everything the new project holds, before anything is written."""

    files: dict[str, bytes] = field(default_factory=dict)
    """Path inside DIR → content."""
    guesses: list[Guess] = field(default_factory=list)
    sections: int = 0
    figures: int = 0
    references: int = 0
    citations: int = 0


def import_manuscript(source: Path, target: Path, journal: str | None, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    try:
        name = journal_name(journal)
        check_new_folder(target)
        imported = build_import(source, target, name)
        write_new_project(target, {Path(name): data for name, data in imported.files.items()})
    except ManuscriptError as exc:
        err(str(exc))
        return exc.exit_code
    for guess in imported.guesses:
        err(str(guess))
    out(f"imported {source} into {target}: {imported.sections} sections, {imported.figures} figures, {imported.references} references, "
        f"{imported.citations} citations; {len(imported.guesses)} guesses to review")
    return ExitCode.DONE


# --- the whole import -------------------------------------------------------------------------------------------


def build_import(source: Path, target: Path, journal: str) -> Imported:
    """The new project's files and the report, from ``source``; nothing is written."""
    from mspress.checks.editor import find_list
    from mspress.sources.editor_files import MAX_EDITOR_BYTES, read_document
    from mspress.sources.files import read_regular

    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputUnreadable(Location(source), f"cannot import {suffix or 'this'} files as a manuscript: give a .docx or .md file")
    lines = read_document(source, source)  # bounded, zip bombs refused: before pandoc ever sees the file
    try:
        data = read_regular(source, source, MAX_EDITOR_BYTES)
    except ManuscriptError as exc:
        raise InputUnreadable(exc.location, exc.diagnostic.message) from None
    result = Imported()
    manuscript = target / "manuscript"

    def guess(message: str, where: Location | None = None) -> None:
        result.guesses.append(Guess(where or Location(source), message))

    layout = find_list(lines, source)
    entries = read_entries(layout.entries or [], source, guess)
    if not entries:
        guess("no typed reference list found (no heading 参考文献/References followed by [1] … entries): references/library.bib is "
              "empty and typed citations were left as they are")
    ast = fa.read_ast(data, ".docx" if suffix == ".docx" else ".md", source)
    tidied = fa.Tidied(ast.get("blocks", []), ast.get("meta", {}), ast.get("pandoc-api-version", [1, 23]))
    if suffix != ".docx":
        tidied.blocks = fa.html_to_structure(tidied.blocks, tidied.api, Location(source), tidied.guesses)
        fa.map_all_inlines(tidied.blocks, fa.cite_as_text)  # "@author:" in a foreign file is no citation of ours
    fa.merge_code(tidied.blocks)  # Word's runs of one code span made one again
    for tex, why in fa.unreadable_formulas(tidied.blocks, tidied.api, Location(source)):
        guess(f"the formula ${tex[:60]}$ is not LaTeX pandoc reads ({why or 'unreadable'}): kept as code text; write it as "
              "LaTeX math (see the README, Math)")
    shown = fa.internal_links(tidied.blocks)
    try:
        media = fa.MediaSource.of(data, suffix, source)
    except Exception as exc:  # noqa: BLE001 — read_document opened it already; a second failure is the file's
        raise InputUnreadable(Location(source), f"not a readable .docx file ({exc})") from None
    fa.figures(tidied, media)
    if suffix == ".docx":
        for address in fa.external_images(data):
            guess(f"an image linked from outside the Word file ({address}) was left out: insert the image itself as a figure")
    if suffix == ".docx" and fa.promote_headings(tidied, fa.centred_paragraphs(data)):
        guess("the Word file has no heading styles: short bold, centred or numbered paragraphs were taken as headings "
              "(check the # lines of the sections)")
    from mspress.sources import foreign_front

    front, tidied.blocks = foreign_front.extract(tidied.blocks, tidied.meta)
    _shift_levels(tidied, guess)  # after the title's heading left: `# 题名` over `## 1 引言` makes 引言 level 1
    if suffix == ".docx":
        head = fa.running_head(data)
        if head:
            guess(f"the Word file's running head ({head[:80]!r}) was not read: if it names the journal, fill in journal "
                  "(name, year, volume, issue, pages) in manuscript/metadata.yaml")
    changed, removed, marked = fa.tidy_headings(tidied)
    if changed:
        guess(f"{changed} heading levels set from their typed numbers (1.1 is a level-2 heading)")
    if removed:
        guess(f"typed section numbers removed from {removed} headings: the journal numbers headings itself")
    if marked:
        guess(f"{marked} unnumbered headings among numbered ones marked {{-}} (left unnumbered)")
    known = _label_crossrefs(tidied, shown)
    if shown:
        made = fa.resolve_crossrefs(tidied.blocks, known)
        if made < sum(1 for _ in shown):
            guess("some cross references could not be tied to their figure, table or heading: they were left as text")
    for message in tidied.guesses:
        guess(message)

    body = remove_list(tidied.blocks, layout.entries or [], layout.heading is not None, guess)
    made, left = fa.typed_mentions(tidied, body)
    if made:
        guess(f"{made} typed mentions of figures and tables (图1, 表1) made cross references @fig:…/@tbl:… "
              f"(printed 图N/表N in the journal's numbering){f'; {left} naming no figure or captioned table of that number left as typed' if left else ''}: "
              "check them")
    elif left:
        guess(f"{left} typed mentions of figures and tables (图1, 表1) name no figure or captioned table of that number: "
              "left as typed")
    by_number = {e.number: e.reference.key for e in entries}
    limit = max(by_number, default=None)
    sections = split_sections(body)
    # An empty abstract stops the build: a placeholder, reported, to be replaced.
    abstract_zh = front.abstract_zh or [fa.para(fa.words("待补充：中文摘要。"))]
    abstract_en = front.abstract_en or [fa.para(fa.words("To be completed: the English abstract."))]
    parts: list[tuple[str, list[Node]]] = [("abstract.zh.md", abstract_zh), ("abstract.en.md", abstract_en)]
    parts += [(s.name, s.blocks) for s in sections]
    counted = convert_citations([blocks for _, blocks in parts], by_number, limit, tidied.api, source, guess)
    result.citations = counted
    for name, blocks in parts:
        text = fa.write_markdown(blocks, tidied.api, Location(manuscript / name)) if blocks else ""
        result.files[f"manuscript/{name}"] = _finish(text).encode("utf-8")
    result.sections = len(sections)
    for figure in tidied.figures:
        result.files[f"manuscript/{figure.name}"] = figure.data
    result.figures = len(tidied.figures)
    result.files["manuscript/metadata.yaml"] = metadata_yaml(front, manuscript / "metadata.yaml", source, result.guesses).encode("utf-8")
    result.files["references/library.bib"] = library(entries).encode("utf-8")
    result.references = len(entries)
    result.files["pyproject.toml"] = scaffold_file("pyproject.toml", journal)
    _report_parts(front, manuscript, result, source)
    _locate(result, target)
    return result


def _shift_levels(tidied: fa.Tidied, guess: Callable[[str], None]) -> None:
    """The body's top heading level made level 1 (a Word file that starts at Heading 2, a Markdown file whose only
    ``#`` heading was the title): sections split there. The reference list's heading does not count."""
    from mspress.checks.editor import is_list_heading

    headers = [b for b in tidied.blocks if b.get("t") == "Header"]
    top = min((h["c"][0] for h in headers if not is_list_heading(fa.block_text(h).strip())), default=1)
    if top > 1:
        for block in headers:
            block["c"][0] = max(1, block["c"][0] - (top - 1))
        guess(f"the body's headings start at level {top}: moved up to start at level 1")


def _label_crossrefs(tidied: fa.Tidied, shown: dict[str, str]) -> set[str]:
    """The labels of cross references the document linked (``#fig:x`` showing ``图1``) given to the figure, table or
    heading with that number; returns the labels given."""
    given: set[str] = set()
    figures = [b for b in fa.walk_blocks(tidied.blocks) if b.get("t") in ("Figure", "Table")]
    counters = {"Figure": 0, "Table": 0}
    by_number: dict[tuple[str, str], Node] = {}
    for block in figures:
        counters[block["t"]] += 1
        number = tidied.caption_numbers.get(id(block), str(counters[block["t"]]))
        by_number.setdefault(("fig" if block["t"] == "Figure" else "tbl", number), block)
    headers = {tidied.heading_numbers[id(b)]: b for b in tidied.blocks if b.get("t") == "Header" and id(b) in tidied.heading_numbers}
    for label, number in shown.items():
        kind = label.split(":", 1)[0]
        node = headers.get(number) if kind == "sec" else by_number.get((kind, number))
        if node is None:
            continue
        if node["t"] == "Header":
            node["c"][1][0] = label
        else:
            node["c"][0][0] = label
        given.add(label)
    return given


# --- the reference list -------------------------------------------------------------------------------------------


def read_entries(listed: list[Any], source: Path, guess: Callable[[str, Location | None], None]) -> list[TypedEntry]:
    """The typed entries as references, keyed ``wang2020yiyu``; each entry not read whole reported."""
    from dataclasses import replace

    from mspress.commands.refs import LOW_CONFIDENCE, typed_key
    from mspress.sources.typed_references import parse_entries
    from mspress.styles.gbt7714.fields import missing_fields

    seen: set[int] = set()
    unique = []
    for entry in listed:
        if entry.number in seen:
            guess(f"reference [{entry.number}] appears twice in the list: the first is kept", entry.location)
            continue
        seen.add(entry.number)
        unique.append(entry)
    parsed = parse_entries((e.text, f"entry{e.number}", e.location) for e in unique)
    taken: set[str] = set()
    entries = []
    for entry, read in zip(unique, parsed, strict=True):
        key = typed_key(read.reference, taken)
        complete = not read.unparsed and read.confidence >= LOW_CONFIDENCE
        if not complete:
            pieces = "; ".join(f"“{' '.join(p.split())[:60]}”" for p in read.unparsed[:3])
            guess(f"reference [{entry.number}] ({key}) not read whole (confidence {read.confidence:.2f}"
                  f"{'; not read: ' + pieces if pieces else ''}): check its entry in references/library.bib", entry.location)
        reference = replace(read.reference, key=key)
        missing = missing_fields(reference.entry_type, reference.fields, reference.names)
        if missing:
            # The build refuses an entry without what GB/T 7714 requires of its type: as "other" ([Z]) it builds, and the
            # author adds what is missing.
            fields = dict(reference.fields)
            fields.setdefault("title", " ".join(entry.text.split()))
            guess(f"reference [{entry.number}] ({key}) lacks {', '.join(missing)}, which GB/T 7714 requires of @{reference.entry_type}: "
                  f"written as @misc ([Z]) so that the project builds; add {' and '.join(missing)} and make it "
                  f"@{reference.entry_type} again", entry.location)
            reference = replace(reference, entry_type="misc", fields=fields)
            complete = False
        entries.append(TypedEntry(entry.number, reference, complete, read.unparsed, read.confidence))
    return entries


def library(entries: list[TypedEntry]) -> str:
    from mspress.writers.bibtex import write_entry

    head = "% The typed reference list of the imported manuscript, read by mspress import: check the entries it reported.\n"
    return head + "".join(f"\n% [{e.number}]\n{write_entry(e.reference)}\n" for e in entries)


_ALNUM = re.compile(r"[\W_]+")
_LIST_WORDS = re.compile(r"^\s*[#*]*\s*[【\[［(（]?\s*(?:主要)?(?:参\s*考\s*文\s*献|引\s*用\s*文\s*献|参考资料|references?|bibliography|引用)"
                         r"\s*[】\]］)）]?(?:\s*[(（]?\s*(?:references?|参考文献)\s*[)）]?)?\s*[:：]?\s*", re.I)
_ENTRY_LABEL = re.compile(r"^\s*(?:[\[［〔【(（]\s*\d{1,4}\s*[\]］〕】)）]\.?|\d{1,4}\s*[.．、])\s*")


def _alnum(text: str) -> str:
    return _ALNUM.sub("", text).lower()


def remove_list(blocks: list[Node], listed: list[Any], has_heading: bool, guess: Callable[[str], None]) -> list[Node]:
    """The body without its reference list: the run of paragraphs (or list items) whose text is the entries', and
    the heading before it."""
    from mspress.checks.editor import is_list_heading

    if not listed:
        return blocks
    with_labels = "".join(f"{e.number}{_alnum(e.text)}" for e in listed)
    without = "".join(_alnum(e.text) for e in listed)

    def piece_in(text: str) -> bool:
        text = _LIST_WORDS.sub("", text, count=1) if _LIST_WORDS.match(text) else text
        plain = _alnum(_ENTRY_LABEL.sub("", text, count=1))
        whole = _alnum(text)
        if not plain:
            return True
        return (len(plain) >= 4 or len(listed) == 1) and (plain in without or whole in with_labels)

    def list_like(block: Node) -> bool:
        kind = block.get("t")
        if kind in ("Para", "Plain", "Header"):
            text = fa.block_text(block).strip()
            if not text:
                return True
            if is_list_heading(text):
                return True
            whole = _alnum(text)
            return whole in with_labels or whole in without or all(piece_in(line) for line in text.split("\n") if line.strip())
        if kind in ("OrderedList", "BulletList"):
            items = block["c"][1] if kind == "OrderedList" else block["c"]
            return all(piece_in(" ".join(fa.block_text(b) for b in item)) for item in items)
        if kind == "Div":
            return all(list_like(b) for b in block["c"][1])
        return False

    last = _alnum(listed[-1].text)[:24]
    anchor = next((i for i in range(len(blocks) - 1, -1, -1) if last and last in _alnum(_all_text(blocks[i]))), None)
    if anchor is None or not list_like(blocks[anchor]):
        guess("the reference list was read, but its paragraphs could not be found in the converted text: remove them from the "
              "last section by hand")
        return blocks
    start = anchor
    while start > 0 and list_like(blocks[start - 1]):
        start -= 1
    stop = anchor + 1
    while stop < len(blocks) and list_like(blocks[stop]) and not is_list_heading(fa.block_text(blocks[stop]).strip()):
        stop += 1
    return blocks[:start] + blocks[stop:]


def _all_text(block: Node) -> str:
    return " ".join(fa.block_text(b) for b in fa.walk_blocks([block]))


# --- citations ---------------------------------------------------------------------------------------------------

_SUPERSCRIPT = re.compile(r"\^(?:\\.|[^\^\s\\]){1,300}\^")
_LOCATOR = re.compile(r"^\s*(\d{1,5}(?:\s*[-–]\s*\d{1,5})?)\s*$")


@dataclass(slots=True)
class _Unit:
    """One inline list of the document (a paragraph, a heading, a caption, a cell's paragraph) being converted."""

    inlines: list[Node]
    notes: list[Node]
    """The Notes taken out of it (each stands in its text as a token until the unit is read back)."""
    text: str = ""
    changed: bool = False


def convert_citations(parts: list[list[Node]], by_number: dict[int, str], limit: int | None, api: list[int], source: Path,
                      guess: Callable[[str, Location | None], None]) -> int:
    """Typed citations in every part made ``[@key; …]`` in place; returns how many were. The text is written as
    Markdown unit by unit, read by editor mode's citation reader, changed, and read back by pandoc (tables keep their
    layout: they are written only once, at the end)."""
    import os

    from mspress.checks.editor import read_citations
    from mspress.sources.editor_files import Line, hide_markdown_code, math_spans

    token = f"MSPRESSIMPORT{os.urandom(6).hex().upper()}"
    units = list(_units(parts, token))
    if not units or not by_number:
        return 0
    marker = f"{token}UNIT"
    document: list[Node] = []
    for n, unit in enumerate(units):
        document += [fa.para([{"t": "Str", "c": f"{marker}{n}"}]), fa.para(unit.inlines)]
    written = fa.write_markdown(document, api, Location(source))
    pieces = re.split(rf"^{marker}(\d+)$", written, flags=re.M)
    for index, text in zip(pieces[1::2], pieces[2::2], strict=False):
        units[int(index)].text = text.strip("\n")
    lines: list[Line] = []
    places: list[tuple[int, int]] = []  # line → (unit, line in unit)
    for u, unit in enumerate(units):
        for k, raw in enumerate(unit.text.split("\n")):
            masked = hide_markdown_code(raw)
            view = masked.replace("\\[", "[ ").replace("\\]", " ]")
            sups = tuple(m.span() for m in _SUPERSCRIPT.finditer(masked))
            lines.append(Line(len(lines) + 1, view, sups, math_spans(view)))
            places.append((u, k))
    found, problems = read_citations(lines, source, 2, limit)
    for problem in problems:
        if problem.severity is Severity.ERROR:  # an invalid range: read as no citation
            guess(f"{problem.message} (left as typed)", None)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    count = 0
    for citation in found:
        line = lines[citation.location.line - 1]
        start, end = citation.span
        shown = "".join(line.text[start:end].replace("^", "").split())  # as typed, without pandoc's escapes
        if end > len(line.text):
            guess(f"citation {shown} is broken across lines: left as typed", None)
            continue
        missing = [n for n in citation.numbers if n not in by_number]
        if missing:
            guess(f"citation {shown} cites {', '.join(map(str, missing))}, which the reference list does not have: left as typed", None)
            continue
        keys = list(dict.fromkeys(by_number[n] for n in citation.numbers))
        start, end, locator = _widen(line, start, end)
        if citation.narrative and not citation.superscript and len(keys) == 1:
            replacement = f"@{keys[0]}"
        elif locator and len(keys) == 1:
            replacement = f"[@{keys[0]}, p. {locator}]"
        else:
            replacement = "[" + "; ".join(f"@{k}" for k in keys) + "]"
        edits.setdefault(citation.location.line - 1, []).append((start, end, replacement))
        count += 1
    raw_lines = [text for unit in units for text in unit.text.split("\n")]
    for index, changes in edits.items():
        text = raw_lines[index]
        for start, end, replacement in sorted(changes, reverse=True):
            text = text[:start] + replacement + text[end:]
        raw_lines[index] = text
        units[places[index][0]].changed = True
    position = 0
    for unit in units:
        size = len(unit.text.split("\n"))
        unit.text = "\n".join(raw_lines[position:position + size])
        position += size
    known = set(by_number.values()) | _labels(parts)
    _read_back([u for u in units if u.changed], token, source, known)
    for unit in units:
        _restore_notes(unit, token)
    return count


def _widen(line: Any, start: int, end: int) -> tuple[int, int, str | None]:
    """The span replaced: the whole ``^…^`` superscript when it holds only the mark (and, after a bracket, a cited
    page: the locator)."""
    for a, b in line.superscripts:
        if a <= start and end <= b:
            before, after = line.text[a:start], line.text[end:b]
            if before.strip("^ \\") == "" and after.strip("^ \\") == "":
                return a, b, None
            locator = _LOCATOR.match(after.rstrip("^").replace("\\ ", " "))
            if before.strip("^ \\") == "" and locator:
                return a, b, locator.group(1).replace(" ", "")
    return start, end, None


def _units(parts: list[list[Node]], token: str) -> Iterator[_Unit]:
    """Every inline list of the parts, nested and in notes too; Notes replaced by tokens (their blocks are units of
    their own)."""
    for blocks in parts:
        for block in fa.walk_blocks(blocks):
            for inlines in list(fa.inline_lists(block)):
                notes: list[Node] = []

                def take(node: Node, notes: list[Node] = notes) -> list[Node] | None:
                    if node.get("t") != "Note":
                        return None
                    notes.append(node)
                    return [{"t": "Str", "c": f"{token}NOTE{len(notes) - 1}X"}]

                inlines[:] = fa.map_inlines(inlines, take)
                yield _Unit(inlines, notes)
                # The notes left the text above, so the walk no longer sees them: their paragraphs are units too.
                yield from _units([note["c"] for note in notes], token)


def _labels(parts: list[list[Node]]) -> set[str]:
    from mspress.citations.keys import is_crossref

    found = set()
    for block in fa.walk_blocks([b for blocks in parts for b in blocks]):
        kind = block.get("t")
        attr = block["c"][0] if kind in ("Figure", "Table") else block["c"][1] if kind == "Header" else None
        if attr is not None and is_crossref(str(attr[0])):
            found.add(str(attr[0]))
    return found


def _cite_known(known: set[str]) -> Callable[[Node], list[Node] | None]:
    """A Str's ``@key`` (``文献@key指出``: pandoc reads no citation after a letter) made a citation node when the key
    is one the conversion wrote or a label of the document; any other ``@`` stays text (written ``\\@``)."""
    from mspress.citations.keys import KEY, split_known

    at_key = re.compile(f"@({KEY})")

    def change(node: Node) -> list[Node] | None:
        if node.get("t") != "Str" or "@" not in str(node["c"]):
            return None
        text = str(node["c"])
        out: list[Node] = []
        at = 0
        for m in at_key.finditer(text):
            key, _ = split_known(m.group(1), known)
            if key not in known or m.start() < at:
                continue
            if text[at:m.start()]:
                out.append({"t": "Str", "c": text[at:m.start()]})
            out.append(fa.crossref(key))
            at = m.start() + 1 + len(key)
        if not out:
            return None
        return out + ([{"t": "Str", "c": text[at:]}] if text[at:] else [])

    return change


def _read_back(units: list[_Unit], token: str, source: Path, known: set[str]) -> None:
    if not units:
        return
    marker = f"{token}BACK"
    text = "\n\n".join(f"{marker}{n}\n\n{unit.text}" for n, unit in enumerate(units))
    blocks = fa.read_markdown(text, Location(source))
    current: int | None = None
    collected: dict[int, list[Node]] = {}
    for block in blocks:
        value = fa.block_text(block).strip()
        if block.get("t") == "Para" and value.startswith(marker) and value[len(marker):].isdigit():
            current = int(value[len(marker):])
            collected[current] = []
        elif current is not None:
            collected[current].append(block)
    for n, unit in enumerate(units):
        read = collected.get(n, [])
        if len(read) == 1 and read[0].get("t") in ("Para", "Plain"):
            unit.inlines[:] = fa.map_inlines(read[0]["c"], _cite_known(known))


def _restore_notes(unit: _Unit, token: str) -> None:
    if not unit.notes:
        return
    pattern = re.compile(rf"{token}NOTE(\d+)X")

    def change(node: Node) -> list[Node] | None:
        if node.get("t") != "Str" or token not in str(node["c"]):
            return None
        out: list[Node] = []
        for i, piece in enumerate(pattern.split(str(node["c"]))):
            if i % 2:
                out.append(unit.notes[int(piece)])
            elif piece:
                out.append({"t": "Str", "c": piece})
        return out

    unit.inlines[:] = fa.map_inlines(unit.inlines, change)


# --- sections ----------------------------------------------------------------------------------------------------

_SLUGS = (("引言|前言|绪论|概述|背景|introduction|background", "introduction"),
          ("资料与方法|材料与方法|对象与方法|方法|methods?|materials", "methods"),
          ("结果与讨论|results and discussion", "results-discussion"),
          ("结果|results?", "results"), ("讨论|discussion", "discussion"),
          ("结论|结语|小结|总结|展望|conclusions?|summary", "conclusion"),
          ("致谢|acknowledge?ments?", "acknowledgements"), ("附录|appendix", "appendix"),
          ("相关工作|研究现状|related work", "related-work"), ("实验|experiments?", "experiments"))


def slug(heading: str) -> str:
    """An ASCII name for a section file: a known heading's English word, else pinyin or the heading's words."""
    text = heading.strip()
    for pattern, name in _SLUGS:
        if re.search(pattern, text[:20], re.I):
            return name
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if han:
        from mspress.styles.gbt7714.pinyin import pinyin_key

        syllables = re.sub(r"\d", "", pinyin_key("".join(han[:4]))).split()
        return "-".join(syllables)[:30] or "section"
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    found = re.findall(r"[a-z0-9]+", folded)[:4]
    return "-".join(found)[:30] or "section"


def split_sections(blocks: list[Node]) -> list[Section]:
    """The body split before each level-1 heading: ``00-introduction.md`` (text before the first heading), ``01-…``."""
    groups: list[list[Node]] = []
    for block in blocks:
        if block.get("t") == "Header" and block["c"][0] == 1 or not groups:
            groups.append([])
        groups[-1].append(block)
    groups = [g for g in groups if any(fa.block_text(b).strip() or b.get("t") not in ("Para", "Plain") for b in g)]
    sections = []
    for n, group in enumerate(groups):
        head = group[0]
        name = slug(fa.block_text(head)) if head.get("t") == "Header" else "introduction"
        sections.append(Section(f"{n:02d}-{name}.md", group))
    return sections


def _finish(text: str) -> str:
    text = text.strip("\n")
    return text + "\n" if text else ""


# --- metadata and settings ----------------------------------------------------------------------------------------


def metadata_yaml(front: FrontMatter, path: Path, source: Path, guesses: list[Guess]) -> str:
    """metadata.yaml from the front matter found, with a placeholder (reported) for each required value not found."""
    import yaml

    todo: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    title = {"zh": front.title_zh or "待补充：中文题名", "en": front.title_en or "To be completed: English title"}
    if not front.title_zh:
        todo.append(("title", "no Chinese title found: fill in title.zh"))
    if not front.title_en:
        todo.append(("title", "no English title found: fill in title.en"))
    data["title"] = title
    ids: dict[str, str] = {}
    affiliations = []
    for n, (mark, zh, en) in enumerate(front.affiliations):
        ident = chr(ord("a") + n) if n < 26 else f"a{n}"
        ids[mark] = ident
        entry: dict[str, Any] = {"id": ident}
        if zh:
            entry["zh"] = zh
        if en:
            entry["en"] = en
        affiliations.append(entry)
    authors = []
    unmatched = False
    for author in front.authors:
        name = {k: v for k, v in (("zh", author.zh), ("en", author.en)) if v}
        item: dict[str, Any] = {"name": name}
        marks = [ids[m] for m in author.marks if m in ids]
        if not marks and len(affiliations) == 1:
            marks = [affiliations[0]["id"]]
        elif author.marks and not marks:
            unmatched = True
        if marks:
            item["affiliations"] = list(dict.fromkeys(marks))
        if author.corresponding:
            item["corresponding"] = True
        authors.append(item)
    if front.fields.get("corresponding") and authors:
        _corresponding(front.fields["corresponding"], authors, todo)
    if not authors:
        authors = [{"name": {"zh": "待补充"}}]
        todo.append(("authors", "no author line found: fill in authors (name.zh/name.en, affiliations)"))
    if not affiliations:
        todo.append(("affiliations", "affiliations not found: add them under affiliations (id, zh, en) and name their ids in each author's affiliations"))
    if unmatched:
        todo.append(("affiliations", "some authors' affiliation marks match no affiliation: check each author's affiliations"))
    data["authors"] = authors
    if affiliations:
        data["affiliations"] = affiliations
    keywords = {k: v for k, v in (("zh", front.keywords_zh), ("en", front.keywords_en)) if v}
    if keywords:
        data["keywords"] = keywords
    else:
        todo.append(("keywords", "no key words found (关键词/Key words): add keywords.zh and keywords.en"))
    if front.fields.get("clc"):
        data["clc"] = [c for c in re.split(r"[;；,，\s]+", front.fields["clc"]) if c]
    for field_name in ("document_code", "article_id", "doi"):
        if front.fields.get(field_name):
            data[field_name] = front.fields[field_name]
    if front.fields.get("funding"):
        data["funding"] = [f for f in re.split(r"\s*[;；]\s*", front.fields["funding"]) if f]
    for field_name in ("received", "revised", "biography"):
        if front.fields.get(field_name):
            data[field_name] = front.fields[field_name].rstrip("。.;；")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    head = f"# Front matter guessed by `mspress import` from {source.name}: check every value (see the warnings it printed).\n"
    text = head + text
    lines = text.split("\n")

    def line_of(key: str) -> int:
        return next((i + 1 for i, line in enumerate(lines) if line.startswith(f"{key}:")), 1)

    for key, message in [*front.guesses, *todo]:
        if key.endswith(".md"):
            guesses.append(Guess(Location(path.parent / key, 1), message))
        else:
            guesses.append(Guess(Location(path, line_of(key)), message))
    try:  # what it wrote must load: a value YAML reads otherwise would be a bug here, not the author's
        from mspress.sources.metadata import load_metadata

        load_metadata(text, path)
    except ManuscriptError as exc:
        raise SetupError(f"mspress import wrote metadata.yaml that does not load ({exc}): please report this") from None
    return text


def _corresponding(value: str, authors: list[dict[str, Any]], todo: list[tuple[str, str]]) -> None:
    """通信作者：张三，E-mail：… → that author marked corresponding, with the e-mail address."""
    email = re.search(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", value)
    name = re.split(r"\s*(?:[,，;；:：(（]|E-?mail|email|Tel|电话)", value, maxsplit=1, flags=re.I)[0].strip()
    named = [a for a in authors if name and name in a["name"].values()]
    if not named and name and len(authors) == 1:
        named = authors
    if not named:
        named = [a for a in authors if a.get("corresponding")]
    if len(named) != 1:
        todo.append(("authors", f"the corresponding author {value[:60]!r} is none of the authors read: mark them corresponding: true"
                     f"{' and give their email' if email else ''}"))
        return
    named[0]["corresponding"] = True
    if email:
        named[0]["email"] = email.group(0).rstrip(".")


def _report_parts(front: FrontMatter, manuscript: Path, result: Imported, source: Path) -> None:
    if not front.abstract_zh:
        result.guesses.append(Guess(Location(manuscript / "abstract.zh.md"), "no Chinese abstract found (摘要): replace the placeholder with it"))
    if not front.abstract_en:
        result.guesses.append(Guess(Location(manuscript / "abstract.en.md"), "no English abstract found (Abstract): replace the placeholder with it"))
    if result.sections == 0:
        result.guesses.append(Guess(Location(source), "no body text found after the front matter"))


def _locate(result: Imported, target: Path) -> None:
    """Guesses about the converted text point at the section file where the text landed, when it can be found."""
    located = []
    for guess in result.guesses:
        m = re.match(r"citation (\S+) ", guess.message)
        if m and guess.where.path.suffix.lower() in SUFFIXES:
            raw = m.group(1)
            hit = _find_in_sections(result, raw, target)
            if hit is not None:
                located.append(Guess(hit, guess.message))
                continue
        located.append(guess)
    result.guesses = located


def _find_in_sections(result: Imported, raw: str, target: Path) -> Location | None:
    digits = re.findall(r"\d+", raw)
    if not digits:
        return None
    pattern = re.compile(r"\\?[\[［]\s*" + r"[^\]］\n]{0,40}?".join(re.escape(d) for d in digits) + r"\s*\\?[\]］]|\^" + re.escape(digits[0]))
    for name, data in result.files.items():
        if not (name.startswith("manuscript/") and name.endswith(".md")):
            continue
        text = data.decode("utf-8")
        m = pattern.search(text)
        if m:
            return Location.in_text(target / name, text, m.start())
    return None
