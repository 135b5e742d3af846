"""citeproc-py's output as mspress's rich text: runs of text, some styled (italic, bold…), some linked.

citeproc-py writes through a "formatter" (a module with ``preformat`` and one wrapper per font style). Ours wraps
styled text in private-use characters instead of HTML, so nothing needs escaping or unescaping and user text can
never be taken for markup (those characters are removed from the input, ``convert._clean``).
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from mspress.model import Piece

OPEN = {"\ue010": "italic", "\ue011": "bold", "\ue012": "superscript", "\ue013": "subscript", "\ue014": "smallcaps"}
CLOSE = "\ue01f"
_CODES = {mark: code for code, mark in OPEN.items()}


def _wrapper(mark: str) -> object:
    return lambda text: f"{_CODES[mark]}{text}{CLOSE}"


def _plain(text: object) -> str:
    return str(text)


MARKUP = SimpleNamespace(
    preformat=_plain, Italic=_wrapper("italic"), Oblique=_wrapper("italic"), Bold=_wrapper("bold"), Light=_plain,
    Underline=_plain, Superscript=_wrapper("superscript"), Subscript=_wrapper("subscript"), SmallCaps=_wrapper("smallcaps"))
"""The formatter handed to citeproc-py."""


def plain(marked: str) -> str:
    """The text without style characters."""
    return re.sub(f"[{''.join(OPEN)}{CLOSE}]", "", marked)


def pieces(marked: str) -> tuple[Piece, ...]:
    """Runs of styled text, spaces collapsed, URLs and DOIs linked."""
    runs: list[tuple[str, tuple[str, ...]]] = []
    stack: list[str] = []
    for part in re.split(f"([{''.join(OPEN)}{CLOSE}])", marked):
        if part in OPEN:
            stack.append(OPEN[part])
        elif part == CLOSE:
            if stack:
                stack.pop()
        elif part:
            if runs and runs[-1][1] == tuple(stack):
                runs[-1] = (runs[-1][0] + part, runs[-1][1])
            else:
                runs.append((part, tuple(stack)))
    out: list[Piece] = []
    for text, marks in runs:
        text = re.sub(r"\s+", " ", text)
        if out and out[-1].text.endswith(" "):
            text = text.lstrip(" ")
        out.extend(_linked(text, marks))
    return _strip(out)


_URL = re.compile(r"https?://[^\s<>\"]+|(?<=doi:)\s?10\.\d{4,9}/[^\s<>\"]+", re.IGNORECASE)


def _linked(text: str, marks: tuple[str, ...]) -> list[Piece]:
    out: list[Piece] = []
    cursor = 0
    for match in _URL.finditer(text):
        found = match.group().strip().rstrip(".,;:")
        while found.endswith(")") and found.count("(") < found.count(")"):
            found = found[:-1].rstrip(".,;:")
        start = match.start() + match.group().index(found)
        end = start + len(found)
        out.append(Piece(text[cursor:start], marks=marks))
        href = found if found.lower().startswith("http") else f"https://doi.org/{found}"
        out.append(Piece(found, href=href, marks=marks))
        cursor = end
    out.append(Piece(text[cursor:], marks=marks))
    return [p for p in out if p.text]


def _strip(out: list[Piece]) -> tuple[Piece, ...]:
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = Piece(out[0].text.lstrip(), href=out[0].href, marks=out[0].marks)
        out[-1] = Piece(out[-1].text.rstrip(), href=out[-1].href, marks=out[-1].marks)
    return tuple(out)
