"""One parse, one citation list, one resolved document: check, HTML, DOCX and JATS agree."""
from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from mspress import pandoc
from mspress.commands.build import resolved
from mspress.config import load_settings
from mspress.errors import Location

from .editing import edit

Cli = Callable[..., tuple[int, str, str]]
BODY = "manuscript/01-introduction.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def prepend(root: Path, text: str) -> Path:
    body = root / BODY
    body.write_text(text + body.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def check_numbering(cli: Cli, root: Path) -> list[str]:
    code, out, _ = cli("check", "-C", str(root), "--format", "json", "--report")
    assert code == 0, out
    return [row["reference"] for row in json.loads(out)["numbering"]]


def built_marks(cli: Cli, root: Path) -> tuple[list[str], list[str]]:
    """(citation marks as printed, reference keys in list order) from the built HTML."""
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert (code, err) == (0, "")
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    marks = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="cite"><sup>(.*?)</sup></span>', html)]
    return marks, re.findall(r'<div id="ref-([^"]+)" class="reference"', html)


@pytest.mark.parametrize("verbatim", [
    "    print(@smith2019)\n    see [@lee2018]\n\n",
    "```\n[@smith2019] and @lee2018\n```\n\n",
    "~~~ {.python}\n@smith2019\n~~~\n\n",
    "`[@smith2019]` in code.\n\n",
    "<!-- [@smith2019] a note to self -->\n\n",
    "```{=html}\n<b>[@smith2019]</b>\n```\n\n",
], ids=["indented-code", "fenced-code", "tilde-fence", "code-span", "comment", "raw-block"])
def test_nothing_verbatim_is_a_citation(project: Callable[[str], Path], cli: Cli, verbatim: str) -> None:
    root = prepend(project("minimal"), verbatim)
    assert check_numbering(cli, root) == ["wang2020", "smith2019", "lee2018"]
    marks, listed = built_marks(cli, root)
    assert marks[0] == "[1]" and listed == ["wang2020", "smith2019", "lee2018"]


def test_a_comment_is_not_printed(project: Callable[[str], Path], cli: Cli) -> None:
    root = prepend(project("minimal"), "<!-- TODO: 补充数据 -->\n\n")
    built_marks(cli, root)
    assert "TODO" not in (root / "output" / "manuscript.html").read_text(encoding="utf-8")


def test_a_citation_in_a_footnote_is_numbered_where_the_note_is_called(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句引用[@wang2020]。", "第一句[^n]引用[@wang2020]。")
    with (root / BODY).open("a", encoding="utf-8") as handle:
        handle.write("\n[^n]: 注释引用[@lee2018]。\n")
    assert check_numbering(cli, root) == ["lee2018", "wang2020", "smith2019"]
    assert built_marks(cli, root)[1] == ["lee2018", "wang2020", "smith2019"]


def test_locations_follow_the_source_after_verbatim_text(project: Callable[[str], Path], cli: Cli) -> None:
    root = prepend(project("minimal"), "    [@nope]\n\n正文[@nope2]。\n\n")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 1
    assert out.splitlines()[0].startswith("manuscript/01-introduction.md:3:3: error: unknown citation key @nope2")
    assert "@nope " not in out and "@nope:" not in out


# --- the resolved document in other pandoc writers ---------------------------------------------------


def docx_paragraphs(data: bytes) -> list[list[tuple[str, bool]]]:
    """Each paragraph's runs as (text, superscript), hyperlinked runs included (python-docx skips those)."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for p in root.iter(f"{W}p"):
        runs = []
        for r in p.iter(f"{W}r"):
            align = r.find(f"{W}rPr/{W}vertAlign")
            runs.append(("".join(t.text or "" for t in r.iter(f"{W}t")), align is not None and align.get(f"{W}val") == "superscript"))
        paragraphs.append(runs)
    return paragraphs


def superscript_groups(paragraphs: list[list[tuple[str, bool]]]) -> list[str]:
    groups = []
    for runs in paragraphs:
        current = ""
        for text, sup in runs + [("", False)]:
            if sup:
                current += text
            elif current:
                groups.append(current)
                current = ""
    return groups


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    """The example article resolved once and written by pandoc's HTML, DOCX and JATS writers."""
    root = Path(__file__).parent.parent
    document, _ = resolved(load_settings(root))
    ast = document.pandoc_document()
    where = Location(Path("manuscript"))
    return {"ast": ast, "html": pandoc.convert(ast, "html5", where, ["--wrap=none"]).decode("utf-8"),
            "docx": pandoc.convert(ast, "docx", where), "jats": pandoc.convert(ast, "jats", where, ["--wrap=none", "--standalone"]).decode("utf-8")}


def test_the_resolved_document_holds_no_markup_of_any_output(example: dict[str, Any]) -> None:
    text = json.dumps(example["ast"], ensure_ascii=False)
    assert '"RawInline"' not in text and '"RawBlock"' not in text
    assert "<sup" not in text and "<a " not in text and "<span" not in text


def test_docx_and_jats_show_the_html_citation_numbers(example: dict[str, Any]) -> None:
    html_marks = [plain(m) for m in re.findall(r'<span class="cite"><sup>(.*?)</sup></span>', example["html"])]
    assert html_marks[:4] == ["[1]", "[2]", "[3]", "[4-7]"] and len(html_marks) > 30
    jats_marks = [plain(m) for m in re.findall(r"<sup>(.*?)</sup>", example["jats"]) if m.startswith("[")]
    assert jats_marks == html_marks
    assert superscript_groups(docx_paragraphs(example["docx"])) == html_marks


def test_docx_and_jats_show_the_html_reference_texts(example: dict[str, Any]) -> None:
    html_refs = [plain(m) for m in re.findall(r'<div id="ref-[^"]+" class="reference"[^>]*>\s*<p>(.*?)</p>', example["html"], re.S)]
    assert len(html_refs) == 34
    assert html_refs[28].startswith("[29]DOUGHERTY D D, REZAI A R, CARPENTER L L, et al. A randomized sham-controlled trial")
    docx_texts = ["".join(t for t, _ in runs) for runs in docx_paragraphs(example["docx"])]
    assert [t for t in docx_texts if re.match(r"\[\d+\]", t)] == html_refs
    # JATS puts the list where it belongs: <back><ref-list><ref id="ref-…"><mixed-citation>
    jats_refs = [plain(m) for m in re.findall(r'<ref id="ref-[^"]+">\s*<mixed-citation>(.*?)</mixed-citation>', example["jats"], re.S)]
    assert jats_refs == html_refs


# --- no silent slips -------------------------------------------------------------------------------


@pytest.mark.parametrize("written, printed", [
    ("[@smith2019, @wang2020, @lee2018]", "[1-3]"),
    ("[@smith2019，@wang2020，@lee2018]", "[1-3]"),
    ("［@smith2019；@wang2020；@lee2018］", "[1-3]"),
    ("［@smith2019; @wang2020; @lee2018］", "[1-3]"),
], ids=["comma", "full-width-comma", "full-width-brackets", "full-width-brackets-semicolons"])
def test_citation_groups_are_read_as_meant(project: Callable[[str], Path], cli: Cli, written: str, printed: str) -> None:
    root = project("minimal")
    edit(root / BODY, "[@smith2019; @wang2020; @lee2018]", written)
    marks, listed = built_marks(cli, root)
    assert marks[1] == printed and listed == ["wang2020", "smith2019", "lee2018"]
    assert check_numbering(cli, root) == listed
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert "［" not in html and html.count('class="cite-inline"') == 2, "only the two narrative citations are inline"


def test_a_markdown_file_left_out_of_the_article_is_reported(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "manuscript" / "discussion.md").write_text("# 讨论\n\n正文。\n", encoding="utf-8")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 0
    assert out.splitlines()[0] == ("manuscript/discussion.md:1:1: warning: manuscript/discussion.md is not part of the article: "
                                   "name body files NN-name.md (for example 02-discussion.md) or move the file out of manuscript/ [stray-file]")
    assert cli("check", "-C", str(root), "--strict")[0] == 1


def test_escaped_at_sign_stays_text(project: Callable[[str], Path], cli: Cli) -> None:
    root = prepend(project("minimal"), "写信给 \\@smith2019 或 文献\\@lee2018。\n\n")
    assert check_numbering(cli, root) == ["wang2020", "smith2019", "lee2018"]
    built_marks(cli, root)
    assert "写信给 @smith2019或 文献@lee2018。" in (root / "output" / "manuscript.html").read_text(encoding="utf-8")


def test_a_misspelt_metadata_field_gets_a_suggestion(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / "manuscript" / "metadata.yaml", "\nkeywords:", "\nkeyword:")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 1 and "unknown field 'keyword' (did you mean keywords?); known fields:" in out


# --- what pandoc decides, read right (cases found in review) ------------------------------------------


def html_text(root: Path) -> str:
    return re.sub(r"<[^>]+>", "", (root / "output" / "manuscript.html").read_text(encoding="utf-8"))


def test_a_backtick_in_a_comment_hides_nothing(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第二句引用多篇", "<!-- 旧写法用`号 -->第二句引用多篇")
    with (root / BODY).open("a", encoding="utf-8") as handle:
        handle.write("\n后来的段落有代码 `x = 1`，仍然印出。\n")
    built_marks(cli, root)
    text = html_text(root)
    assert "旧写法" not in text and "后来的段落有代码 x = 1，仍然印出。" in text


def test_a_stray_backtick_does_not_unhide_a_comment(project: Callable[[str], Path], cli: Cli) -> None:
    root = prepend(project("minimal"), "使用`符号表示。\n\n<!-- 批注 [@smith2019] -->\n\n")
    assert check_numbering(cli, root) == ["wang2020", "smith2019", "lee2018"]
    built_marks(cli, root)
    assert "批注" not in html_text(root)


def test_each_file_keeps_its_own_footnote_labels(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句引用", "第一句[^1]引用")
    with (root / BODY).open("a", encoding="utf-8") as handle:
        handle.write("\n[^1]: 引言的注释。\n")
    (root / "manuscript" / "02-discussion.md").write_text("# 讨论\n\n讨论[^1]。\n\n[^1]: 讨论的注释。\n", encoding="utf-8")
    built_marks(cli, root)
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert "引言的注释。" in html and "讨论的注释。" in html
    notes = html.split('<section class="notes">')[1].split("</section>")[0]
    assert "讨论的注释" in notes and "参考文献" not in notes, "footnotes are not printed inside the reference list"
    assert "讨论的注释" not in html.split('<section class="references"')[1]


def test_a_citation_in_a_footnote_is_located_in_the_footnote(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句引用[@wang2020]。", "第一句[^n]引用[@wang2020]。")
    with (root / BODY).open("a", encoding="utf-8") as handle:
        handle.write("\n[^n]: 注释引用[@lee2018]。\n")
    code, out, _ = cli("check", "-C", str(root), "--format", "json", "--report")
    first = {row["reference"]: row["first_citation"] for row in json.loads(out)["numbering"]}
    assert (first["lee2018"]["line"], first["lee2018"]["column"]) == (12, 11), "the note, not the text after its call"
    assert first["lee2018"] != first["wang2020"]


def test_a_figure_caption_is_read_once(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "![示意图]", "![示意图[@nope]]")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 1 and out.count("unknown citation key @nope") == 1
    edit(root / BODY, "[@nope]", "[@lee2018]")
    code, out, _ = cli("check", "-C", str(root), "--format", "json", "--report")
    counts = {row["reference"]: row["citations"] for row in json.loads(out)["numbering"]}
    assert counts["lee2018"] == 4, "three in the text and one in the caption, not the caption twice"


def test_keys_separated_by_a_chinese_enumeration_comma(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "[@smith2019; @wang2020; @lee2018]", "[@smith2019、@wang2020、@lee2018]")
    assert built_marks(cli, root)[0][1] == "[1-3]"


def test_a_figure_in_a_list_is_numbered(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "![示意图]", "- 列表中的图：\n\n    ![示意图]")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 0, out
    built_marks(cli, root)
    assert "如图1所示" in html_text(root)


def test_a_reference_to_an_unnumbered_heading_says_so(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "# 引言 {#sec:intro}", "# 引言 {#sec:intro .unnumbered}")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 1 and "@sec:intro refers to an unnumbered heading (manuscript/01-introduction.md:1:" in out


def test_an_escaped_at_sign_in_code_keeps_its_backslash(project: Callable[[str], Path], cli: Cli) -> None:
    root = prepend(project("minimal"), "> ~~~\n> mail \\@home\n> ~~~\n\n")
    built_marks(cli, root)
    assert "mail \\@home" in html_text(root)


def test_a_citation_in_an_inline_note_is_located_in_the_text(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句引用[@wang2020]。", "第一句^[注：另见@nope。]引用[@wang2020]。")
    code, out, _ = cli("check", "-C", str(root))
    assert code == 1 and out.startswith("manuscript/01-introduction.md:3:10: error: unknown citation key @nope")


def test_inside_manuscript_the_error_says_where_to_run(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    code, _, err = cli("check", "-C", str(root / "manuscript"))
    assert code == 2 and "you are inside manuscript/: run from the folder above it, or use -C .." in err


def test_an_at_sign_talked_about_in_chinese_is_no_citation(project: Callable[[str], Path], cli: Cli) -> None:
    # Two sentences of a real Chinese manual (annProg/PanBook, src/219-citations.md), which talks about "@".
    root = prepend(project("minimal"), "每一条引用都会有个 key，由@加上资料库中的引用 ID 组成。\n\n"
                                       "在@前面的减号 ( -) 将会避免作者名字在引用中出现。\n\n")
    with (root / "references" / "library.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n@book{张三2020, author = {张三}, title = {中文键的书}, publisher = {科学出版社}, address = {北京}, year = {2020}}\n")
    edit(root / BODY, "另见@lee2018。", "另见@lee2018。又见@张三2020所述。")
    assert check_numbering(cli, root) == ["wang2020", "smith2019", "lee2018", "张三2020"], "a known Chinese key is still cited"
    built_marks(cli, root)
    assert "由@加上资料库中的引用ID组成" in html_text(root)  # the typed spaces around ID give way to the quarter-em
