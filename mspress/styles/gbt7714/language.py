"""Decide an entry's language: ``langid``/``language`` first, else the script of its text."""
from __future__ import annotations

from collections.abc import Mapping

from mspress.text import Script, script_language

EntryLang = Script

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


def uses_cjk_terms(lang: EntryLang) -> bool:
    """Chinese and Japanese entries take 等/译/版; the others take et al./trans./ed."""
    return lang in ("zh", "ja")
