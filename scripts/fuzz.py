"""Mutation fuzzing of the readers of user files: BibTeX, CSL-JSON, metadata.yaml, citations (typed, in editor
mode; and in Markdown, through pandoc and the project's citation reader), and reference managers' exports (through
``mspress import`` into a project).

Usage: python scripts/fuzz.py [--minutes 10] [--seed N] [--crashes DIR]

Each round takes a real input (the example's files and the test fixtures), mutates it (bytes flipped, slices
repeated or cut, tokens of the format inserted) and gives it to a reader. A user error (``ManuscriptError``) is
the right answer to a broken file; anything else is a crash, saved under ``--crashes`` with its traceback. Prints
rounds, user errors and crashes per reader; exits 1 if anything crashed.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mspress.errors import ManuscriptError  # noqa: E402

TOKENS = {
    "bibtex": ["@article{", "@string{", "@set{", "@comment{", "}", "{", ",", "=", "#", "\"", " and ", "others", "~", "\\'", "\\v{",
               "$^", "$_", "{\\LaTeX}", "crossref = {", "xdata = {", "author = {", "\\url{", "%", "\n", "张三", "\0"],
    "csljson": ["{", "}", "[", "]", ",", ":", "\"", "\"id\"", "\"date-parts\"", "\"author\"", "\"family\"", "null", "true", "1e999",
                "99999999999999999999", "\"type\"", "\\u0000", "\\ud800"],
    "yaml": ["&a ", "*a", "!!python/object ", "- ", ": ", "{", "}", "[", "]", "\n  ", "'", "\"", "|", ">", "? ", "!!binary ", "%YAML 1.1\n",
             "---\n", "...\n", "\t", "#"],
    "citations": ["[", "]", "［", "］", ",", "，", "、", "-", "–", "~", "～", "^", "<sup>", "</sup>", "参考文献", "\n", "文献", "[1]", "999999",
                  "〔", "【", "】", "\\~", "$^{[", "]}$", "^ { [", "$", "`", "```\n", "![a](b)", "<br/>", "\t", "1. ", "[J]. ", "[J/OL]. ",
                  "[M]//", "等. ", "et al. ", "http://a.b/c ", "[2020-01-01]", "∈", "区间", "参考文献(References)：", "\n# 附录\n", "  " * 50],
    "exports": ["TY  - JOUR\n", "TY  - THES\n", "AU  - ", "A1  - ", "ER  - \n", "PY  - ", "Y1  - ", "DO  - 10.1/x\n", "\r\n",
                "{Reference Type}: ", "{Author}: ", "{Title}: ", "{Year}: ", "%0 Journal Article\n", "%A ", "%T ", "%D ", "\n\n",
                "<record>", "</record>", "<ref-type name=\"Thesis\">", "<author>", "</author>", "<![CDATA[", "]]>", "&amp;", "&#0;",
                "<style>", "</style>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "[1] ", "张三;李四;", "Zhang, San", "[J]. ", "\ufeff",
                "\0", "<xml><records>"],
    "markdown": ["[@", "@", "]", "[", ";", "；", "［", "］", "^[", "[^1]", "\n[^1]: ", "`", "```\n", "<!--", "-->", "\\@", "{#fig:a}", "@fig:a",
                 "@sec:", "\n# ", "> ", "- ", "$", "![a](figures/demo.svg)", "p. 5", "，第5页"],
}


def seeds() -> dict[str, list[str]]:
    fixtures = REPO / "tests" / "fixtures"
    bib = [p.read_text(encoding="utf-8") for p in [REPO / "references" / "library.bib", *sorted((fixtures / "projects").glob("*/references/*.bib"))]]
    bib += [p.read_text(encoding="utf-8").split("\n.\n")[1] for p in sorted((fixtures / "gbt7714").glob("*.txt")) if "\n.\n" in p.read_text(encoding="utf-8")]
    metadata = [p.read_text(encoding="utf-8") for p in [REPO / "manuscript" / "metadata.yaml", *sorted((fixtures / "projects").glob("*/manuscript/metadata.yaml"))]]
    typed = [p.read_text(encoding="utf-8") for p in sorted((fixtures / "check" / "editor").glob("*.txt"))]
    typed += [p.read_text(encoding="utf-8") for folder in ("editor-real", "editor-heldout") for p in sorted((fixtures / folder).glob("*.md"))
              if p.name != "SOURCES.md"]  # real manuscripts
    markdown = [p.read_text(encoding="utf-8") for p in sorted((REPO / "manuscript").glob("0*.md"))]
    bib += [p.read_text(encoding="utf-8") for p in sorted((fixtures / "libraries").glob("*.bib"))]  # real libraries
    csl = ['[{"id": "a", "type": "article-journal", "title": "T", "author": [{"family": "Wang", "given": "Wu"}], '
           '"container-title": "J", "issued": {"date-parts": [[2020, 1, 2]]}, "volume": "1", "page": "1-2", "DOI": "10.1/x"}]']
    csl += [p.read_text(encoding="utf-8") for p in sorted((fixtures / "libraries").glob("*.json"))]
    exports = [p.read_text(encoding="utf-8") for p in sorted((fixtures / "reference-exports").iterdir()) if p.name != "SOURCES.md"]
    return {"bibtex": bib, "csljson": csl, "yaml": metadata, "citations": typed, "markdown": markdown, "exports": exports}


def mutate(text: str, tokens: list[str], rng: random.Random) -> str:
    for _ in range(rng.randint(1, 8)):
        if not text:
            text = rng.choice(tokens)
        at = rng.randrange(len(text) + 1)
        kind = rng.random()
        if kind < 0.35:
            text = text[:at] + rng.choice(tokens) * rng.choice([1, 1, 2, 50]) + text[at:]
        elif kind < 0.55:
            end = min(len(text), at + rng.randint(1, 40))
            text = text[:at] + text[end:]
        elif kind < 0.7:
            end = min(len(text), at + rng.randint(1, 200))
            text = text[:at] + text[at:end] * rng.randint(2, 5) + text[at:]
        elif kind < 0.85 and text:
            i = rng.randrange(len(text))
            text = text[:i] + chr(rng.choice([0, 0x7f, 0xa0, 0x3000, 0xfeff, ord("{"), ord("}"), rng.randrange(0x20, 0x3000)])) + text[i + 1:]
        else:
            text = text[:at]
    return text


def run_bibtex(text: str, work: Path) -> None:
    from mspress.checks.rules import reference_value_problems
    from mspress.errors import Diagnostic
    from mspress.model import Reference
    from mspress.sources.bibtex import link_entries, parse_bibtex
    from mspress.styles.gbt7714 import format_bibliography, format_reference
    from mspress.styles.gbt7714.options import Options

    references: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    parse_bibtex(text, Path("references/x.bib"), references, problems)
    link_entries(references, problems)
    for reference in references.values():
        format_reference(reference, Options())
        format_reference(reference, Options(edition=2025))
        list(reference_value_problems(reference))
    format_bibliography(list(references.values()), Options(system="author-year"))


def run_csljson(text: str, work: Path) -> None:
    from mspress.model import Reference
    from mspress.sources.csljson import parse_csl_json
    from mspress.styles.gbt7714 import format_reference
    from mspress.styles.gbt7714.options import Options

    references: dict[str, Reference] = {}
    parse_csl_json(text, Path("references/x.json"), references, [])
    for reference in references.values():
        format_reference(reference, Options())
        format_reference(reference, Options(edition=2025, system="author-year"))


def run_yaml(text: str, work: Path) -> None:
    from mspress.sources.metadata import load_metadata

    load_metadata(text, Path("manuscript/metadata.yaml"))


def run_citations(text: str, work: Path) -> None:
    """Editor mode on the text as a Markdown file and as HTML, with and without the format check."""
    from mspress.commands.check import check_file

    for name, style in (("x.md", "gb7714-2015"), ("x.html", None), ("x.txt", "gb7714-2025")):
        (work / name).write_text(text, encoding="utf-8", errors="replace")
        check_file(work / name, Path(name), 2, style)


def run_markdown(text: str, work: Path) -> None:
    from mspress.commands.check import check_path

    project = work / "project"
    if not project.exists():
        shutil.copytree(REPO / "tests" / "fixtures" / "projects" / "minimal", project)
    (project / "manuscript" / "01-introduction.md").write_text(text, encoding="utf-8")
    check_path(project, Path("."))


def run_exports(text: str, work: Path) -> None:
    """``mspress import`` of the text as an export (UTF-8, and UTF-16 as EndNote writes it) into a project."""
    from mspress.commands.import_references import import_references

    project = work / "exports"
    (project / "references").mkdir(parents=True, exist_ok=True)
    for name, encoding in (("export.txt", "utf-8"), ("export16.xml", "utf-16")):
        (project / name).write_text(text, encoding=encoding, errors="replace")
        import_references(project / name, project, True, out=lambda line: None, err=lambda line: None)


READERS: dict[str, Callable[[str, Path], None]] = {"bibtex": run_bibtex, "csljson": run_csljson, "yaml": run_yaml,
                                                    "citations": run_citations, "markdown": run_markdown, "exports": run_exports}


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--minutes", type=float, default=10)
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    opts = args.parse_args(argv)
    rng = random.Random(opts.seed)
    corpus = seeds()
    stats = {name: [0, 0, 0] for name in READERS}  # rounds, user errors, crashes
    end = time.monotonic() + opts.minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        while time.monotonic() < end:
            name = rng.choices(list(READERS), weights=[3, 2, 3, 3, 1, 3])[0]
            text = mutate(rng.choice(corpus[name]), TOKENS[name], rng)
            stats[name][0] += 1
            try:
                READERS[name](text, work)
            except ManuscriptError:
                stats[name][1] += 1
            except Exception:  # a crash is what this script looks for
                stats[name][2] += 1
                opts.crashes.mkdir(parents=True, exist_ok=True)
                case = opts.crashes / f"{name}-{stats[name][0]}"
                case.with_suffix(".input").write_text(text, encoding="utf-8", errors="surrogateescape")
                case.with_suffix(".traceback").write_text(traceback.format_exc(), encoding="utf-8")
    print(f"{opts.minutes:g} minutes, seed {opts.seed}")
    for name, (rounds, errors, crashes) in stats.items():
        print(f"{name:10s} {rounds:8,d} inputs  {errors:8,d} user errors  {crashes:4d} crashes")
    return 1 if any(crashes for _, _, crashes in stats.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
