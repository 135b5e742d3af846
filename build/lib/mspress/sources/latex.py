"""Decode the LaTeX found in BibTeX field values to Unicode, touching only values that need it."""
from __future__ import annotations

import re
import unicodedata

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
    "times": "×", "pm": "±", "le": "≤", "ge": "≥", "circ": "°", "textdegree": "°",
    "quad": "\u2003", "qquad": "\u2003\u2003", "relax": "", "allowbreak": "", "textbackslash": "\\", "enspace": " ",
    "textasciicircum": "^", "textunderscore": "_", "nobreakspace": "\u00a0",
}
_ESCAPES = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009", "-": ""}
_FORMAT_COMMANDS = {"textit", "emph", "textbf", "textsc", "textrm", "textsf", "texttt", "textup", "mathrm", "mbox", "text", "textnormal", "url"}

_TOKEN = re.compile(
    r"\\(?P<acc>['`^\"~=.])\s*(?:\{(?P<acc_braced>\\?[A-Za-z]?)\}|(?P<acc_plain>\\?[A-Za-z]))"
    r"|\\(?P<lacc>[uvHckrdb])(?:\{(?P<lacc_braced>\\?[A-Za-z]?)\}|\s+(?P<lacc_plain>[A-Za-z]))"
    r"|\\(?P<word>[A-Za-z]+)\s*(?:\{\s*\})?"
    r"|\\(?P<esc>[&%$#_{} ,\-])"
    r"|(?P<dash>---?)|(?P<tilde>~)|(?P<brace>[{}])|(?P<math>\$)|(?P<quote>``|'')"
)
_NEEDS_WORK = re.compile(r"[\\{}~$]|--|``|''")


def decode(value: str) -> str:
    """Unicode text for a BibTeX value; braces (case protection) are removed."""
    if not _NEEDS_WORK.search(value):
        return value
    return unicodedata.normalize("NFC", _TOKEN.sub(_replace, value))


def _replace(m: re.Match[str]) -> str:
    if m.group("acc") or m.group("lacc"):
        mark = _ACCENTS[m.group("acc") or m.group("lacc")]
        base = next((g for g in (m.group("acc_braced"), m.group("acc_plain"), m.group("lacc_braced"), m.group("lacc_plain")) if g is not None), "")
        base = {"\\i": "i", "\\j": "j"}.get(base, base)
        return base + mark
    if m.group("word"):
        word = m.group("word")
        if word in _FORMAT_COMMANDS:
            return ""
        return _SYMBOLS.get(word, "")  # unknown commands print nothing rather than their name
    if m.group("esc") is not None:
        return _ESCAPES[m.group("esc")]
    if m.group("dash"):
        return "—" if len(m.group("dash")) == 3 else "–"
    if m.group("tilde"):
        return "\u00a0"
    if m.group("quote"):
        return "“" if m.group("quote") == "``" else "”"
    return ""


def protected_spans(raw: str) -> list[tuple[int, int]]:
    """Character spans of ``decode(raw)`` that sat inside braces (case must be kept there)."""
    spans: list[tuple[int, int]] = []
    depth, out_len, start = 0, 0, 0
    pos = 0
    while pos < len(raw):
        m = _TOKEN.match(raw, pos)
        if m:
            piece = raw[pos : m.end()]
            if m.group("brace") == "{":
                if depth == 0:
                    start = out_len
                depth += 1
            elif m.group("brace") == "}":
                depth = max(0, depth - 1)
                if depth == 0:
                    spans.append((start, out_len))
            elif m.group("word") or m.group("acc") or m.group("lacc"):
                if depth == 0 and m.group("word") not in _FORMAT_COMMANDS:
                    spans.append((out_len, out_len + len(decode(piece))))
            out_len += len(decode(piece)) if not m.group("brace") else 0
            pos = m.end()
        else:
            out_len += 1
            pos += 1
    return spans
