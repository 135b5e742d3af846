"""Editor mode's GB/T 7714 format check of typed entries (``check FILE --style …``, issue 12, part 3)."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress.commands.check import check_path
from tests.shared_data import require_shared

REPO = Path(__file__).parent.parent
CONFORMANCE = REPO.parent / "shared" / "gbt7714" / "conformance"
Cli = Callable[..., tuple[int, str, str]]

CORRECT_2015 = [
    "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 57(34): 3219.",
    "PEEBLES P Z, Jr. Probability, random variables, and random signal principles[M]. 4th ed. New York: McGraw-Hill, 2001.",
    "杨保军. 新闻道德论[M/OL]. 北京: 中国人民大学出版社, 2010[2012-11-01]. http://apabi.lib.pku.edu.cn/usp/pku/pub.mvc?pid=book.detail.",
]
CORRECT_2025 = [
    "于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]. 清华大学学报（自然科学版），2012，52（11）：1518-1523.",
    "Dunbar K L，Mitchell D A. Revealing nature's synthetic potential through the study of ribosomal natural product biosynthesis[J/OL]. "
    "ACS Chemical Biology，2013，8（3）：473-487. http://pubs.acs.org/doi/pdfplus/10.1021/cb3005325.",
    "扬奎斯特，萨金特. 递归宏观经济理论[M]. 杨斌，王忠玉，陈彦斌，等，译. 2 版. 北京：中国人民大学出版社，2010：798.",
]


def checked(tmp_path: Path, entries: list[str], style: str) -> list[tuple[str, int, str]]:
    """(code, entry number, message) of each format report on a manuscript citing every entry."""
    body = f"研究[1-{len(entries)}]表明。\n\n参考文献\n\n" + "".join(f"[{n}] {text}\n" for n, text in enumerate(entries, 1))
    path = tmp_path / "paper.txt"
    path.write_text(body, encoding="utf-8")
    report = check_path(path, Path("paper.txt"), style=style)
    return [(d.code, d.location.line - 4, d.message) for d in report.diagnostics if d.code.startswith("entry-") or d.code == "missing-field"]


@pytest.mark.parametrize(("style", "entries"), [("gb7714-2015", CORRECT_2015), ("gb7714-2025", CORRECT_2025)])
def test_correct_entries_report_nothing(style: str, entries: list[str], tmp_path: Path) -> None:
    assert checked(tmp_path, entries, style) == []


DAMAGED = [
    ("gb7714-2015", "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口. 科学通报, 2012, 57(34): 3219.", "entry-type-code"),
    ("gb7714-2015", "袁训来, 陈哲, 肖书海, 赵六. 蓝田生物群[J]. 科学通报, 2012, 57(34): 3219.", "entry-et-al"),
    ("gb7714-2025", "Fordham E W，Ali A，Turner D A，等. Bone imaging[J]. Journal of Nuclear Medicine，1975，16（2）：100-105.", "entry-et-al"),
    ("gb7714-2025", "于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]. 清华大学学报（自然科学版）, 2012, 52(11): 1518-1523.",
     "entry-punctuation"),
    ("gb7714-2015", "李炳穆. 韩国图书馆法[J]. 图书情报工作, 2008, 52(6): 6-21[2013-10-25]. http://www.docin.com/p-400265742.html.", "entry-online"),
    ("gb7714-2015", "李炳穆. 韩国图书馆法[J/OL]. 图书情报工作, 2008, 52(6): 6-21. http://www.docin.com/p-400265742.html.", "entry-online"),
    ("gb7714-2015", "陈晋镳, 张惠民, 朱士兴, 等. 蓟县震旦亚界的研究[J]//中国地质科学院天津地质矿产研究所. 中国震旦亚界. 天津: 天津科学技术出版社, 1980: 56-114.",
     "entry-type-code"),
    ("gb7714-2025", "K L Dunbar，Mitchell D A. Revealing nature's synthetic potential[J]. ACS Chemical Biology，2013，8（3）：473-487.", "entry-names"),
    ("gb7714-2015", "Dunbar K. L., Mitchell D A. Revealing nature's synthetic potential[J]. ACS Chemical Biology, 2013, 8(3): 473-487.", "entry-names"),
    ("gb7714-2015", "杨保军. 新闻道德论[M]. 2010: 15.", "missing-field"),
    ("gb7714-2025", "于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]，清华大学学报（自然科学版），2012，52（11）：1518-1523.",
     "entry-separators"),
]


@pytest.mark.parametrize(("style", "entry", "code"), DAMAGED, ids=[f"{code}-{n}" for n, (_, _, code) in enumerate(DAMAGED)])
def test_each_fault_is_reported_at_its_entry(style: str, entry: str, code: str, tmp_path: Path) -> None:
    correct = CORRECT_2015 if style == "gb7714-2015" else CORRECT_2025
    found = checked(tmp_path, [*correct, entry], style)
    assert [(c, n) for c, n, _ in found] == [(code, len(correct) + 1)]


def test_the_report_says_what_the_entry_should_read(tmp_path: Path) -> None:
    entry = "于潇，刘义，柴跃廷，赵六. 互联网药品可信交易环境中主体资质审核备案模式[J]. 清华大学学报（自然科学版），2012，52（11）：1518-1523."
    [(code, _, message)] = checked(tmp_path, [entry], "gb7714-2025")
    assert code == "entry-et-al"
    assert message.endswith("did you mean: 于潇，刘义，柴跃廷，等. 互联网药品可信交易环境中主体资质审核备案模式[J]. "
                            "清华大学学报（自然科学版），2012，52（11）：1518-1523.")


def test_a_house_style_of_the_other_width_is_said_once(tmp_path: Path) -> None:
    entries = [text.replace(", ", "，").replace(": ", "：") for text in CORRECT_2015 if "PEEBLES" not in text]
    assert [(c, n) for c, n, _ in checked(tmp_path, entries * 2, "gb7714-2015")] == [("entry-punctuation", 1)]


def test_2025_leaves_the_width_of_western_entries_open(tmp_path: Path) -> None:
    entry = "Dunbar K L, Mitchell D A. Revealing nature's synthetic potential[J]. ACS Chemical Biology, 2013, 8(3): 473-487."
    assert checked(tmp_path, [*CORRECT_2025, entry], "gb7714-2025") == []


def test_a_translation_in_brackets_is_checked_as_its_own_entry(tmp_path: Path) -> None:
    entry = ("王娜, 孙娴. 安康水库蓄水前后上游气候变化特征[J]. 气象科技, 2010, 38(5): 649-654. [WANG N, SUN X, CAI X, LI Y. Characteristic of "
             "climate change in Ankang reservoir upstream basin[J]. Meteorological Science and Technology, 2010, 38(5): 649-654.]")
    found = checked(tmp_path, [*CORRECT_2015, entry], "gb7714-2015")
    assert [(c, n) for c, n, _ in found] == [("entry-et-al", 4)]
    assert found[0][2].startswith("[4] (its translation) lists 4 authors")


def test_without_style_entries_are_not_checked(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text("研究[1]表明。\n\n参考文献\n\n[1] 杨保军. 新闻道德论. 2010.\n", encoding="utf-8")
    assert check_path(path, Path("paper.txt")).diagnostics == ()


def test_style_on_the_command_line(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "paper.txt"
    path.write_text("研究[1]表明。\n\n参考文献\n\n[1] 杨保军. 新闻道德论. 北京: 中国人民大学出版社, 2010.\n", encoding="utf-8")
    code, out, _ = cli("check", str(path), "--style", "gb7714-2015", "--strict")
    assert code == 1
    assert f"{path}:5:1: warning: [1] has no document type code after its title ([M] for what it looks like); did you mean: " in out


def test_the_standards_examples_and_damaged_copies() -> None:
    """0 reports on the standards' entries as printed; each kind of damage found at its entry ≥ 90 %."""
    require_shared(CONFORMANCE)
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "format_check_eval.py"), str(CONFORMANCE), "--json"],
                            capture_output=True, text=True, check=True, timeout=600)
    figures = json.loads(result.stdout)
    for edition, data in figures.items():
        assert data["reports_on_correct"] == [], edition
        assert data["examples"] > 140
        assert data["found"] / data["damaged"] >= 0.95, edition
        for name, row in data["damages"].items():
            assert row["damaged"] == 0 or row["found"] / row["damaged"] >= 0.9, (edition, name)


def test_full_width_brackets_around_the_type_code_are_a_type_code(tmp_path: Path) -> None:
    entry = "王晓明, 李华. 抑郁症的神经机制研究［J］. 中华医学杂志, 2020, 100(5): 321-325."
    assert [(c, n) for c, n, _ in checked(tmp_path, [*CORRECT_2015, entry], "gb7714-2015")] == [("entry-punctuation", 4)]
    wide = entry.replace(", ", "，").replace(": ", "：").replace("(", "（").replace(")", "）")
    assert [(c, n) for c, n, _ in checked(tmp_path, [*CORRECT_2025, wide], "gb7714-2025")] == [("entry-punctuation", 4)]


def test_a_year_typed_in_an_odd_place_is_not_called_missing(tmp_path: Path) -> None:
    entry = "Wilks D S. Statistical methods in the atmospheric sciences[M]. USA: Academic Press: 2011: 301-394."
    assert "missing-field" not in [c for c, _, _ in checked(tmp_path, [*CORRECT_2015, entry], "gb7714-2015")]


def test_a_conference_paper_without_its_double_slash(tmp_path: Path) -> None:
    entry = "Redmon J, Farhadi A. YOLO9000: better, faster, stronger[C]. Proceedings of the IEEE Conference on Computer Vision. IEEE, 2017: 7263-7271."
    found = checked(tmp_path, [*CORRECT_2015, entry], "gb7714-2015")
    assert ("entry-separators", 4) in [(c, n) for c, n, _ in found]


def test_no_correction_is_offered_from_a_partial_reading(tmp_path: Path) -> None:
    entry = "王晓明. 抑郁症的研究. 中华医学杂志, 2020, 100(5): 321-325. 多余的一段文字. 又一段."
    found = checked(tmp_path, [*CORRECT_2015, entry], "gb7714-2015")
    assert found and all("did you mean" not in message for _, _, message in found)
