"""What a journal chooses about its GB/T 7714 reference list: one profile, no code forks."""
from __future__ import annotations

from dataclasses import dataclass

STYLES = ("gb7714-2015", "gb7714-2025")
SYSTEMS = ("numeric", "author-year")
TITLE_CASES = ("by-format", "sentence", "as-stored")


@dataclass(frozen=True, slots=True)
class Options:
    edition: int = 2015
    """2015 or 2025."""
    system: str = "numeric"
    """``numeric`` (顺序编码制) or ``author-year`` (著者-出版年制)."""
    uppercase_surnames: bool | None = None
    """Western and pinyin surnames in capitals; ``None`` follows the edition (2015 yes, 2025 no)."""
    punctuation: str | None = None
    """``half`` (ASCII ``, : ;`` with spaces), ``gb`` (full-width ``，：；（）``, half-width ``. ``) or
    ``by-language`` (full-width for Chinese entries only); ``None`` follows the edition (2015 half, 2025 gb)."""
    print_doi: bool = True
    print_url: bool = True
    doi_online: bool = True
    """An entry with a printed DOI but no URL is an online item (``[J/OL]``)."""
    short_journal: bool = False
    """Use ``shortjournal`` (ISO 4, as medical journals print them) when an entry has one."""
    et_al_after: int = 3
    """List at most this many names, then 等 / et al."""
    title_case: str = "by-format"
    """English titles: ``by-format`` converts BibTeX titles to sentence case ({braces} protect) and keeps CSL-JSON
    titles as stored (CSL stores sentence case); ``sentence`` converts both; ``as-stored`` converts none.
    Conversion never lowercases acronyms, words with digits or inner capitals, or proper nouns."""
    bilingual: bool = False
    """Follow a Chinese entry by its English translation (``title_translation_en``-style fields)."""

    pinyin_names: str | None = None
    """A Chinese name in pinyin (``Wang, Shanshan``): ``full`` given name (Wang Shanshan, 2025 7.1.1) or ``initials``
    (WANG S); ``None`` follows the edition (2025 full, 2015 initials)."""

    @property
    def full_pinyin_names(self) -> bool:
        return self.edition == 2025 if self.pinyin_names is None else self.pinyin_names == "full"

    @property
    def uppercase(self) -> bool:
        return self.edition == 2015 if self.uppercase_surnames is None else self.uppercase_surnames

    def punctuation_for(self, cjk_entry: bool) -> str:
        style = self.punctuation or ("half" if self.edition == 2015 else "gb")
        if style == "by-language":
            return "gb" if cjk_entry else "half"
        return style


@dataclass(frozen=True, slots=True)
class Punctuation:
    comma: str
    colon: str
    semicolon: str
    open_paren: str
    close_paren: str
    full: bool

    @classmethod
    def of(cls, style: str) -> Punctuation:
        if style == "gb":
            return cls("，", "：", "；", "（", "）", True)
        return cls(", ", ": ", "; ", "(", ")", False)
