"""Math on the print page: every formula as vector graphics, typeset by ziamath from the MathML pandoc wrote.

WeasyPrint cannot lay out MathML (it would print ``χ2\\chi^2``: the text of the elements and the TeX annotation).
The screen page keeps pandoc's MathML, which browsers render; the print page — the HTML WeasyPrint typesets —
gets an inline SVG of each formula instead: glyph outlines of the math font (TeX Gyre Termes Math, a Times face
like the text's Latin, when fontconfig finds it; else STIX Two Math, which ziamath carries), sized in em so it
takes the size of the text around it (body, caption, reference list), and lowered by its depth so that its
baseline sits on the line's. A display equation is centred on a line of its own; a numbered one (``{#eq:x}``)
carries its number flush right, in the text's font. Chinese text in a formula (``\\text{体重}``) is drawn from
Noto Serif CJK SC, the text's Chinese face.

ziamath is imported only when a page has math, and each formula is typeset once per process: the warm
``preview`` process typesets only the formulas an edit changed. A formula ziamath cannot typeset, or one with a
character no font here has, is a user error at the formula's place; so is TeX that pandoc's TeX reader cannot
read (``unreadable_math``), which would otherwise reach every output as raw TeX.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from mspress.errors import Diagnostic, Location, ManuscriptErrors, Severity
from mspress.text import is_han

MATH_FONT = "TeX Gyre Termes Math"
"""The math font, found by fontconfig (Debian: fonts-texgyre-math). Without it, ziamath's own STIX Two Math."""
CJK_FONT = "Noto Serif CJK SC"
"""Chinese text in formulas (``\\text{中文}``): the body's Chinese face (Debian: fonts-noto-cjk)."""
SIZE = 10.0
"""The size formulas are typeset at, in SVG units: the SVG's width and height are then given in em (units / SIZE)."""
DISPLAY_MARGIN_EM = 0.3
"""Space above and below a display equation, besides the line's own."""
AUTOSPACE_EM = 0.25
"""Between an inline formula and a Chinese character, as between Chinese and Latin letters (``typeset.spacing``)."""
NUMBER_WIDTH_EM = 3.0
"""A numbered equation's number column, on the right, and as much on the left so that the formula stays centred."""
MAX_CACHED = 4096
MAX_LAYOUT_COST = 20_000
"""How many node layouts ziamath may make for one formula (``layout_cost``), about 2 s; a real article's most complex
formula takes about 1,000. ziamath lays out the children of every row twice, so the work doubles with each level of
nesting: ``\\left(`` twenty deep would take hours."""
MAX_PAGE_COST = 300_000
"""… and for all the formulas of one page together (about 30 s; the 95 formulas of a real article take 11,000)."""

_MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
_EQUATION = re.compile(r'<span\b(?P<attrs>[^>]*\bclass="equation"[^>]*)>\s*(?P<math><math\b[^>]*>.*?</math>)\s*'
                       r'<span class="eqnum">(?P<number>.*?)</span>\s*</span>', re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
_INVISIBLE = frozenset("\u2061\u2062\u2063\u2064")
"""Function application, invisible times, separator and plus: no ink (some fonts draw them as dotted boxes)."""
_SUBSTITUTES = {"\u203e": "\u00af", "\u2212": "-", "\u2015": "\u2014"}
"""A character the math font may lack → one that looks the same (pandoc writes ``\\bar x`` with U+203E OVERLINE)."""
_KNOWN = frozenset({"math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "msub", "msup", "msubsup", "munder", "mover",
                    "munderover", "mmultiscripts", "mprescripts", "none", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd",
                    "mlabeledtr", "mstyle", "mpadded", "mphantom", "menclose", "mfenced", "merror"})


@dataclass(frozen=True, slots=True)
class Typeset:
    svg: str
    """The formula as an inline ``<svg>`` element, sized in em, its baseline on the line's."""
    cost: int = 0
    """Its ``layout_cost``."""


class MathProblem(Exception):
    """A formula that cannot be typeset; the message says why."""


def print_math(parts: dict[str, str], places: Mapping[str, Location]) -> dict[str, str]:
    """The print page's fragments with every formula as SVG (the MathML and its TeX annotation gone).
    ``places``: where each formula's TeX is written, for the error about one that cannot be typeset."""
    problems: dict[str, Diagnostic] = {}
    spent = 0

    def svg(mathml: str) -> str:
        nonlocal spent
        try:
            if spent > MAX_PAGE_COST:
                raise MathProblem(f"the article's formulas together take more than about {MAX_PAGE_COST // 10_000} s to typeset, "
                                  "the limit: simplify the most complex ones")
            done = typeset(mathml)
            spent += done.cost
            return done.svg
        except MathProblem as exc:
            tex = _tex_of(mathml)
            where = places.get(tex, Location(Path("manuscript")))
            problems.setdefault(tex, Diagnostic("math-error", Severity.ERROR, f"the PDF cannot typeset the formula {_shown(tex)}: "
                                                f"{exc}", where))
            return ""

    def equation(match: re.Match[str]) -> str:
        ident = _ID.search(match.group("attrs"))
        anchor = f' id="{ident.group(1)}"' if ident else ""
        side = f"display:table-cell;width:{NUMBER_WIDTH_EM}em;vertical-align:baseline"
        return (f'<span class="equation"{anchor} style="display:table;width:100%;table-layout:fixed;text-indent:0;'
                f'margin:{DISPLAY_MARGIN_EM}em 0">'
                f'<span style="{side}"></span>'
                f'<span style="display:table-cell;text-align:center;vertical-align:baseline">{svg(match.group("math"))}</span>'
                f'<span class="eqnum" style="{side};text-align:right">{match.group("number")}</span></span>')

    def formula(match: re.Match[str]) -> str:
        mathml = match.group(0)
        drawn = svg(mathml)
        if _is_display(mathml):
            return (f'<span class="math-display" style="display:block;text-align:center;text-indent:0;'
                    f'margin:{DISPLAY_MARGIN_EM}em 0">{drawn}</span>')
        text = match.string
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if drawn and (is_han(before) or is_han(after)):  # a quarter-em from Chinese characters, as Latin letters get
            left, right = (AUTOSPACE_EM if is_han(before) else 0), (AUTOSPACE_EM if is_han(after) else 0)
            drawn = drawn.replace(' style="', f' style="margin:0 {right}em 0 {left}em;', 1)
        return drawn

    out = {}
    for name, fragment in parts.items():
        if "<math" in fragment:
            fragment = _glued(_MATH.sub(formula, _EQUATION.sub(equation, fragment)))
        out[name] = fragment
    if problems:
        raise ManuscriptErrors(sorted(problems.values(), key=lambda d: (d.location.path.as_posix(), d.location.line, d.location.column)))
    return out


_HELD = re.compile(r"(?P<open>[（“‘《【「『〈(\[]*)(?P<svg><svg [^>]*>.*?</svg>)(?P<close>[，。、；：？！）”’》】」』〉,.;:!?)\]%]*)", re.S)


def _glued(fragment: str) -> str:
    """An inline formula bound to the punctuation before and after it: Pango sees no character in a drawing, so a
    line could start with the ``、`` after a formula or end with the ``（`` before one."""

    def hold(match: re.Match[str]) -> str:
        if not (match.group("open") or match.group("close")):
            return match.group(0)
        return f'<span class="nobreak">{match.group(0)}</span>'

    return _HELD.sub(hold, fragment)


def unreadable_math(log: Sequence[dict[str, Any]], places: Mapping[str, Location]) -> None:
    """Raise the formulas pandoc's TeX reader could not read (in a pandoc ``log``), each at its place: pandoc would
    print them as raw TeX."""
    from mspress.pandoc import unconverted_math

    found = {tex: reason for tex, reason in unconverted_math(log)}
    if not found:
        return
    diagnostics = [Diagnostic("math-error", Severity.ERROR, f"cannot read the formula {_shown(tex)}"
                              f"{': ' + reason if reason else ''}; write LaTeX math that pandoc reads (see the README, Math)",
                              places.get(tex, Location(Path("manuscript")))) for tex, reason in found.items()]
    raise ManuscriptErrors(sorted(diagnostics, key=lambda d: (d.location.path.as_posix(), d.location.line, d.location.column)))


def _shown(tex: str) -> str:
    flat = " ".join(tex.split())
    return f"${flat if len(flat) <= 60 else flat[:57] + '…'}$"


def _tex_of(mathml: str) -> str:
    found = _TEX.search(mathml)
    return html.unescape(found.group(1)) if found else ""


def _is_display(mathml: str) -> bool:
    head = mathml[: mathml.index(">") + 1]
    return 'display="block"' in head


# --- typesetting ------------------------------------------------------------------------------------------

_cache: dict[str, Typeset] = {}


def typeset(mathml: str) -> Typeset:
    """One formula (pandoc's ``<math>`` element) as SVG, once per process."""
    done = _cache.get(mathml)
    if done is None:
        done = _engine().typeset(mathml)
        if len(_cache) >= MAX_CACHED:
            _cache.clear()
        _cache[mathml] = done
    return done


_engines: list[_Engine] = []


def _engine() -> _Engine:
    if not _engines:
        _engines.append(_Engine())
    return _engines[0]


class _Engine:
    """ziamath with the math font and its fallbacks, loaded once."""

    def __init__(self) -> None:
        import warnings

        with warnings.catch_warnings():  # ziamath 0.13 finds its font with importlib.resources.path, deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            from ziamath import zmath
            from ziamath.config import config

        config.svg2 = False  # outlines as paths: <symbol>/<use> ids would clash between formulas of one page
        config.precision = 3
        found = font_file(MATH_FONT)
        path = found[0] if found else str(Path(zmath.__file__).parent / "fonts" / "STIXTwoMath-Regular.ttf")
        self.font = _fallback_font_class()(path)
        self.key = f"mspress:{path}"
        zmath.loadedfonts[self.key] = self.font
        self.thin_space_em = self.font.glyph("\u2009").advance() / self.font.info.layout.unitsperem

    def typeset(self, mathml: str) -> Typeset:
        import logging
        import warnings

        from ziamath.zmath import Math

        element = _prepared(mathml, self.thin_space_em)
        cost = layout_cost(element)
        if cost > MAX_LAYOUT_COST:
            raise MathProblem("it nests brackets or groups too deeply for the PDF (ziamath lays each level out twice); "
                              "simplify it")
        self.font.missing = set()
        logging.disable(logging.WARNING)  # ziamath and ziafont log unimplemented font features on the root logger
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                drawn = Math(element, size=SIZE, font=self.key, margin=0)
                svg = drawn.svgxml()
                box = drawn.node.bbox
        except RecursionError:
            raise MathProblem("it is nested too deeply; simplify it") from None
        except Exception as exc:  # ziamath's own limits: no formula may stop the build with a traceback
            raise MathProblem(f"ziamath failed ({type(exc).__name__}: {exc}); simplify it or write it otherwise") from None
        finally:
            logging.disable(logging.NOTSET)
        if self.font.missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(self.font.missing))
            raise MathProblem(f"no font here has {chars}: use another symbol or command")
        return Typeset(_svg_markup(svg, box.xmin, box.xmax, box.ymin, box.ymax), cost)


def _svg_markup(svg: ElementTree.Element, xmin: float, xmax: float, ymin: float, ymax: float) -> str:
    """The SVG with its size in em and its baseline on the line's (``vertical-align`` by its depth)."""
    width, height = xmax - xmin, ymax - ymin
    if not all(abs(v) < 1000 * SIZE for v in (xmin, xmax, ymin, ymax)) or width < 0 or height < 0:
        raise MathProblem("ziamath could not measure it; simplify it or write it otherwise")
    if height == 0 or not len(svg):  # only space (``$\\quad$``)
        return f'<span style="display:inline-block;width:{width / SIZE:.4f}em"></span>'
    for name in ("width", "height", "viewBox", "style", "xmlns:xlink"):
        svg.attrib.pop(name, None)
    svg.set("viewBox", f"{xmin:.3f} {-ymax:.3f} {width:.3f} {height:.3f}")
    svg.set("width", f"{width / SIZE:.4f}em")
    svg.set("height", f"{height / SIZE:.4f}em")
    svg.set("style", f"vertical-align:{ymin / SIZE:.4f}em;overflow:visible")
    svg.set("aria-hidden", "true")
    return ElementTree.tostring(svg, encoding="unicode")


def _prepared(mathml: str, thin_space_em: float = 1 / 6) -> ElementTree.Element:
    """pandoc's MathML as ziamath takes it: the formula without its TeX annotation, invisible operators left out,
    elements ziamath does not know read as rows, and where ziamath's habits differ from TeX's, TeX's look:

    - an empty element (a table's empty cell, ``\\hline``'s last row) is an empty space, not a row of no height;
    - ``\\hat x``, ``\\tilde x`` over one letter take the accent's fixed form (the stretchy one is as wide as
      ``\\widehat``), and ``\\bar x``, ``\\overline{AB}`` a rule as wide as what they are over;
    - a function name (``\\sin``, ``\\operatorname{sgn}``) before a bracket has no space before it: ``sgn(x)``.

    ``thin_space_em``: the space ziamath puts after a function name, in em."""
    try:
        root = ElementTree.fromstring(mathml)
    except ElementTree.ParseError as exc:
        raise MathProblem(f"its MathML cannot be read ({exc})") from None
    _strip_namespaces(root)
    for parent in list(root.iter()):
        for i, child in reversed(list(enumerate(parent))):
            if child.tag == "semantics":
                kept = [c for c in child if not c.tag.startswith("annotation")]
                parent[i : i + 1] = kept[:1]
            elif child.tag.startswith("annotation"):
                del parent[i]
            elif child.tag == "mo" and (child.text or "").strip() and set((child.text or "").strip()) <= _INVISIBLE:
                del parent[i]
    for parent in list(root.iter()):  # a row left with one element is that element (``\\log`` in ``\\log_2``)
        for i, child in enumerate(parent):
            if child.tag == "mrow" and len(child) == 1 and not (child.text or "").strip() and not child.attrib:
                parent[i] = child[0]
    for element in root.iter():
        if element.tag not in _KNOWN:
            element.tag = "mrow"
        if element.tag in _TOKENS and not (element.text or ""):
            element.tag, element.text = "mspace", None
            element.attrib = {"width": "0em"}
        elif element.tag in _CONTAINERS and len(element) == 0:
            ElementTree.SubElement(element, "mspace", {"width": "0em"})
        if element.tag == "mover" and len(element) == 2 and element[1].tag == "mo":
            accent = (element[1].text or "").strip()
            base = element[0]
            if accent in _RULED:
                element[1].text = "\u2015"  # ziamath draws this one as a rule over the whole base
            elif accent in _SPACING_ACCENTS and base.tag in _TOKENS and len((base.text or "").strip()) == 1:
                element[1].text = _SPACING_ACCENTS[accent]
    for parent in list(root.iter()):
        for i in range(len(parent) - 1, 0, -1):
            before, after = parent[i - 1], parent[i]
            if after.tag == "mo" and (after.text or "").strip() in _OPENING and _is_function_name(before):
                parent.insert(i, ElementTree.Element("mspace", {"width": f"{-thin_space_em:.4f}em"}))
    return root


_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_CONTAINERS = frozenset({"mrow", "mtd", "mstyle", "mpadded", "mphantom", "msqrt", "menclose", "merror", "math"})
_RULED = frozenset("\u00af\u203e")
"""``\\bar``, ``\\overline``: drawn as a rule."""
_SPACING_ACCENTS = {"\u0302": "\u02c6", "\u0303": "\u02dc", "\u0300": "`", "\u0301": "\u00b4", "\u0306": "\u02d8",
                    "\u030c": "\u02c7", "\u0307": "\u02d9", "\u0308": "\u00a8"}
"""Combining accents (which ziamath stretches over the base) → their spacing forms, of a letter's width."""
_OPENING = frozenset("([{|\u2016\u27e8\u230a\u2308")


def _is_function_name(element: ElementTree.Element) -> bool:
    """``\\sin``, ``\\operatorname{sgn}``: an identifier of several letters (perhaps the last of a row)."""
    while element.tag == "mrow" and len(element):
        element = element[-1]
    return element.tag == "mi" and len((element.text or "").strip()) > 1


_RELAID = frozenset({"mrow", "math", "mtd", "mtr", "none", "merror", "mpadded", "mphantom"})
"""Elements ziamath lays out as a row: each child twice (once to measure the row without its stretchy operators)."""


def layout_cost(root: ElementTree.Element) -> int:
    """How many node layouts ziamath makes for a formula: a node costs 2 to the number of rows around it."""
    total = 0
    stack = [(root, 1)]
    while stack:
        element, factor = stack.pop()
        total += factor
        if total > MAX_LAYOUT_COST:
            break
        inner = factor * 2 if element.tag in _RELAID or (element.tag in ("msqrt", "menclose") and len(element) > 1) else factor
        stack.extend((child, inner) for child in element)
    return total


def _strip_namespaces(element: ElementTree.Element) -> None:
    for item in element.iter():
        if item.tag.startswith("{"):
            item.tag = item.tag.split("}", 1)[1]


# --- fonts ------------------------------------------------------------------------------------------------

def font_file(family: str) -> tuple[str, int] | None:
    """The file (and its index in a collection) of an installed font family, by fontconfig; None without it."""
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-f", "%{family}\\n%{file}\\n%{index}", family], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.decode("utf-8", "replace").split("\n")
    if done.returncode != 0 or len(lines) < 3 or family not in [f.strip() for f in lines[0].split(",")]:
        return None  # fontconfig's best match is another family: the font is not installed
    return lines[1], int(lines[2]) if lines[2].isdigit() else 0


_fallback_classes: list[Any] = []


def _fallback_font_class() -> Any:
    """ziamath's MathFont, with fallbacks for what the math font lacks: a look-alike for a few characters, then
    STIX Two Math (ziamath's own font, for symbols), then the Chinese face (Chinese text); anything else is recorded
    in ``missing`` (never drawn as a box)."""
    if _fallback_classes:
        return _fallback_classes[0]
    from ziamath.mathfont import MathFont
    from ziamath.styles import styledchr

    class FallbackFont(MathFont):
        missing: set[str]

        def __init__(self, path: str) -> None:
            super().__init__(path)
            self.missing = set()
            self.fallbacks: list[_Glyphs] | None = None

        def findglyph(self, char: str, variant: Any) -> Any:
            glyph = super().findglyph(char, variant)
            if glyph.index != 0:
                return glyph
            if char in _SUBSTITUTES:
                substitute = super().findglyph(_SUBSTITUTES[char], variant)
                if substitute.index != 0:
                    return substitute
            if unicodedata.category(char) in ("Zs", "Cf", "Cc"):
                return super().findglyph(" ", variant)
            if self.fallbacks is None:
                self.fallbacks = _fallbacks(self)
            for fallback in self.fallbacks:
                found = fallback.glyph(styledchr(char, variant)) or fallback.glyph(char)
                if found is not None:
                    return found
            self.missing.add(char)
            return glyph

    _fallback_classes.append(FallbackFont)
    return FallbackFont


def _fallbacks(math_font: Any) -> list[_Glyphs]:
    from ziamath import zmath

    stix = zmath.loadedfonts["default"]  # STIX Two Math, which ziamath loads when imported
    found: list[_Glyphs] = [] if Path(str(stix.info.filename)) == Path(str(math_font.info.filename)) else [_ZiafontGlyphs(math_font, stix, 1)]
    return [*found, _CjkGlyphs(math_font, 2)]


class _Glyphs:
    """Glyphs of another font as ziafont glyphs of the math font's size: their ids moved out of the math font's range
    (its substitutions and kerning must not take them for its own), their advances kept here."""

    def __init__(self, math_font: Any, number: int) -> None:
        from types import SimpleNamespace

        self.base = 1_000_000 * number
        self.units = float(math_font.info.layout.unitsperem)
        self.glyphs: dict[str, Any] = {}
        self.widths: dict[int, float] = {}
        layout = SimpleNamespace(unitsperem=self.units, ymax=math_font.info.layout.ymax, ymin=math_font.info.layout.ymin)
        self.stub = SimpleNamespace(info=SimpleNamespace(filename=f"fallback{number}", layout=layout), cmap=None,
                                    advance=lambda index, following=None: self.widths.get(index, self.units))

    def glyph(self, char: str) -> Any:
        if char not in self.glyphs:
            self.glyphs[char] = self.outline(char)
        return self.glyphs[char]

    def outline(self, char: str) -> Any:
        raise NotImplementedError

    def made(self, index: int, operators: list[Any], width: float) -> Any:
        from ziafont.fonttypes import BBox
        from ziafont.glyph import SimpleGlyph

        points = [p for op in operators for p in op.points()[0]]
        xs, ys = [p.x for p in points] or [0.0], [p.y for p in points] or [0.0]
        stub: Any = self.stub  # ziafont asks of a glyph's font only these
        self.widths[self.base + index] = width
        return SimpleGlyph(self.base + index, operators, BBox(min(xs), max(xs), min(ys), max(ys)), stub)


class _ZiafontGlyphs(_Glyphs):
    """Another math font ziafont reads (STIX Two Math)."""

    def __init__(self, math_font: Any, font: Any, number: int) -> None:
        super().__init__(math_font, number)
        self.font = font
        self.scale = self.units / float(font.info.layout.unitsperem)

    def outline(self, char: str) -> Any:
        glyph = self.font.glyph(char)
        if glyph.index == 0 or self.scale != 1:
            return None  # (both fonts have 1000 units to the em; another font would need its outlines scaled)
        return self.made(glyph.index, list(glyph.operators), self.font.advance(glyph.index, None))


class _CjkGlyphs(_Glyphs):
    """The Chinese face, through fontTools (ziafont cannot read its font collection). Loaded at the first Chinese
    character in a formula."""

    def __init__(self, math_font: Any, number: int) -> None:
        super().__init__(math_font, number)
        self.font: Any = None
        found = font_file(CJK_FONT)
        if found is None:
            return
        from fontTools.ttLib import TTFont

        try:
            self.font = TTFont(found[0], fontNumber=found[1], lazy=True)
            self.cmap = self.font.getBestCmap()
            self.glyph_set = self.font.getGlyphSet()
            self.scale = self.units / float(self.font["head"].unitsPerEm)
        except Exception:  # an unreadable font file: its characters are reported missing
            self.font = None

    def outline(self, char: str) -> Any:
        name = self.cmap.get(ord(char)) if self.font is not None else None
        if name is None:
            return None
        pen = _OutlinePen(self.glyph_set, self.scale)
        self.glyph_set[name].draw(pen)
        return self.made(self.font.getGlyphID(name), pen.operators, self.glyph_set[name].width * self.scale)


_pen_classes: list[Any] = []


def _OutlinePen(glyph_set: Any, scale: float) -> Any:  # noqa: N802 (a class, made when first needed)
    if not _pen_classes:
        _pen_classes.append(_outline_pen_class())
    return _pen_classes[0](glyph_set, scale)


def _outline_pen_class() -> Any:
    from fontTools.pens.basePen import BasePen

    class OutlinePen(BasePen):  # type: ignore[misc]
        """A glyph's outline as ziafont's path operators."""

        def __init__(self, glyph_set: Any, scale: float) -> None:
            super().__init__(glyph_set)
            self.scale = scale
            self.operators: list[Any] = []

        def _point(self, p: tuple[float, float]) -> Any:
            from ziafont import svgpath

            paths: Any = svgpath
            return paths.Point(p[0] * self.scale, p[1] * self.scale)

        def _moveTo(self, p: tuple[float, float]) -> None:  # noqa: N802 (fontTools' names)
            from ziafont.svgpath import Moveto

            self.operators.append(Moveto(self._point(p)))

        def _lineTo(self, p: tuple[float, float]) -> None:  # noqa: N802
            from ziafont.svgpath import Lineto

            self.operators.append(Lineto(self._point(p)))

        def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:  # noqa: N802
            from ziafont.svgpath import Cubic

            self.operators.append(Cubic(self._point(p1), self._point(p2), self._point(p3)))

        def _qCurveToOne(self, p1: tuple[float, float], p2: tuple[float, float]) -> None:  # noqa: N802
            from ziafont.svgpath import Quad

            self.operators.append(Quad(self._point(p1), self._point(p2)))

    return OutlinePen
