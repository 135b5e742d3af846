"""Decide an entry's language: ``langid``/``language``/``hyphenation`` first, in any spelling users write, else the
script of its title and names."""
from __future__ import annotations

import re
from collections.abc import Mapping

from mspress.text import Script, script_language

EntryLang = Script

LANGUAGE_FIELDS = ("langid", "language", "hyphenation")
_NAMES: dict[str, str] = {
    "chinese": "zh", "zh": "zh", "zho": "zh", "chi": "zh", "cn": "zh", "pinyin": "zh", "中文": "zh", "汉语": "zh",
    "简体中文": "zh", "繁体中文": "zh", "繁體中文": "zh", "mandarin": "zh", "schinese": "zh", "tchinese": "zh",
    "japanese": "ja", "ja": "ja", "jpn": "ja", "日本語": "ja", "日语": "ja", "日文": "ja",
    "korean": "ko", "ko": "ko", "kor": "ko", "한국어": "ko", "韩语": "ko", "韩文": "ko",
    "russian": "ru", "ru": "ru", "rus": "ru", "русский": "ru", "俄语": "ru", "俄文": "ru",
    "english": "en", "en": "en", "eng": "en", "american": "en", "british": "en", "canadian": "en", "australian": "en",
    "newzealand": "en", "usenglish": "en", "ukenglish": "en", "americanenglish": "en", "britishenglish": "en", "英文": "en",
    "英语": "en", "anglais": "en", "englisch": "en", "inglés": "en", "ingles": "en",
    "german": "de", "ngerman": "de", "deutsch": "de", "de": "de", "ger": "de", "deu": "de", "austrian": "de", "naustrian": "de",
    "french": "fr", "francais": "fr", "français": "fr", "fr": "fr", "fre": "fr", "fra": "fr",
    "spanish": "es", "español": "es", "es": "es", "spa": "es", "italian": "it", "it": "it", "ita": "it",
    "portuguese": "pt", "portuges": "pt", "brazilian": "pt", "pt": "pt", "por": "pt", "dutch": "nl", "nl": "nl",
}
"""Language names and codes as BibLaTeX (babel/polyglossia names), Zotero, CNKI and ISO 639 write them."""
_SEPARATORS = re.compile(r"[\s;,；，/|]+")
_SCRIPT_LANGS: dict[str, EntryLang] = {"zh": "zh", "ja": "ja", "ko": "ko", "ru": "ru", "en": "en"}


def language_code(value: str) -> str | None:
    """``中文;``, ``zh-CN``, ``Chinese``, ``en_US`` → ``zh``/``en``…; ``None`` for a value no tool would recognise.

    Only the first language of a list counts (``Chinese; English``).
    """
    for word in _SEPARATORS.split(value.strip().lower()):
        if not word:
            continue
        code = _NAMES.get(word) or _NAMES.get(re.split(r"[-_]", word)[0])  # zh-CN, zh_Hans, en-US
        if code is None and "(" in word:
            code = _NAMES.get(word.split("(")[0])
        return code
    return None


def declared_language(fields: Mapping[str, str]) -> tuple[str, str] | None:
    """The first language field the entry has, and its value."""
    for field in LANGUAGE_FIELDS:
        value = fields.get(field, "").strip()
        if value:
            return field, value
    return None


def entry_language(fields: Mapping[str, str], names_text: str = "") -> EntryLang:
    declared = declared_language(fields)
    code = language_code(declared[1]) if declared else None
    if code is not None:
        return _SCRIPT_LANGS.get(code, "en")  # terms: Western languages take et al., ed., trans.
    sample = names_text + "".join(fields.get(f, "") for f in ("title", "booktitle", "journal", "journaltitle", "publisher",
                                                               "address", "location", "institution", "school", "edition"))
    return script_language(sample)


def is_english(fields: Mapping[str, str], lang: EntryLang) -> bool:
    """English titles take sentence case; French, German or Portuguese ones are left as written."""
    declared = declared_language(fields)
    code = language_code(declared[1]) if declared else None
    return code == "en" if code is not None else lang == "en"


def uses_cjk_terms(lang: EntryLang) -> bool:
    """Chinese and Japanese entries take 等/译/版; the others take et al./trans./ed."""
    return lang in ("zh", "ja")
