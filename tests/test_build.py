"""Building a small project: what the HTML holds and how the pieces are numbered."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., tuple[int, str, str]]


def build_html(project: Path, cli: Cli, *extra: str) -> str:
    code, out, err = cli("build", "-C", str(project), "--format", "html", *extra)
    assert (code, err) == (0, "")
    return (project / "output" / "manuscript.html").read_text(encoding="utf-8")


def marks(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="cite"><sup>(.*?)</sup>|<span class="cite-inline">(.*?)</span>', html)
            for m in m if m]


def test_citation_marks_follow_first_citation_with_ranges_and_locators(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    assert marks(html) == ["[1]", "[1-3]", "[2]", "[3]25", "文献[3]"]


def test_superscript_for_bracketed_and_inline_for_narrative(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    assert '引<span class="nobreak">用<span class="cite"><sup>[<a href="#ref-wang2020" id="cite-1">1</a>]</sup></span></span>' in html
    assert '文<span class="nobreak">献<span class="cite-inline">[<a href="#ref-smith2019" id="cite-3">2</a>]</span></span>指出' in html
    assert '另<span class="nobreak">见<span class="cite-inline">文献[<a href="#ref-lee2018" id="cite-5">3</a>]</span></span>。' in html


def test_cross_references_inside_chinese_text(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    assert '如<a href="#fig:demo" class="xref">图1</a>所示' in html
    assert '见<a href="#sec:intro" class="xref">1</a>节' in html


def test_headings_are_numbered_and_figures_captioned_in_both_languages(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    assert '<span class="secnum">1</span>引言' in html
    assert '<span class="secnum">1.1</span>方法' in html
    assert '<span class="caption-label">图1</span>示意图' in html
    assert '<span class="caption-label">Fig. 1</span>A demonstration' in html
    assert 'src="data:image/svg+xml;base64,' in html


def test_reference_list_in_citation_order_with_entry_language(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    items = re.findall(r'<div id="ref-(\w+)" class="reference"[^>]*>\s*<p><span class="ref-label">\[(\d+)\]</span>(.*?)</p>', html)
    assert [(k, n) for k, n, _ in items] == [("wang2020", "1"), ("smith2019", "2"), ("lee2018", "3")]
    assert items[0][2].startswith("王五, 赵六. 深部脑刺激的研究进展[J]. 中华神经科杂志, 2020, 53(2): 100-105.")
    assert "SMITH J A, DOE J, ROE R, et al." in items[1][2]


def test_style_switch_to_2025(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli, "--style", "gb7714-2025")
    assert "王五，赵六. 深部脑刺激的研究进展[J]. 中华神经科杂志，2020，53（2）：100-105." in html
    assert "Smith J A，Doe J，Roe R，et al." in html


def test_style_setting_in_pyproject(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\nstyle = "gb7714-2025"\n', encoding="utf-8")
    assert "王五，赵六." in build_html(root, cli)


def test_front_matter_fields(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    for text in ("测试文章", "A test article", "张三<sup class=\"aff-mark\">1*</sup>", "李四<sup class=\"aff-mark\">1,2</sup>",
                 "【摘要】", "这是中文摘要。", "【关键词】</span>测试；引用", "中图分类号：R749.4", "文献标志码：A",
                 "【Abstract】", "This is the English abstract.", "【Keywords】</span>test; citation",
                 "收稿日期：2021-01-24", "基金项目：国家自然科学基金（81900000）", "通信作者：张三，E-mail：zhangsan@example.org",
                 "测试学报", "2024年第5卷第1期", "Journal of Tests, 2024, Vol.5, No.1"):
        assert text in html, text


def test_project_template_overrides_packaged_one(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "screen.css").write_text("body { color: rebeccapurple; }", encoding="utf-8")
    assert "rebeccapurple" in build_html(root, cli)


def with_group(root: Path, group: str, settings: str) -> Path:
    """The minimal project with its three-key citation group rewritten and [tool.mspress] settings."""
    body = root / "manuscript" / "01-introduction.md"
    body.write_text(body.read_text(encoding="utf-8").replace("[@smith2019; @wang2020; @lee2018]", group), encoding="utf-8")
    (root / "pyproject.toml").write_text(f"[tool.mspress]\n{settings}\n", encoding="utf-8")
    return root


def test_compress_min_run_three_keeps_two_numbers_apart(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_group(project("minimal"), "[@wang2020; @smith2019]", "compress_min_run = 3")
    assert marks(build_html(root, cli))[1] == "[1,2]"
    (root / "pyproject.toml").write_text("[tool.mspress]\ncompress_min_run = 2\n", encoding="utf-8")
    assert marks(build_html(root, cli))[1] == "[1-2]"


def test_typed_spaces_between_chinese_and_latin_are_dropped(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    body = root / "manuscript" / "01-introduction.md"
    body.write_text(body.read_text(encoding="utf-8").replace("第一句引用", "共 82 篇，用 Endnote 去重，见 DBS treatment 研究\n以及第二行"), encoding="utf-8")
    html = build_html(root, cli)
    assert "共82篇，用Endnote去重，见DBS treatment研究以及第二<span class=\"nobreak\">行<span class=\"cite\"><sup" in html


def test_html_asks_the_browser_for_chinese_justification(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(project("minimal"), cli)
    assert '<html lang="zh-CN">' in html
    # inter-character would spread Latin words letter by letter (S M I T H): the browser's own CJK justification
    # spreads between Chinese characters and at word spaces only.
    assert "text-justify: auto" in html and "text-autospace: normal" in html and "inter-character" not in html


def test_author_year_system(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\nsystem = "author-year"\nstyle = "gb7714-2025"\n', encoding="utf-8")
    html = build_html(root, cli)
    assert '（<a href="#ref-wang2020" id="cite-1">王五 等，2020</a>）' in html
    assert '（<a href="#ref-smith2019" id="cite-2">Smith et al.，2019</a>；<a href="#ref-wang2020">王五 等，2020</a>；' in html
    assert '（<a href="#ref-lee2018" id="cite-4">Lee，2018</a>）<span class="locator"><sup>25</sup></span>' in html
    assert 'Lee（<a href="#ref-lee2018" id="cite-5">2018</a>）' in html
    items = re.findall(r'<div id="ref-(\w+)" class="reference"[^>]*>\s*<p>(.*?)</p>', html, re.S)
    assert [k for k, _ in items] == ["wang2020", "lee2018", "smith2019"], "Chinese first, then by author"
    assert items[0][1].strip().startswith("王五，赵六，2020. 深部脑刺激的研究进展[J]. 中华神经科杂志，53（2）：100-105.")
    assert '<span class="ref-label">' not in html


def test_reference_profile_settings(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text(
        '[tool.mspress]\nuppercase_surnames = false\net_al_after = 1\nshort_journal = true\nprint_doi = true\n'
        'range_dash = "–"\n', encoding="utf-8")
    html = build_html(root, cli)
    assert "Smith J A, et al. A study of DBS outcomes[J/OL]. J Neurol, 2019, 12(3): 1-10. DOI:" in re.sub(r"<[^>]+>", "", html)
    assert marks(html)[1] == "[1–3]"


def test_citations_keep_written_order_when_asked(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_group(project("minimal"), "[@lee2018; @wang2020; @smith2019]", "sort_citations = false")
    assert marks(build_html(root, cli))[1] == "[2,1,3]"


def test_math_in_a_reference_title_is_sub_and_superscript_in_html_and_word(project: Callable[[str], Path], cli: Cli) -> None:
    """H$_2$O in a BibTeX title: a real subscript in the page and in the Word file, not H_2O or 2 on the line."""
    import zipfile

    root = project("minimal")
    bib = root / "references" / "library.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("title = {A study of {DBS} outcomes}",
                                                           r"title = {A study of H$_2$O and $^{13}$C in {DBS}}"), encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html", "--format", "docx")
    assert (code, err) == (0, ""), err
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert "H<sub>2</sub>O and <sup>13</sup>C in DBS" in html
    with zipfile.ZipFile(root / "output" / "manuscript.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert re.search(r'<w:vertAlign w:val="subscript"/>.*?<w:t[^>]*>2</w:t>', document, re.S)
    assert re.search(r'<w:vertAlign w:val="superscript"/>.*?<w:t[^>]*>13</w:t>', document, re.S)
