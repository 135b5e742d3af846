"""Lighthouse's accessibility and SEO scores of the built HTML, in Debian's Chromium.

Usage: python scripts/lighthouse.py [-C DIR] [--lighthouse PATH]

Builds the project's HTML into a temporary folder, serves it on 127.0.0.1 (Lighthouse audits pages as a site
serves them: status codes, robots), and runs Lighthouse (npm ``lighthouse@12.2.3``, installed into a cache folder
on first use; 12.2.3 is the last release that runs on Debian's Node 20) for a phone and a desktop. Prints each
score and every failed audit; exits 1 when a score is below 95.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
LIGHTHOUSE = "lighthouse@12.2.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mspress-lighthouse"
CATEGORIES = ("accessibility", "seo")
THRESHOLD = 95


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def lighthouse_cli(given: str | None) -> Path:
    if given:
        return Path(given)
    cli = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(CACHE), "-E", "--silent", LIGHTHOUSE], check=True)
    return cli


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("-C", dest="directory", default=str(REPO))
    args.add_argument("--lighthouse", help="a lighthouse command already installed")
    opts = args.parse_args(argv)
    from mspress.cli import main as mspress

    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    cli = lighthouse_cli(opts.lighthouse)
    worst = 100
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = Path(opts.directory)
        for name in ("manuscript", "references", "pyproject.toml"):
            source = project / name
            if source.exists():
                (shutil.copytree if source.is_dir() else shutil.copy)(source, work / name)
        if mspress(["build", "-C", str(work), "--format", "html"]) != 0:
            return 1
        # A site's robots.txt is the site's, not the article's: serve the permissive one a journal's site would have.
        (work / "output" / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
        handler = functools.partial(QuietHandler, directory=str(work / "output"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/manuscript.html"
        try:
            for form in ("mobile", "desktop"):
                report = work / f"{form}.json"
                preset = ["--preset=desktop"] if form == "desktop" else []
                subprocess.run([str(cli), url, *preset, "--only-categories=" + ",".join(CATEGORIES), "--output=json",
                                f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                               check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
                result = json.loads(report.read_text(encoding="utf-8"))
                for category in CATEGORIES:
                    section = result["categories"][category]
                    score = round(section["score"] * 100)
                    worst = min(worst, score)
                    failed = [ref["id"] for ref in section["auditRefs"]
                              if ref["weight"] and (result["audits"][ref["id"]].get("score") or 0) < 1
                              and result["audits"][ref["id"]].get("scoreDisplayMode") == "binary"]
                    print(f"{form:8s} {category:14s} {score:3d}" + (f"  failed: {', '.join(failed)}" if failed else ""))
                    for audit in failed:
                        items = (result["audits"][audit].get("details") or {}).get("items", [])
                        for item in items[:3]:
                            node = item.get("node", {})
                            print(f"    {audit}: {node.get('selector', '')} {node.get('snippet', '')[:100]}")
        finally:
            server.shutdown()
            server.server_close()
    return 0 if worst >= THRESHOLD else 1


if __name__ == "__main__":
    raise SystemExit(main())
