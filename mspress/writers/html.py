"""The article page (HTML, and the HTML WeasyPrint makes the PDF from), assembled with Jinja.

Templates are looked up in the project's ``templates/``, then the journal's, then the packaged ones.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from mspress import pandoc
from mspress.config import Labels, Layout, Settings
from mspress.errors import Location, ManuscriptError, relative_to
from mspress.model import Metadata
from mspress.transform.ast import Node
from mspress.transform.document import ResolvedDocument

PAGE_TEMPLATE = "article.html.j2"


@dataclass(frozen=True, slots=True)
class Page:
    """What the template receives besides the metadata."""

    parts: dict[str, str]
    """HTML fragments by part name (``abstract.zh``, ``abstract.en``, section stems, ``references``, ``notes``)."""
    sections: tuple[str, ...]
    """Names of the body parts, in order."""
    labels: Labels
    layout: Layout
    style: str
    system: str = "numeric"


def page_of(document: ResolvedDocument) -> Page:
    journal = document.settings.journal
    return Page(fragments(document), document.body, journal.labels, journal.layout, journal.style, journal.references.system)


def fragments(document: ResolvedDocument) -> dict[str, str]:
    """Every part (and the reference list) as HTML, through one pandoc run."""
    # pandoc writes the footnotes after everything: the last, empty piece ("notes") collects them.
    named: list[tuple[str, list[Node]]] = [*document.parts.items(), ("references", document.references), ("notes", [])]
    marker = f"mspress-part-{os.urandom(8).hex()}"  # raw HTML is off in the reader, so no text can forge it
    blocks: list[Node] = []
    for i, (_, part_blocks) in enumerate(named):
        blocks.append({"t": "RawBlock", "c": ["html", f"<!--{marker}:{i}-->"]})
        blocks.extend(part_blocks)
    ast = {"pandoc-api-version": document.api_version, "meta": {}, "blocks": blocks}
    html = pandoc.convert(ast, "html5", Location(Path("manuscript")), ["--wrap=none", "--mathml"]).decode("utf-8")
    pieces = re.split(rf"<!--{marker}:(\d+)-->\n?", html)
    return {named[int(pieces[i])][0]: pieces[i + 1].strip() for i in range(1, len(pieces), 2)}


def environment(settings: Settings) -> SandboxedEnvironment:
    # Sandboxed: project templates come with manuscripts an editor did not write.
    loader = jinja2.FileSystemLoader([str(d) for d in settings.template_dirs])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env


def css_string(value: object) -> str:
    """Text safe inside a double-quoted CSS string."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render_page(settings: Settings, metadata: Metadata, page: Page, medium: str) -> str:
    """The full HTML document for ``medium`` ``screen`` (HTML file) or ``print`` (PDF)."""
    env = environment(settings)
    root = settings.root
    context: dict[str, Any] = {"meta": metadata, "page": page, "labels": page.labels, "layout": page.layout, "medium": medium}
    try:
        css = env.get_template(f"{medium}.css").render(**context)
        return env.get_template(PAGE_TEMPLATE).render(**context, css=css, markup=_markup)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_template_path(root, exc.filename), exc.lineno or 1)
        raise ManuscriptError(where, f"template syntax error: {exc.message}", "template-error") from None
    except jinja2.UndefinedError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template uses an undefined value: {exc.message}", "template-error") from None
    except jinja2.TemplateError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template error: {exc.message}", "template-error") from None


def _markup(fragment: str) -> Any:
    """HTML that pandoc wrote from the resolved document."""
    from markupsafe import Markup

    return Markup(fragment)


def _template_path(root: Path, filename: str | None) -> Path:
    return relative_to(Path(filename), root) if filename else Path("templates")


def _failing_template(root: Path, exc: BaseException) -> Location:
    tb = exc.__traceback__
    where = Location(Path("templates") / PAGE_TEMPLATE)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".css", ".html")):
            where = Location(_template_path(root, name), tb.tb_lineno)
        tb = tb.tb_next
    return where
