"""Decide an entry's language: ``langid``/``language`` first, else the script of its text."""
from __future__ import annotations

import re
from typing import Literal, Mapping

EntryLang = Literal["zh", "ja", "ko", "ru", "en"]

_LANG_NAMES: dict[str, EntryLang] = {
    "chinese": "zh", "zh": "zh", "zh-cn": "zh", "zh-hans": "zh", "zh-hant": "zh", "pinyin": "zh", "中文": "zh",
    "japanese": "ja", "ja": "ja", "korean": "ko", "ko": "ko", "russian": "ru", "ru": "ru",
}


def entry_language(fields: Mapping[str, str], names_text: str = "") -> EntryLang:
    for field in ("langid", "language"):
        value = fields.get(field, "").strip().lower()
        if value:
            return _LANG_NAMES.get(value, "en")
    sample = names_text + "".join(fields.get(f, "") for f in ("title", "booktitle", "journal", "journaltitle", "publisher",
                                                               "address", "location", "institution", "school", "edition"))
    return script_language(sample)


_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def script_language(text: str) -> EntryLang:
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    if _CYRILLIC.search(text):
        return "ru"
    return "en"


def has_han(text: str) -> bool:
    """Does ``text`` hold a Chinese character (CJK ideograph)?"""
    return _HAN.search(text) is not None


def uses_cjk_terms(lang: EntryLang) -> bool:
    """Chinese and Japanese entries take 等/译/版; the others take et al./trans./ed."""
    return lang in ("zh", "ja")
