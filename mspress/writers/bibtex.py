"""References → BibTeX/BibLaTeX text that mspress's own reader (``sources/bibtex.py``) reads back to the same fields.

Values are plain text (as ``Reference.fields`` hold them) and are escaped for LaTeX: ``{ } % & # $ _ ~ ^ \\`` become
commands or escapes that decode to the same characters, so braces in a value can never unbalance an entry. URLs and
DOIs are written as BibLaTeX writes them — ``%``, ``&``, ``#`` and ``_`` escaped, nothing else — which is how the
engine reads them back (``Entry.verbatim``). Names are written in BibTeX's forms: ``Family, Given``, ``von Family,
Jr, Given``, ``{Organisation}``, and BibLaTeX's ``family=…, prefix=…`` for a particle that follows the given names.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from mspress.model import Name, Reference
from mspress.sources.latex import MARKED, SUB, SUP
from mspress.sources.names import ET_AL, NAME_FIELDS

FIELD_ORDER = ("author", "editor", "translator", "holder", "bookauthor", "title", "subtitle", "booktitle", "eventtitle", "journal",
               "entrysubtype", "edition", "version", "series", "year", "date", "volume", "number", "pages", "eid", "address", "publisher",
               "school", "institution", "organization", "scale", "dimensions", "url", "urldate", "doi", "cstr", "langid")
"""Fields in the order people read an entry; any other follows, sorted."""
URL_FIELDS = frozenset(("url", "doi", "cstr", "eprint"))
RAW_FIELDS = frozenset(("author_transliteration_en",))
"""Fields whose value is already BibTeX (a name list) and is written as it is."""

_ESCAPES = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$",
                          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"})
_URL_ESCAPES = str.maketrans({"%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "{": "%7B", "}": "%7D"})
_SPACES = re.compile(r"[ \t\r\n]+")
_KEY = re.compile(r"[\s,{}()\"#%'=~\\]")
"""Characters a citation key cannot hold in a .bib file."""


def escape(text: str) -> str:
    """Plain text as BibTeX/LaTeX that decodes to the same text; sub- and superscript runs (``latex.SUB``/``SUP``
    marks) as ``\\textsubscript{…}``/``\\textsuperscript{…}``, which decode to the same marks."""
    escaped = _SPACES.sub(" ", text.translate(_ESCAPES)).strip()
    if SUB[0] in escaped or SUP[0] in escaped:
        escaped = MARKED.sub(_script, escaped)
    return escaped


def _script(m: re.Match[str]) -> str:
    sub = m.group(1) is not None
    return f"\\text{'sub' if sub else 'super'}script{{{m.group(1) if sub else m.group(2)}}}"


def escape_url(url: str) -> str:
    """A URL or DOI as BibLaTeX writes one: ``%``, ``&``, ``#``, ``_`` escaped, braces percent-encoded."""
    return url.strip().translate(_URL_ESCAPES)


def bibtex_name(name: Name) -> str:
    """One name as BibTeX writes it: ``Smith, J A``, ``van der Berg, A``, ``Peebles, Jr., P Z``, ``{World Health
    Organization}``, ``王晓明``, ``others``; a particle after the given names in BibLaTeX's ``family=…, prefix=…``."""
    if name == ET_AL:
        return "others"
    if name.corporate:
        return "{" + escape(name.family) + "}"
    given = name.given_raw or escape(name.given)
    if name.dropping:
        parts = [f"family={{{escape(name.family)}}}", f"given={{{given}}}", f"prefix={{{escape(name.dropping)}}}", "useprefix=false"]
        return ", ".join([*parts, f"suffix={{{escape(name.suffix)}}}"] if name.suffix else parts)
    family = escape(f"{name.particle} {name.family}".strip())
    if " and " in f" {family} " or "," in family:
        family = "{" + family + "}"
    if name.suffix:
        return f"{family}, {escape(name.suffix)}, {given}"
    return f"{family}, {given}" if given else family


def bibtex_names(names: Sequence[Name]) -> str:
    return " and ".join(bibtex_name(n) for n in names)


def write_entry(ref: Reference) -> str:
    """One ``@type{key, field = {value}, …}`` entry, fields in reading order."""
    values: dict[str, str] = {}
    for role in NAME_FIELDS:
        if ref.names.get(role):
            values[role] = bibtex_names(ref.names[role])
    for name, value in ref.fields.items():
        if not value or name in values:
            continue
        if name in RAW_FIELDS:
            values[name] = ref.raw_fields.get(name, value)
        elif name in URL_FIELDS:
            values[name] = escape_url(value)
        else:
            values[name] = escape(value)
    order = {name: i for i, name in enumerate(FIELD_ORDER)}
    names = sorted(values, key=lambda n: (order.get(n, len(order)), n))
    width = max((len(n) for n in names), default=0)
    lines = [f"@{ref.entry_type}{{{_KEY.sub('', ref.key) or 'ref'},"]
    lines += [f"  {name.ljust(width)} = {{{values[name]}}}," for name in names]
    lines.append("}")
    return "\n".join(lines)


