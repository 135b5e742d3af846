"""The result of ``check``: diagnostics, the numbering table, and their printed forms."""
from __future__ import annotations

import json
from dataclasses import dataclass

from mspress.errors import Diagnostic, Location, Severity


@dataclass(frozen=True, slots=True)
class NumberRow:
    """One line of the editor's numbering table."""

    number: int
    label: str
    """Citation key (project mode) or the reference text (editor mode); '' when the list has no entry."""
    first: Location | None
    count: int


@dataclass(frozen=True, slots=True)
class CheckReport:
    diagnostics: tuple[Diagnostic, ...]
    table: tuple[NumberRow, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def exit_code(self, strict: bool) -> int:
        """0: clean (warnings allowed unless strict); 1: errors (or warnings under strict)."""
        return 1 if self.errors or (strict and self.warnings) else 0


def summary(report: CheckReport) -> str:
    return f"{report.errors} error{'s' * (report.errors != 1)}, {report.warnings} warning{'s' * (report.warnings != 1)}"


def as_text(report: CheckReport, with_table: bool) -> str:
    lines = [str(d) for d in report.diagnostics]
    if with_table:
        lines += ["", f"{'No.':>4}  {'first cited':<36} {'times':>5}  reference"]
        for row in report.table:
            where = str(row.first) if row.first else "never cited"
            lines.append(f"{row.number:>4}  {where:<36} {row.count:>5}  {_short(row.label)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _location(loc: Location | None) -> dict[str, object] | None:
    return None if loc is None else {"path": loc.path.as_posix(), "line": loc.line, "column": loc.column}


def as_json(report: CheckReport, with_table: bool) -> str:
    data: dict[str, object] = {
        "diagnostics": [{"code": d.code, "severity": d.severity.value, "path": d.location.path.as_posix(),
                         "line": d.location.line, "column": d.location.column, "message": d.message} for d in report.diagnostics],
        "errors": report.errors,
        "warnings": report.warnings,
    }
    if with_table:
        data["numbering"] = [{"number": r.number, "reference": r.label, "first_citation": _location(r.first), "citations": r.count}
                             for r in report.table]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    def clean(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = [f"::{d.severity.value} file={d.location.path.as_posix()},line={d.location.line},col={d.location.column},title={d.code}::{clean(d.message)}"
             for d in report.diagnostics]
    return "\n".join(lines + [summary(report)]) + "\n"


def escape(text: str, quote: bool) -> str:
    """``html.escape`` (importing the html package loads its entity table: 1.4 ms of every ``check``)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes (html.escape output is valid XML)."""
    return f'"{escape(text, quote=True)}"'


def as_junit(report: CheckReport, name: str) -> str:
    """One test case per diagnostic (failures for errors); a passing case when there are none."""
    cases = []
    for d in report.diagnostics:
        case = f'  <testcase classname={quoteattr(d.code)} name={quoteattr(str(d.location))}>'
        tag = "failure" if d.severity is Severity.ERROR else "system-out"
        body = f'<failure type={quoteattr(d.code)} message={quoteattr(d.message)}>{escape(str(d), quote=False)}</failure>' if tag == "failure" \
            else f"<system-out>{escape(str(d), quote=False)}</system-out>"
        cases.append(f"{case}{body}</testcase>")
    if not cases:
        cases.append(f'  <testcase classname="mspress.check" name={quoteattr(name)}/>')
    tests = max(1, len(report.diagnostics))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n <testsuite name={quoteattr("mspress check " + name)} '
            f'tests="{tests}" failures="{report.errors}" errors="0">\n' + "\n".join(cases) + "\n </testsuite>\n</testsuites>\n")


def as_sarif(report: CheckReport, rules: dict[str, str]) -> str:
    """SARIF 2.1.0, as code-scanning dashboards read it."""
    used = sorted({d.code for d in report.diagnostics})
    sarif = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "mspress", "informationUri": "https://pypi.org/project/mspress/",
                                "rules": [{"id": code, "shortDescription": {"text": rules.get(code, code)}} for code in used]}},
            "results": [{
                "ruleId": d.code,
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": d.location.path.as_posix()},
                                                    "region": {"startLine": d.location.line, "startColumn": d.location.column}}}],
            } for d in report.diagnostics],
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


CODES = {
    "undefined-citation": "A citation names a key or number that is not in the library or reference list",
    "uncited-reference": "A reference is never cited",
    "citation-out-of-order": "A number is cited for the first time before a smaller number",
    "citation-gap": "A number between 1 and the largest cited number is never cited",
    "invalid-range": "A citation range is reversed, empty or starts at 0",
    "uncompressed-range": "Consecutive numbers are listed one by one instead of as a range",
    "bracket-style": "Citation brackets or placement are mixed",
    "entry-type-code": "A typed reference entry lacks its document type code or has a wrong one",
    "entry-et-al": "A typed entry lists more than three authors, or has 等/et al. in the wrong place or language",
    "entry-names": "A typed entry writes a Western name given name first, or with dotted initials",
    "entry-online": "A typed entry's URL, medium code /OL and access date do not agree with the edition",
    "entry-punctuation": "A typed entry's punctuation has the other width than the edition prints",
    "entry-separators": "A typed entry separates its elements otherwise than GB/T 7714",
    "entry-unreadable": "A typed entry cannot be read as a GB/T 7714 entry",
    "no-reference-list": "No typed reference list was found, so only the order and gaps of cited numbers were checked",
    "duplicate-key": "The same citation key is defined twice",
    "duplicate-reference": "Two keys or list entries describe the same work",
    "duplicate-label": "The same cross-reference label is defined twice",
    "bib-syntax": "A BibTeX entry cannot be parsed",
    "missing-field": "A cited entry lacks a field GB/T 7714 requires for its type",
    "invalid-field": "A field value is malformed (DOI, year, pages, date, language)",
    "undefined-crossref": "A cross reference names no figure, table or heading",
    "unreferenced-figure": "A figure or table is never referred to",
    "missing-figure": "A figure file is missing or outside the project",
    "missing-metadata": "A required front-matter field or abstract is absent",
    "invalid-metadata": "A front-matter field is malformed",
    "missing-section": "The manuscript has no body section",
    "keyword-mismatch": "Chinese and English key words differ in number",
    "mixed-punctuation": "Full-width punctuation in English text or ASCII punctuation between Chinese characters",
    "citation-in-abstract": "An abstract cites references",
    "config": "A [tool.mspress] setting is unknown or malformed",
    "input-error": "An input file cannot be read or parsed",
}
