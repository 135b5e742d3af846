"""A corpus of hostile and broken projects and files, each with its expected outcome.

Every case runs the real command in-process and is checked for: the exit status and message it should give, no
traceback, no byte of a file outside the project in any output or message, the last good outputs untouched when
refused, no connection to a loopback listener that the cases point URLs at, an end within 30 s, and — when an
HTML page is written — that Chromium opening it runs no script, opens no dialog and sends no request.
"""
from __future__ import annotations

import base64
import os
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.hostile_files import png, zipped

SECRET = "SECRET-OUTSIDE-THE-PROJECT"
LAST_GOOD = b"LAST GOOD OUTPUT"
BUILD = ("build", "--format", "html", "--format", "docx")
PDF = ("build", "--format", "html", "--format", "pdf")
CHECK = ("check",)
BODY = "manuscript/01-introduction.md"
Setup = Callable[[Path, Path, int], None]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    command: tuple[str, ...] = BUILD
    codes: tuple[int, ...] = (1,)
    says: str | None = None
    editor: str | None = None
    """Editor mode: the file (under the project) that ``check`` is given instead of the project."""
    extra: dict[str, Any] = field(default_factory=dict)


# --- building blocks ----------------------------------------------------------------------------------------

def write(rel: str, content: str | bytes, append: bool = False) -> Setup:
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.replace("PORT", str(port)) if isinstance(content, str) else content
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with path.open("ab" if append else "wb") as handle:
            handle.write(raw)
    return setup


def body(text: str) -> Setup:
    return write("manuscript/02-hostile.md", text)


def both(*setups: Setup) -> Setup:
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        for step in setups:
            step(root, elsewhere, port)
    return setup


def cleared(path: Path) -> Path:
    """``path`` with whatever was there removed (its folder made), ready for a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    return path


def link_out(rel: str, name: str = "passwd.txt") -> Setup:
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        cleared(root / rel).symlink_to(elsewhere / name)
    return setup


def loop(rel: str) -> Setup:
    """A symbolic link that points to itself."""
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        cleared(root / rel).symlink_to(Path(rel).name)
    return setup


def fifo(rel: str) -> Setup:
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return setup


def meta(old: str, new: str) -> Setup:
    def setup(root: Path, elsewhere: Path, port: int) -> None:
        path = root / "manuscript" / "metadata.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new.replace("PORT", str(port))), encoding="utf-8")
    return setup






def docx_members() -> dict[str, bytes]:
    import io

    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("正文引用[1]。")
    document.add_paragraph("参考文献")
    document.add_paragraph("[1] 王五. 题名[J]. 期刊, 2020, 1(1): 1-2.")
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        return {name: package.read(name) for name in package.namelist()}


def bad_crc(data: bytes) -> bytes:
    position = data.find(b"word/document.xml")
    corrupted = bytearray(data)
    corrupted[position + 60] ^= 0xFF  # inside the compressed member that follows its local header
    return bytes(corrupted)


LAUGHS = "title: &a [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
ACTIVE_MARKDOWN = {
    "javascript-link": "[点我](javascript:window.__pwned=1)",
    "javascript-mixed-case": "[点我](JaVaScRiPt:window.__pwned=1)",
    "javascript-entity": "[点我](jav&#x09;ascript:window.__pwned=1)",
    "vbscript-link": "[点我](vbscript:msgbox(1))",
    "data-html-link": "[点我](data:text/html,<script>window.__pwned=1</script>)",
    "event-attribute": "[文字]{onmouseover=\"window.__pwned=1\" onclick=\"alert(1)\"}",
    "event-on-link": "[链接](https://example.org){onfocus=\"window.__pwned=1\" autofocus=\"\"}",
    "style-url": "[文字]{style=\"background:url(http://127.0.0.1:PORT/style)\"}",
    "raw-script": "<script>window.__pwned=1</script>",
    "raw-img-onerror": "<img src=x onerror=\"window.__pwned=1\">",
    "raw-iframe": "<iframe src=\"http://127.0.0.1:PORT/frame\"></iframe>",
    "raw-svg-onload": "<svg onload=\"window.__pwned=1\"></svg>",
    "raw-style": "<style>body{background:url(http://127.0.0.1:PORT/css)}</style>",
    "raw-link-stylesheet": "<link rel=stylesheet href=\"http://127.0.0.1:PORT/x.css\">",
    "raw-meta-refresh": "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:PORT/\">",
    "raw-object": "<object data=\"http://127.0.0.1:PORT/o\"></object>",
    "raw-base": "<base href=\"http://127.0.0.1:PORT/\">",
    "raw-form": "<form action=\"http://127.0.0.1:PORT/\"><button>go</button></form>",
    "comment-script": "<!-- <script>window.__pwned=1</script> -->正文",
    "raw-block-html": "```{=html}\n<script>window.__pwned=1</script>\n```",
    "raw-inline-html": "`<script>window.__pwned=1</script>`{=html}",
    "code-script": "```\n<script>window.__pwned=1</script>\n```",
    "http-link": "[外链](http://127.0.0.1:PORT/link)",
    "autolink": "<http://127.0.0.1:PORT/auto>",
    "footnote-script": "正文[^n]\n\n[^n]: <script>window.__pwned=1</script>",
    "table-script": "| a |\n|---|\n| <script>window.__pwned=1</script> |",
    "caption-script": "见@fig:x。\n\n![图<script>window.__pwned=1</script>](figures/demo.svg){#fig:x caption-en=\"</figcaption><script>window.__pwned=1</script>\"}",
    "unicode-bidi": "正文\u202ejs.exe\u202c与零宽\u200b字符",
    "nul-bytes": "正文\u0000与控制\u0007字符",
}
IMAGES = {
    "image-http": ("![图](http://127.0.0.1:PORT/img.png)", 1, "is not a project file"),
    "image-file-url": ("![图](file:///etc/passwd)", 1, "is not a project file"),
    "image-outside": ("![图](../../../../etc/passwd)", 1, "is outside the project"),
    "image-reference-style": ("![图][p]\n\n[p]: ../../../../etc/passwd", 1, "is outside the project"),
    "image-protocol-relative": ("![图](//127.0.0.1:PORT/x.png)", 1, "is not a project file"),
    "image-nul-in-path": ("![图](figures/de\u0000mo.svg)", 1, "contains a NUL character"),  # found by scripts/fuzz.py
    "image-data-svg-script": ("![图](data:image/svg+xml;base64," + base64.b64encode(b"<svg onload='window.__pwned=1'/>").decode() + ")",
                              1, "figure data of type 'image/svg+xml'"),
    "image-data-png": ("见@fig:d。\n\n![图](data:image/png;base64," + base64.b64encode(png(4, 4)).decode() + "){#fig:d}", 0, None),
    "image-svg-with-script": ("见@fig:s。\n\n![图](figures/evil.svg){#fig:s}", 0, None),
}
EVIL_SVG = (b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='10' height='10' "
            b"onload='window.__pwned=1'><script>window.__pwned=1</script>"
            b"<image xlink:href='http://127.0.0.1:PORT/svgimg' width='5' height='5'/><image href='file:///etc/passwd'/></svg>")


def cases() -> Iterator[Case]:
    # A. links out of the project
    for rel, target in [(BODY, "passwd.txt"), ("manuscript/abstract.zh.md", "passwd.txt"), ("manuscript/abstract.en.md", "passwd.txt"),
                        ("manuscript/metadata.yaml", "passwd.txt"), ("references/library.bib", "passwd.txt"),
                        ("references/extra.json", "passwd.txt"), ("templates/article.html.j2", "passwd.txt"),
                        ("templates/screen.css", "passwd.txt"), ("templates/base.css", "passwd.txt"), ("manuscript/02-link.md", "passwd.txt")]:
        yield Case(f"link-out:{rel}", link_out(rel, target), says="is a link to a file outside the project")
    yield Case("link-out:pyproject.toml", link_out("pyproject.toml"), codes=(2,), says="is a link to a file outside the project")
    yield Case("link-out:journal-profile", both(link_out("journals/evil/profile.toml"), write("pyproject.toml", '[tool.mspress]\njournal = "evil"\n')),
               codes=(2,), says="is a link to a file outside the project")
    yield Case("link-out:figure", both(link_out("manuscript/figures/out.png", "secret.png"), body("见@fig:o。\n\n![图](figures/out.png){#fig:o}")),
               says="is outside the project")
    yield Case("link-out:output-folder", link_out("output", ""), says="output/ is a link to a folder outside the project",
               extra={"no_sentinels": True})
    yield Case("link-out:figures-folder", both(link_out("manuscript/figures", ""), body("见@fig:o。\n\n![图](figures/secret.png){#fig:o}")),
               says="is outside the project")
    for rel in (BODY, "manuscript/02-loop.md", "references/loop.bib", "templates/screen.css", "manuscript/metadata.yaml"):
        yield Case(f"link-loop:{rel}", loop(rel), says="is a link that loops or leads nowhere")
    yield Case("link-loop:pyproject.toml", loop("pyproject.toml"), codes=(2,), says="is a link that loops or leads nowhere")
    yield Case("link-loop:output", loop("output"), says="is a link to a folder outside the project", extra={"no_sentinels": True})
    yield Case("link-loop:figure", both(loop("manuscript/figures/loop"), body("见@fig:l。\n\n![图](figures/loop/x.png){#fig:l}")),
               says="cannot be used")
    yield Case("link-out:output-name", both(link_out("output/link", ""), write("pyproject.toml", '[tool.mspress]\noutput_name = "link/x"\n')),
               says="is a link to a folder outside the project")
    yield Case("link-out:output-dir-below", both(link_out("out", ""), write("pyproject.toml", '[tool.mspress]\noutput_dir = "out/sub"\n')),
               says="is a link to a folder outside the project", extra={"no_sentinels": True})
    yield Case("figure-name-too-long", body("![图](figures/" + "a" * 300 + ".png)"), says="cannot be used")
    # B. files that are not files
    for rel in (BODY, "manuscript/02-fifo.md", "manuscript/abstract.en.md", "manuscript/metadata.yaml", "references/fifo.bib",
                "references/fifo.json", "templates/article.html.j2"):
        yield Case(f"fifo:{rel}", fifo(rel), says="is not a regular file")
    yield Case("fifo:pyproject.toml", fifo("pyproject.toml"), codes=(2,), says="is not a regular file")
    yield Case("fifo:figure", both(fifo("manuscript/figures/f.png"), body("见@fig:f。\n\n![图](figures/f.png){#fig:f}")), says="figure file not found")
    # C. sizes
    yield Case("huge:section", body("很长的一句话。" * 550_000), says="is larger than 10 MB")
    yield Case("huge:library", write("references/huge.bib", "% " + "x" * (11 * 1024 * 1024)), says="is larger than 10 MB")
    yield Case("huge:metadata", meta("title:", "# " + "x" * (11 * 1024 * 1024) + "\ntitle:"), says="is larger than 256 kB")
    yield Case("huge:figure-bytes", both(write("manuscript/figures/big.png", png(8, 8) + b"\0" * (21 * 1024 * 1024)),
                                         body("见@fig:b。\n\n![图](figures/big.png){#fig:b}")), says="is larger than 20 MB")
    yield Case("huge:svg", both(write("manuscript/figures/big.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g/>" * 1_500_000 + b"</svg>"),
                                body("见@fig:b。\n\n![图](figures/big.svg){#fig:b}")), says="over the 5 MB limit")
    yield Case("huge:png-pixels", both(write("manuscript/figures/big.png", png(8000, 8000)), body("见@fig:b。\n\n![图](figures/big.png){#fig:b}")),
               says="over the 50-megapixel limit")
    yield Case("huge:png-bomb", both(write("manuscript/figures/big.png", png(40000, 40000)), body("见@fig:b。\n\n![图](figures/big.png){#fig:b}")),
               says="megapixels, the limit")
    yield Case("broken:png", both(write("manuscript/figures/bad.png", png(8, 8, corrupt=True)), body("见@fig:b。\n\n![图](figures/bad.png){#fig:b}")),
               says="is not a readable image")
    yield Case("broken:jpeg", both(write("manuscript/figures/bad.jpg", b"\xff\xd8\xff\xe0garbage"), body("见@fig:b。\n\n![图](figures/bad.jpg){#fig:b}")),
               says="is not a readable image")
    yield Case("huge:line", body("字" * 1_000_000), codes=(0,))
    yield Case("huge:metadata-300kB", meta("title:", "# " + "x" * 300_000 + "\ntitle:"), says="is larger than 256 kB")
    yield Case("legit:fill-in-blank", body("请填写：" + "_" * 600 + "。"), codes=(0,))
    yield Case("legit:link-inside", lambda r, e, p: ((r / "abstract.md").write_bytes((r / "manuscript" / "abstract.zh.md").read_bytes()),
                                                   (r / "manuscript" / "abstract.zh.md").unlink(),
                                                   (r / "manuscript" / "abstract.zh.md").symlink_to(r / "abstract.md")), codes=(0,))
    # D. YAML
    yield Case("yaml:billion-laughs", write("manuscript/metadata.yaml", LAUGHS), says="YAML aliases (*name) are not read")
    yield Case("yaml:deep", write("manuscript/metadata.yaml", "title:\n  zh: " + "[" * 200 + "]" * 200 + "\n"), says="nested more than 20 levels")
    yield Case("yaml:python-tag", write("manuscript/metadata.yaml", "title: !!python/object/apply:os.system ['echo pwned']\n"), says="metadata.yaml")
    yield Case("yaml:not-utf8", write("manuscript/metadata.yaml", b"title: \xff\xfe\n"), says="not valid UTF-8")
    yield Case("yaml:malformed", write("manuscript/metadata.yaml", "title: [unclosed\n"), says="malformed YAML")
    yield Case("yaml:not-a-mapping", write("manuscript/metadata.yaml", "- just\n- a list\n"), says="metadata.yaml")
    yield Case("yaml:huge-year", meta("year: 2024", "year: " + "9" * 5000), codes=(0, 1))
    yield Case("yaml:newline-in-volume", meta('volume: "5"', 'volume: "5\\n} body { display: none } @page {"'), command=PDF, codes=(0,))
    yield Case("yaml:ampersand-and-style-in-name", meta("name: {zh: 测试学报, en: Journal of Tests}",
                                                       'name: {zh: "测试&学报</style><script>window.__pwned=1</script>", en: "J & T"}'), command=PDF, codes=(0,))
    yield Case("yaml:script-in-title", meta("zh: 测试文章", 'zh: "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>"'), codes=(0,))
    yield Case("yaml:script-in-author", meta("{zh: 张三, en: Zhang San}", '{zh: "<img src=x onerror=window.__pwned=1>", en: "\\" onmouseover=\\"window.__pwned=1"}'),
               codes=(0,))
    yield Case("yaml:url-in-email", meta("zhangsan@example.org", '"javascript:window.__pwned=1"'), codes=(0,))
    yield Case("yaml:doi-javascript", meta("document_code: A", 'document_code: A\ndoi: "javascript:window.__pwned=1"'), codes=(0, 1))
    # E. nesting and runs
    yield Case("nesting:quotes", body("> " * 400 + "深"), says="nested too deeply")
    yield Case("nesting:lists", body("".join("  " * i + "- 项\n" for i in range(300))), says="nested too deeply")
    yield Case("nesting:ordered-huge-start", body("9" * 5000 + ". 一项\n2. 二项"), codes=(0,))
    for char in "`[]*<>":
        yield Case(f"run:{char}", body("正文" + char * 60_000), says="characters in a row")
    yield Case("run:_", body("正文" + "_" * 60_000), codes=(0,))  # pandoc reads underscores fast: a fill-in blank stays allowed
    yield Case("run:brackets-and-ats", body("[" + "@wang2020 " * 5_000), codes=(0, 1))
    yield Case("run:many-ats", body("@" * 100_000), codes=(0, 1))
    # F. active content: builds, and Chromium runs nothing
    for name, markdown in ACTIVE_MARKDOWN.items():
        yield Case(f"active:{name}", body(markdown), codes=(0,), extra={"browser": True})
    # TeX pandoc cannot read would reach the page as raw TeX: an error at the formula, no page
    yield Case("active:math-href", body("$\\href{javascript:window.__pwned=1}{x}$"), says="cannot read the formula")
    yield Case("nesting:math-brackets", body("$" + "\\left(" * 40 + "x" + "\\right)" * 40 + "$"), command=PDF,
               says="nests brackets or groups too deeply")
    for name, (markdown, code, says) in IMAGES.items():
        setup = body(markdown) if name != "image-svg-with-script" else both(write("manuscript/figures/evil.svg", EVIL_SVG), body(markdown))
        yield Case(f"active:{name}", setup, codes=(code,), says=says, extra={"browser": code == 0})
    yield Case("active:svg-figure-in-pdf", both(write("manuscript/figures/evil.svg", EVIL_SVG), body("见@fig:s。\n\n![图](figures/evil.svg){#fig:s}")),
               command=PDF, codes=(0,), extra={"browser": True})
    yield Case("active:bib-url-javascript", write("references/library.bib", "\n@misc{evil, title={Evil}, url={javascript:window.__pwned=1}, year={2020}}\n", True),
               codes=(0,), extra={"cite": "evil", "browser": True})
    yield Case("active:bib-url-loopback", write("references/library.bib", "\n@misc{evil, title={Web}, url={http://127.0.0.1:PORT/bib}, year={2020}}\n", True),
               command=PDF, codes=(0,), extra={"cite": "evil", "browser": True})
    yield Case("active:bib-note-script", write("references/library.bib", "\n@misc{evil, title={<script>window.__pwned=1</script>}, year={2020}}\n", True),
               codes=(0,), extra={"cite": "evil", "browser": True})
    yield Case("active:project-css-url", write("templates/screen.css", "body { background: url(http://127.0.0.1:PORT/bg.png) }\n"
                                               "@import url(http://127.0.0.1:PORT/i.css);\n@font-face { font-family: x; src: url(http://127.0.0.1:PORT/f.woff) }"),
               command=PDF, codes=(0,), extra={"browser": True})
    yield Case("active:project-print-css-file", write("templates/print.css", "body { background: url(file:///etc/passwd) }"), command=PDF, codes=(0,))
    # G. templates
    for name, template, says in [
        ("include-passwd", "{% include '/etc/passwd' %}", "template"),
        ("include-parent", "{% include '../../../../etc/passwd' %}", "template"),
        ("class-walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "template"),
        ("globals", "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}", "template"),
        ("undefined", "{{ nothing.here }}", "template uses an undefined value"),
        ("syntax", "{% for %}", "template syntax error"),
        ("memory", "{{ 'a' * 10000000000 }}", "beyond the limit"),
        ("power", "{{ 9 ** 99999999 }}", "beyond what a template needs"),
        ("loop", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "took more than"),
        ("not-utf8", b"\xff\xfe{{ x }}", "not valid UTF-8"),
        ("center-memory", '{{ "x"|center(100000000000) }}', "more than memory allows"),
    ]:
        yield Case(f"template:{name}", write("templates/article.html.j2", template), says=says)
    # H. editor mode: files someone else wrote
    members = docx_members()
    good_docx = zipped(members)
    for name, data, codes, says in [
        ("zip-bomb.docx", zipped({**members, "word/media/zeros.bin": b"\0" * (300 * 1024 * 1024)}), (2,), "unpacks to"),
        ("invalid-xml.docx", zipped({**members, "word/document.xml": b"<w:document"}), (2,), "not a readable .docx"),
        ("entity-bomb.docx", zipped({**members, "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;</d>'}), (2,), None),
        ("external-entity.docx", zipped({**members, "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                         b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t>'
                                         b'</w:r></w:p></w:body></w:document>'}), (0, 1, 2), None),
        ("no-document.docx", zipped({k: v for k, v in members.items() if k != "word/document.xml"}), (2,), "not a readable .docx"),
        ("bad-crc.docx", bad_crc(good_docx), (2,), "not a readable .docx"),
        ("text.docx", b"just text, not a zip", (2,), "not a readable .docx"),
        ("empty.docx", b"", (2,), "not a readable .docx"),
        ("huge-node.docx", zipped({**members, "word/document.xml": members["word/document.xml"].replace(b"<w:t>", b"<w:t>" + b"x" * 12_000_000, 1)}),
         (0, 1, 2), None),
        ("comment-only.html", b"<!-- nothing but a comment -->", (0,), None),
        ("empty.html", b"", (0,), None),
        ("script.html", b"<script>[1]</script><p>text[1]</p>", (0, 1), None),
        ("garbage.txt", os.urandom(4096), (0, 1, 2), None),
        ("gb18030.txt", "正文[1]。\n参考文献\n[1] 王五. 题名[J]. 期刊, 2020.\n".encode("gb18030"), (0,), None),
        ("utf16.txt", "正文[1]。".encode("utf-16"), (0, 1, 2), None),
        ("long-line.txt", ("字[1]" * 1_000_000).encode("utf-8"), (0, 1), None),
        ("long-entry.txt", ("参考文献\n[1] A. One[J].\n" + "continued text line\n" * 300_000).encode("utf-8"), (0, 1), None),
        ("many-first-labels.txt", ("[1] x\n" * 100_000).encode("utf-8"), (0, 1), None),
        ("many-superscripts.html", ("<p>" + "研究<sup>[1]</sup>" * 200_000 + "</p>").encode("utf-8"), (0, 1), None),
        ("unclosed-sups.md", ("<sup>" * 100_000).encode("utf-8"), (0, 1), None),
        ("backticks.md", ("x" + "`" * 200_000).encode("utf-8"), (0, 1), None),
        ("blank-run-entry.txt", ("见[1]。\n\n参考文献\n\n[1] A" + " " * 200_000 + "x\n").encode("utf-8"), (0, 1), None),
        ("blank-line.md", (" " * 300_000 + "x\n").encode("utf-8"), (0, 1), None),
        ("huge-range.txt", "见[1-999999]与[1-2000000000]与[" .encode() + b"9" * 5000 + b"]", (1,), "spans more than 2000"),
        ("unsupported.pdf", b"%PDF-1.4", (2,), "cannot check .pdf files"),
    ]:
        yield Case(f"editor:{name}", write(f"incoming/{name}", data), command=CHECK, codes=codes, says=says, editor=f"incoming/{name}")
    yield Case("editor:fifo.txt", fifo("incoming/fifo.txt"), command=CHECK, codes=(2,), says="is not a regular file", editor="incoming/fifo.txt")
    yield Case("editor:link-out.txt", link_out("incoming/out.txt"), command=CHECK, codes=(0, 1), editor="incoming/out.txt",
               extra={"secret_allowed": True})  # the editor named this file: reading it is what they asked for
    # I. libraries
    for name, entry, codes in [
        ("unbalanced", "@article{u, title={Open {brace, year={2020}", (0, 1)),
        ("deep-braces", "@article{d, title={" + "{" * 10_000 + "x" + "}" * 10_000 + "}, year={2020}}", (0, 1)),
        ("string-loop", "@string{a = b}\n@string{b = a}\n@article{s, title=a, year={2020}}", (0, 1)),
        ("huge-field", "@article{h, title={" + "x" * 1_000_000 + "}, year={2020}}", (0, 1)),
        ("duplicate-key", "@article{wang2020, title={Again}, year={2020}}", (1,)),
        ("crossref-loop", "@inbook{a, crossref={b}, title={A}}\n@inbook{b, crossref={a}, title={B}}", (0, 1)),
        ("unknown-type", "@nonsense{n, title={N}, year={2020}}", (0, 1)),
        ("author-tilde", "@article{t, author={Smith, J. and ~}, title={T}, journal={J}, year={2020}}", (0, 1)),
        ("latex-input", "@article{l, title={\\input{/etc/passwd}\\include{/etc/passwd}}, journal={J}, year={2020}}", (0, 1)),
        ("placeholder-values", "@article{p, title={T}, journal={J}, year={Null}, pages={0--0}}", (0, 1)),
        ("nul-bytes", "@article{z, title={T\0\0}, year={2020}}", (0, 1)),
        ("not-utf8", "@article{g, title={\udcff}, year={2020}}", (1,)),
    ]:
        setup = write("references/hostile.bib", entry.encode("utf-8", "surrogateescape"))
        cite = entry.split("{", 1)[1].split(",", 1)[0]
        yield Case(f"bib:{name}", setup, codes=codes, extra={"cite": cite} if codes == (0, 1) else {})
    for name, text, codes, says in [
        ("wrong-types", '[{"id": "j1", "type": 5, "title": ["a"], "author": "x", "issued": {"date-parts": [["2020", 1]]}}]', (0, 1), None),
        ("int-date-parts", '[{"id": "j1", "type": "article-journal", "title": "t", "issued": {"date-parts": [[2020, 13, 40]]}, "author": [{"family": 5}]}]',
         (0, 1), None),
        ("deep", "[" * 100_000 + "]" * 100_000, (1,), "nested too deeply"),
        ("huge-int", '[{"id": "j1", "type": "book", "title": "t", "issued": {"date-parts": [[' + "9" * 5000 + "]]}}]", (0, 1), None),
        ("not-a-list", '"just a string"', (1,), "CSL-JSON must be a list"),
        ("malformed", '[{"id": ', (1,), "malformed CSL-JSON"),
    ]:
        yield Case(f"csl:{name}", write("references/hostile.json", text), codes=codes, says=says, extra={"cite": "j1"} if codes == (0, 1) else {})
    # J. citations
    for name, markdown, codes in [
        ("unclosed", "见[@wang2020", (0, 1)),
        ("empty-key", "见[@]与@。", (0, 1)),
        ("long-key", "见[@" + "k" * 10_000 + "]", (1,)),
        ("huge-locator", "见[@wang2020, p. " + "9" * 5000 + "]", (0,)),
        ("same-key-many-times", "见[@wang2020]。" * 5000, (0,)),
        ("unknown-crossref", "见@fig:nothing。", (1,)),
        ("at-in-url", "见<https://example.org/@wang2020>与 mail@example.org。", (0,)),
        ("escaped-at", "见\\@wang2020。", (0,)),
        ("fullwidth-group", "见［@wang2020；@smith2019］。", (0,)),
        ("marker-text", "MSPRESSPARTBOUNDARY0\n\nmspress-part-0:1", (0,)),
    ]:
        yield Case(f"cite:{name}", body(markdown), codes=codes)
    # K. the file system
    yield Case("fs:output-is-a-file", write("output", "a file"), codes=(1,), says="cannot write", extra={"no_sentinels": True})
    yield Case("fs:manuscript-is-a-file", lambda r, e, p: (shutil.rmtree(r / "manuscript"), (r / "manuscript").write_text("x")),
               codes=(1, 2), says="manuscript")
    yield Case("fs:references-is-a-file", lambda r, e, p: (shutil.rmtree(r / "references"), (r / "references").write_text("x")), codes=(0, 1, 2))
    yield Case("fs:no-manuscript", lambda r, e, p: shutil.rmtree(r / "manuscript"), codes=(2,), says="no manuscript/ directory")
    yield Case("fs:pyproject-binary", write("pyproject.toml", b"\x00\x01\x02\xff"), codes=(2,), says="pyproject.toml")
    yield Case("fs:tool-not-a-table", write("pyproject.toml", "tool = 3\n"), codes=(2,), says="must be a table")
    yield Case("fs:check-output-missing-folder", write("manuscript/02-ok.md", "正文。"), command=("check", "--format", "junit", "--output",
               "reports/deep/junit.xml"), codes=(0,))


CASES = list(cases())


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 120 and len({c.name for c in CASES}) == len(CASES)


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection: any is a request that left the manuscript."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.hits: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.running:
            try:
                connection, address = self.socket.accept()
            except OSError:
                continue
            self.hits.append(str(address))
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()



def outputs(root: Path) -> dict[str, bytes]:
    folder = root / "output"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.is_dir() and not folder.is_symlink() else {}


def open_in_chromium(browser: Any, page_path: Path, port: int) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog {dialog.message}"), dialog.dismiss()))
    # A request the page's Content-Security-Policy stops never leaves it: only finished ones count.
    page.on("requestfinished", lambda request: problems.append(f"request {request.url}") if not request.url.startswith(("file:", "data:")) else None)
    page.goto(page_path.as_uri())
    page.wait_for_timeout(50)
    links = page.locator("a")
    for i in range(min(links.count(), 20)):
        if links.nth(i).is_visible():
            links.nth(i).hover(timeout=1000)
    if page.evaluate("typeof window.__pwned !== 'undefined'"):
        problems.append("a manuscript script ran")
    context.close()
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, cli: Callable[..., tuple[int, str, str]], listener: Listener, browser: Any,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    from mspress.writers import html

    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 2)
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "passwd.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (elsewhere / "secret.png").write_bytes(png(4, 4) + SECRET.encode())
    if not case.extra.get("no_sentinels"):
        (root / "output").mkdir()
        for name in ("manuscript.html", "manuscript.docx", "manuscript.pdf"):
            (root / "output" / name).write_bytes(LAST_GOOD)
    case.setup(root, elsewhere, listener.port)
    if "cite" in case.extra:
        with (root / BODY).open("a", encoding="utf-8") as handle:
            handle.write(f"\n另见[@{case.extra['cite']}]。\n")
    before = outputs(root)
    hits = len(listener.hits)
    start = time.perf_counter()
    argv = [*case.command, str(root / case.editor)] if case.editor else [*case.command, "-C", str(root)]
    code, out, err = cli(*argv)
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"{case.name} took {elapsed:.1f} s"
    assert "Traceback" not in err and "Traceback" not in out
    assert code in case.codes, f"{case.name}: exit {code}\n{out}\n{err}"
    if case.says:
        assert case.says in out + err, f"{case.name}: {out}\n{err}"
    after = outputs(root)
    if not case.extra.get("secret_allowed"):
        assert SECRET not in out + err and all(SECRET.encode() not in data for data in after.values())
    if code != 0 and case.command[0] == "build":
        assert after == before, "a refused build leaves the last good outputs as they were"
    assert len(listener.hits) == hits, f"{case.name}: a connection reached the loopback listener"
    page_path = root / "output" / "manuscript.html"
    if code == 0 and case.command[0] == "build" and page_path.is_file():
        assert page_path.read_bytes() != LAST_GOOD
        assert open_in_chromium(browser, page_path, listener.port) == []
        assert len(listener.hits) == hits, f"{case.name}: the page reached the loopback listener"
