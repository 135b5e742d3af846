"""Math: MathML on screen, vector graphics in the PDF (ziamath), native equations in the Word file; numbered
equations ``{#eq:x}`` referred to as ``式(1)``; a formula that cannot be printed is a one-line error."""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest

from mspress.cli import main
from mspress.writers import math_svg

from .conftest import FIXTURES, REPO
from .editing import edit
from .shared_data import require_shared

Cli = Callable[..., tuple[int, str, str]]
LINE = re.compile(r"^manuscript/[^:\s]+:\d+:\d+: error: .+ \[[a-z-]+\]$")
SECTION = r"""# 引言 {#sec:intro}

第一句引用[@wang2020]。第二句引用多篇[@smith2019; @wang2020; @lee2018]，如@fig:demo所示。
文献@smith2019指出，页码引用[@lee2018, p. 25]。

检验统计量为 $\chi^2$，$P<0.05$，均数为 $\bar x \pm s$。

$$ E = mc^2 $$ {#eq:energy}

由@eq:energy可知，能量与质量成正比；公式@eq:energy也给出了@eq:bmi的量纲。

$$\sigma^2 = \frac{1}{n-1}\sum_{i=1}^{n}(x_i-\bar{x})^2$$

$$\text{体重指数} = \frac{\text{体重}}{\text{身高}^2}$$ {#eq:bmi}

![示意图，其中 $\alpha=0.05$](figures/demo.svg){#fig:demo caption-en="A demonstration"}

## 方法

见@sec:intro节。另见@lee2018。矩阵 $\begin{pmatrix}1&2\\3&4\end{pmatrix}$、$\sqrt[3]{x}$、$\hat\beta$ 和 $\operatorname{sgn}(x)$。
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def math_project(target: Path) -> Path:
    shutil.copytree(FIXTURES / "projects" / "minimal", target)
    (target / "manuscript" / "01-introduction.md").write_text(SECTION, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The math project built once in every format."""
    root = math_project(tmp_path_factory.mktemp("math") / "article")
    code, out, err = run("build", "-C", str(root), "--format", "html", "--format", "pdf", "--format", "docx")
    assert (code, err) == (0, ""), err
    yield root / "output"


def test_pdf_has_the_formulas_as_vector_graphics_and_no_tex(built: Path) -> None:
    with pymupdf.open(built / "manuscript.pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
        page = pdf[0]
        curves = [d for d in page.get_drawings() if d.get("fill") is not None and any(item[0] == "c" for item in d["items"])]
        line = page.search_for("检验统计量为")[0]
        number = page.search_for("(1)")
        words = page.get_text("words")
        width = page.rect.width
    for tex in ("\\chi", "^{", "\\frac", "\\sum", "\\text", "\\begin", "{#eq", "semantics", "annotation"):
        assert tex not in text, tex
    assert "χ2" not in text, "no MathML text either"
    assert len(curves) > 50, "glyph outlines of the formulas"
    # χ² and the rest of that line's formulas are drawn on its line, at the text's size
    on_line = [d["rect"] for d in curves if d["rect"].y0 > line.y0 - 4 and d["rect"].y1 < line.y1 + 4 and d["rect"].x0 > line.x1 - 2]
    assert len(on_line) >= 8 and all(r.height < 1.2 * line.height for r in on_line), on_line
    # the number (1) flush right on the equation's line, the equation centred
    right_edge = max(w[2] for w in words)
    eq1 = next(r for r in number if r.x1 > right_edge - 1)
    centred = [d["rect"] for d in curves if abs((d["rect"].y0 + d["rect"].y1) / 2 - (eq1.y0 + eq1.y1) / 2) < 8]
    assert centred and abs((min(r.x0 for r in centred) + max(r.x1 for r in centred)) / 2 - width / 2) < 40


def test_typo_metrics_finds_no_raw_tex(built: Path, tmp_path: Path) -> None:
    tool = REPO.parent / "shared" / "tools" / "typo_metrics.py"
    require_shared(tool)
    report = tmp_path / "metrics.json"
    done = subprocess.run([sys.executable, str(tool), str(built / "manuscript.pdf"), "--json", str(report)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    metrics = json.loads(report.read_text(encoding="utf-8"))
    assert metrics["g_raw_tex"] == 0, metrics["g_raw_tex_examples"]


def test_html_keeps_mathml_and_links_each_equation(built: Path) -> None:
    html = (built / "manuscript.html").read_text(encoding="utf-8")
    assert html.count("<math ") == 11 and 'display="block"' in html
    assert html.count('<a href="#eq:energy" class="xref">式(1)</a>') == 1, "由@eq:energy"
    assert html.count('<a href="#eq:energy" class="xref">(1)</a>') == 1, "公式@eq:energy: 公式(1), not 公式式(1)"
    assert '<a href="#eq:bmi" class="xref">式(2)</a>' in html
    assert re.search(r'<span id="eq:energy" class="equation"><math display="block"[^>]*>.*?</math><span class="eqnum">\(1\)</span></span>', html, re.S)
    assert re.search(r'<span id="eq:bmi" class="equation">.*?<span class="eqnum">\(2\)</span>', html, re.S)
    assert "{#eq" not in html
    assert ".equation > .eqnum" in html, "the screen stylesheet puts the number on the equation's line"
    assert re.search(r"<figcaption>.*?<math ", html, re.S), "math in a caption"
    assert all("\\" not in alt for alt in re.findall(r'alt="([^"]*)"', html)), "the figure's description as text: α=0.05"
    description = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert description is None or "\\" not in description.group(1)


def test_word_file_has_native_equations_and_numbers(built: Path) -> None:
    with zipfile.ZipFile(built / "manuscript.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert document.count("<m:oMath>") >= 10 and "<m:oMathPara>" in document, "pandoc's OMML, display and inline"
    numbered = re.findall(r'<w:p><w:pPr><w:pStyle w:val="Equation"/></w:pPr>(.*?)</w:p>', document, re.S)
    assert len(numbered) == 2
    for paragraph, number in zip(numbered, ("(1)", "(2)"), strict=True):
        assert "<m:oMath>" in paragraph and paragraph.count("<w:tab/>") == 2
        assert re.search(rf"<w:tab/><w:t[^>]*>{re.escape(number)}</w:t>", paragraph), "a tab to the number at the margin"
    assert '<w:bookmarkStart w:id="' in numbered[0] and 'w:name="eq:energy"' in numbered[0]
    assert re.search(r'<w:hyperlink w:anchor="eq:energy">.*?<w:t[^>]*>式\(1\)</w:t>', document, re.S)
    assert "\\frac" not in document and "\\text" not in document
    with zipfile.ZipFile(built / "manuscript.docx") as package:
        styles = package.read("word/styles.xml").decode("utf-8")
    equation_style = re.search(r'<w:style [^>]*w:styleId="Equation".*?</w:style>', styles, re.S)
    assert equation_style and 'w:val="center"' in equation_style.group(0) and 'w:val="right"' in equation_style.group(0)


def failing(root: Path, *formats: str) -> list[str]:
    code, out, err = run("build", "-C", str(root), *(a for f in formats for a in ("--format", f)))
    assert code == 1 and "Traceback" not in err and out == ""
    lines = err.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), err
    return lines


def test_unknown_and_duplicate_equation_labels_are_errors_in_check_and_build(tmp_path: Path) -> None:
    root = math_project(tmp_path / "article")
    edit(root / "manuscript" / "01-introduction.md", "也给出了@eq:bmi的量纲", "也给出了@eq:nope的量纲")
    edit(root / "manuscript" / "01-introduction.md", "{#eq:bmi}", "{#eq:energy}")
    expected = ["manuscript/01-introduction.md:10:40: error: unknown cross reference @eq:nope: label a display equation "
                "$$ … $$ {#eq:nope} [undefined-crossref]",
                "manuscript/01-introduction.md:14:49: error: label {#eq:energy} is also defined at "
                "manuscript/01-introduction.md:8:16: rename one [duplicate-label]"]
    assert failing(root, "html") == expected
    code, out, err = run("check", "-C", str(root))
    assert (code, err) == (1, "") and out.splitlines()[:2] == expected


def test_a_formula_pandoc_cannot_read_is_an_error_at_its_place(tmp_path: Path) -> None:
    root = math_project(tmp_path / "article")
    edit(root / "manuscript" / "01-introduction.md", "均数为 $\\bar x \\pm s$", "均数为 $\\frac{a}{$")
    expected = ["manuscript/01-introduction.md:6:30: error: cannot read the formula $\\frac{a}{$: unexpected eof; write LaTeX "
                "math that pandoc reads (see the README, Math) [math-error]"]
    assert failing(root, "html") == expected
    assert failing(root, "docx") == expected, "the Word file would carry the TeX as text"


def test_a_formula_the_pdf_cannot_typeset_is_an_error_at_its_place(tmp_path: Path) -> None:
    root = math_project(tmp_path / "article")
    edit(root / "manuscript" / "01-introduction.md", "$\\hat\\beta$", "$\\text{ᚠ}$")
    assert failing(root, "pdf") == ["manuscript/01-introduction.md:20:81: error: the PDF cannot typeset the formula "
                                    "$\\text{ᚠ}$: no font here has 'ᚠ' (U+16A0): use another symbol or command [math-error]"]
    assert not (root / "output" / "manuscript.pdf").exists()


def test_a_formula_nested_too_deeply_for_ziamath_is_an_error_not_a_hang(tmp_path: Path) -> None:
    """ziamath's work doubles with each level of rows: twenty nested brackets would take hours."""
    import time

    root = math_project(tmp_path / "article")
    deep = "\\left(" * 20 + "x" + "\\right)" * 20
    edit(root / "manuscript" / "01-introduction.md", "$\\hat\\beta$", f"${deep}$")
    started = time.monotonic()
    [line] = failing(root, "pdf")
    assert time.monotonic() - started < 20
    assert line.startswith("manuscript/01-introduction.md:20:81: error: the PDF cannot typeset the formula $\\left(\\left(")
    assert line.endswith("it nests brackets or groups too deeply for the PDF (ziamath lays each level out twice); simplify it [math-error]")


def test_each_formula_is_typeset_once_and_chinese_text_is_drawn() -> None:
    mathml = ('<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mtext>中文</mtext>'
              '<annotation encoding="application/x-tex">\\text{中文}</annotation></semantics></math>')
    first = math_svg.typeset(mathml)
    assert math_svg.typeset(mathml) is first
    assert first.svg.count("<path") == 2 and "中文" not in first.svg and "annotation" not in first.svg
    width = float(re.search(r'width="([\d.]+)em"', first.svg).group(1))  # type: ignore[union-attr]
    assert 1.8 < width < 2.05, "two Chinese characters, about an em each"


def test_math_font_is_the_debian_package_s() -> None:
    assert math_svg.font_file(math_svg.MATH_FONT) is not None, "make installs fonts-texgyre-math"
    assert math_svg.font_file("No Such Font Family") is None


def test_ziamath_is_not_loaded_for_an_article_without_math(tmp_path: Path) -> None:
    root = tmp_path / "article"
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    script = ("import sys; from mspress.cli import main; code = main(['build', '-C', sys.argv[1], '--format', 'pdf']); "
              "print(code, 'ziamath' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr


def test_an_inline_formula_is_bound_to_the_marks_around_it() -> None:
    # Pango sees no character in a drawing: without the binding a line could start with the 、 after a formula.
    mathml = '<math display="inline"><mi>x</mi></math>'
    parts = math_svg.print_math({"body": f"<p>变量（{mathml}、{mathml}）和{mathml}。以及 {mathml} 本身</p>"}, {})
    html = parts["body"]
    assert html.count('<span class="nobreak">') == 3
    bound = re.findall(r'<span class="nobreak">(.*?)</span>', html, re.S)
    assert bound[0].startswith("（<svg") and bound[0].endswith("</svg>、")
    assert bound[1].endswith("</svg>）") and bound[2].endswith("</svg>。")
    assert "以及 <svg" in html  # no mark beside it: nothing to bind
