"""The front matter of a manuscript someone else wrote, guessed from its first paragraphs: titles, authors and
affiliations, abstracts and key words by their labels (摘要, Abstract, 关键词, Key words, 中图分类号…).

Works on the tidied AST (``sources.foreign_ast``); returns what it found, the blocks that remain, and each guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mspress.sources.foreign_ast import Node, block_text, inline_lists, inline_text, map_all_inlines, strip_prefix, typed_number, walk_blocks, walk_inlines, words
from mspress.text import has_han

_LABELS: tuple[tuple[str, str, bool], ...] = (
    # (field, pattern, may stand in mid-paragraph: a converter glues the front matter's lines together)
    ("abstract_zh", r"[【\[［]?\s*摘\s*要\s*[】\]］]?\s*[:：]?", True),
    ("keywords_zh", r"[【\[［]?\s*关\s*键\s*[词字]\s*[】\]］]?\s*[:：]?", True),
    ("abstract_en", r"[【\[［]?\s*(?:Abstract|ABSTRACT|Summary|SUMMARY)\s*[】\]］]?\s*(?:[:：.]|(?<=[】\]］])|(?=\s)|$)", False),
    ("keywords_en", r"[【\[［]?\s*(?:Key\s*-?\s*words?|KEY\s*WORDS?|Index\s+Terms)\s*[】\]］]?\s*[:：.]?", True),
    ("clc", r"中图(?:分类)?[号分]\s*[:：]?|CLC\s*(?:number|No\.)?\s*[:：]", True),
    ("document_code", r"文献标[志识]码\s*[:：]?|Document\s+code\s*[:：]", True),
    ("article_id", r"文章编号\s*[:：]?|Article\s+ID\s*[:：]", True),
    ("doi", r"\bDOI\s*[:：]|\bdoi\s*[:：]", True),
    ("funding", r"基金项目\s*[:：]", True),
    ("received", r"收稿日期\s*[:：]", True),
    ("revised", r"修回日期\s*[:：]", True),
    ("biography", r"作者简介\s*[:：]", True),
    ("corresponding", r"通[信讯]作者\s*[:：]", True),
)
_ANY_LABEL = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in _LABELS))
_START_LABEL = re.compile(r"^\s*\**\s*(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern, _ in _LABELS) + ")")
_MID_OK = {name for name, _, mid in _LABELS if mid}
_AFFILIATION_WORDS = re.compile(r"大学|学院|研究所|研究院|研究中心|医院|中心|公司|实验室|学校|部门|科学院|局|University|Institute|College|Hospital|"
                                r"Department|Laboratory|School|Cent(?:er|re)|Academy|Company|Corporation|Faculty", re.I)
_NAME_SPLIT = re.compile(r"\s*[，,、;；]\s*|\s{2,}|\s+and\s+")
_MARK_CHARS = "0123456789¹²³⁴⁵⁶⁷⁸⁹⁰*∗†‡#,，'’"
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


@dataclass(slots=True)
class AuthorGuess:
    zh: str | None = None
    en: str | None = None
    marks: tuple[str, ...] = ()
    corresponding: bool = False


@dataclass(slots=True)
class FrontMatter:
    title_zh: str | None = None
    title_en: str | None = None
    authors: list[AuthorGuess] = field(default_factory=list)
    affiliations: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """(mark, zh, en) in order."""
    keywords_zh: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    abstract_zh: list[Node] = field(default_factory=list)
    abstract_en: list[Node] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    """clc, document_code, article_id, doi, funding, received, revised, biography, corresponding: as typed."""
    guesses: list[tuple[str, str]] = field(default_factory=list)
    """(metadata field or file the guess landed in, message)."""


@dataclass(frozen=True, slots=True)
class _Item:
    """A paragraph of the front matter, or the part of one a label starts."""

    label: str | None
    text: str
    blocks: tuple[Node, ...]
    """The paragraph's inlines without its label, when the item is a whole paragraph (kept for the abstracts)."""


def extract(blocks: list[Node], meta: dict[str, Any]) -> tuple[FrontMatter, list[Node]]:
    """The front matter found at the start of ``blocks`` (and an English abstract anywhere), and the other blocks."""
    front = FrontMatter()
    end = _front_end(blocks)
    items: list[_Item] = []
    meta_title = inline_text(_meta_inlines(meta.get("title"))).strip()
    meta_subtitle = inline_text(_meta_inlines(meta.get("subtitle"))).strip()
    for value in _meta_list(meta.get("author")):
        items.append(_Item("authors_meta", inline_text(_marked(value)), ()))
    for block in _meta_blocks(meta.get("abstract")):
        items.extend(_items(block, mid=True))
    for block in blocks[:end]:
        items.extend(_items(block, mid=True))
    rest = list(blocks[end:])
    # An English abstract after the body (Chinese journals often print it at the end) and the lines before it.
    at = next((i for i, b in enumerate(rest) if _starts_with(b, "abstract_en")), None)
    if at is not None and not any(item.label == "abstract_en" for item in items):
        start = at
        while start > 0 and at - start < 3 and _short_latin(rest[start - 1]):
            start -= 1
        stop = at + 1
        while stop < len(rest) and (_starts_with(rest[stop], "keywords_en") or (stop == at + 1 and _is_label_only(rest[at]))):
            stop += 1
        for block in rest[start:stop]:
            items.extend(_items(block, mid=True))
        del rest[start:stop]
    notes = _front_notes(meta, blocks[:end])
    _read_items(items, front, meta_title, meta_subtitle)
    taken = {id(note) for note in notes if _read_note(note, front)}
    if taken:  # a footnote on the abstract's paragraph, read into the front matter, is not the abstract's too
        for blocks_of in (front.abstract_zh, front.abstract_en):
            map_all_inlines(blocks_of, lambda node: [] if node.get("t") == "Note" and id(node["c"]) in taken else None)
    return front, rest


_NOTE_LABELS = {"received": "收稿日期", "revised": "修回日期", "funding": "基金项目", "biography": "作者简介", "corresponding": "通信作者",
                "clc": "中图分类号", "document_code": "文献标志码", "article_id": "文章编号", "doi": "DOI"}


def _front_notes(meta: dict[str, Any], front: list[Node]) -> list[list[Node]]:
    """The footnotes on the title, the author line and the other front-matter paragraphs (a journal's first-page
    footnote: 收稿日期, 基金项目, 作者简介, 通信作者, the affiliations): each a list of blocks. They leave the document
    with their paragraphs."""
    lists: list[list[Node]] = [_meta_inlines(meta.get("title")), _meta_inlines(meta.get("subtitle")), *_meta_list(meta.get("author"))]
    for block in walk_blocks(front):
        lists.extend(inline_lists(block))
    notes = []
    for inlines in lists:
        notes += [node["c"] for node in walk_inlines(inlines) if node.get("t") == "Note"]
    return notes


def _read_note(note: list[Node], front: FrontMatter) -> bool:
    """A front-matter footnote's labelled lines (收稿日期：…) and numbered affiliations (``1陕西省…；2国网…``) taken into
    the front matter, and reported; what is neither is reported as left out. Whether anything was taken."""
    taken: list[tuple[str, str]] = []  # (metadata key, what)
    for block in walk_blocks(note):
        if block.get("t") not in ("Para", "Plain"):
            continue
        for item in _items(block, mid=True):
            value = item.text.strip()
            if item.label in _NOTE_LABELS and value:
                if _field(item.label, value, front):
                    key = item.label if item.label != "corresponding" else "authors"
                    taken.append((key, _NOTE_LABELS[item.label]))
                continue
            plain = _unmark(value)
            if item.label is None and plain and _looks_like_affiliation(plain) and not _looks_like_authors(plain):
                before = list(front.affiliations)
                _affiliations(plain, front, english=not has_han(plain))
                if front.affiliations != before:
                    taken.append(("affiliations", "affiliations"))
                    continue
            if plain:
                front.guesses.append(("title", f"a first-page footnote's paragraph not understood, left out: {plain[:60]!r}"))
    if taken:
        front.guesses.append((taken[0][0], f"front matter taken from a footnote of the first page: {', '.join(dict.fromkeys(what for _, what in taken))}"))
    return bool(taken)


def _field(label: str, value: str, front: FrontMatter) -> bool:
    """A labelled front-matter value (not an abstract or key words) stored; whether it was."""
    if label == "document_code":
        if value[:1] and value[:1] in "ABCDE":
            front.fields["document_code"] = value[:1]
            return True
        return False
    if label == "doi":
        m = re.search(r"10\.\d{4,9}/[^\s,;，；]+", value)
        if m:
            front.fields.setdefault("doi", m.group(0).rstrip("."))
        return m is not None
    if value and label not in front.fields:
        front.fields[label] = value
        return True
    return False


def _front_end(blocks: list[Node]) -> int:
    """Where the body starts: after the last labelled front-matter paragraph before the first section heading (or,
    without labels, after the title and the author and affiliation lines under it)."""
    first_heading = None
    for i, block in enumerate(blocks):
        if block.get("t") == "Header":
            text = block_text(block).strip()
            if _START_LABEL.match(text) or (i == 0 and not re.match(r"^\s*(?:\d|[一二三四五六七八九十]+、)", text)):
                continue
            first_heading = i
            break
    limit = first_heading if first_heading is not None else min(len(blocks), 30)
    labelled = [i for i in range(limit) if _START_LABEL.match(block_text(blocks[i]).strip()) or _mid_label(block_text(blocks[i]))]
    if labelled:
        end = labelled[-1] + 1
        if _is_label_only(blocks[labelled[-1]]):  # 【摘要】 alone: its paragraph follows
            end += 1
        return min(end, limit)
    end = 0
    while end < limit and end < 4 and _front_like(blocks[end], end):
        end += 1
    return end


def _front_like(block: Node, index: int) -> bool:
    text = block_text(block).strip()
    if not text or block.get("t") not in ("Para", "Plain", "Header"):
        return False
    if block.get("t") == "Header" and (index > 0 or _SECTION_WORDS.match(text) or typed_number(text)[0] is not None):
        return False  # a section's heading, not the title
    return index == 0 and len(text) <= 120 or _looks_like_authors(text) or _looks_like_affiliation(text)


_SECTION_WORDS = re.compile(r"^\s*(?:引言|前言|绪论|概述|摘要|目录|introduction|abstract|contents)\s*$", re.I)


def _starts_with(block: Node, label: str) -> bool:
    m = _START_LABEL.match(block_text(block).strip())
    return m is not None and m.lastgroup == label


def _is_label_only(block: Node) -> bool:
    text = block_text(block).strip()
    m = _START_LABEL.match(text)
    return m is not None and not text[m.end():].strip(" *:：")


def _mid_label(text: str) -> bool:
    return any(m.lastgroup in _MID_OK and ":" in m.group(0) or "：" in m.group(0) for m in _ANY_LABEL.finditer(text[:2000]))


def _short_latin(block: Node) -> bool:
    text = block_text(block).strip()
    return bool(text) and len(text) < 300 and not has_han(text) and block.get("t") in ("Para", "Plain", "Header")


def _items(block: Node, mid: bool) -> list[_Item]:
    """A paragraph as front-matter items: split where labels start."""
    text = block_text(block).strip()
    if not text:
        return []
    if block.get("t") not in ("Para", "Plain", "Header"):
        return [_Item(None, text, (block,))]
    marked = inline_text(_marked(block["c"] if block["t"] != "Header" else block["c"][2])).strip()
    starts = []
    for m in _ANY_LABEL.finditer(marked):
        at_start = not marked[:m.start()].strip(" *【[")
        if at_start or (mid and m.lastgroup in _MID_OK and (":" in m.group(0) or "：" in m.group(0))):
            starts.append((m.start(), m.end(), m.lastgroup))
    if not starts:
        return [_Item(None, marked, (block,))]
    items = []
    if marked[:starts[0][0]].strip(" *"):
        items.append(_Item(None, marked[:starts[0][0]].strip(), ()))
    for n, (start, end, label) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(marked)
        value = marked[end:stop].strip(" *")
        whole = len(starts) == 1 and n == 0 and block["t"] != "Header" and not marked[:start].strip(" *【[")
        kept: tuple[Node, ...] = ()
        if whole:
            inlines = strip_prefix(block["c"], len(block_text(block)) - len(block_text(block).lstrip()) + _label_length(block, start, end))
            kept = ({"t": "Para", "c": inlines},) if inline_text(inlines).strip() else ()
        items.append(_Item(label, _unmark(value), kept))
    return items


def _label_length(block: Node, start: int, end: int) -> int:
    """How many characters of the paragraph's text its label takes (the text without superscript marks)."""
    text = block_text(block).lstrip()
    m = _START_LABEL.match(text)
    return m.end() if m else end


def _read_items(items: list[_Item], front: FrontMatter, meta_title: str, meta_subtitle: str) -> None:
    if meta_title:
        if has_han(meta_title):
            front.title_zh = meta_title
        else:
            front.title_en = meta_title
        front.guesses.append(("title", f"title {meta_title[:40]!r} taken from the Word file's Title style"))
    if meta_subtitle and not has_han(meta_subtitle) and front.title_en is None:
        front.title_en = meta_subtitle
        front.guesses.append(("title", "English title taken from the Word file's Subtitle style"))
    pending: str | None = None  # a label alone on its line: its value is the next paragraph
    english = False  # after the Chinese abstract and key words: unlabelled lines are the English front matter
    for item in items:
        label = item.label
        if label is None and pending is not None:
            label, pending = pending, None
        if label is None:
            _unlabelled(item, front, english)
            continue
        if label == "authors_meta":
            _authors(item.text, front, english=not has_han(item.text))
            continue
        value = item.text.strip()
        if not value and label in ("abstract_zh", "abstract_en", "keywords_zh", "keywords_en"):
            pending = label
            continue
        if label in ("abstract_zh", "abstract_en"):
            blocks = list(item.blocks) if item.blocks else [{"t": "Para", "c": words(value)}]
            target = front.abstract_zh if label == "abstract_zh" else front.abstract_en
            if label == "abstract_zh" and not has_han(value):
                target = front.abstract_en
            target.extend(blocks)
            english = english or label == "abstract_en" or label == "abstract_zh"
            front.guesses.append((f"abstract.{'zh' if target is front.abstract_zh else 'en'}.md",
                                  f"abstract found by its label {'摘要' if label == 'abstract_zh' else 'Abstract'}"))
        elif label in ("keywords_zh", "keywords_en"):
            found = [k.strip(" .。;；—–-") for k in re.split(r"\s*[;；，,、]\s*", value) if k.strip(" .。;；—–-")]
            if label == "keywords_zh" and has_han(value):
                front.keywords_zh.extend(found)
            else:
                front.keywords_en.extend(found)
            english = True
            front.guesses.append(("keywords", f"key words found by their label {'关键词' if label == 'keywords_zh' else 'Key words'}"))
        else:
            _field(label, value, front)


def _unlabelled(item: _Item, front: FrontMatter, english: bool) -> None:
    text = item.text.strip()
    if not text:
        return
    plain = _unmark(text)
    latin = not has_han(plain)
    if (english or latin) and front.title_en is None and not _looks_like_authors(plain) and not _looks_like_affiliation(plain) and latin:
        front.title_en = plain
        front.guesses.append(("title", f"English title taken from the paragraph {plain[:40]!r}"))
        return
    if not latin and front.title_zh is None and not _looks_like_authors(text) and not _looks_like_affiliation(plain):
        front.title_zh = plain
        front.guesses.append(("title", f"title taken from the first paragraph {plain[:40]!r}"))
        return
    # Authors, possibly with their affiliations after them in brackets (a converter's joined lines).
    cut = re.search(r"[（(]\s*(?:\d|[\u4e00-\u9fff]|[A-Z])", text)
    if cut and _looks_like_authors(text[:cut.start()]) and _looks_like_affiliation(text[cut.start():]):
        _authors(text[:cut.start()], front, english=latin)
        _affiliations(_unmark(text[cut.start():]), front, english=latin)
        return
    if _looks_like_affiliation(plain) and not _looks_like_authors(text):
        _affiliations(plain, front, english=latin)
        return
    if _looks_like_authors(text):
        _authors(text, front, english=latin)
        return
    front.guesses.append(("title", f"front-matter paragraph not understood, left out: {plain[:60]!r}"))


def _looks_like_affiliation(text: str) -> bool:
    return len(text) < 600 and bool(_AFFILIATION_WORDS.search(text)) and (text.lstrip()[:1] in "(（" or bool(re.search(r"\d{6}|\d{5}|，|, ", text)))


def _looks_like_authors(text: str) -> bool:
    plain = re.sub(r"\x01[^\x02]*\x02", " ", text)
    names = [n for n in _NAME_SPLIT.split(plain.strip()) if n.strip(_MARK_CHARS + " ")]
    if not names or len(plain) > 300 or re.search(r"[。；：:!?！？]", plain):
        return False
    return all(_name_like(n.strip(_MARK_CHARS + " ")) for n in names)


def _name_like(name: str) -> bool:
    if has_han(name):
        return bool(re.fullmatch(r"[\u4e00-\u9fff·•]{2,5}", name))
    return bool(re.fullmatch(r"[A-Z][A-Za-z'’.-]*(?:\s+[A-Z][A-Za-z'’.-]*){0,3}", name))


def _authors(text: str, front: FrontMatter, english: bool) -> None:
    found = []
    for raw in _split_names(text):
        marks = tuple(m for chunk in re.findall(r"\x01([^\x02]*)\x02", raw) for m in re.split(r"[,，\s]+", chunk.translate(_SUPERSCRIPT_DIGITS)) if m)
        name = re.sub(r"\x01[^\x02]*\x02", "", raw).strip()
        trailing = re.search(rf"[{re.escape(_MARK_CHARS)}]+$", name)
        if trailing:
            marks += tuple(m for m in re.split(r"[,，]+", trailing.group(0).translate(_SUPERSCRIPT_DIGITS)) if m)
            name = name[:trailing.start()].strip()
        corresponding = any("*" in m or "∗" in m for m in marks)
        marks = tuple(m.strip("*∗†‡#") for m in marks if m.strip("*∗†‡#"))
        if name:
            found.append(AuthorGuess(None if english else name, name if english else None, marks, corresponding))
    if not found:
        return
    existing = [a for a in front.authors if (a.en if english else a.zh) is None]
    if existing and len(existing) == len(found) and len(front.authors) == len(found):
        for author, new in zip(front.authors, found, strict=True):  # the same authors in the other language
            if english:
                author.en = new.en
            else:
                author.zh = new.zh
            author.marks = author.marks or new.marks
            author.corresponding = author.corresponding or new.corresponding
        front.guesses.append(("authors", f"{'English' if english else 'Chinese'} author names paired with the "
                              f"{'Chinese' if english else 'English'} ones in their order"))
        return
    if not front.authors:
        front.authors = found
        front.guesses.append(("authors", f"authors read from the line {_unmark(text)[:50]!r}"))


def _split_names(text: str) -> list[str]:
    """Names split at commas outside superscript marks (``张三\x011,2\x02，李四``)."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "\x01":
            depth += 1
        elif ch == "\x02":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "，,、;；":
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    out.append("".join(current))
    parts = []
    for piece in out:
        piece = piece.strip()
        if not piece:
            continue
        bare = re.sub(r"\x01[^\x02]*\x02", "", piece)
        # Chinese names separated by spaces only (张三 李四): each its own name.
        if has_han(bare) and re.fullmatch(r"[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})+", bare.strip()):
            parts.extend(bare.split())
        else:
            parts.append(piece)
    return parts


def _affiliations(text: str, front: FrontMatter, english: bool) -> None:
    inner = text.strip()
    if inner[:1] in "(（" and inner[-1:] in ")）":
        inner = inner[1:-1]
    elif inner[:1] in "(（":
        inner = inner[1:]
    pieces = [p for p in re.split(r"\s*[;；]\s*|\s+(?=\d\s*[.．、]?\s*[A-Z\u4e00-\u9fff])", inner) if p.strip()]
    found = []
    for n, piece in enumerate(pieces, 1):
        m = re.match(r"^\s*(\d{1,2})\s*[.．、]?\s*", piece)
        mark = m.group(1) if m else str(n)
        found.append((mark, piece[m.end():].strip() if m else piece.strip()))
    if not found:
        return
    if front.affiliations and len(front.affiliations) == len(found):
        front.affiliations = [(mark, zh if english else value, value if english else en)
                              for (mark, zh, en), (_, value) in zip(front.affiliations, found, strict=True)]
        return
    if not front.affiliations:
        front.affiliations = [(mark, None if english else value, value if english else None) for mark, value in found]
        front.guesses.append(("affiliations", f"affiliations read from {_unmark(text)[:50]!r}; check the authors' affiliation marks"))


def _marked(inlines: Any) -> list[Node]:
    """Inlines with superscripts fenced by \\x01…\\x02 (affiliation marks), for the author line."""
    out: list[Node] = []
    for node in inlines if isinstance(inlines, list) else []:
        if node.get("t") == "Superscript":
            out += [{"t": "Str", "c": "\x01"}, *node["c"], {"t": "Str", "c": "\x02"}]
        elif node.get("t") in ("Strong", "Emph", "Span", "Underline"):
            inner = node["c"] if node["t"] != "Span" else node["c"][1]
            out += _marked(inner)
        else:
            out.append(node)
    return out


def _unmark(text: str) -> str:
    return re.sub(r"\x01([^\x02]*)\x02", "", text).replace("\x01", "").replace("\x02", "").strip()


def _meta_inlines(value: Any) -> list[Node]:
    if isinstance(value, dict):
        if value.get("t") == "MetaInlines":
            return list(value["c"])
        if value.get("t") == "MetaBlocks":
            return [n for b in value["c"] for n in (b["c"] if b.get("t") in ("Para", "Plain") else [])]
        if value.get("t") == "MetaString":
            return words(str(value["c"]))
    return []


def _meta_list(value: Any) -> list[list[Node]]:
    if isinstance(value, dict) and value.get("t") == "MetaList":
        return [_meta_inlines(v) for v in value["c"]]
    inlines = _meta_inlines(value)
    return [inlines] if inlines else []


def _meta_blocks(value: Any) -> list[Node]:
    if isinstance(value, dict) and value.get("t") == "MetaBlocks":
        return list(value["c"])
    return []
