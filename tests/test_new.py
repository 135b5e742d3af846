"""``mspress new DIR [--journal NAME]``: a project that builds and checks clean at once, for every journal."""
from __future__ import annotations

import errno
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pymupdf
import pytest
import yaml

from mspress import __version__, journals
from mspress.config import load_settings
from mspress.sources.metadata import KNOWN_KEYS, load_metadata
from mspress.text import has_han

Cli = Callable[..., tuple[int, str, str]]

DOTFILES = (".gitignore", ".pre-commit-config.yaml", ".github/workflows/mspress.yml")
SECTIONS = ("00-introduction.md", "01-methods.md", "02-results.md", "03-discussion.md")


def new(cli: Cli, target: Path, *options: str) -> str:
    code, out, err = cli("new", str(target), *options)
    assert (code, err) == (0, ""), err
    return out


@pytest.mark.parametrize("journal", journals.names())
def test_new_project_builds_and_checks_clean(cli: Cli, tmp_path: Path, journal: str) -> None:
    target = tmp_path / "papers" / "article"  # the parent is made too
    out = new(cli, target, "--journal", journal)
    assert out.splitlines()[0] == f"created {target} (journal: {journal}):"
    assert f"  cd {target}" in out.splitlines() and "  mspress build" in out
    for name in (*DOTFILES, "README.md", "pyproject.toml", "references/library.bib", "manuscript/metadata.yaml",
                 "manuscript/abstract.zh.md", "manuscript/abstract.en.md", "manuscript/figures/example.png",
                 *(f"manuscript/{s}" for s in SECTIONS)):
        assert (target / name).is_file(), name
        assert f"  {name}\n" in out, f"{name} is listed"
    assert "{{" not in (target / "manuscript" / "metadata.yaml").read_text(encoding="utf-8"), "every placeholder filled"
    assert load_settings(target).journal.name == journal

    code, out, err = cli("build", "-C", str(target))
    assert (code, err) == (0, ""), err
    output = target / "output"
    assert out.splitlines() == [f"wrote {output / ('manuscript' + s)}" for s in (".html", ".pdf", ".docx")]
    for style in ("gb7714-2015", "gb7714-2025"):
        assert cli("check", "-C", str(target), "--style", style) == (0, "0 errors, 0 warnings\n", ""), style

    html = (output / "manuscript.html").read_text(encoding="utf-8")
    assert html.count('class="reference"') == 12 and 'id="fig:example"' in html and 'id="tbl:baseline"' in html
    if journal != "default":
        assert load_settings(target).journal.title in html, "the journal's name fills metadata.yaml's journal field"
    word = docx.Document(str(output / "manuscript.docx"))
    assert [len(word.tables), len(word.inline_shapes)] == [1, 1], "the table and the figure"
    assert [c.text for c in word.tables[0].rows[0].cells] == ["组别", "例数", "年龄/岁", "评分/分"]
    with pymupdf.open(output / "manuscript.pdf") as pdf:
        images = [info for page in pdf for info in page.get_image_info()]
        text = "".join(page.get_text() for page in pdf)
    assert [(i["width"], i["height"]) for i in images] == [(640, 400)], "the figure, drawn once"
    assert "图1" in text and "表1" in text and "收稿日期" in text


def test_without_journal_the_default_profile(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()  # an existing empty folder is fine
    new(cli, target)
    assert load_settings(target).journal.name == "default"
    assert 'journal = "default"' in (target / "pyproject.toml").read_text(encoding="utf-8")


def test_metadata_holds_every_field_mspress_reads(cli: Cli, tmp_path: Path) -> None:
    new(cli, tmp_path / "a", "--journal", "sichuan-mental-health")
    text = (tmp_path / "a" / "manuscript" / "metadata.yaml").read_text(encoding="utf-8")
    path = Path("metadata.yaml")
    active = yaml.safe_load(text)
    assert set(active) < KNOWN_KEYS and active["journal"]["name"] == {"zh": "四川精神卫生"}
    # The optional fields are there, commented out: uncommented they are every field and still valid.
    everything = re.sub(r"(?m)^(\s*)# (\w+: )", r"\1\2", text)
    data = yaml.safe_load(everything)
    assert set(data) == KNOWN_KEYS
    assert set(data["journal"]) == {"name", "year", "volume", "issue", "pages"}
    meta = load_metadata(everything, path)
    assert meta.doi and meta.revised and meta.article_id and meta.journal and meta.journal.pages
    assert meta.authors[0].corresponding and meta.authors[0].email and meta.biography and meta.funding and meta.clc
    # Each field is explained in both languages, on its line or in the comment above it.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if match := re.match(r"(?:# )?(\w+):", line):
            if match.group(1) in KNOWN_KEYS:
                note = line.partition(" #")[2] if "#" in line[1:] else lines[i - 1] + lines[i - 2]
                assert has_han(note) and re.search(r"[A-Za-z]{4}", note), line


BOTH_EDITIONS = {
    "gb7714-2015": """\
[1] 于潇, 刘义, 柴跃廷, 等. 互联网药品可信交易环境中主体资质审核备案模式[J]. 清华大学学报 (自然科学版), 2012, 52(11): 1518-1523.
[2] DES MARAIS D J, STRAUSS H, SUMMONS R E, et al. Carbon isotope evidence for the stepwise oxidation of the Proterozoic environment[J/OL]. Nature, 1992, 359: 605-609. DOI:10.1038/359605a0.
[3] 尼葛洛庞帝. 数字化生存[M]. 胡泳, 范海燕, 译. 海口: 海南出版社, 1996.
[4] 白书农. 植物开花研究[M]//李承森. 植物科学进展. 北京: 高等教育出版社, 1998: 146-163.
[5] CAIRNS B R. Infrared spectroscopic studies on solid oxygen[D]. Berkeley: Univ. of California, 1965.
[6] 金燕萍. 社交媒体时代的虚假信息研究[D/OL]. 温州: 温州大学, 2020: 16[2025-06-01]. https://d.wanfangdata.com.cn/thesis/D02216281.
[7] 贾东琴, 柯平. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会. 中国图书馆学会年会论文集: 2011年卷. 北京: 国家图书馆出版社, 2011: 45-52.
[8] World Health Organization. Factors regulating the immune response: report of WHO Scientific Group[R]. Geneva: WHO, 1970.
[9] 全国信息与文献标准化技术委员会. 文献著录: 第 4 部分\u2003非书资料: GB/T 3792.4—2009[S]. 北京: 中国标准出版社, 2010: 3.
[10] 张凯军. 轨道火车及高速轨道火车紧急安全制动辅助装置: CN201220158825.2[P]. 2013-03-27.
[11] 丁文详. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20(15).
[12] 北京鲁迅博物馆. 北京鲁迅博物馆志愿服务章程[EB/OL]. (2021-04-21)[2023-05-02]. http://www.luxunmuseum.com.cn/html/202104/a11310.htm.
""",
    "gb7714-2025": """\
[1] 于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]. 清华大学学报（自然科学版），2012，52（11）：1518-1523.
[2] Des Marais D J，Strauss H，Summons R E，et al. Carbon isotope evidence for the stepwise oxidation of the Proterozoic environment[J/OL]. Nature，1992，359：605-609. DOI:10.1038/359605a0.
[3] 尼葛洛庞帝. 数字化生存[M]. 胡泳，范海燕，译. 海口：海南出版社，1996.
[4] 白书农. 植物开花研究[M]//李承森. 植物科学进展. 北京：高等教育出版社，1998：146-163.
[5] Cairns B R. Infrared spectroscopic studies on solid oxygen[D]. Berkeley：Univ. of California，1965.
[6] 金燕萍. 社交媒体时代的虚假信息研究[D/OL]. 温州：温州大学，2020：16. https://d.wanfangdata.com.cn/thesis/D02216281.
[7] 贾东琴，柯平. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会. 中国图书馆学会年会论文集：2011年卷. 北京：国家图书馆出版社，2011：45-52.
[8] World Health Organization. Factors regulating the immune response：report of WHO Scientific Group[R]. Geneva：WHO，1970.
[9] GB/T 3792.4—2009\u2003文献著录：第 4 部分\u2003非书资料[S].
[10] 张凯军. 轨道火车及高速轨道火车紧急安全制动辅助装置：CN201220158825.2[P]. 2013-03-27.
[11] 丁文详. 数字革命与竞争国际化[N]. 中国青年报，2000-11-20（15）.
[12] 北京鲁迅博物馆. 北京鲁迅博物馆志愿服务章程[EB/OL]. （2021-04-21）[2023-05-02]. http://www.luxunmuseum.com.cn/html/202104/a11310.htm.
""",
}


@pytest.mark.parametrize("style", sorted(BOTH_EDITIONS))
def test_library_has_each_common_type_formatted_by_both_editions(cli: Cli, tmp_path: Path, style: str) -> None:
    """The entries are the standards' own examples (2015 Annex A, 2025 Annex B): the lists match the printed ones
    (an em space, ``\\quad`` in the title, separates a standard's part from its title, as GB/T 7714 prints it)."""
    new(cli, tmp_path / "a")
    library = tmp_path / "a" / "references" / "library.bib"
    types = re.findall(r"(?m)^@(\w+)\{", library.read_text(encoding="utf-8"))
    assert sorted(set(types)) == ["article", "book", "incollection", "inproceedings", "mastersthesis", "online", "patent",
                                  "phdthesis", "standard", "techreport"]
    assert "entrysubtype = {newspaper}" in library.read_text(encoding="utf-8")
    assert cli("refs", str(library), "--journal", "none", "--style", style) == (0, BOTH_EDITIONS[style], "")


@pytest.mark.parametrize("make", ["non-empty", "file", "journal"])
def test_refusals_write_nothing(cli: Cli, tmp_path: Path, make: str) -> None:
    target = tmp_path / "article"
    journal = "sichuan-mental-helth"
    if make == "non-empty":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
        journal = "default"
    elif make == "file":
        target.write_text("mine", encoding="utf-8")
        journal = "default"
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    code, out, err = cli("new", str(target), "--journal", journal)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before, "nothing written"
    expected = {"non-empty": f"{target}:1:1: error: the folder is not empty",
                "file": f"{target}:1:1: error: exists and is not a folder",
                "journal": "<command line>:1:1: error: unknown journal 'sichuan-mental-helth' (did you mean sichuan-mental-health?); "
                           "known journals: " + ", ".join(journals.names())}[make]
    assert err.startswith(expected), err


def test_a_failed_write_takes_back_what_it_wrote(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "example.png" and "x" in (args[0] if args else kwargs.get("mode", "")):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    code, out, err = cli("new", str(tmp_path / "a" / "b"))
    assert (code, out) == (2, "") and err == f"{tmp_path / 'a' / 'b' / 'manuscript' / 'figures' / 'example.png'}:1:1: error: cannot write: No space left on device [write-failed]\n"
    assert list(tmp_path.iterdir()) == [], "the folders it made are gone too"


def test_ci_workflow_pre_commit_and_gitignore(cli: Cli, tmp_path: Path) -> None:
    new(cli, tmp_path / "a")
    workflow = yaml.safe_load((tmp_path / "a" / ".github" / "workflows" / "mspress.yml").read_text(encoding="utf-8"))
    assert workflow[True] == ["push", "pull_request"]  # YAML 1.1 reads the key `on` as true
    assert workflow["env"]["MSPRESS"] == f"mspress=={__version__}"
    steps = workflow["jobs"]["manuscript"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert 'python -m pip install "$MSPRESS"' in runs
    assert runs.index("mspress check --format github") < runs.index("mspress build")
    assert any("fonts-noto-cjk" in run and "libharfbuzz-subset0" in run for run in runs), "the PDF's font and subsetter"
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "output/" and steps.index(upload) > runs.index("mspress build")

    hooks = yaml.safe_load((tmp_path / "a" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = hooks["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["entry"] == "mspress check" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "manuscript/01-methods.md") and re.search(hook["files"], "references/library.bib")
    assert not re.search(hook["files"], "output/manuscript.html")
    assert "output/" in (tmp_path / "a" / ".gitignore").read_text(encoding="utf-8").splitlines()
    readme = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    assert "manuscript/metadata.yaml" in readme and "mspress build" in readme and "{{" not in readme
