"""Assemble the article page with Jinja: project ``templates/`` first, packaged templates second."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from mspress.errors import Location, ManuscriptError, relative_to
from mspress.styles.gbt7714 import Formatted
from mspress.model import Metadata

PACKAGE_TEMPLATES = Path(__file__).parent.parent / "templates"
PAGE_TEMPLATE = "article.html.j2"


@dataclass(frozen=True, slots=True)
class NumberedReference:
    number: int
    entry: Formatted


@dataclass(frozen=True, slots=True)
class Page:
    """What the template receives besides the metadata."""

    parts: dict[str, str]
    """HTML fragments by part name (``abstract.zh``, ``abstract.en``, section stems)."""
    sections: tuple[str, ...]
    """Names of the body parts, in order."""
    references: tuple[NumberedReference, ...]
    """In print order: by number, or by language, author and year (author-year)."""
    style: str
    system: str = "numeric"


def environment(root: Path) -> SandboxedEnvironment:
    # Sandboxed: project templates come with manuscripts an editor did not write.
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(root / "templates")), jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env


def css_string(value: object) -> str:
    """Text safe inside a double-quoted CSS string."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render_page(root: Path, metadata: Metadata, page: Page, medium: str) -> str:
    """The full HTML document for ``medium`` ``screen`` (HTML file) or ``print`` (PDF)."""
    env = environment(root)
    try:
        css = env.get_template(f"{medium}.css").render(meta=metadata, page=page)
        return env.get_template(PAGE_TEMPLATE).render(meta=metadata, page=page, css=css, medium=medium, markup=_markup)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_template_path(root, exc.filename), exc.lineno or 1)
        raise ManuscriptError(where, f"template syntax error: {exc.message}", "template-error") from None
    except jinja2.UndefinedError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template uses an undefined value: {exc.message}", "template-error") from None
    except jinja2.TemplateError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template error: {exc.message}", "template-error") from None


def _markup(fragment: str) -> Any:
    """HTML that our own code produced (pandoc output, formatted references)."""
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
