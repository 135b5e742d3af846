"""Pinyin sort keys for Chinese names, from pypinyin's character table read directly.

Importing pypinyin loads its phrase dictionary and segmenter (0.16–0.25 s); a list sorted by author needs only
each character's reading, which its ``pinyin_dict.json`` holds (15 ms to read). A name's first character is
read as a surname where surnames have their own reading (曾 Zeng, not ceng; 单 Shan, not dan).
"""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

SURNAMES = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "区": "ou1", "查": "zha1", "朴": "piao2", "秘": "bi4",
    "盖": "ge3", "乐": "yue4", "覃": "qin2", "尉": "yu4", "缪": "miao4", "翟": "zhai2", "种": "chong2", "繁": "po2",
    "员": "yun4", "召": "shao4", "折": "she2", "洗": "xian3", "冼": "xian3", "那": "na1", "长": "chang2", "石": "shi2",
    "重": "chong2", "隗": "wei3", "黑": "he4", "句": "gou1", "沈": "shen3", "万": "wan4", "贾": "jia3", "柏": "bai3",
    "纪": "ji3", "宁": "ning4", "阚": "kan4", "哈": "ha3", "都": "du1", "薄": "bo2", "卜": "bu3", "过": "guo1",
}
"""Surnames whose reading differs from the character's first (most common) reading in pypinyin's table."""
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


@cache
def _readings() -> dict[str, str]:
    """Code point (as text) → its readings with tone marks (``hàn,hán``), pypinyin's own data file."""
    spec = importlib.util.find_spec("pypinyin")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    readings: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return readings


@cache
def _reading(ch: str) -> str:
    """A character's first reading, tone as a digit (``han4``); '' for a character pinyin does not cover."""
    marked = _readings().get(str(ord(ch)))
    return _tone3(marked.split(",")[0]) if marked else ""


def _tone3(marked: str) -> str:
    """``hàn`` → ``han4``, ``lǜ`` → ``lv4``; a syllable without a tone mark is neutral (5)."""
    tone = "5"
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", marked):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch == "\u0308":  # ü
            out[-1] = "v"
        else:
            out.append(ch)
    return "".join(out) + tone


def pinyin_key(names: str) -> str:
    """Chinese names as tone-numbered syllables (``曾小明`` → ``zeng1 xiao3 ming2``); other text kept as words.

    The character that starts the text or follows a space is read as a surname.
    """
    tokens: list[str] = []
    word = ""
    for i, ch in enumerate(names):
        surname = i == 0 or names[i - 1].isspace()
        reading = (SURNAMES.get(ch) if surname else None) or (_reading(ch) if ch > "\u2e7f" else "")
        if reading or ch.isspace():
            tokens += [word] if word else []
            word = ""
            tokens += [reading] if reading else []
        else:
            word += ch
    return " ".join([*tokens, word] if word else tokens)


CHINESE_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng
deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng wei su lv lu ding ren shen yao jin qiu fu zou shi
xiong meng qin yan xue hou lei bai long duan hao kong shao mao chang wan qian gu lai wen tan fan fang yin kang jia
xia dai cui ou qi mo niu ge bao yi hong chu tao di ji shu sheng lan pei gong geng mei bi an bian ning she zhong
zhan zuo mu mi nie rao xing miao lian jiao ke tong ai yue zhuo chai quan que liao
""".split())
"""Family names, in pinyin, of nearly all Chinese authors: with a given name that is all pinyin syllables, a name
written in Latin letters is read as a Chinese name (2025 prints it whole: Wang Shanshan; 2015 abbreviates it, WANG S)."""


@cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (about 410), from pypinyin's character table (read once, when first needed)."""
    plain = ",".join(_readings().values()).translate(_TONELESS)
    return frozenset(plain.split(",")) - {"", "n", "m", "ng", "hm", "hng"}  # interjections (嗯, 呣) are no name


_TONELESS = str.maketrans({**{ch: base for base, marked in (("a", "āáǎà"), ("e", "ēéěèếềê"), ("i", "īíǐì"), ("o", "ōóǒò"),
                                                              ("u", "ūúǔù"), ("v", "ǖǘǚǜü"), ("n", "ńňǹ"), ("m", "ḿ"))
                              for ch in marked}, **{chr(c): None for c in range(0x300, 0x370)}})
"""Tone-marked pinyin → toneless, ü as v (as pypinyin's TONE3 style writes it)."""
WESTERN_GIVEN_NAMES = frozenset("""alan alice amanda angela anna anne ben dan dana denise diana diane hana helen jan jana
juan julia julie karen lena leo linda lisa logan lori luca maria marie megan mia mike mina natalie nina pamela rena sana
sean susan tanya teresa tina yuri""".split())
"""Western given names that are also spelt as pinyin (Li, Susan): read as Western names, with initials."""


def _all_syllables(letters: str) -> bool:
    """``shanshan`` → shan + shan: the letters split into real pinyin syllables (longest first, backtracking)."""
    known = _syllables()
    ends = {len(letters)}
    for start in range(len(letters) - 1, -1, -1):  # dynamic programming from the end: linear in the letters
        if any(letters[start:end] in known for end in range(start + 1, min(len(letters), start + 6) + 1) if end in ends):
            ends.add(start)
    return 0 in ends


def is_pinyin_name(family: str, given: str) -> bool:
    """``Wang, Shanshan``: a common Chinese surname and a given name of pinyin syllables (``Xiao-Ming`` too)."""
    letters = re.sub(r"[\s'’-]+", "", given.replace("ü", "v")).lower()
    if family.lower() not in CHINESE_SURNAMES or not 0 < len(letters) <= 24 or not letters.isascii() or not letters.isalpha():
        return False
    return letters not in WESTERN_GIVEN_NAMES and _all_syllables(letters)
