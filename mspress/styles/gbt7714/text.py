"""Text transformations on field values: sentence case, punctuation width, journal abbreviations."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from mspress.sources.latex import decode

_HALF = [("，", ", "), ("：", ": "), ("；", "; "), ("？", "?"), ("！", "!"), ("（", " ("), ("）", ") ")]
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_QUESTION = re.compile(rf"(?<=[{_CJK}])[?!]|[?!](?=[{_CJK}])")  # 共同富裕?——来自 → ？ in Chinese text
_FULL = re.compile(rf"\s*[,:;]\s+|(?<=[{_CJK}])\s*[,:;]\s*|[,:;](?=[{_CJK}])|\s*\(\s*|\s*\)\s*")
_FULL_OF = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


_WIDE_MARKS = re.compile("[，：；？！（）]")
_NARROW_MARKS = re.compile(r"[,:;()?!]")


def to_half(text: str) -> str:
    """Full-width marks → ASCII with the spaces English typesetting puts after them (2015 style)."""
    if not _WIDE_MARKS.search(text):
        return text.strip()
    for wide, narrow in _HALF:
        text = text.replace(wide, narrow)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" ([,.;:)\]])", r"\1", text)
    text = re.sub(r"(?<=\d) \(", "(", text)  # 1（1）→ 1(1), as an issue is written
    return text.strip()


def to_full(text: str) -> str:
    """ASCII ``, : ; ( )`` → full-width (2025 style).

    A comma, colon or semicolon is converted when a space follows it or a Chinese character stands on either side
    (``价值争论:回顾``); between digits or letters it stays (``1:25000``, ``ISO 21378:2019``).
    """
    if not _NARROW_MARKS.search(text):
        return text.strip()
    text = _FULL.sub(lambda m: _FULL_OF[m.group(0).strip()], text)
    return _CJK_QUESTION.sub(lambda m: _FULL_OF[m.group(0)], text).strip()


def punctuate(text: str, full: bool) -> str:
    return to_full(text) if full else to_half(text)


def sentence_case(raw: str) -> str:
    """A BibTeX title in sentence case, LaTeX decoded; what the conversion must not touch keeps its case.

    Kept: ``{protected}`` groups and commands with their arguments (BibTeX's rule), math, acronyms and words with
    inner capitals or digits (``DNA``, ``McDonald``, ``6G``, ``TSC-C``, ``V2X``), and — in a title already written
    in sentence case — every capitalised word (a proper noun: ``Parkinson``, ``China``).
    """
    segments = _case_segments(raw)
    # Braces around a capitalised word (a {China} kept from Title Case) show a title written for conversion.
    braced_word = any(kept and _CAPITALISED_WORDS.fullmatch(text) for text, kept in segments)
    title_case = _written_in_title_case((text for text, kept in segments if not kept), braced_word)
    out: list[str] = []
    first_done = False
    for text, kept in segments:
        if kept:
            out.append(text)
        else:
            out.append(_lower_chunk(text, first_done, title_case))
        first_done = first_done or any(ch.isalpha() for ch in text)
    return "".join(out)


_CASE_TOKEN = re.compile(r"(?=[\\{}$])(?:\\[A-Za-z]+\s*(?:\{(?:[^{}]|\{[^{}]*\})*\})*|\\.|\$\$?(?:\\.|[^$\\])*\$\$?|[{}])")


def _case_segments(raw: str) -> list[tuple[str, bool]]:
    """The title cut into decoded runs, each marked True when its case must be kept."""
    if "{" not in raw and "$" not in raw and "\\" not in raw:
        return [(decode(raw), False)]
    segments: list[tuple[str, bool]] = []
    depth, start = 0, 0
    for m in _CASE_TOKEN.finditer(raw):
        token = m.group(0)
        if depth == 0 and token not in "{}":
            if token.startswith("$") or (token[1:2].isalpha() and "{" in token and not _ACCENT_COMMAND.match(token)):
                segments.append((raw[start : m.start()], False))
                segments.append((token, True))  # math, or a command with its argument
                start = m.end()
            continue
        if token == "{":
            if depth == 0:
                segments.append((raw[start : m.start()], False))
                start = m.start()
            depth += 1
        elif token == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                group = raw[start : m.end()]
                special = group.startswith("{\\") and not group.startswith("{\\relax")
                segments.append((group, not special))  # {\'E} is a special character, not protection
                start = m.end()
    segments.append((raw[start:], False))
    return [(decode(text), kept) for text, kept in segments if text]


_ACCENT_COMMAND = re.compile(r"\\[uvHckrdb]\s*\{")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _written_in_title_case(chunks: Iterable[str], braced_word: bool) -> bool:
    """More words capitalised than not (``Deep Learning in Medicine``), not sentence case (``Deep learning in China``).

    Counted on words of three letters or more after the first, leaving out small words and the word that starts a
    subtitle (capitalised in either style). A tie is Title Case only when the title braces a capitalised word.
    """
    capitalised = lower = 0
    after_colon = True  # the title's first word, like a subtitle's, is capitalised in either style
    for token in " ".join(chunks).split():
        word = token.strip(_EDGE_PUNCTUATION)
        skip, after_colon = after_colon, token.endswith((":", "：", "?", "？"))
        if skip or len(word) < 3 or not word.isalpha() or word.lower() in _SMALL_WORDS:
            continue
        if word.islower():
            lower += 1
        elif word[0].isupper() and word[1:].islower():
            capitalised += 1
    return capitalised > lower or (capitalised == lower and (braced_word or capitalised == 0))


_EDGE_PUNCTUATION = ".,;:!?()[]\"'“”‘’«»，：；？！（）"
_CAPITALISED_WORDS = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_SMALL_WORDS = {"the", "and", "for", "but", "nor", "yet", "via", "out", "off", "per", "its", "our", "his", "her", "are",
                "was", "not", "can", "how", "why", "who", "has", "all", "any", "new", "two", "one", "with", "from", "into", "over", "upon", "onto", "than", "that", "when", "versus", "between", "among",
                "through", "under", "without", "within", "about", "after", "before", "during", "across", "against",
                "toward", "towards", "along", "until", "while", "their", "this", "these", "those", "using", "based"}
_DIGIT = re.compile(r"\d")


def _keeps_case(word: str) -> bool:
    """An acronym, a word with inner capitals or digits, or a single capital other than the article A."""
    if len(word) == 1:
        return word.isupper() and word != "A" or word.isdigit()
    rest = word[1:]
    return rest != rest.lower() or _DIGIT.search(word) is not None


def _lower_chunk(text: str, first_done: bool, title_case: bool) -> str:
    """Lower-case the words of an unprotected stretch; the title's first letter keeps its case."""
    if first_done:
        return _WORD.sub(_title_case_word, text) if title_case else _after_colons(text)
    head = _WORD.search(text)
    if head is None:
        return text
    rest = text[head.end() :]
    converted = _WORD.sub(_title_case_word, rest) if title_case else _after_colons(rest)
    return text[: head.start()] + _converted(head.group(0), True, title_case) + converted


def _after_colons(text: str) -> str:
    """A title in sentence case changes only where a subtitle starts: ``homogenization: Trends`` → ``: trends``."""
    return _SUBTITLE_WORD.sub(_subtitle_case_word, text) if ":" in text or "：" in text else text


@lru_cache(maxsize=16384)
def _converted(whole: str, first: bool, title_case: bool) -> str:
    """One word in sentence case. The parts of a compound are judged one by one: ``Next-Generation`` →
    ``next-generation``, ``TSC-C`` stays (a one-letter part is kept only beside a kept part: ``e-government``)."""
    def lower(part: str, first: bool, kept: bool) -> str:
        if kept or (not title_case and not first and part[:1].isupper()):
            return part
        return part[0] + part[1:].lower() if first else part.lower()

    if "-" not in whole and "'" not in whole and "’" not in whole:
        return lower(whole, first, _keeps_case(whole))
    parts = _PART_SEPARATOR.split(whole)
    kept = [_keeps_case(part) for part in parts]
    anchored = any(k and len(part) > 1 for k, part in zip(kept[::2], parts[::2], strict=True))
    kept = [k and (len(part) > 1 or anchored) for k, part in zip(kept, parts, strict=True)]
    return "".join(piece if i % 2 else lower(piece, first and i == 0, kept[i]) for i, piece in enumerate(parts))


def _title_case_word(m: re.Match[str]) -> str:
    return _converted(m.group(0), False, True)


def _subtitle_case_word(m: re.Match[str]) -> str:
    # After a colon even a sentence-case title starts its subtitle in lower case (the standard's examples).
    return m.group(1) + _converted(m.group(2), False, True)


_SUBTITLE_WORD = re.compile(r"([:：]\s*)([^\W_]+(?:[-'’][^\W_]+)*)")


_PART_SEPARATOR = re.compile(r"([-'’])")


def journal_title(text: str) -> str:
    """Abbreviated journal titles lose their dots (``Br. Med. J.`` → ``Br Med J``), as the standard prints them."""
    if re.search(r"\b[A-Z][a-z]{0,8}\.(\s|$)", text):
        return re.sub(r"(?<=[A-Za-z])\.(?=\s|$)", "", text)
    return text
