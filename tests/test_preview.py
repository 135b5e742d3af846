"""``mspress preview``: a warm process that reads again only what changed, and a page in Chromium that follows
every save in place — new text shown without a reload, the scroll position kept, errors over the page and gone
once fixed — with the PDF served at a stable URL."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mspress.cli import main
from mspress.commands import preview as preview_module
from mspress.commands.preview import WarmProject
from mspress.sources import markdown
from tests.conftest import REPO


def example_copy(target: Path) -> Path:
    for part in ("manuscript", "references"):
        shutil.copytree(REPO / part, target / part)
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the warm project -----------------------------------------------------------------------------------------

def test_a_warm_rebuild_reads_only_the_changed_file_and_equals_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = example_copy(tmp_path / "article")
    warm = WarmProject(root, None)
    warm.build(with_print=False)
    sent: list[int] = []
    original = markdown.PartsParsing.__init__

    def counting(self: markdown.PartsParsing, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        sent.append(len(self.todo))

    monkeypatch.setattr(markdown.PartsParsing, "__init__", counting)
    intro = root / "manuscript" / "00-introduction.md"
    edit(intro, "。", "。预览新增的一句话。")
    rebuilt = warm.build(with_print=False)
    assert sent == [1], "pandoc reads the one changed file"
    assert "预览新增的一句话" in rebuilt.screen
    library = warm.library.library
    warm.build(with_print=False)
    assert sent == [1, 0], "nothing changed: pandoc is not run"
    assert warm.library.library is library, "the library is not read again while its files are unchanged"
    # The same page as a cold build of the same files, byte for byte.
    assert main(["build", "-C", str(root), "--format", "html"]) == 0
    assert (root / "output" / "manuscript.html").read_text(encoding="utf-8") == warm.build(with_print=False).screen


def test_a_warm_rebuild_sees_library_and_template_changes(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "article")
    warm = WarmProject(root, None)
    first = warm.build(with_print=False).screen
    library = root / "references" / "library.bib"
    text = library.read_text(encoding="utf-8")
    key = re.search(r"@\w+\{([^,]+),", text)
    assert key
    # An edited entry: read again (same size is not enough to hide it: the file time changed).
    title = re.search(r"title\s*=\s*\{([^{}]{8,})\}", text)
    assert title
    library.write_text(text.replace(title.group(1), title.group(1)[::-1], 1), encoding="utf-8")
    os.utime(library, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert title.group(1)[::-1] in warm.build(with_print=False).screen
    # A project template added after the first build overrides the packaged one at once, and its edits are seen.
    css = (Path(__import__("mspress").__file__).parent / "templates" / "screen.css").read_text(encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "screen.css").write_text(css + "\n/* preview-marker-one */\n", encoding="utf-8")
    assert "preview-marker-one" in warm.build(with_print=False).screen
    (root / "templates" / "screen.css").write_text(css + "\n/* preview-marker-two */\n", encoding="utf-8")
    os.utime(root / "templates" / "screen.css", ns=(time.time_ns(), time.time_ns() + 2_000_000))
    page = warm.build(with_print=False).screen
    assert "preview-marker-two" in page and "preview-marker-one" not in page
    assert first != page


def test_the_served_page_allows_only_its_own_scripts() -> None:
    page = preview_module.served_page("<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                      "script-src 'sha256-abc'\"></head><body><p>x</p></body></html>", 7)
    text = page.decode("utf-8")
    assert f"script-src '{preview_module.CLIENT_HASH}' 'sha256-abc'" in text
    assert f'<meta name="mspress-preview" content="7" data-run="{preview_module.RUN}">' in text
    assert text.index("data-mspress-preview>") < text.index("</body>")
    assert "unsafe-inline'" not in text.split("script-src", 1)[1].split(";")[0]


# ---- the server and the page in Chromium ---------------------------------------------------------------------

class Preview:
    def __init__(self, root: Path, *options: str, inside: bool = False) -> None:
        """``inside``: run in the project's folder without ``-C``, as an author does."""
        self.log = root.parent / "preview.log"
        self.errors = root.parent / "preview.err"
        self.handles = (self.log.open("w"), self.errors.open("w"))
        where = [] if inside else ["-C", str(root)]
        environment = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen([sys.executable, "-m", "mspress", "preview", *where, "--no-browser", "--port", "0", *options],
                                        stdout=self.handles[0], stderr=self.handles[1], cwd=root if inside else REPO, env=environment)
        self.url = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.url:
            found = re.search(r"serving (http://\S+/)", self.log.read_text(encoding="utf-8"))
            self.url = found.group(1) if found else ""
            assert self.process.poll() is None, self.errors.read_text(encoding="utf-8")
            time.sleep(0.05)
        assert self.url, "preview did not start"

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for handle in self.handles:
                handle.close()
        return code, self.log.read_text(encoding="utf-8")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Preview]]:
    root = example_copy(tmp_path / "article")
    running = Preview(root)
    yield root, running
    running.stop()



def test_the_page_follows_every_save_in_chromium(served: tuple[Path, Preview], browser: Any) -> None:
    root, running = served
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    loads: list[str] = []
    page.on("load", lambda: loads.append("load"))
    page.goto(running.url)
    page.wait_for_function("() => !!document.querySelector('main')")
    page.evaluate("() => window.scrollTo(0, 900)")
    page.evaluate("() => { window.previewMarker = 'kept'; }")  # lost if the page were reloaded
    scrolled = page.evaluate("() => window.scrollY")
    assert scrolled > 500

    # One sentence changed: shown without a reload, where the reader was.
    results = root / "manuscript" / "02-results.md"
    edit(results, "。", "。这是预览里改写的一句。")
    page.wait_for_function("() => document.body.innerText.includes('这是预览里改写的一句')", timeout=15000)
    assert page.evaluate("() => window.previewMarker") == "kept"
    assert abs(page.evaluate("() => window.scrollY") - scrolled) < 5
    assert loads == ["load"]
    # The article's own script runs again on the new page: a figure still enlarges on a tap.
    page.locator("main figure").first.click()
    assert page.locator("main figure.zoomed").count() == 1

    # An unknown key: the overlay names it with its place; the article stays under it.
    edit(results, "这是预览里改写的一句。", "这是预览里改写的一句[@nosuchkey2026]。")
    overlay = page.locator("#mspress-preview-problems")
    overlay.wait_for(timeout=15000)
    message = overlay.inner_text()
    assert "nosuchkey2026" in message and "manuscript/02-results.md:" in message
    assert "这是预览里改写的一句" in page.locator("main").inner_text()
    # Fixed: the overlay goes and the fixed text shows.
    edit(results, "这是预览里改写的一句[@nosuchkey2026]。", "这是修好的一句。")
    page.wait_for_function("() => document.body.innerText.includes('这是修好的一句')", timeout=15000)
    assert page.locator("#mspress-preview-problems").count() == 0
    assert loads == ["load"] and problems == []
    context.close()

    code, log = running.stop()
    assert code == 0 and "preview stopped" in log
    errors = running.errors.read_text(encoding="utf-8")
    assert re.search(r"manuscript/02-results\.md:\d+:\d+: .*nosuchkey2026", errors), "the terminal shows the error too"
    assert "Traceback" not in errors


def test_the_pdf_is_served_at_a_stable_address_and_follows_the_page(served: tuple[Path, Preview]) -> None:
    root, running = served
    pdf_url = running.url + "manuscript.pdf"

    def fetch_pdf() -> bytes:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(pdf_url) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                exc.close()
                assert exc.code == 503 and time.monotonic() < deadline
                time.sleep(0.2)

    first = fetch_pdf()
    assert first.startswith(b"%PDF")
    edit(root / "manuscript" / "03-conclusion.md", "。", "。结论里添加的新句子。")
    deadline = time.monotonic() + 60
    while "PDF 2 made" not in running.log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, running.log.read_text(encoding="utf-8")
        time.sleep(0.1)
    import fitz

    second = fetch_pdf()
    text = "".join(page.get_text() for page in fitz.open(stream=second, filetype="pdf"))
    assert "结论里添加的新句子" in text.replace("\n", "")
    assert (root / "output" / "manuscript.pdf").read_bytes() == second
    running.stop()


def test_the_server_answers_only_for_this_machine(served: tuple[Path, Preview]) -> None:
    _, running = served
    request = urllib.request.Request(running.url, headers={"Host": "attacker.example:80"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    refused.value.close()
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(running.url + "../../etc/passwd")
    missing.value.close()
    assert missing.value.code == 404
    running.stop()


def test_a_project_that_fails_at_first_shows_its_problems_then_the_article(tmp_path: Path, browser: Any) -> None:
    root = example_copy(tmp_path / "article")
    intro = root / "manuscript" / "00-introduction.md"
    edit(intro, "。", "[@missingkey1]。")
    running = Preview(root, "--no-pdf")
    try:
        page = browser.new_page()
        page.goto(running.url)
        page.locator("#mspress-preview-problems").wait_for(timeout=15000)
        assert "missingkey1" in page.locator("#mspress-preview-problems").inner_text()
        edit(intro, "[@missingkey1]。", "。")
        page.wait_for_function("() => !!document.querySelector('main')", timeout=15000)
        assert page.locator("#mspress-preview-problems").count() == 0
        page.close()
    finally:
        running.stop()


def test_a_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    import socket

    root = example_copy(tmp_path / "article")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "mspress", "preview", "-C", str(root), "--no-browser", "--port", str(port)],
                              capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and f"127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_the_pdf_address_says_why_there_is_none_and_head_requests_work(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "article")
    running = Preview(root, "--no-pdf")
    try:
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(running.url + "manuscript.pdf")
        body = missing.value.read().decode("utf-8")
        missing.value.close()
        assert missing.value.code == 404 and "--no-pdf" in body
        with urllib.request.urlopen(urllib.request.Request(running.url, method="HEAD")) as response:
            assert response.status == 200 and int(response.headers["Content-Length"]) > 1000 and response.read() == b""
    finally:
        running.stop()


def test_serving_every_interface_is_said_plainly(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "article")
    running = Preview(root, "--no-pdf", "--host", "0.0.0.0")
    try:
        assert running.url.startswith("http://127.0.0.1:"), "an address the browser can open"
        assert "every network interface" in running.errors.read_text(encoding="utf-8")
    finally:
        running.stop()


def test_run_in_the_project_folder_it_builds_only_on_saves(tmp_path: Path) -> None:
    """Watching ``.`` reports ``./output/…``: its own writes must not start builds (they did, without end)."""
    root = example_copy(tmp_path / "article")
    running = Preview(root, inside=True)
    try:
        time.sleep(3)
        log = running.log.read_text(encoding="utf-8")
        assert "page 1 built" in log and "page 2" not in log, log
        edit(root / "manuscript" / "00-introduction.md", "。", "。一次保存。")
        deadline = time.monotonic() + 20
        while "page 2 built" not in running.log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(2)
        assert "page 3" not in running.log.read_text(encoding="utf-8")
    finally:
        running.stop()


def test_a_pdf_that_cannot_be_written_is_said_at_its_address(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "article")
    (root / "output" / "manuscript.pdf").mkdir(parents=True)  # a folder where the PDF goes
    running = Preview(root)
    try:
        deadline = time.monotonic() + 60
        while True:
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(running.url + "manuscript.pdf")
            body = refused.value.read().decode("utf-8")
            refused.value.close()
            if "no PDF:" in body or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert refused.value.code == 503 and "no PDF:" in body and "manuscript.pdf" in body, body
    finally:
        running.stop()
    assert "Traceback" not in running.errors.read_text(encoding="utf-8")


def test_the_client_is_allowed_in_the_policy_not_in_text_that_looks_like_it() -> None:
    page = ('<html><head><title>论 script-src 指令</title><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "script-src 'sha256-abc'\"></head><body></body></html>")
    text = preview_module.served_page(page, 1).decode("utf-8")
    assert "<title>论 script-src 指令</title>" in text
    assert f"script-src '{preview_module.CLIENT_HASH}' 'sha256-abc'" in text
    assert preview_module.client_allowed(page)
    assert not preview_module.client_allowed('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">')


@pytest.mark.parametrize("host,header,answered", [
    ("127.0.0.1", "127.0.0.1:8000", True), ("127.0.0.1", "localhost:8000", True), ("127.0.0.1", "[::1]:8000", True),
    ("127.0.0.1", "[::1]", True), ("127.0.0.1", "attacker.example:8000", False), ("127.0.0.1", "", False),
    ("127.0.0.1", "192.168.1.5:8000", False), ("0.0.0.0", "192.168.1.5:8000", True), ("0.0.0.0", "attacker.example:8000", False),
    ("0.0.0.0", "localhost", True)])
def test_the_host_check(host: str, header: str, answered: bool) -> None:
    """Rebinding needs a name of the attacker's: every interface still answers only addresses and this machine's names."""
    server = preview_module.PreviewServer(host, 0, preview_module.PreviewState())
    try:
        assert server.answers(header) is answered
    finally:
        server.server_close()
