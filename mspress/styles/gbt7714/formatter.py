"""Assemble an entry's blocks into text and HTML; the bibliography for either citation system."""
from __future__ import annotations

import re
from collections.abc import Iterable

from mspress.model import Formatted, Piece, Reference
from mspress.sources.latex import decode, has_marks, marked_runs
from mspress.sources.names import NAME_FIELDS, parse_names
from mspress.styles.gbt7714.authoryear import YearLabels, sort_key
from mspress.styles.gbt7714.entry import Block, Entry
from mspress.styles.gbt7714.options import Options
from mspress.styles.gbt7714.templates import Host, template_for

LINE_BREAK = Piece("\n")
SCRIPTS = {"sub": "subscript", "sup": "superscript"}


def format_reference(ref: Reference, options: Options, year_label: str | None = None) -> Formatted:
    """One entry. In the author-year system ``year_label`` is its year with any ``a``/``b`` suffix."""
    return _format(Entry(ref, options), year_label)


def _format(entry: Entry, year_label: str | None) -> Formatted:
    options, ref = entry.options, entry.ref
    if ref.members:
        return _format_set(entry, year_label)
    letters, template = template_for(entry)
    parts = template(entry, letters)
    if options.system == "author-year":
        parts = _author_year_head(entry, parts, year_label)
    text, rich = _join(parts)
    english = translation(ref) if options.bilingual and entry.cjk else None
    if english is not None:
        other = _format(Entry(english, options), year_label)
        text, rich = f"{text}\n{other.text}", (*rich, LINE_BREAK, *other.rich)
    return Formatted(ref.key, text, rich, entry.lang)


def _format_set(entry: Entry, year_label: str | None) -> Formatted:
    """A BibLaTeX ``@set``: its entries in one item, each but the last ending with ``;`` instead of ``.``."""
    members = [_format(Entry(member, entry.options), year_label) for member in entry.ref.members]
    separator = Piece(entry.p.semicolon)
    rich: list[Piece] = []
    for i, member in enumerate(members):
        pieces = list(member.rich)
        if i < len(members) - 1 and pieces and pieces[-1].text.endswith("."):
            pieces[-1] = Piece(pieces[-1].text[:-1], pieces[-1].href, pieces[-1].marks)
            pieces = [*pieces, separator]
        rich.extend(pieces)
    text = "".join(p.text for p in rich)
    return Formatted(entry.ref.key, text, tuple(rich), members[0].lang if members else entry.lang)


TRANSLATED = re.compile(r"^(\w+?)_(?:translation|transliteration)_en$")


def translation(ref: Reference) -> Reference | None:
    """The English version of a Chinese entry (中英对照), from ``title_translation_en``-style fields."""
    overrides = {m.group(1): value for key, value in ref.raw_fields.items() if (m := TRANSLATED.match(key))}
    if "title" not in overrides:
        return None
    raw = {k: v for k, v in ref.raw_fields.items() if not TRANSLATED.match(k)}
    raw.update(overrides)
    raw["langid"] = "english"
    fields = {k: decode(v) for k, v in raw.items() if k not in NAME_FIELDS}
    names = {role: parse_names(raw[role]) for role in NAME_FIELDS if raw.get(role)}
    return Reference(ref.key, ref.entry_type, fields, names, ref.location, raw)


def format_bibliography(refs: Iterable[Reference], options: Options, cited: list[str] | None = None) -> list[Formatted]:
    """The list in print order: as given (numeric) or by language, author and year (author-year)."""
    refs = list(refs)
    if options.system != "author-year":
        return [format_reference(r, options) for r in refs]
    entries = [Entry(r, options) for r in refs]
    labels = YearLabels.assign(entries, cited or [r.key for r in refs])
    ordered = sorted(entries, key=lambda e: sort_key(e, labels.get(e.ref.key)))
    return [_format(e, labels.get(e.ref.key)) for e in ordered]


def author_year_labels(refs: Iterable[Reference], options: Options, cited: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """Key → (name as cited in the text, year with its a/b suffix), e.g. ``("于潇 等", "2012a")``."""
    from mspress.styles.gbt7714.authoryear import citation_label

    refs = list(refs)
    entries = [Entry(r, options) for r in refs]
    years = YearLabels.assign(entries, cited or [r.key for r in refs])
    return {e.ref.key: (citation_label(e), years.get(e.ref.key) or "") for e in entries}


def _author_year_head(e: Entry, parts: list[Block], year_label: str | None) -> list[Block]:
    from mspress.styles.gbt7714.authoryear import anonymous, creator_roles, plain_year

    names = e.names(*creator_roles(e))
    label = year_label if year_label is not None else plain_year(e)
    head = Block().add(f"{names or anonymous(e)}{e.p.comma}{label}")
    if names and parts and parts[0].text == names:
        parts = parts[1:]
    return [head, *parts]


def _join(parts: list[Block]) -> tuple[str, tuple[Piece, ...]]:
    """The blocks joined by ``. `` (``//`` before a host), ending with a full stop."""
    pieces: list[Piece] = []
    for i, block in enumerate(parts):
        if i:
            if isinstance(block, Host):
                pieces.append(Piece("//"))
            else:
                pieces.append(Piece(" " if pieces[-1].text.endswith(".") else ". "))
        pieces.extend(block.pieces)
    if pieces and not pieces[-1].text.endswith("."):
        pieces.append(Piece("."))
    rich = _strip(_scripts(pieces))
    return "".join(p.text for p in rich), rich


def _scripts(pieces: list[Piece]) -> list[Piece]:
    """Sub- and superscripts decoded from LaTeX math become pieces of their own."""
    out: list[Piece] = []
    for piece in pieces:
        if has_marks(piece.text):
            out.extend(Piece(text, piece.href, (SCRIPTS[script],) if script else ()) for text, script in marked_runs(piece.text))
        else:
            out.append(piece)
    return out


def _strip(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Without white space at either end (a name list may start with it)."""
    while pieces and not pieces[0].text.strip():
        pieces = pieces[1:]
    while pieces and not pieces[-1].text.strip():
        pieces = pieces[:-1]
    if pieces:
        pieces[0] = Piece(pieces[0].text.lstrip(), pieces[0].href)
        pieces[-1] = Piece(pieces[-1].text.rstrip(), pieces[-1].href)
    return tuple(pieces)
