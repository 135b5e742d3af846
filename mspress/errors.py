"""The single user-error type and the diagnostics it carries."""
from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ExitCode(enum.IntEnum):
    """Exit status of every command."""

    DONE = 0
    """The command did its work (``check``: no errors; warnings too under ``--strict``)."""
    MANUSCRIPT_ERRORS = 1
    """The manuscript (or checked file) has errors; each is printed as ``path:line:col: …``."""
    UNUSABLE = 2
    """The command line, the configuration or the input could not be used at all."""


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a project file; ``path`` is relative to the project root when possible."""

    path: Path
    line: int = 1
    """1-based line."""
    column: int = 1
    """1-based column, counted in characters."""

    def __str__(self) -> str:
        return f"{self.path.as_posix()}:{self.line}:{self.column}"

    @classmethod
    def in_text(cls, path: Path, text: str, offset: int) -> Location:
        """The location of character ``offset`` of ``text`` read from ``path``."""
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return cls(path, line, column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the user's input."""

    code: str
    """Stable, kebab-case identifier such as ``undefined-citation``."""
    severity: Severity
    message: str
    """What is wrong and what to do about it."""
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"


class ManuscriptError(Exception):
    """A mistake in the user's input; the CLI prints it as one line and exits non-zero."""

    exit_code = ExitCode.MANUSCRIPT_ERRORS

    def __init__(self, location: Location, message: str, code: str = "input-error") -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(code, Severity.ERROR, message, location)

    @property
    def location(self) -> Location:
        return self.diagnostic.location

    def __reduce__(self) -> tuple[Any, ...]:  # pickled from the forked PDF typesetter (writers/typesetter.py)
        d = self.diagnostic
        return type(self), (d.location, d.message, d.code)

    def __str__(self) -> str:
        return str(self.diagnostic)


class ManuscriptErrors(ManuscriptError):
    """Several user mistakes found in one pass, reported together."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        first = diagnostics[0]
        super().__init__(first.location, first.message, first.code)
        self.diagnostics = tuple(diagnostics)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (list(self.diagnostics),)

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


def relative_to(path: Path, root: Path) -> Path:
    """``path`` relative to ``root`` for messages, unchanged when outside it."""
    # The path as named (a link stays a link): a message names the file the user has, not where it points.
    named, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    if named.is_relative_to(base):
        return named.relative_to(base)
    try:
        for candidate, against in ((named, base.resolve()), (path.resolve(), base.resolve())):
            if candidate.is_relative_to(against):
                return candidate.relative_to(against)
    except (OSError, RuntimeError):  # a link that loops
        pass
    return path


class ConfigError(ManuscriptErrors):
    """``[tool.mspress]`` or a journal profile cannot be used: nothing can be built or checked."""

    exit_code = ExitCode.UNUSABLE


class InputUnreadable(ManuscriptError):
    """The input could not be read at all (no manuscript/ directory, an unreadable file given to ``check``)."""

    exit_code = ExitCode.UNUSABLE


class SetupError(Exception):
    """The machine lacks something mspress needs (pandoc, fonts): not the manuscript's fault."""

    exit_code = ExitCode.UNUSABLE
