"""How a citation is printed in the text: numbers in brackets, or author and year.

The numbers come from ``citations.number`` and the author-year labels from the GB/T 7714 engine; this
module only prints them, so the HTML, the PDF and ``check --report`` agree.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from mspress.citations.reader import compress


@dataclass(frozen=True, slots=True)
class NumericMarks:
    numbers: dict[str, int]
    min_run: int = 2
    dash: str = "-"
    sort: bool = True

    def render(self, keys: list[str], locators: list[str], narrative: bool, after_wenxian: bool) -> str:
        def link(key: str) -> str:
            return f'<a href="#ref-{html.escape(key)}">{self.numbers[key]}</a>'

        if any(locators):
            body = "".join(f"[{link(k)}]{html.escape(loc)}" for k, loc in zip(keys, locators, strict=True))
        else:
            by_number = {self.numbers[k]: k for k in keys}
            runs = compress(by_number, self.min_run, self.sort)
            body = "[" + ",".join(link(by_number[a]) if a == b else f"{link(by_number[a])}{self.dash}{link(by_number[b])}"
                                  for a, b in runs) + "]"
        if narrative:
            return f'<span class="cite-inline">{"" if after_wenxian else "文献"}{body}</span>'
        return f'<sup class="cite">{body}</sup>'


@dataclass(frozen=True, slots=True)
class AuthorYearMarks:
    labels: dict[str, tuple[str, str]]
    """Key → (name as cited, year with its a/b suffix)."""

    def render(self, keys: list[str], locators: list[str], narrative: bool, after_wenxian: bool) -> str:
        def link(key: str, text: str) -> str:
            return f'<a href="#ref-{html.escape(key)}">{html.escape(text)}</a>'

        def page(locator: str) -> str:
            return f'<sup class="locator">{html.escape(locator)}</sup>' if locator else ""

        if narrative:
            parts = [f"{html.escape(self.labels[k][0])}（{link(k, self.labels[k][1])}）{page(loc)}" for k, loc in zip(keys, locators, strict=True)]
            return f'<span class="cite-ay">{"；".join(parts)}</span>'
        items = [link(k, f"{self.labels[k][0]}，{self.labels[k][1]}") for k in keys]
        if len(keys) == 1:
            return f'<span class="cite-ay">（{items[0]}）{page(locators[0])}</span>'
        return '<span class="cite-ay">（' + "；".join(i + page(loc) for i, loc in zip(items, locators, strict=True)) + "）</span>"
