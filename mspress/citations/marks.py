"""How a citation is printed in the text, as AST inlines: numbers in brackets, or author and year.

The numbers come from ``citations.numbering`` and the author-year labels from the GB/T 7714 engine; this
module only prints them, so every writer and ``check --report`` agree. Each number links to ``#ref-<key>``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mspress.citations.numbering import compress
from mspress.config import CitationForm
from mspress.transform.ast import Node, link, span, superscript, text


class Marks(Protocol):
    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        """A citation as printed; ``after_word``: the text already ends with the word a narrative number takes (文献)."""
        ...


def _link(key: str, label: str) -> Node:
    return link(text(label), f"#ref-{key}")


@dataclass(frozen=True, slots=True)
class NumericMarks:
    numbers: dict[str, int]
    form: CitationForm
    word: str = "文献"
    """What a narrative number is printed after (``文献[8]``): the journal's ``labels.zh.narrative``."""

    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        body: list[Node] = []
        if any(locators):
            for key, locator in zip(keys, locators, strict=True):
                body += [*text("["), _link(key, str(self.numbers[key])), *text("]" + locator)]
        else:
            by_number = {self.numbers[k]: k for k in keys}
            body = text("[")
            for i, (a, b) in enumerate(compress(by_number, self.form.min_run, self.form.sort)):
                body += text(",") if i else []
                body.append(_link(by_number[a], str(a)))
                if a != b:
                    body += [*text(self.form.dash), _link(by_number[b], str(b))]
            body += text("]")
        if narrative:
            return [span(["cite-inline"], ([] if after_word or not self.word else text(self.word)) + body)]
        return [span(["cite"], [superscript(body)])]


@dataclass(frozen=True, slots=True)
class AuthorYearMarks:
    labels: dict[str, tuple[str, str]]
    """Key → (name as cited, year with its a/b suffix)."""

    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        def page(locator: str) -> list[Node]:
            return [span(["locator"], [superscript(text(locator))])] if locator else []

        out: list[Node] = []
        if narrative:
            for i, (key, locator) in enumerate(zip(keys, locators, strict=True)):
                name, year = self.labels[key]
                out += [*(text("；") if i else []), *text(name + "（"), _link(key, year), *text("）"), *page(locator)]
            return [span(["cite-ay"], out)]
        out = text("（")
        for i, (key, locator) in enumerate(zip(keys, locators, strict=True)):
            name, year = self.labels[key]
            out += [*(text("；") if i else []), _link(key, f"{name}，{year}")]
            if len(keys) > 1:
                out += page(locator)
        out += text("）")
        if len(keys) == 1:
            out += page(locators[0])
        return [span(["cite-ay"], out)]
