"""Decode the LaTeX found in BibTeX field values to Unicode, touching only values that need it.

Accents, escapes, dashes, logos and the usual symbols are decoded here in one regular-expression pass (a large
library has thousands of them); math and any other command are looked up in pylatexenc's tables, loaded only
when such a command appears. Sub- and superscripts in math (``H$_2$O``) become text between the ``SUB``/``SUP``
marks below, which the reference formatter turns into rich text; ``strip_marks`` gives the plain text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

SUB = ("\ue000", "\ue001")
SUP = ("\ue002", "\ue003")
"""Private-use characters opening and closing a subscript or superscript inside a decoded value."""
_MARKS = re.compile("[\ue000-\ue003]")
MARKED = re.compile("\ue000([^\ue000-\ue003]*)\ue001|\ue002([^\ue000-\ue003]*)\ue003")
"""A subscript (``SUB``) or superscript (``SUP``) run of a field's text."""

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textendash": "–", "textemdash": "—", "textquoteright": "’",
    "textquoteleft": "‘", "textregistered": "®", "texttrademark": "™", "copyright": "©", "dag": "†",
    "S": "§", "P": "¶", "textellipsis": "…", "ldots": "…", "dots": "…", "textasciitilde": "~",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "theta": "θ", "omega": "ω", "Delta": "Δ", "Omega": "Ω",
    "Sigma": "Σ", "infty": "∞", "cdot": "·", "textperiodcentered": "·", "textbullet": "•",
    "times": "×", "pm": "±", "le": "≤", "ge": "≥", "leq": "≤", "geq": "≥", "circ": "°", "textdegree": "°", "degree": "°",
    "quad": "\u2003", "qquad": "\u2003\u2003", "textbackslash": "\\", "enspace": " ", "textasciicircum": "^",
    "textunderscore": "_", "nobreakspace": "\u00a0", "textgreater": ">", "textless": "<", "textbar": "|",
    "textquotedblleft": "“", "textquotedblright": "”", "guillemotleft": "«", "guillemotright": "»", "textsection": "§",
    "textpm": "±", "texttimes": "×", "textmu": "µ", "textperthousand": "‰", "euro": "€", "pounds": "£",
}
_LOGOS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "CTeX": "CTeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2ε", "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX",
    "ConTeXt": "ConTeXt", "AmSTeX": "AmSTeX", "AmS": "AMS", "MF": "Metafont", "MP": "MetaPost", "BibLaTeX": "BibLaTeX",
    "eTeX": "ε-TeX", "SliTeX": "SliTeX", "PiCTeX": "PiCTeX",
}
_SILENT = {"relax", "allowbreak", "newblock", "protect", "ignorespaces", "unskip", "null", "nolinkurl", "hbox", "sloppy",
           "bgroup", "egroup", "displaystyle", "textstyle", "scriptstyle", "left", "right", "big", "Big", "bigl", "bigr",
           "em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "small", "footnotesize", "scriptsize", "normalsize", "large",
           "Large", "upshape", "itshape", "bfseries", "mdseries", "scshape", "normalfont", "ensuremath", "hyphen"}
"""Commands that print nothing themselves (their argument, if any, is printed)."""
_ESCAPES = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009", "-": "",
            ";": "\u2005", ":": "\u2005", "!": "", "/": "", "@": ""}
_FORMAT_COMMANDS = {"textit", "emph", "textbf", "textsc", "textrm", "textsf", "texttt", "textup", "textmd", "textsl", "mathrm",
                    "mathit", "mathbf", "mathsf", "mathtt", "mathcal", "mathbb", "boldsymbol", "mbox", "text", "textnormal",
                    "operatorname", "uppercase", "MakeUppercase", "lowercase", "MakeLowercase"}
MAX_MATH_DEPTH = 50
"""Groups nested in math deeper than any formula in a title (``$^{^{^{…``) are read as text."""
# A formula in a title is short: math spans are looked for over at most 200 characters, so a value full of
# unclosed ``$`` or ``\(`` takes linear time.

_TOKEN = re.compile(
    r"(?=[\\{}~$`'-])"  # every token starts with one of these: the engine skips other characters at once
    r"(?:\\(?P<acc>['`^\"~=.])\s*(?:\{(?P<acc_braced>\\?[A-Za-z]?)\}|(?P<acc_plain>\\?[A-Za-z]))"
    r"|\\(?P<lacc>[uvHckrdb])(?:\{(?P<lacc_braced>\\?[A-Za-z]?)\}|\s+(?P<lacc_plain>[A-Za-z]))"
    r"|\\(?P<arg_cmd>url|href|textsubscript|textsuperscript|noopsort|SortNoop|sortnoop|NOOPSORT|noop|index|label|footnote|thanks|"
    r"cite|citep|citet|ref|eqref|pageref|vspace|hspace|vskip|hskip|kern|phantom|hphantom|vphantom|color|textcolor)\s*(?P<arg>\{(?:[^{}]|\{[^{}]*\})*\})"
    r"(?P<arg2>\{(?:[^{}]|\{[^{}]*\})*\})?"
    r"|\\(?P<word>[A-Za-z]+)(?P<space>\s*)(?:\{\s*\}|(?P<has_arg>(?=\{)))?"
    r"|\\(?P<esc>[&%$#_{} ,\-;:!/@])"
    r"|(?P<math>\$\$(?:\\.|[^$\\]){0,200}\$\$|\$(?:\\.|[^$\\]){0,200}\$|\\\((?:\\[^)]|[^\\]){0,200}?\\\))"
    r"|(?P<newline>\\\\(?:\[[^\]]{0,20}\])?)"
    r"|(?P<dash>---?)|(?P<tilde>~)|(?P<brace>[{}])|(?P<quote>``|'')"
    r"|\\(?P<literal>[^A-Za-z\s]))"
)
_NEEDS_WORK = re.compile(r"[\\{}~$]|--|``|''")


def decode(value: str) -> str:
    """Unicode text for a BibTeX value; braces (case protection) are removed."""
    if not _NEEDS_WORK.search(value):
        return value
    return unicodedata.normalize("NFC", _TOKEN.sub(_replace, value))


def has_marks(text: str) -> bool:
    return _MARKS.search(text) is not None


def strip_marks(text: str) -> str:
    """The plain text of a decoded value: sub- and superscripts inline (``H2O``)."""
    return _MARKS.sub("", text)


def marked_runs(text: str) -> list[tuple[str, str | None]]:
    """``[(text, None | "sub" | "sup"), …]``: a decoded value cut at its sub- and superscripts."""
    runs: list[tuple[str, str | None]] = []
    pos = 0
    for m in MARKED.finditer(text):
        if m.start() > pos:
            runs.append((text[pos : m.start()], None))
        runs.append((m.group(1), "sub") if m.group(1) is not None else (m.group(2), "sup"))
        pos = m.end()
    if pos < len(text):
        runs.append((_MARKS.sub("", text[pos:]), None))
    return [run for run in runs if run[0]]


def _replace(m: re.Match[str]) -> str:
    if m.group("acc") or m.group("lacc"):
        mark = _ACCENTS[m.group("acc") or m.group("lacc")]
        base = next((g for g in (m.group("acc_braced"), m.group("acc_plain"), m.group("lacc_braced"), m.group("lacc_plain")) if g is not None), "")
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        return base + mark
    if m.group("arg_cmd"):
        command, argument = m.group("arg_cmd"), m.group("arg")[1:-1]
        second = decode(m.group("arg2")[1:-1]) if m.group("arg2") else ""
        if command in ("href", "textcolor"):  # the second argument is the text: \href{url}{text}
            return second or (argument.strip() if command == "href" else "")
        if command == "url":
            return argument.strip() + second  # a URL is not LaTeX: ~ and _ stay
        if command in ("textsubscript", "textsuperscript"):
            marks = SUB if command == "textsubscript" else SUP
            return marks[0] + strip_marks(decode(argument)) + marks[1] + second
        return second  # the argument of \cite, \label, \vspace, \noopsort… is not text; what follows it is
    if m.group("word"):
        word = m.group("word")
        printed = command_text(word, m.group("has_arg") is not None)
        # TeX eats the space after \TeX, but "\TeX and" means "TeX and": keep it after a word-like output.
        keep_space = m.group("space") and len(printed) > 1 and printed[-1].isalnum()
        return printed + " " if keep_space else printed
    if m.group("esc") is not None:
        return _ESCAPES[m.group("esc")]
    if m.group("math"):
        return math_text(m.group("math"))
    if m.group("dash"):
        return "—" if len(m.group("dash")) == 3 else "–"
    if m.group("tilde"):
        return "\u00a0"
    if m.group("quote"):
        return "“" if m.group("quote") == "``" else "”"
    if m.group("newline") is not None:
        return " "  # \\\\ breaks a line in LaTeX; in a reference it is a space
    if m.group("literal"):
        return m.group("literal")  # \" before a Chinese character is a quotation mark, not an umlaut
    return ""


def command_text(word: str, has_argument: bool = False) -> str:
    """What a command prints before its argument: a symbol, a logo, nothing, or (unknown, without an argument) its
    name, so that no text is lost."""
    if word in _FORMAT_COMMANDS or word in _SILENT:
        return ""
    known = _SYMBOLS.get(word) or _LOGOS.get(word)
    if known is not None:
        return known
    found = _pylatexenc_symbol(word)
    if found is None:
        return "" if has_argument else word
    return found


@cache
def _pylatexenc_symbol(word: str) -> str | None:
    """pylatexenc's text for a command, when it is a plain symbol (its table has some 700)."""
    from pylatexenc.latex2text import get_default_latex_context_db

    spec = get_default_latex_context_db().get_macro_spec(word)
    replacement = getattr(spec, "simplify_repl", None)
    if not isinstance(replacement, str) or "%" in replacement or "<" in replacement or "\n" in replacement:
        return None  # a formatting placeholder (\\cite gives "<cit.>"), not a symbol
    return replacement


# --- math: $…$ ------------------------------------------------------------------------------------------
_MATH_TOKEN = re.compile(r"\\(?P<word>[A-Za-z]+)\s*|\\(?P<esc>.)|(?P<script>[_^])\s*|(?P<open>\{)|(?P<close>\})|(?P<space>\s+)|(?P<char>.)", re.S)
_DEGREE = {"\\circ", "{\\circ}", "\\degree", "o"}


def math_text(source: str) -> str:
    """``$…$`` as Unicode: symbols by name, sub- and superscripts between marks, spaces dropped as TeX does."""
    body = source.strip("$")
    if body.startswith("\\("):
        body = body[2:-2]
    tokens = list(_MATH_TOKEN.finditer(body))
    out, _ = _math(tokens, 0, stop_at_close=False)
    return out


def _math(tokens: list[re.Match[str]], i: int, stop_at_close: bool, depth: int = 0) -> tuple[str, int]:
    out: list[str] = []
    if depth > MAX_MATH_DEPTH:  # hostile nesting: the rest is read as text, not recursed into
        return "".join(t.group(0) for t in tokens[i:] if not (t.group("open") or t.group("close"))), len(tokens)
    while i < len(tokens):
        t = tokens[i]
        if t.group("close") is not None:
            if stop_at_close:
                return "".join(out), i + 1
            i += 1
            continue
        if t.group("script"):
            argument, i, source = _math_argument(tokens, i + 1, depth)
            if t.group("script") == "^" and source in _DEGREE:
                out.append("°")
            elif t.group("script") == "^" and source in ("\\prime", "'"):
                out.append("′")
            elif argument:
                marks = SUP if t.group("script") == "^" else SUB
                out.append(marks[0] + _MARKS.sub("", argument) + marks[1])
            continue
        piece, i = _math_atom(tokens, i, depth)
        out.append(piece)
    return "".join(out), i


def _math_atom(tokens: list[re.Match[str]], i: int, depth: int = 0) -> tuple[str, int]:
    t = tokens[i]
    if t.group("open") is not None:
        return _math(tokens, i + 1, stop_at_close=True, depth=depth + 1)
    if t.group("word"):
        word = t.group("word")
        if word in ("text", "mathrm", "textrm", "mbox", "operatorname") and i + 1 < len(tokens) and tokens[i + 1].group("open"):
            end = i + 2
            level = 1
            while end < len(tokens) and level:
                level += (tokens[end].group("open") is not None) - (tokens[end].group("close") is not None)
                end += 1
            inner = "".join(tok.group(0) for tok in tokens[i + 2 : end - 1])
            return decode(inner), end
        printed = command_text(word)
        return (f" {printed} " if len(printed) > 1 and printed.isalpha() else printed), i + 1  # \log, \sin
    if t.group("esc") is not None:
        return _ESCAPES.get(t.group("esc"), t.group("esc")), i + 1
    if t.group("space"):
        return "", i + 1
    return t.group("char") or "", i + 1


def _math_argument(tokens: list[re.Match[str]], i: int, depth: int = 0) -> tuple[str, int, str]:
    """The argument of ``_`` or ``^``: a group, a command or one character; also its source text."""
    while i < len(tokens) and tokens[i].group("space"):
        i += 1
    if i >= len(tokens):
        return "", i, ""
    start = i
    text, i = _math_atom(tokens, i, depth)
    source = "".join(tok.group(0).strip() for tok in tokens[start:i])
    return text, i, source
