"""The only module that runs pandoc: Markdown → AST, AST → HTML."""
from __future__ import annotations

import json
from typing import Any

import pypandoc

from mspress.errors import Location, ManuscriptError

# A line break between Chinese characters is no space. Raw HTML/TeX are off: a manuscript must not smuggle scripts, styles or file reads into the output.
READER = "markdown+east_asian_line_breaks-raw_html-raw_tex-raw_attribute"
Ast = dict[str, Any]


def parse(markdown: str, where: Location) -> Ast:
    try:
        return json.loads(pypandoc.convert_text(markdown, "json", format=READER, extra_args=["--sandbox"]))
    except (RuntimeError, OSError) as exc:
        raise ManuscriptError(where, f"pandoc could not read the Markdown: {exc}") from None


def to_html(ast: Ast, where: Location) -> str:
    try:
        return pypandoc.convert_text(json.dumps(ast), "html5", format="json",
                                     extra_args=["--sandbox", "--wrap=none", "--mathml"])
    except (RuntimeError, OSError) as exc:
        raise ManuscriptError(where, f"pandoc could not write HTML: {exc}") from None


def version() -> str:
    return str(pypandoc.get_pandoc_version())
