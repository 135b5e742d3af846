"""``manuscript/metadata.yaml`` → ``Metadata``, every problem reported with its line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mspress.citations.keys import did_you_mean
from mspress.errors import Diagnostic, Location, ManuscriptError, ManuscriptErrors, Severity
from mspress.model import Affiliation, Author, Bilingual, Journal, Metadata
from mspress.text import has_han

Positions = dict[tuple[Any, ...], Location]


def parse_yaml(text: str, path: Path) -> tuple[Any, Positions]:
    """Safe-load YAML (no tags, no code) and remember where each value starts."""
    try:
        try:  # libyaml when PyYAML has it (16 times faster); the Python parser's words for a mistake
            _refuse_aliases_and_depth(text, path, FAST_LOADER)
            node = yaml.compose(text, Loader=FAST_LOADER)
        except yaml.YAMLError:
            _refuse_aliases_and_depth(text, path, yaml.SafeLoader)
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise ManuscriptError(where, f"malformed YAML: {exc.problem or exc.context}; fix the syntax") from None
    except yaml.YAMLError as exc:
        raise ManuscriptError(Location(path), f"malformed YAML: {exc}") from None
    positions: Positions = {}
    if node is None:
        return {}, positions
    try:
        return _build(node, (), path, positions, yaml.SafeLoader("")), positions
    except ValueError as exc:  # a number of thousands of digits: Python refuses to convert it
        raise ManuscriptError(Location(path), f"a value metadata.yaml cannot hold: {exc}; write a shorter number") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise ManuscriptError(Location(path, mark.line + 1, mark.column + 1) if mark else Location(path),
                              f"unsupported YAML value: {exc.problem}") from None


FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20
"""metadata.yaml is three levels deep; deeper nesting is a mistake or an attack on the stack."""


def _refuse_aliases_and_depth(text: str, path: Path, loader: Any) -> None:
    """Aliases (``*name``) can multiply a small file into billions of values; metadata needs none."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        mark = event.start_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        if isinstance(event, yaml.AliasEvent):
            raise ManuscriptError(where, "YAML aliases (*name) are not read in metadata.yaml: write the value out")
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ManuscriptError(where, f"metadata.yaml is nested more than {MAX_DEPTH} levels deep: it needs three")
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _build(node: yaml.Node, key: tuple[Any, ...], path: Path, positions: Positions, constructor: yaml.SafeLoader) -> Any:
    positions[key] = Location(path, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for knode, vnode in node.value:
            name = str(constructor.construct_object(knode))
            result[name] = _build(vnode, key + (name,), path, positions, constructor)
            positions.setdefault(key + (name,), positions[key])
            positions[key + (name, "<key>")] = Location(path, knode.start_mark.line + 1, knode.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, key + (i,), path, positions, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node)


class _Reader:
    """Typed access to the parsed YAML that records problems instead of raising."""

    def __init__(self, data: Any, positions: Positions, path: Path) -> None:
        self.data, self.positions, self.path = data, positions, path
        self.problems: list[Diagnostic] = []

    def where(self, key: tuple[Any, ...]) -> Location:
        while key and key not in self.positions:
            key = key[:-1]
        return self.positions.get(key, Location(self.path))

    def problem(self, key: tuple[Any, ...], message: str, code: str = "invalid-metadata") -> None:
        self.problems.append(Diagnostic(code, Severity.ERROR, message, self.where(key)))

    def get(self, key: tuple[Any, ...]) -> Any:
        value = self.data
        for part in key:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def text(self, key: tuple[Any, ...], required: bool = False) -> str | None:
        value = self.get(key)
        if value is None:
            if required:
                self.problem(key, f"missing {'.'.join(map(str, key))}: add it to metadata.yaml", "missing-metadata")
            return None
        if isinstance(value, (dict, list)):
            self.problem(key, f"{'.'.join(map(str, key))} must be text")
            return None
        return str(value).strip()

    def bilingual(self, key: tuple[Any, ...], required: tuple[str, ...] = ()) -> Bilingual:
        value = self.get(key)
        if isinstance(value, str):
            return Bilingual(zh=value) if has_han(value) else Bilingual(en=value)
        if value is not None and not isinstance(value, dict):
            self.problem(key, f"{'.'.join(map(str, key))} must be a mapping with zh and en")
            return Bilingual()
        return Bilingual(zh=self.text(key + ("zh",), "zh" in required), en=self.text(key + ("en",), "en" in required))

    def texts(self, key: tuple[Any, ...]) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.problem(key, f"{'.'.join(map(str, key))} must be a list")
            return ()
        return tuple(str(v).strip() for v in value if v is not None)

    def items(self, key: tuple[Any, ...]) -> list[Any]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"{'.'.join(map(str, key))} must be a list")
            return []
        return value


KNOWN_KEYS = {"title", "authors", "affiliations", "keywords", "clc", "document_code", "article_id", "doi",
              "funding", "received", "revised", "biography", "journal"}


def load_metadata(text: str, path: Path) -> Metadata:
    data, positions = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise ManuscriptError(Location(path), "metadata.yaml must be a mapping of fields (title:, authors:, …)")
    r = _Reader(data, positions, path)
    for key in data:
        if key not in KNOWN_KEYS:
            r.problem((key, "<key>"), f"unknown field {key!r}{did_you_mean(str(key), KNOWN_KEYS)}; known fields: {', '.join(sorted(KNOWN_KEYS))}")
    affiliations = _affiliations(r)
    metadata = Metadata(
        title=r.bilingual(("title",), required=("zh", "en")),
        authors=_authors(r, [a.id for a in affiliations]),
        affiliations=tuple(affiliations),
        keywords_zh=r.texts(("keywords", "zh")),
        keywords_en=r.texts(("keywords", "en")),
        clc=r.texts(("clc",)),
        document_code=_document_code(r),
        article_id=r.text(("article_id",)),
        doi=r.text(("doi",)),
        funding=r.texts(("funding",)),
        received=r.text(("received",)),
        revised=r.text(("revised",)),
        biography=r.text(("biography",)),
        journal=_journal(r),
    )
    if r.problems:
        raise ManuscriptErrors(r.problems)
    return metadata


def _affiliations(r: _Reader) -> list[Affiliation]:
    result = []
    for i in range(len(r.items(("affiliations",)))):
        ident = r.text(("affiliations", i, "id"), required=True) or str(i + 1)
        name = Bilingual(zh=r.text(("affiliations", i, "zh")), en=r.text(("affiliations", i, "en")))
        if not (name.zh or name.en):
            r.problem(("affiliations", i), "an affiliation needs zh or en text", "missing-metadata")
        result.append(Affiliation(ident, name))
    return result


def _authors(r: _Reader, affiliation_ids: list[str]) -> tuple[Author, ...]:
    items = r.items(("authors",))
    if not items:
        r.problem(("authors",), "missing authors: add at least one author with a name", "missing-metadata")
    authors = []
    for i in range(len(items)):
        name = r.bilingual(("authors", i, "name"))
        if not (name.zh or name.en):
            r.problem(("authors", i), "an author needs name.zh or name.en", "missing-metadata")
        numbers = []
        for j, ident in enumerate(r.texts(("authors", i, "affiliations"))):
            if ident in affiliation_ids:
                numbers.append(affiliation_ids.index(ident) + 1)
            else:
                r.problem(("authors", i, "affiliations", j), f"unknown affiliation id {ident!r}; defined: {', '.join(affiliation_ids) or 'none'}")
        corresponding = r.get(("authors", i, "corresponding"))
        if corresponding is not None and not isinstance(corresponding, bool):
            r.problem(("authors", i, "corresponding"), "corresponding must be true or false")
        authors.append(Author(name, tuple(numbers), corresponding is True, r.text(("authors", i, "email"))))
    return tuple(authors)


def _document_code(r: _Reader) -> str | None:
    code = r.text(("document_code",))
    if code is not None and code not in ("A", "B", "C", "D", "E"):
        r.problem(("document_code",), "document_code (文献标志码) must be one of A, B, C, D, E")
    return code


def _journal(r: _Reader) -> Journal | None:
    if r.get(("journal",)) is None:
        return None
    return Journal(
        name=r.bilingual(("journal", "name")),
        year=r.text(("journal", "year")),
        volume=r.text(("journal", "volume")),
        issue=r.text(("journal", "issue")),
        pages=r.text(("journal", "pages")),
    )
