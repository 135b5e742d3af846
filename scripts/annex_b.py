"""Measure how closely mspress reproduces the printed examples of GB/T 7714—2025 Annex B from Zotero exports.

Usage: python scripts/annex_b.py ORIGINAL.toml LIBRARY.json|LIBRARY.bib [...] [--style gb7714-2025] [--only PREFIX] [--show N]

ORIGINAL.toml holds the standard's example text, one ``[[section]]`` per clause with an ``id-prefix`` such as
``gbt7714.b.4:`` and ``examples`` lines ``[n] text``; an example's key is id-prefix + n (an unnumbered line takes
its position). Each LIBRARY is a Zotero export of the same works under those keys: CSL-JSON (``.json``) read with
``parse_csl_json``, or BibTeX/BibLaTeX (``.bib``) read with ``parse_bibtex`` + ``link_entries``, as mspress reads a
project's library. The data come from the typst-doc-cn/bib-csl-dev-data repository (``data/GB-T_7714—2025.*``) and
stay outside this repository; pass their paths.

Every example whose key starts with PREFIX (default ``gbt7714.b.``: Annex B, 顺序编码制) and is in the library is
formatted with ``format_reference`` (numeric system, the --style edition) and compared with the printed text after
normalising both sides, since that text is a PDF text layer (half-width punctuation, re-inserted spaces): all
whitespace dropped, full-width ，：；（）［］． and the ratio sign ∶ mapped to ASCII, then NFKC.
Prints per library: examples compared, exact-after-normalising count and share, and the first N differing pairs.
Exit status 0 when the files could be read (this measures; it does not judge), 2 otherwise.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mspress.errors import Diagnostic  # noqa: E402
from mspress.model import Reference  # noqa: E402
from mspress.sources.bibtex import link_entries, parse_bibtex  # noqa: E402
from mspress.sources.csljson import parse_csl_json  # noqa: E402
from mspress.styles.gbt7714 import Options, format_reference  # noqa: E402
from mspress.styles.gbt7714.options import STYLES  # noqa: E402

_LABEL = re.compile(r"^\[(\d+)\]\s*")
_PUNCTUATION = str.maketrans("，：；（）［］．∶", ",:;()[].:")


def normalise(text: str) -> str:
    """What survives of a text once the PDF text layer's accidents are ignored."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text).translate(_PUNCTUATION))


def printed_examples(path: Path) -> dict[str, str]:
    """Key → printed text (without its ``[n]`` label), in the file's order."""
    found: dict[str, str] = {}
    for section in tomllib.loads(path.read_text(encoding="utf-8")).get("section", []):
        lines = [line.strip() for line in section.get("examples", "").splitlines() if line.strip()]
        for position, line in enumerate(lines, 1):
            label = _LABEL.match(line)
            found[f"{section['id-prefix']}{label.group(1) if label else position}"] = line[label.end():] if label else line
    return found


def load_library(path: Path) -> dict[str, Reference]:
    references: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        parse_csl_json(text, Path(path.name), references, problems)
    else:
        parse_bibtex(text, Path(path.name), references, problems)
        link_entries(references, problems)
    for problem in problems:
        print(f"  {path.name}: {problem.message}", file=sys.stderr)
    return references


def measure(printed: dict[str, str], path: Path, options: Options, show: int) -> None:
    references = load_library(path)
    pairs = [(key, text, format_reference(references[key], options).text) for key, text in printed.items() if key in references]
    differing = [pair for pair in pairs if normalise(pair[1]) != normalise(pair[2])]
    same = len(pairs) - len(differing)
    missing = [key for key in printed if key not in references]
    share = f"{same / len(pairs):.1%}" if pairs else "-"
    print(f"{path.name}: {len(pairs)} compared, {same} exact after normalising ({share}); {len(missing)} not in the library")
    for key, text, ours in differing[:show]:
        print(f"--- {key}\n  printed: {text}\n  ours:    {ours}")
    if differing:
        print("  differing: " + " ".join(key for key, _, _ in differing))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("original", type=Path, help="GB-T_7714—2025.original.toml")
    parser.add_argument("libraries", nargs="+", type=Path, help="Zotero exports: .json (CSL-JSON) or .bib")
    parser.add_argument("--style", choices=STYLES, default="gb7714-2025")
    parser.add_argument("--only", default="gbt7714.b.", help="compare the examples whose key starts with this (default: Annex B)")
    parser.add_argument("--show", type=int, default=0, help="print the first N differing pairs per library")
    args = parser.parse_args(argv)
    for path in (args.original, *args.libraries):
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    printed = {key: text for key, text in printed_examples(args.original).items() if key.startswith(args.only)}
    options = Options(edition=int(args.style.rsplit("-", 1)[1]), system="numeric")
    for path in args.libraries:
        measure(printed, path, options, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
