"""The episode page in a real browser: headless Chromium (Debian's, /usr/bin/chromium) through Playwright."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from conftest import invoke

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required"]
NEWSLETTER = """Paper Cuts — 2025-04-10

A monthly digest of papers.

# Sparse Lanterns for Long Context
https://arxiv.org/abs/2504.00001

Sparse Lanterns is a retrieval layer for long documents. It halves memory on a long-context benchmark.

# Counting Sheep with Diffusion
https://arxiv.org/abs/2504.00002

This paper trains a diffusion model to count objects in pictures of farms. Counting improves by a third.

Thanks for reading!
"""


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that honours byte ranges, as nginx, Apache and every CDN do (browsers seek media with them)."""

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        if start >= size:
            self.send_error(416)
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._left = end - start + 1
        return handle

    def copyfile(self, source, outputfile):
        left = getattr(self, "_left", None)
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            chunk = source.read(min(65536, left))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)


@pytest.fixture
def served_site(fake_engine, tmp_path):
    """One built and published episode, served from a local HTTP server on 127.0.0.1."""
    if not CHROMIUM.exists() or not shutil.which(str(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (.ci/run installs Debian's chromium package)")
    Path("podcast.toml").write_text('[feed]\nbase_url = "https://pod.example.org/show"\n')
    source = tmp_path / "april.txt"
    source.write_text(NEWSLETTER, encoding="utf-8")
    assert invoke("build", str(source), "--engine", "fake", "--episode", "2025-04").exit_code == 0
    public = (tmp_path / "output" / "public").resolve()
    handler = functools.partial(RangeHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield public, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:  # a fresh profile (user data dir) per test
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def _check_player(page, timeline) -> None:
    page.wait_for_function("document.getElementById('player').readyState >= 1", timeout=30_000)
    duration = page.evaluate("document.getElementById('player').duration")
    assert duration == pytest.approx(timeline.duration, abs=0.15)

    page.evaluate("document.getElementById('player').play()")
    page.wait_for_function("document.getElementById('player').currentTime > 0.3", timeout=30_000)
    assert page.evaluate("document.getElementById('player').paused") is False

    page.evaluate("""new Promise(done => {
        const audio = document.getElementById('player');
        audio.pause();
        audio.addEventListener('seeked', () => done(), {once: true});
        audio.currentTime = 0;
    })""")
    page.evaluate("""window.seeks = [];
        document.getElementById('player').addEventListener('seeked',
            () => window.seeks.push(document.getElementById('player').currentTime))""")
    chapter = timeline.entries[2]
    page.click("#chapter-2 button.seek")
    page.wait_for_function(f"window.seeks.some(t => Math.abs(t - {chapter.start}) < 0.05)", timeout=30_000)
    assert page.evaluate("document.getElementById('player').currentTime") >= chapter.start - 0.05
    page.wait_for_function("document.querySelector('#chapter-2.current') !== null", timeout=30_000)


def test_the_episode_page_plays_and_chapters_seek(served_site, page):
    from podcast.models import Timeline

    public, url = served_site
    timeline = Timeline.load(public.parent / "2025-04" / "timeline.json")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{url}/2025-04/index.html")
    assert page.title() == "Paper Cuts: April 2025"
    _check_player(page, timeline)
    assert all(r.startswith(url) for r in requests), requests  # nothing third-party
    assert page.locator(".transcript p").count() >= 6


def test_the_episode_page_works_from_file_urls(served_site, page):
    from podcast.models import Timeline

    public, _ = served_site
    timeline = Timeline.load(public.parent / "2025-04" / "timeline.json")
    page.goto((public / "index.html").as_uri())
    page.click("ol.episodes a")
    assert page.url.endswith("/2025-04/index.html")
    _check_player(page, timeline)
