"""What a journal chooses about its GB/T 7714 reference list."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    edition: int = 2015
    """2015 or 2025."""
    uppercase_surnames: bool | None = None
    """Western surnames in capitals; ``None`` follows the edition (2015 yes, 2025 no)."""
    print_doi: bool = True
    short_journal: bool = False
    """Use ``shortjournal`` (ISO 4, as medical journals print them) when an entry has one."""
    et_al_after: int = 3
    """List at most this many names, then 等 / et al."""

    @property
    def uppercase(self) -> bool:
        return self.edition == 2015 if self.uppercase_surnames is None else self.uppercase_surnames


@dataclass(frozen=True, slots=True)
class Punctuation:
    comma: str
    colon: str
    semicolon: str
    open_paren: str
    close_paren: str

    @classmethod
    def for_edition(cls, edition: int) -> "Punctuation":
        # 2025 prints ，：；（） full-width and keeps ". " half-width (RULES.md §2.2, bibpunct=GB).
        if edition == 2025:
            return cls("，", "：", "；", "（", "）")
        return cls(", ", ": ", "; ", "(", ")")
