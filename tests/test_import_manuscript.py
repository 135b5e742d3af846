"""``mspress import FILE.docx|FILE.md --to DIR``: the example's own Word file back into a project with the same
numbering and references, real manuscripts imported and built, typed citations of every form, hostile files kept
inside DIR."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO
from tests.test_docx import html_view

Cli = Callable[..., tuple[int, str, str]]
GUESS = re.compile(r"^\S+:\d+:1: warning: .+ \[import-guess\]$")
SUMMARY = re.compile(r"^imported \S+ into \S+: (\d+) sections, (\d+) figures, (\d+) references, (\d+) citations; (\d+) guesses to review$")


def _summary(out: str) -> tuple[int, ...]:
    m = SUMMARY.match(out.strip().splitlines()[-1])
    assert m, out
    return tuple(int(g) for g in m.groups())


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and all(line.count(": ") >= 1 for line in err.splitlines())


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example built as a Word file, that file imported into a new project, both built."""
    from mspress.cli import main

    base = tmp_path_factory.mktemp("round-trip")
    example = base / "example"
    example.mkdir()
    for part in ("manuscript", "references"):
        shutil.copytree(REPO / part, example / part)
    shutil.copy(REPO / "pyproject.toml", example / "pyproject.toml")
    assert main(["build", "-C", str(example), "--format", "html", "--format", "docx"]) == 0
    imported = base / "imported"
    assert main(["import", str(example / "output" / "manuscript.docx"), "--to", str(imported), "--journal", "sichuan-mental-health"]) == 0
    return {"example": example, "imported": imported}


def test_round_trip_keeps_the_numbering_and_the_reference_texts(round_trip: dict[str, Path], cli: Cli) -> None:
    imported = round_trip["imported"]
    code, out, err = cli("check", str(imported), "--format", "json")
    assert code == 0, err
    code, _, err = cli("build", "-C", str(imported), "--format", "html")
    assert code == 0 and ": error" not in err, err
    before = html_view(round_trip["example"] / "output" / "manuscript.html")
    after = html_view(imported / "output" / "manuscript.html")
    assert len(after["references"]) == len(before["references"]) == 34
    assert after["marks"] == before["marks"], "the same citation marks, in the same order: the same numbering"
    same = sum(a == b for a, b in zip(before["references"], after["references"], strict=True))
    assert same / len(before["references"]) >= 0.95, [(a, b) for a, b in zip(before["references"], after["references"], strict=True) if a != b]
    assert after["xrefs"] == before["xrefs"] == ["图1"], "the cross reference to the figure survives"


def test_round_trip_project_layout(round_trip: dict[str, Path]) -> None:
    manuscript = round_trip["imported"] / "manuscript"
    names = sorted(p.name for p in manuscript.glob("*.md"))
    assert names == ["00-introduction.md", "01-methods.md", "02-results.md", "03-conclusion.md", "abstract.en.md", "abstract.zh.md"]
    methods = (manuscript / "01-methods.md").read_text(encoding="utf-8")
    assert methods.startswith("# 资料与方法\n"), "the journal's number 1 is not typed again"
    assert "## 资料来源与检索策略" in methods
    results = (manuscript / "02-results.md").read_text(encoding="utf-8")
    assert "[@beurrier2001high; @magarinosascone2002high; @urbano2002cortical; @dostrovsky2000microstimulation]" in results, "a range expanded"
    assert re.search(r"!\[文献筛选流程图\]\(figures/fig1\.svg\)\{#fig:screening caption-en=\"Flow chart of literature screening\"", results)
    assert (manuscript / "figures" / "fig1.svg").read_bytes() == (REPO / "manuscript" / "figures" / "screening.svg").read_bytes()
    assert (manuscript / "abstract.zh.md").read_text(encoding="utf-8").startswith("近年来诸多研究表明")
    assert "参考文献" not in results and "[34]" not in results, "the typed list left the body"
    from mspress.sources.metadata import load_metadata

    meta = load_metadata((manuscript / "metadata.yaml").read_text(encoding="utf-8"), Path("metadata.yaml"))
    assert meta.title.zh == "深部脑刺激对难治性抑郁症的治疗进展"
    assert meta.title.en == "Research progress in the treatment of treatment-resistant depression by deep brain stimulation"
    assert [a.name.en for a in meta.authors] == ["Hu Zerui", "Xu Mingdong", "Liu Chuanxin"]
    assert meta.affiliations[0].name.en == "Department of Psychiatry, Jining Medical University, Jining 272067, China"
    assert meta.keywords_en[:2] == ("Treatment-resistant depression", "Deep brain stimulation") and meta.doi == "10.11886/scjsws20210124002"
    assert 'journal = "sichuan-mental-health"' in (round_trip["imported"] / "pyproject.toml").read_text(encoding="utf-8")


REAL = [FIXTURES / "editor-real" / "word-ankang.docx", FIXTURES / "editor-real" / "word-hnu-yolo.docx",
        FIXTURES / "editor-heldout" / "word-lcc-hvdc.docx", FIXTURES / "editor-real" / "ankang.md",
        FIXTURES / "editor-heldout" / "lcc-hvdc.md", FIXTURES / "editor-real" / "yolo-course.md"]


@pytest.mark.parametrize("source", REAL, ids=lambda p: p.name)
def test_real_manuscripts_import_with_a_report_and_build(source: Path, tmp_path: Path, cli: Cli) -> None:
    from mspress.checks.editor import find_list
    from mspress.sources.editor_files import read_document

    target = tmp_path / "project"
    code, out, err = cli("import", str(source), "--to", str(target))
    assert code == 0, err
    _no_traceback(err)
    sections, _, references, citations, guesses = _summary(out)
    listed = find_list(read_document(source, source), source).entries
    assert listed and references == len({e.number for e in listed})
    assert sections >= 1 and citations >= 5 and guesses == len(err.splitlines()) > 0
    assert all(GUESS.match(line) for line in err.splitlines()), err
    body = "".join(p.read_text(encoding="utf-8") for p in sorted((target / "manuscript").glob("[0-9]*.md")))
    assert body.count("[@") + len(re.findall(r"(?<![\w@])@[a-z]+\d{4}", body)) >= citations // 2
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err


def test_word_file_without_a_title_style_reads_its_front_matter(tmp_path: Path, cli: Cli) -> None:
    source = FIXTURES / "editor-heldout" / "word-lcc-hvdc.docx"
    code, _, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0
    from mspress.sources.metadata import load_metadata

    meta = load_metadata((tmp_path / "p" / "manuscript" / "metadata.yaml").read_text(encoding="utf-8"), Path("metadata.yaml"))
    assert meta.title.zh == "一种用于LCC-HVDC系统小干扰稳定性分析的改进动态相量模型"
    assert meta.title.en and meta.title.en.startswith("Modified Dynamic Phasor Model")
    assert meta.authors[0].name.zh == "贺永杰" and meta.authors[0].name.en == "HE Yongjie" and meta.authors[0].affiliations
    assert "key words found by their label 关键词" in err


def _md(tmp_path: Path, text: str, name: str = "paper.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PAPER = """# 一种测试方法

张三¹，李四²

（1. 甲大学物理系，北京 100000；2. 乙研究所，上海 200000）

摘要：这是中文摘要[1]。

关键词：测试；方法

# 1 引言

单个引用[1]，多篇[2-4]，列举[1,3]，全角［5–7］，上标^[8]^和<sup>[2]</sup>，文献[3]指出，未列出的[99]。

## 1.1 细节

表格如下。

表1 参数

| 甲 | 乙 |
|---|---|
| 1 | 2[4] |

脚注在此[^n]。

[^n]: 注释引用[5]。

# 2 结论

结束[8]。

# 参考文献

[1] 王五. 测试文献一[J]. 物理学报, 2020, 69(1): 1-10.
[2] SMITH J, DOE A. A test of things[J]. Nature, 2019, 570: 100-105.
[3] 赵六. 测试之书[M]. 北京: 科学出版社, 2018.
[4] 钱七. 测试文献四[J]. 中国科学, 2017, 47(2): 20-30.
[5] 孙八. 测试文献五[J]. 计算机学报, 2016, 39(3): 300-310.
[6] 李九. 测试文献六[J]. 软件学报, 2015, 26(4): 400-410.
[7] 周十. 测试文献七[J]. 电子学报, 2014, 42(5): 500-510.
[8] 吴一. 测试文献八[J]. 自动化学报, 2013, 39(6): 600-610.
"""


def test_every_typed_citation_form_becomes_keys(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "p"
    code, out, err = cli("import", str(_md(tmp_path, PAPER)), "--to", str(target))
    assert code == 0, err
    _, _, references, citations, _ = _summary(out)
    assert references == 8
    body = (target / "manuscript" / "00-introduction.md").read_text(encoding="utf-8")
    assert body.startswith("# 引言\n") and "## 细节" in body
    assert "单个引用[@wang2020ceshi]" in body
    assert "多篇[@smith2019test; @zhao2018ceshi; @qian2017ceshi]" in body
    assert "列举[@wang2020ceshi; @zhao2018ceshi]" in body
    assert "全角[@sun2016ceshi; @li2015ceshi; @zhou2014ceshi]" in body
    assert "上标[@wu2013ceshi]和[@smith2019test]" in body
    assert "文献@zhao2018ceshi指出" in body
    assert "未列出的\\[99\\]" in body, "a number the list lacks stays as typed"
    assert "[^1]: 注释引用[@sun2016ceshi]" in body, "footnotes kept, and their citations converted"
    assert "2[@qian2017ceshi]" in body and "Table: 参数" not in body and ": 参数" in body, "table kept, its caption taken"
    assert (target / "manuscript" / "abstract.zh.md").read_text(encoding="utf-8") == "这是中文摘要[@wang2020ceshi]。\n"
    assert citations == 11
    assert re.search(r"00-introduction\.md:\d+:\d+: warning: citation \[99\] cites 99, which the reference list does not have", err), err
    bib = (target / "references" / "library.bib").read_text(encoding="utf-8")
    assert bib.count("@article{") == 7 and "@book{zhao2018ceshi," in bib
    from mspress.sources.metadata import load_metadata

    meta = load_metadata((target / "manuscript" / "metadata.yaml").read_text(encoding="utf-8"), Path("metadata.yaml"))
    assert meta.title.zh == "一种测试方法" and [a.name.zh for a in meta.authors] == ["张三", "李四"]
    assert [a.affiliations for a in meta.authors] == [(1,), (2,)]
    assert meta.affiliations[1].name.zh == "乙研究所，上海 200000" and meta.keywords_zh == ("测试", "方法")
    assert "no English title found: fill in title.en" in err
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err


def test_a_non_empty_folder_is_refused_in_one_line(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = cli("import", str(_md(tmp_path, PAPER)), "--to", str(target))
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "is not empty" in err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    code, _, err = cli("import", str(_md(tmp_path, PAPER)), "--to", str(tmp_path / "new"), "--journal", "nonesuch")
    assert code == 2 and "unknown journal 'nonesuch'" in err and not (tmp_path / "new").exists()


# --- hostile input -------------------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def _docx_with_image(tmp_path: Path, extra: dict[str, bytes] | None = None, image: bytes | None = None, external: bool = False,
                     text: str = "") -> Path:
    """A Word file (pandoc's) with a captioned figure, its image replaced and members added as given."""
    import subprocess

    from mspress import pandoc

    (tmp_path / "pic.png").write_bytes(_png(20, 10))
    markdown = f"# 引言\n\n正文[1]。{text}\n\n![](pic.png)\n\n图1 测试图\n\n# 参考文献\n\n[1] 王五. 测试文献一[J]. 物理学报, 2020, 69(1): 1-10.\n"
    source = tmp_path / "in.md"
    source.write_text(markdown, encoding="utf-8")
    subprocess.run([pandoc.executable(), str(source), "-o", str(tmp_path / "base.docx")], cwd=tmp_path, check=True)
    out = tmp_path / "hostile.docx"
    with zipfile.ZipFile(tmp_path / "base.docx") as base, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in base.infolist():
            data = base.read(info)
            if info.filename.startswith("word/media/") and image is not None:
                data = image
            if external and info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'Target="media/([^"]+)"', rb'Target="http://127.0.0.1:9/\1" TargetMode="External"', data)
            new.writestr(info, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return out


def _outside(tmp_path: Path) -> set[str]:
    return {p.name for p in tmp_path.iterdir()}


def test_a_pixel_bomb_and_a_path_out_of_the_zip_stay_inside(tmp_path: Path, cli: Cli) -> None:
    source = _docx_with_image(tmp_path, extra={"../../x.png": _png(4, 4), "word/../../evil.png": _png(4, 4)}, image=_png(12000, 12000))
    before = _outside(tmp_path) | {"p"}
    code, out, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0, err
    _no_traceback(err)
    assert "over the 50-megapixel limit" in err and _summary(out)[1] == 0
    assert _outside(tmp_path) == before and not (tmp_path.parent / "x.png").exists() and not (tmp_path.parent / "evil.png").exists()
    assert all(p.resolve().is_relative_to((tmp_path / "p").resolve()) for p in (tmp_path / "p").rglob("*"))
    code, _, err = cli("build", "-C", str(tmp_path / "p"), "--format", "html")
    assert code == 0, err


def test_an_image_linked_from_outside_is_left_out(tmp_path: Path, cli: Cli) -> None:
    source = _docx_with_image(tmp_path, external=True)
    code, out, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0, err
    assert _summary(out)[1] == 0 and "left out" in err and not (tmp_path / "p" / "manuscript" / "figures").exists()


def test_the_figure_of_a_word_file_is_extracted(tmp_path: Path, cli: Cli) -> None:
    source = _docx_with_image(tmp_path)
    code, out, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0 and _summary(out)[1] == 1, err
    text = (tmp_path / "p" / "manuscript" / "00-introduction.md").read_text(encoding="utf-8")
    assert "![测试图](figures/fig1.png){#fig:1" in text and (tmp_path / "p" / "manuscript" / "figures" / "fig1.png").read_bytes() == _png(20, 10)


def test_a_zip_bomb_is_one_line_and_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    source = _docx_with_image(tmp_path, extra={"word/media/bomb.png": b"\0" * (300 * 1024 * 1024)})
    code, out, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "unpacks to" in err, err
    assert not (tmp_path / "p").exists()


def test_markdown_images_outside_the_folder_or_online_are_left_out(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "paper"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(_png(5, 5))
    (folder / "ok.png").write_bytes(_png(6, 6))
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    text = ("# 题目\n\n正文[1]。\n\n![甲](ok.png)\n\n![乙](../secret.png)\n\n![丙](link.png)\n\n![丁](https://127.0.0.1:9/x.png)\n\n"
            "<img src=\"file:///etc/passwd\">\n\n# 参考文献\n\n[1] 王五. 测试文献一[J]. 物理学报, 2020, 69(1): 1-10.\n")
    source = _md(folder, text)
    code, out, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0, err
    assert _summary(out)[1] == 1 and err.count("left out") >= 4
    figures = tmp_path / "p" / "manuscript" / "figures"
    assert [p.name for p in figures.iterdir()] == ["fig1.png"] and (figures / "fig1.png").read_bytes() == _png(6, 6)
    code, _, err = cli("build", "-C", str(tmp_path / "p"), "--format", "html")
    assert code == 0, err


# --- a new user's trial: layouts, Word's footnotes and code runs, literal characters, typed mentions ----------------


def _load_meta(project: Path) -> object:
    from mspress.sources.metadata import load_metadata

    return load_metadata((project / "manuscript" / "metadata.yaml").read_text(encoding="utf-8"), Path("metadata.yaml"))


def _page_text(html: Path) -> str:
    import lxml.html

    page = lxml.html.parse(str(html)).getroot()
    return " ".join(page.xpath("//main")[0].text_content().split())


def test_a_title_heading_over_level_2_sections_gives_level_1_sections(tmp_path: Path, cli: Cli) -> None:
    """``# 题名``, then ``## 1 引言`` … ``## 参考文献``: once the title leaves, ``##`` is the body's top level."""
    folder = tmp_path / "src"
    shutil.copytree(FIXTURES / "import", folder)
    target = tmp_path / "p"
    code, out, err = cli("import", str(folder / "title-and-level-2.md"), "--to", str(target))
    assert code == 0, err
    manuscript = target / "manuscript"
    assert sorted(p.name for p in manuscript.glob("[0-9]*.md")) == ["00-introduction.md", "01-methods.md"]
    intro = (manuscript / "00-introduction.md").read_text(encoding="utf-8")
    assert intro.startswith("# 引言\n") and "\n## 数据\n" in intro, "1.1 stays one level below"
    assert (manuscript / "01-methods.md").read_text(encoding="utf-8").startswith("# 方法\n")
    assert "moved up to start at level 1" in err and _summary(out)[0] == 2
    assert _load_meta(target).title.zh == "基于深度学习的抑郁症识别研究"  # type: ignore[attr-defined]
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err
    import lxml.html

    page = lxml.html.parse(str(target / "output" / "manuscript.html")).getroot()
    numbers = [e.text_content() for e in page.xpath("//main//span[contains(concat(' ', @class, ' '), ' secnum ')]")]
    assert numbers == ["1", "1.1", "2"], numbers


def test_typed_mentions_of_figures_and_tables_become_cross_references(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "src"
    shutil.copytree(FIXTURES / "import", folder)
    target = tmp_path / "p"
    code, _, err = cli("import", str(folder / "title-and-level-2.md"), "--to", str(target))
    assert code == 0, err
    intro = (target / "manuscript" / "00-introduction.md").read_text(encoding="utf-8")
    assert "![流程图](figures/fig1.png){#fig:1}" in intro, "a Markdown figure gets a label, its typed number removed"
    assert ": 基本信息 {#tbl:1}" in intro, "a table referred to gets a label"
    assert "如@fig:1所示" in intro and "见@tbl:1，Fig. 1 gives" in intro and "参见@fig:1。" in intro
    assert "图9并不存在" in intro, "a number no figure has stays as typed"
    lines = [line for line in err.splitlines() if "typed mentions" in line]
    assert len(lines) == 1 and "3 typed mentions" in lines[0] and "1 naming no figure" in lines[0], err
    code, out, err = cli("check", str(target))
    assert code == 0 and "unreferenced-figure" not in out + err, out + err
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err
    xrefs = html_view(target / "output" / "manuscript.html")["xrefs"]
    assert xrefs == ["图1", "表1"], xrefs  # (the footnote's is outside main)


def test_typed_mentions_in_a_word_file(tmp_path: Path, cli: Cli) -> None:
    source = _docx_with_image(tmp_path, text="如图1所示，Figure 1 also；图 3不存在。")
    code, _, err = cli("import", str(source), "--to", str(tmp_path / "p"))
    assert code == 0, err
    text = (tmp_path / "p" / "manuscript" / "00-introduction.md").read_text(encoding="utf-8")
    assert "如@fig:1所示，Figure 1 also；图 3不存在" in text and "{#fig:1" in text, "an English mention stays: it would print 图1"
    code, _, err = cli("build", "-C", str(tmp_path / "p"), "--format", "html")
    assert code == 0 and ": error" not in err, err
    assert html_view(tmp_path / "p" / "output" / "manuscript.html")["xrefs"] == ["图1"]


@pytest.fixture(scope="module")
def new_project_word(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A project made by ``mspress new``, built as a Word file, that file imported and built as HTML."""
    from mspress.cli import main

    base = tmp_path_factory.mktemp("new-word")
    assert main(["new", str(base / "new")]) == 0
    assert main(["build", "-C", str(base / "new"), "--format", "docx"]) == 0
    assert main(["import", str(base / "new" / "output" / "manuscript.docx"), "--to", str(base / "imported")]) == 0
    assert main(["build", "-C", str(base / "imported"), "--format", "html"]) == 0
    return {"new": base / "new", "imported": base / "imported"}


def test_the_first_page_footnote_of_a_word_file_fills_the_front_matter(new_project_word: dict[str, Path]) -> None:
    meta: Any = _load_meta(new_project_word["imported"])
    assert meta.received == "2025-01-01" and meta.funding == ("国家自然科学基金（00000000）",)
    assert meta.biography.startswith("张三（1990—），男")
    first = meta.authors[0]
    assert first.name.zh == "张三" and first.corresponding and first.email == "zhangsan@example.org"
    body = "".join(p.read_text(encoding="utf-8") for p in (new_project_word["imported"] / "manuscript").glob("[0-9]*.md"))
    assert "收稿日期" not in body and "通信作者" not in body


def test_the_first_page_footnote_is_reported(tmp_path: Path, cli: Cli) -> None:
    from mspress.cli import main

    assert main(["new", str(tmp_path / "new")]) == 0
    assert main(["build", "-C", str(tmp_path / "new"), "--format", "docx"]) == 0
    code, _, err = cli("import", str(tmp_path / "new" / "output" / "manuscript.docx"), "--to", str(tmp_path / "p"))
    assert code == 0, err
    assert "front matter taken from a footnote of the first page: 收稿日期, 基金项目, 作者简介, 通信作者" in err, err


def test_affiliations_in_a_footnote_on_the_author_line(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("import", str(FIXTURES / "editor-real" / "word-ankang.docx"), "--to", str(tmp_path / "p"))
    assert code == 0, err
    meta: Any = _load_meta(tmp_path / "p")
    assert [a.name.zh for a in meta.affiliations] == ["陕西省气象服务中心，陕西西安710014", "国网陕西省电力公司电力科学研究院，陕西西安710100"]
    assert [a.affiliations for a in meta.authors] == [(1,), (2,), (1,), (1,), (1,)]
    assert "affiliations not found" not in err and "front matter taken from a footnote of the first page: affiliations" in err


def test_a_running_head_not_read_is_reported(tmp_path: Path, cli: Cli) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "四川精神卫生 2021年第34卷第2期"
    document.add_paragraph("一种测试方法", style="Title")
    document.add_heading("引言", level=1)
    document.add_paragraph("正文。")
    document.save(str(tmp_path / "head.docx"))
    code, _, err = cli("import", str(tmp_path / "head.docx"), "--to", str(tmp_path / "p"))
    assert code == 0, err
    assert "running head ('四川精神卫生 2021年第34卷第2期') was not read" in err, err


LITERAL = r"Path C:\temp\%d and 4\% and a\\b; $5 and $x$ no math; a*b*c _x_ [1] [@key] #tag <b>x</b> a@b.c (@who) x^2^ H~2~O `code` &amp; \alpha \[ \]"


def test_every_literal_character_of_word_text_reaches_the_page(tmp_path: Path, cli: Cli) -> None:
    import docx

    document = docx.Document()
    document.add_heading("引言", level=1)
    document.add_paragraph(LITERAL)
    document.add_paragraph("Second paragraph ends the section.")
    document.save(str(tmp_path / "literal.docx"))
    target = tmp_path / "p"
    code, _, err = cli("import", str(tmp_path / "literal.docx"), "--to", str(target))
    assert code == 0, err
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err
    assert LITERAL in _page_text(target / "output" / "manuscript.html")


def test_literal_characters_survive_the_citation_conversion(tmp_path: Path, cli: Cli) -> None:
    """A paragraph whose citation is converted is written out and read back: its other characters stay."""
    import subprocess

    from mspress import pandoc

    markdown = ("# 引言\n\n增长 4\\\\% 的样本，路径 C:\\\\temp\\\\%d，（\\@某人）与 a\\*b 以及 x\\^2 见文献[1]。\n\n"
                "# 参考文献\n\n[1] 王五. 测试文献一[J]. 物理学报, 2020, 69(1): 1-10.\n")
    (tmp_path / "pct.md").write_text(markdown, encoding="utf-8")
    subprocess.run([pandoc.executable(), str(tmp_path / "pct.md"), "-o", str(tmp_path / "pct.docx")], check=True)
    target = tmp_path / "p"
    code, out, err = cli("import", str(tmp_path / "pct.docx"), "--to", str(target))
    assert code == 0 and _summary(out)[3] == 1, err
    code, _, err = cli("build", "-C", str(target), "--format", "html")
    assert code == 0 and ": error" not in err, err
    assert "增长4\\% 的样本，路径C:\\temp\\%d，（@某人）与a*b以及x^2见文献" in _page_text(target / "output" / "manuscript.html").replace("增长 4", "增长4")


def test_inline_code_split_into_word_runs_is_one_span_again(new_project_word: dict[str, Path]) -> None:
    manuscript = new_project_word["imported"] / "manuscript"
    text = "".join(p.read_text(encoding="utf-8") for p in manuscript.glob("[0-9]*.md"))
    assert '`{#tbl:名称 caption-en="英文表题"}`' in text and "`[^note]: 脚注内容`" in text
    assert "``" not in text
    import lxml.html

    page = lxml.html.parse(str(new_project_word["imported"] / "output" / "manuscript.html")).getroot()
    codes = [e.text_content() for e in page.xpath("//main//code")]
    assert '{#tbl:名称 caption-en="英文表题"}' in codes and '![中文图题](figures/example.png){#fig:example caption-en="英文图题"}' in codes
    assert "`" not in _page_text(new_project_word["imported"] / "output" / "manuscript.html"), "no stray backticks"


@pytest.mark.parametrize("member", ["word/header9.xml", "word/media/rId9.png"])
def test_an_encrypted_part_of_a_word_file_is_one_line(tmp_path: Path, cli: Cli, member: str) -> None:
    """Word never encrypts a part; zipfile raises RuntimeError on one, deep in whichever reader opens it first."""
    import struct

    base = _docx_with_image(tmp_path, extra={"word/header9.xml": b"<w:hdr/>"} if member.endswith(".xml") else None)
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        local = package.getinfo(member).header_offset
    data[local + 6:local + 8] = struct.pack("<H", struct.unpack("<H", data[local + 6:local + 8])[0] | 1)  # zipfile clears it on writing
    central = data.index(b"PK\x01\x02", 0)
    while not data[central + 46:central + 46 + len(member)] == member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 8:central + 10] = struct.pack("<H", struct.unpack("<H", data[central + 8:central + 10])[0] | 1)
    hostile = tmp_path / "encrypted.docx"
    hostile.write_bytes(bytes(data))
    for argv in (["import", str(hostile), "--to", str(tmp_path / "p")], ["check", str(hostile)]):
        code, _, err = cli(*argv)
        assert code == 2 and "encrypted" in err and err.count("\n") == 1 and "Traceback" not in err, (argv, err)
    assert not (tmp_path / "p").exists()


def test_a_formula_pandoc_cannot_read_is_kept_as_code_with_a_report(tmp_path: Path, cli: Cli) -> None:
    # MinerU and other converters write TeX no TeX reader takes ($35 \mathrm{~\textdegree C}$): the project must build.
    paper = PAPER.replace("单个引用[1]，", "单个引用[1]，温度$35 \\mathrm { ~ \\textdegree C }$，比例$\\alpha=0.05$，")
    target = tmp_path / "p"
    code, _, err = cli("import", str(_md(tmp_path, paper)), "--to", str(target))
    assert code == 0, err
    body = (target / "manuscript" / "00-introduction.md").read_text(encoding="utf-8")
    assert "`35 \\mathrm { ~ \\textdegree C }`" in body and "$\\alpha=0.05$" in body
    assert re.search(r"warning: the formula \$35 \\mathrm .* is not LaTeX pandoc reads .*\[import-guess\]", err), err
    code, _, err = cli("build", "-C", str(target), "--format", "pdf")
    assert code == 0 and ": error" not in err, err
