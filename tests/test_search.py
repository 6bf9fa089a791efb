"""`podcast search` through the real arxiv package against a local Atom server: query, exclusions,
paging, the delay between requests, resuming after a failure, and picking results into the episode."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

from conftest import invoke
from podcast.models import Episode

TODAY = dt.date.today()
TITLES = ["Sparse attention for long documents", "A diffusion model for speech", "<script>alert('x')</script> & agents",
          "Reinforcement learning from human feedback, revisited", "긴 문맥을 위한 언어 모델", "Robot grasping with vision",
          "Attention sinks in speech recognition", "Quantum chemistry with transformers"]


def entry(n: int) -> dict:
    """The n-th newest paper: one a day, going back from today."""
    return {"id": f"2502.{n:05d}", "published": (TODAY - dt.timedelta(days=n)).isoformat(),
            "title": TITLES[n % len(TITLES)] + f" (part {n})",
            "abstract": f"We study {TITLES[n % len(TITLES)].lower()}. It works well in {n} ways.",
            "authors": ["Ada Lovelace", "Alan Turing", "Grace Hopper"][: 1 + n % 3],
            "categories": [["cs.CL"], ["cs.LG", "cs.CL"], ["cs.RO"], ["cs.AI"]][n % 4]}


def atom(entries: list[dict], total: int, start: int) -> bytes:
    items = []
    for e in entries:
        cats = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in e["categories"])
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in e["authors"])
        items.append(f"""<entry><id>http://arxiv.org/abs/{e['id']}v1</id>
<updated>{e['published']}T12:00:00Z</updated><published>{e['published']}T12:00:00Z</published>
<title>{escape(e['title'])}</title><summary>{escape(e['abstract'])}</summary>{authors}
<link href="http://arxiv.org/abs/{e['id']}v1" rel="alternate" type="text/html"/>
<link title="pdf" href="http://arxiv.org/pdf/{e['id']}v1" rel="related" type="application/pdf"/>
<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{e['categories'][0]}"/>{cats}</entry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title><id>http://arxiv.org/api/x</id>
<updated>{TODAY.isoformat()}T00:00:00Z</updated>
<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
<opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{start}</opensearch:startIndex>
<opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}</opensearch:itemsPerPage>
{''.join(items)}</feed>""".encode()


class AtomServer(ThreadingHTTPServer):
    """Serves the newest-first list like export.arxiv.org/api/query; applies no query itself."""

    def __init__(self, count: int = 40):
        super().__init__(("127.0.0.1", 0), Handler)
        self.entries = [entry(n) for n in range(count)]
        self.requests: list[dict] = []  # parsed query of each request, with its arrival time
        self.fail: set[int] = set()  # request numbers (1-based) answered with HTTP 503
        self.url = f"http://127.0.0.1:{self.server_address[1]}/api/query?{{}}"
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()


class Handler(BaseHTTPRequestHandler):
    server: AtomServer

    def do_GET(self) -> None:  # noqa: N802
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.server.requests.append({**query, "time": time.monotonic()})
        if len(self.server.requests) in self.server.fail:
            body, status = b"busy", 503
        else:
            start, size = int(query.get("start", 0)), int(query.get("max_results", 10))
            body, status = atom(self.server.entries[start: start + size], len(self.server.entries), start), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(monkeypatch):
    srv = AtomServer()
    monkeypatch.setenv("PODCAST_ARXIV_URL", srv.url)
    yield srv
    srv.shutdown()
    srv.server_close()


def configure(**search) -> None:
    values = {"categories": ["cs.CL", "cs.LG"], "include": [], "exclude": [], "page_size": 5, "delay": 0.0, **search}
    lines = ["[search]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    Path("podcast.toml").write_text("\n".join(lines) + "\n")


def added(episode: str = "ep") -> list[str]:
    return [p.id for p in Episode.load(Path("output") / episode / "papers.json").papers]


def expected(since_days: int, include=(), exclude=(), cats=("cs.CL", "cs.LG")) -> list[str]:
    out = []
    for n in range(since_days + 1):
        e = entry(n)
        text = (e["title"] + " " + e["abstract"]).lower()
        if set(e["categories"]) & set(cats) and not any(x in text for x in exclude) and \
                (not include or any(i in text for i in include)):
            out.append(e["id"])
    return out


def test_the_query_has_categories_includes_and_exclusions_and_exclusions_win(server):
    configure(include=["speech", "attention"], exclude=["diffusion"])
    since = (TODAY - dt.timedelta(days=20)).isoformat()
    result = invoke("search", "--since", since, "--all", "--episode", "ep")
    assert result.exit_code == 0, result.stderr
    query = server.requests[0]["search_query"]
    assert query == '(cat:cs.CL OR cat:cs.LG) AND (all:"speech" OR all:"attention") ANDNOT (all:"diffusion")'
    assert server.requests[0]["sortBy"] == "submittedDate" and server.requests[0]["sortOrder"] == "descending"
    ids = added()
    assert ids == expected(20, include=["speech", "attention"], exclude=["diffusion"])
    assert ids and not any("diffusion" in entry(int(i[5:]))["title"] for i in ids)
    # "A diffusion model for speech" matches an include term, and is still excluded:
    assert entry(1)["id"] not in ids and "speech" in entry(1)["title"]


def test_pages_until_the_start_date_and_no_further(server):
    configure()
    since = (TODAY - dt.timedelta(days=12)).isoformat()
    result = invoke("search", "--since", since, "--all", "--episode", "ep")
    assert result.exit_code == 0, result.stderr
    assert [int(r["start"]) for r in server.requests] == [0, 5, 10]  # 13 papers are new: three pages of 5
    assert all(r["max_results"] == "5" for r in server.requests)
    assert added() == expected(12)
    assert "papers since " + since in result.output


def test_max_stops_early(server):
    configure()
    result = invoke("search", "--since", (TODAY - dt.timedelta(days=39)).isoformat(), "--max", "4", "--all",
                    "--episode", "ep")
    assert result.exit_code == 0
    assert added() == expected(39)[:4]
    assert len(server.requests) <= 2


def test_requests_keep_the_configured_delay(server):
    configure(delay=0.4)
    assert invoke("search", "--since", (TODAY - dt.timedelta(days=12)).isoformat()).exit_code == 0
    times = [r["time"] for r in server.requests]
    assert len(times) == 3
    assert all(b - a >= 0.4 for a, b in zip(times, times[1:]))


def test_a_failure_keeps_what_was_found_and_the_same_command_resumes(server):
    configure()
    since = (TODAY - dt.timedelta(days=30)).isoformat()
    server.fail = {3, 4, 5, 6}  # the third page fails, and its three retries too
    failed = invoke("search", "--since", since, "--all", "--episode", "ep")
    assert failed.exit_code == 5
    kept = len(expected(9))  # the first two pages: papers 0-9
    assert failed.stderr.strip().splitlines() == [
        f"error: the arXiv API answered HTTP 503 after 10 results ({kept} papers found are kept) "
        "(run the same command again later to resume)"]
    saved = json.loads(Path("output/search.json").read_text())
    assert saved["offset"] == 10 and [r["id"] for r in saved["found"]] == expected(9) and not saved["complete"]
    assert not Path("output/ep").exists()
    server.fail = set()
    before = len(server.requests)
    resumed = invoke("search", "--since", since, "--all", "--episode", "ep")
    assert resumed.exit_code == 0, resumed.stderr
    assert int(server.requests[before]["start"]) == 10  # it went on from the third page
    assert added() == expected(30)


def test_without_pick_it_shows_the_table_then_pick_uses_the_same_results(server):
    configure()
    shown = invoke("search", "--since", (TODAY - dt.timedelta(days=6)).isoformat(), "--episode", "ep")
    assert shown.exit_code == 0, shown.stderr
    assert "Add some with --pick 1,3,5 or --all." in shown.output
    assert entry(0)["title"] in shown.output and "Ada Lovelace" in shown.output and "cs.CL" in shown.output
    assert not Path("output/ep").exists()
    requests = len(server.requests)
    picked = invoke("search", "--pick", "1,3", "--episode", "ep")
    assert picked.exit_code == 0, picked.stderr
    assert len(server.requests) == requests  # picked from the saved results: nothing asked again
    wanted = expected(6)
    assert added() == [wanted[0], wanted[2]]
    again = invoke("search", "--episode", "ep", "--all")  # since the last search (today): only today's paper
    assert again.exit_code == 0
    assert added() == [wanted[0], wanted[2]]  # today's paper is already there: a note, not a duplicate
    assert "not added twice" in again.stderr


@pytest.mark.parametrize("args, message", [
    (("--pick", "0"), "--pick '0': '0' is outside 1–"),
    (("--pick", "1,x"), "--pick '1,x': 'x' is not a number or a range"),
    (("--pick", "1", "--all"), "--pick and --all both given"),
    (("--since", "last week"), "--since 'last week' is not a date"),
])
def test_bad_options_are_one_line_and_add_nothing(server, args, message):
    configure()
    result = invoke("search", "--since", (TODAY - dt.timedelta(days=3)).isoformat(), *args) if args[0] != "--since" \
        else invoke("search", *args)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: " + message)
    assert not Path("output/ep").exists() and not any(Path("output").glob("*/papers.json"))


def test_an_api_url_that_is_not_one_is_named_in_one_line(monkeypatch):
    configure()
    monkeypatch.setenv("PODCAST_ARXIV_URL", "htp:/nowhere")
    result = invoke("search", "--episode", "ep", "--all")
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "the arXiv API URL 'htp:/nowhere' is not valid" in lines[0]
    assert "PODCAST_ARXIV_URL" in lines[0] and not Path("output/ep").exists()
