"""``mspress refs FILE``: a reference file formatted to GB/T 7714 (or the journal's CSL style), as text, HTML or JSON;
``mspress refs --from-text FILE``: a typed reference list as BibTeX entries."""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from mspress.config import Settings
from mspress.errors import Diagnostic, ExitCode, InputUnreadable, Location, ManuscriptError, Severity
from mspress.model import Reference
from mspress.sources.bibtex import LIBRARY_SUFFIXES, link_entries, load_file
from mspress.styles.gbt7714 import Formatted, format_bibliography


def print_references(path: Path, settings: Settings, fmt: str, err: Callable[[str], None], out: Callable[[str], None]) -> int:
    if not path.is_file():
        raise InputUnreadable(Location(path), "no such file: give a .bib or CSL-JSON .json file")
    if path.suffix.lower() not in LIBRARY_SUFFIXES:
        raise InputUnreadable(Location(path), f"cannot read {path.suffix or 'this'} files as a library: give a .bib or CSL-JSON .json file")
    found: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    load_file(path.resolve(), path.resolve().parent, found, problems, set())
    link_entries(found, problems)  # crossref, xdata and @set within the file
    for problem in problems:
        err(str(problem).replace(problem.location.path.name, str(path), 1))
    refs = [r for r in found.values() if r.printable]
    options = settings.journal.references
    style = settings.journal.csl
    ordered: list[Formatted]
    if style is not None:
        from mspress.styles.csl.engine import format_with_style

        ordered = list(format_with_style(style, refs).entries)  # numeric: file order; author-date: the style's
    else:
        formatted = {f.key: f for f in format_bibliography(refs, options, [r.key for r in refs])}
        ordered = [formatted[r.key] for r in refs]  # file order
    if fmt == "json":
        out(json.dumps([{"key": f.key, "text": f.text, "html": f.html} for f in ordered], ensure_ascii=False, indent=2))
    elif fmt == "html":
        out('<ol class="reference-list">')
        for f in ordered:
            out(f'  <li id="ref-{html.escape(f.key)}">{f.html}</li>')
        out("</ol>")
    else:
        numbered = settings.journal.system == "numeric"
        for n, f in enumerate(ordered, 1):
            out(f"{f.label or f'[{n}]'} {f.text}" if numbered else f.text)
    return ExitCode.MANUSCRIPT_ERRORS if problems else ExitCode.DONE


TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
LOW_CONFIDENCE = 0.75
"""Below this an entry is reported even when every piece of it found a field: too much of it was guessed."""


def bibtex_from_text(path: Path, err: Callable[[str], None], out: Callable[[str], None]) -> int:
    """A typed reference list (one entry per ``[n]``/``n.`` label or per line) as BibTeX entries on ``out``; each entry
    that could not be read whole is reported on ``err`` as ``path:line:1: warning: … [typed-entry-unparsed]``."""
    from dataclasses import replace

    from mspress.sources.typed_references import parse_entries
    from mspress.writers.bibtex import write_entry

    if not path.is_file():
        raise InputUnreadable(Location(path), "no such file: give a typed reference list or a manuscript (.txt, .md, .html, .docx)")
    entries = typed_list(path)
    parsed = parse_entries((entry, f"entry{n}", Location(path, line)) for n, (line, entry) in enumerate(entries, 1))
    taken: set[str] = set()
    for n, entry in enumerate(parsed, 1):
        key = typed_key(entry.reference, taken)
        if n > 1:
            out("")
        out(write_entry(replace(entry.reference, key=key)))
        if entry.unparsed or entry.confidence < LOW_CONFIDENCE:
            pieces = "; ".join(f"“{_short(piece)}”" for piece in entry.unparsed[:5])
            what = f"not read: {pieces}" if pieces else "read mostly by guessing"
            err(str(Diagnostic("typed-entry-unparsed", Severity.WARNING, f"entry {n} ({key}) not fully parsed, confidence "
                               f"{entry.confidence:.2f}; {what}: check the BibTeX entry", entry.reference.location)))
    return ExitCode.DONE


def typed_list(path: Path) -> list[tuple[int, str]]:
    """(line, entry text) of the reference list in ``path``: a manuscript's list found as editor mode finds it
    (after its heading, in Word's numbering…), else — a file that is only a list — one entry per label or line."""
    from mspress.checks.editor import find_list
    from mspress.sources.editor_files import SUFFIXES, read_document
    from mspress.sources.files import read_text
    from mspress.sources.typed_references import split_list

    if path.suffix.lower() not in SUFFIXES:
        raise InputUnreadable(Location(path), f"cannot read {path.suffix or 'this'} files as a reference list: give a .txt, .md, .html or .docx file")
    lines = read_document(path, path)
    found = find_list(lines, path).entries
    if found:
        return [(entry.location.line, entry.text) for entry in found]
    if path.suffix.lower() in TEXT_SUFFIXES:
        try:
            entries = split_list(read_text(path.resolve(), path.resolve().parent))
        except ManuscriptError as exc:  # not UTF-8, too large, not a regular file: the path as the user gave it
            raise InputUnreadable(Location(path, exc.location.line), str(exc.diagnostic.message), exc.diagnostic.code) from None
        if entries:
            return entries
    raise InputUnreadable(Location(path), "no reference entries found: give one entry per [n] or n. label, or per line, "
                          "or a manuscript whose list follows a heading 参考文献/References")


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_STOP_WORDS = frozenset("a an the of on in at to for and or with from by as is are into via about towards toward using based".split())
_COMPOUND_SURNAMES = frozenset("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 夏侯 轩辕 令狐 宇文 司徒 端木 西门 南宫 独孤 呼延 万俟 闻人 赫连".split())


def typed_key(ref: Reference, taken: set[str]) -> str:
    """``wang2020yiyu``, ``smith2019deep``: the first author's family name, the year and the title's first word, in
    ASCII (Chinese by pinyin), made unique with ``a``, ``b``… and added to ``taken``."""
    people = next((ref.names[role] for role in ("author", "editor", "holder") if ref.names.get(role)), ())
    first = next((n for n in people if n.family != "others"), None)
    name = _ascii_word(first.family, surname=not first.corporate) if first else ""
    year_match = re.search(r"\d{4}", ref.fields.get("year", "") or ref.fields.get("date", ""))
    year = year_match.group(0) if year_match else ""
    word = _ascii_word(ref.fields.get("title", "") or ref.fields.get("journal", "") or ref.fields.get("booktitle", ""), title=True)
    key = (name or word or "ref") + year + (word if name else "")
    if not year and not word and not name:
        key = "ref"
    unique, suffix = key, 0
    while unique in taken:
        suffix += 1
        unique = key + (chr(ord("a") + suffix - 1) if suffix <= 26 else str(suffix))
    taken.add(unique)
    return unique


def _ascii_word(text: str, surname: bool = False, title: bool = False) -> str:
    """A name's or title's first word as lower-case ASCII letters; Chinese by pinyin (a surname's first character or two,
    a title's first two characters)."""
    import unicodedata

    text = text.strip()
    han = [ch for ch in text[:12] if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if han and han[0] == text[:1]:
        count = 2 if title or not surname or text[:2] in _COMPOUND_SURNAMES else 1
        from mspress.styles.gbt7714.pinyin import pinyin_key

        syllables = re.sub(r"\d", "", pinyin_key("".join(han[:count]))).split()
        return "".join(syllables)[:16]
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", folded)
    if title:
        words = [w for w in words if w not in _STOP_WORDS and not w.isdigit()] or words
        return re.sub(r"[^a-z0-9]", "", words[0])[:16] if words else ""
    if surname:
        return re.sub(r"[^a-z]", "", folded)[:16]
    words = [w for w in words if w not in _STOP_WORDS] or words
    return re.sub(r"[^a-z0-9]", "", words[0])[:16] if words else ""
