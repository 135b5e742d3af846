"""The HTML file as readers get it, opened in Chromium (Debian's, driven by Playwright) at a phone's and a
desktop's size: nothing wider than the screen, citations linked both ways with previews, MathML, metadata."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from mspress.cli import main
from mspress.config import load_settings
from mspress.sources.metadata import load_metadata
from tests.conftest import REPO

VIEWPORTS = [(390, 844), (1280, 800)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example and an article with math, a table, several figures and every first-page field, as HTML."""
    out: dict[str, Path] = {}
    for name, source in (("example", REPO), ("article", REPO / "tests" / "fixtures" / "projects" / "word-article")):
        target = tmp_path_factory.mktemp(name)
        for part in ("manuscript", "references"):
            shutil.copytree(source / part, target / part)
        if (source / "pyproject.toml").is_file():
            shutil.copy(source / "pyproject.toml", target / "pyproject.toml")
        assert main(["build", "-C", str(target), "--format", "html"]) == 0
        out[name] = target
    return out



def open_page(browser: Any, html: Path, width: int, height: int, javascript: bool = True) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: problems.append(f"request {request.url}") if not request.url.startswith(("file:", "data:")) else None)
    page.goto(html.as_uri())
    return page, problems


# Every element that is laid out in the page's own flow (not inside a box that scrolls sideways) ends inside
# the viewport.
TOO_WIDE = """() => {
  const inScroller = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll') return true; } return false; };
  return [...document.querySelectorAll('body *')].filter(e => !e.closest('.ref-preview') && e.getClientRects().length
      && e.getBoundingClientRect().right > innerWidth + 1 && !inScroller(e)).map(e => e.tagName + '.' + e.className);
}"""


@pytest.mark.parametrize("width,height", VIEWPORTS)
@pytest.mark.parametrize("name", ["example", "article"])
def test_nothing_is_wider_than_the_screen(pages: dict[str, Path], browser: Any, name: str, width: int, height: int) -> None:
    page, problems = open_page(browser, pages[name] / "output" / "manuscript.html", width, height)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(TOO_WIDE) == []
    assert problems == [], "no script error, no CSP violation, no request leaves the page"
    page.context.close()


@pytest.mark.parametrize("name", ["example", "article"])
def test_every_citation_leads_to_its_entry_and_every_entry_back(pages: dict[str, Path], browser: Any, name: str) -> None:
    page, _ = open_page(browser, pages[name] / "output" / "manuscript.html", 1280, 800)
    pairs = page.evaluate("""() => [...document.querySelectorAll('.cite a, .cite-inline a, .cite-ay a')].map(a => [a.id, a.getAttribute('href')])""")
    assert pairs and all(page.evaluate(f"!!document.getElementById({json.dumps(href[1:])})") for _, href in pairs)
    back = page.evaluate("""() => [...document.querySelectorAll('.reference')].map(r =>
        [r.id, [...r.querySelectorAll('a.backlink')].map(a => a.getAttribute('href').slice(1))])""")
    assert all(targets for _, targets in back), "every entry is cited somewhere and links back there"
    for entry, targets in back:
        for target in targets:
            mark = page.evaluate(f"""() => {{ const a = document.getElementById({json.dumps(target)});
                return a ? [a.closest('.cite, .cite-inline, .cite-ay').textContent, a.getAttribute('href')] : null; }}""")
            assert mark is not None, f"{entry}: back-link to a missing place {target}"
    first = pairs[0][1]
    page.click(f".cite a[href='{first}'], .cite-inline a[href='{first}'], .cite-ay a[href='{first}']")
    top = page.evaluate(f"document.getElementById({json.dumps(first[1:])}).getBoundingClientRect().top")
    assert page.evaluate("location.hash") == first and 0 <= top < 800, "the entry is on the screen"
    page.context.close()


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_a_preview_appears_on_hover_and_on_focus(pages: dict[str, Path], browser: Any, width: int, height: int) -> None:
    page, problems = open_page(browser, pages["example"] / "output" / "manuscript.html", width, height)
    link = page.locator(".cite a").nth(3)
    entry = page.evaluate(f"document.getElementById({json.dumps(link.get_attribute('href')[1:])}).querySelector('p').textContent")
    link.hover()
    preview = page.locator(".ref-preview")
    assert preview.is_visible() and preview.text_content() == entry
    box = preview.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the preview stays on the screen"
    page.mouse.move(0, 0)
    assert not preview.is_visible()
    link.focus()
    assert preview.is_visible() and link.get_attribute("aria-describedby") == "ref-preview"
    assert problems == []
    page.context.close()


def test_the_page_works_without_javascript(pages: dict[str, Path], browser: Any) -> None:
    page, _ = open_page(browser, pages["article"] / "output" / "manuscript.html", 390, 844, javascript=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".backlink").count() > 0 and page.locator("nav.toc a").count() >= 3
    page.context.close()


def test_math_is_mathml_and_no_tex_shows(pages: dict[str, Path], browser: Any) -> None:
    page, _ = open_page(browser, pages["article"] / "output" / "manuscript.html", 390, 844)
    assert page.locator("math").count() == 2 and page.locator("math[display='block']").count() == 1
    shown = page.evaluate("document.body.innerText")
    assert not re.search(r"\\(frac|sum|times|geq|bar)|\$", shown)
    page.context.close()


def test_a_figure_enlarges_on_a_tap(pages: dict[str, Path], browser: Any) -> None:
    page, _ = open_page(browser, pages["article"] / "output" / "manuscript.html", 390, 844)
    figure = page.locator("main figure").first
    figure.click()
    assert "zoomed" in (figure.get_attribute("class") or "")
    page.keyboard.press("Escape")
    assert "zoomed" not in (figure.get_attribute("class") or "")
    page.context.close()


def head_tags(html: str) -> list[tuple[str, str]]:
    import lxml.html

    head = lxml.html.fromstring(html).find("head")
    return [(m.get("name"), m.get("content")) for m in head.iter("meta") if m.get("name")]


def test_metadata_for_indexing_matches_metadata_yaml(pages: dict[str, Path]) -> None:
    root = pages["article"]
    meta = load_metadata((root / "manuscript" / "metadata.yaml").read_text(encoding="utf-8"), Path("manuscript/metadata.yaml"))
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    tags = head_tags(html)
    values = lambda name: [c for n, c in tags if n == name]  # noqa: E731
    assert values("citation_title") == [meta.title.zh]
    assert values("citation_author") == [a.name.zh for a in meta.authors]
    assert values("citation_author_institution") == [meta.affiliations[i - 1].name.zh for a in meta.authors for i in a.affiliations]
    assert meta.journal is not None
    assert values("citation_journal_title") == [meta.journal.name.zh]
    assert (values("citation_volume"), values("citation_issue"), values("citation_publication_date")) == ([meta.journal.volume], [meta.journal.issue], [meta.journal.year])
    assert (values("citation_firstpage"), values("citation_lastpage")) == (["11"], ["15"])
    assert values("citation_doi") == [meta.doi] and values("DC.identifier") == [f"doi:{meta.doi}"]
    assert values("citation_pdf_url") == ["manuscript.pdf"] and values("citation_keywords") == list(meta.keywords_zh)
    assert len(values("citation_reference")) == 3 and values("citation_reference")[0].startswith("王五, 赵六. 深部脑刺激的研究进展[J]")
    assert values("DC.title") == [meta.title.zh, meta.title.en] and values("description")[0].startswith("这是中文摘要")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "ScholarlyArticle" and ld["headline"] == meta.title.zh and ld["alternativeHeadline"] == meta.title.en
    assert [a["name"] for a in ld["author"]] == [a.name.zh for a in meta.authors] and ld["sameAs"] == f"https://doi.org/{meta.doi}"
    assert ld["isPartOf"]["isPartOf"]["isPartOf"]["name"] == meta.journal.name.zh


def test_the_example_page_is_small_and_allows_only_its_own_script(pages: dict[str, Path]) -> None:
    html = (pages["example"] / "output" / "manuscript.html").read_text(encoding="utf-8")
    without_figures = re.sub(r"data:[^\"')]+", "", html)
    assert len(without_figures.encode("utf-8")) <= 100_000
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    script_source = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_source.startswith("'sha256-") and "unsafe" not in script_source and "default-src 'none'" in policy
    assert html.count("<script>") == 1 and load_settings(pages["example"]).formats == ("html", "pdf", "docx")


@pytest.mark.parametrize("project", [REPO, REPO / "tests" / "fixtures" / "projects" / "word-article"], ids=["example", "article"])
def test_lighthouse_accessibility_and_seo_scores_are_at_least_95(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scripts/lighthouse.py: Lighthouse (npm, installed into a cache on first use) with Debian's Chromium."""
    from scripts.lighthouse import main as lighthouse

    status = lighthouse(["-C", str(project)])
    out = capsys.readouterr().out
    scores = [int(line.split()[2]) for line in out.splitlines() if line.startswith(("mobile", "desktop"))]
    assert status == 0 and len(scores) == 4 and min(scores) >= 95, out


def test_latin_is_never_letter_spaced_and_no_gap_comes_before_an_ascii_comma(pages: dict[str, Path], browser: Any) -> None:
    page, _ = open_page(browser, pages["article"] / "output" / "manuscript.html", 390, 844)
    extra = page.evaluate("""() => {
      const p = document.querySelector('#ref-wang2020 p'), text = [...p.childNodes].find(n => n.nodeType === 3);
      p.style.textAlign = 'left';  // measure the spacing, not the justification
      const r = document.createRange(); r.setStart(text, 0); r.setEnd(text, text.data.indexOf(',') + 1);
      const probe = document.createElement('span'); probe.textContent = text.data.slice(0, text.data.indexOf(',') + 1);
      probe.style.textAutospace = 'no-autospace'; p.appendChild(probe);
      const natural = probe.getBoundingClientRect().width; probe.remove();
      return r.getBoundingClientRect().width - natural;
    }""")
    assert abs(extra) < 0.5, "王五, : no gap before the comma"
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).textAutospace") == "normal", "Chinese and Latin spaced in the text"
    spread = page.evaluate("""() => {
      const p = [...document.querySelectorAll('#ref-smith2019 p')][0], text = [...p.childNodes].find(n => n.nodeType === 3 && /SMITH/.test(n.data));
      const at = text.data.indexOf('SMITH'), r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + 5);
      const probe = document.createElement('span'); probe.textContent = 'SMITH'; probe.style.whiteSpace = 'nowrap';
      p.appendChild(probe); const natural = probe.getBoundingClientRect().width; probe.remove();
      return r.getBoundingClientRect().width - natural;
    }""")
    assert abs(spread) < 0.5, "a justified line never spreads the letters of a Latin word"
    page.context.close()
