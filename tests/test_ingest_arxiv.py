"""arXiv ID lists: metadata through the arxiv package from a local Atom server, cached on disk."""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from podcast.errors import ConfigError, InputError, NetworkError, ServiceError
from podcast.ingest import arxiv_list, ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
IDS_FILE = FIXTURES / "ids.txt"
ENTRY = re.compile(r"  <entry>.*?</entry>\n", re.DOTALL)


def _fixture_entry(arxiv_id: str) -> str | None:
    path = FIXTURES / f"arxiv-{arxiv_id.replace('/', '-').replace('.', '-')}.xml"
    return ENTRY.search(path.read_text(encoding="utf-8")).group(0) if path.exists() else None


class ArxivHandler(BaseHTTPRequestHandler):
    """Answers /api/query like export.arxiv.org, from the Atom fixtures."""

    server: "ArxivServer"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        query = parse_qs(urlsplit(self.path).query)
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        start, size = int(query.get("start", ["0"])[0]), int(query.get("max_results", ["10"])[0])
        self.server.requests.append(ids)
        if self.server.failures:
            self._send(self.server.failures.pop(0), b"<html>busy</html>")
        elif set(ids) & self.server.reject:
            self._send(400, (FIXTURES / "arxiv-error.xml").read_bytes())
        else:
            entries = [entry for entry in map(_fixture_entry, ids) if entry]
            if not entries:
                self._send(200, (FIXTURES / "arxiv-empty.xml").read_bytes())
                return
            # Like arXiv, count every requested id, even those it has no entry for.
            feed = (FIXTURES / "arxiv-empty.xml").read_text(encoding="utf-8")
            feed = feed.replace(">0</opensearch:totalResults>", f">{len(ids)}</opensearch:totalResults>")
            feed = feed.replace("</feed>", "".join(entries[start : start + size]) + "</feed>")
            self._send(200, feed.encode("utf-8"))

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class ArxivServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ArxivHandler)
        self.requests: list[list[str]] = []
        self.reject: set[str] = set()  # ids answered with arXiv's HTTP 400 error feed
        self.failures: list[int] = []  # statuses to answer the next requests with
        self.url = f"http://127.0.0.1:{self.server_address[1]}/api/query?{{}}"
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def server():
    srv = ArxivServer()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def fast_client(monkeypatch):
    monkeypatch.setattr(arxiv_list, "DELAY", 0.0)
    monkeypatch.setattr(arxiv_list, "RETRIES", 0)
    monkeypatch.delenv(arxiv_list.ARXIV_URL_ENV, raising=False)


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query?{{}}"


def test_id_list_file_gets_metadata_in_one_request(server, tmp_path):
    episode = ingest([str(IDS_FILE)], cache_dir=tmp_path, arxiv_url=server.url)
    assert [p.id for p in episode.papers] == [
        "1706.03762", "1810.04805", "1512.03385", "2106.09685", "hep-th/9711200", "2201.11903"]
    assert len(server.requests) == 1 and sorted(server.requests[0]) == sorted(p.id for p in episode.papers)
    bert = episode.paper("1810.04805")
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert bert.abstract.startswith("We pre-train a deep bidirectional encoder by predicting masked words from")
    assert "\n" not in bert.abstract and "  " not in bert.abstract
    assert (bert.summary, bert.source, bert.published, bert.categories) == ("", "arxiv", "2018-10-11", ["cs.CL"])
    assert bert.links == ["https://arxiv.org/pdf/1810.04805v2"]
    assert episode.paper("1706.03762").links == ["https://arxiv.org/abs/1706.03762"]
    assert episode.paper("2106.09685").links == [
        "https://www.alphaxiv.org/overview/2106.09685", "https://arxiv.org/abs/2106.09685"]
    assert episode.paper("hep-th/9711200").authors == ["Juan M. Maldacena"]
    assert episode.language == "en" and episode.date == "" and re.fullmatch(r"\d{4}-\d{2}", episode.id)
    assert (tmp_path / "arxiv" / "hep-th-9711200.json").is_file()


def test_second_run_needs_no_network(server, tmp_path):
    first = ingest([str(IDS_FILE)], cache_dir=tmp_path, arxiv_url=server.url)
    server.stop()
    second = ingest([str(IDS_FILE)], cache_dir=tmp_path, arxiv_url=server.url)
    assert second.to_dict() == first.to_dict()


def test_ids_as_arguments_and_repeated_ids(server):
    episode = ingest(["2201.11903", "https://arxiv.org/pdf/1706.03762v7", "arXiv:1706.03762"],
                     arxiv_url=server.url)
    assert [p.id for p in episode.papers] == ["2201.11903", "1706.03762"]
    assert episode.papers[1].title == "Attention Is All You Need"
    assert [p.input for p in episode.papers] == ["2201.11903", "https://arxiv.org/pdf/1706.03762v7"]
    assert episode.papers[1].links == ["https://arxiv.org/pdf/1706.03762v7", "https://arxiv.org/abs/1706.03762"]
    assert episode.notes == ["arXiv 1706.03762 is in both https://arxiv.org/pdf/1706.03762v7 and arXiv:1706.03762: "
                             "merged into one paper (paper 2)"]
    assert server.requests == [["2201.11903", "1706.03762"]]


def test_files_ids_and_urls_mixed_make_one_episode(server, tmp_path):
    letter, alpha = str(FIXTURES / "newsletter.txt"), "https://www.alphaxiv.org/abs/hep-th/9711200"
    episode = ingest(["1512.03385", letter, alpha, str(IDS_FILE)], cache_dir=tmp_path, arxiv_url=server.url)
    assert [p.id for p in episode.papers] == [
        "1512.03385", "1412.6980", "hep-th/9711200", "why-momentum-really-works", "1503.02531",
        "1706.03762", "1810.04805", "2106.09685", "2201.11903"]
    assert [p.input for p in episode.papers] == ["1512.03385"] + [letter] * 4 + [str(IDS_FILE)] * 4
    maldacena = episode.paper("hep-th/9711200")
    assert maldacena.links == ["https://arxiv.org/abs/hep-th/9711200", alpha]
    assert maldacena.summary.startswith("This paper conjectures")  # the newsletter's, first to arrive
    assert maldacena.authors == ["Juan M. Maldacena"] and maldacena.abstract  # filled in from arXiv
    assert episode.notes == [
        f"arXiv hep-th/9711200 is in both {letter} and {alpha}: merged into one paper (paper 3)",
        f"arXiv 1512.03385 is in both 1512.03385 and {IDS_FILE}: merged into one paper (paper 1)",
        f"arXiv hep-th/9711200 is in both {letter} and {IDS_FILE}: merged into one paper (paper 3)"]
    assert (episode.language, episode.id, episode.date) == ("en", "2024-11", "2024-11-01")


def test_papers_command_reads_the_cache_and_writes_nothing(server, tmp_path, monkeypatch):
    from conftest import invoke

    out = tmp_path / "out"
    ingest(["1706.03762"], cache_dir=out / ".cache", arxiv_url=server.url)
    cached = sorted(path.name for path in (out / ".cache" / "arxiv").iterdir())
    server.stop()
    monkeypatch.setenv(arxiv_list.ARXIV_URL_ENV, _closed_port_url())
    result = invoke("papers", "1706.03762", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "1. Attention Is All You Need"
    result = invoke("papers", "1706.03762", "1512.03385", "--out", str(out))
    assert result.exit_code == 3 and result.stderr.startswith("error: could not reach arXiv to fetch 1 arXiv ID")
    assert sorted(path.name for path in (out / ".cache" / "arxiv").iterdir()) == cached


def test_endpoint_from_environment(server, monkeypatch):
    monkeypatch.setenv(arxiv_list.ARXIV_URL_ENV, server.url.replace("?{}", ""))
    assert ingest(["1512.03385"]).papers[0].title == "Deep Residual Learning for Image Recognition"
    assert server.requests == [["1512.03385"]]


def test_unknown_id_is_input_error_and_nothing_is_cached(server, tmp_path):
    with pytest.raises(InputError) as info:
        ingest(["2401.99999"], cache_dir=tmp_path, arxiv_url=server.url)
    assert "2401.99999" in info.value.message and info.value.hint
    with pytest.raises(InputError) as info:
        ingest(["1706.03762", "2401.99999", "1512.03385"], cache_dir=tmp_path, arxiv_url=server.url)
    assert info.value.message == "arXiv has no paper with ID 2401.99999"
    assert list(tmp_path.iterdir()) == []


def test_error_feed_names_the_rejected_id(server):
    server.reject = {"2401.88888"}
    with pytest.raises(InputError) as info:
        ingest(["1706.03762", "2401.88888"], arxiv_url=server.url)
    assert info.value.message == "arXiv has no paper with ID 2401.88888"
    assert server.requests[1:] == [["1706.03762"], ["2401.88888"]]  # the batch, then one by one


def test_unreachable_arxiv_is_network_error_naming_ids(tmp_path, server):
    ingest(["1706.03762"], cache_dir=tmp_path, arxiv_url=server.url)
    with pytest.raises(NetworkError) as info:
        ingest(["1706.03762", "1512.03385", "2201.11903"], cache_dir=tmp_path, arxiv_url=_closed_port_url())
    assert info.value.message == "could not reach arXiv to fetch 2 arXiv IDs (1512.03385, 2201.11903)"
    assert "connection" in info.value.hint and "1 other ID came from the cache" in info.value.hint


def test_busy_arxiv_is_retried_then_service_error(server, monkeypatch):
    monkeypatch.setattr(arxiv_list, "RETRIES", 1)
    server.failures = [503]
    assert ingest(["1706.03762"], arxiv_url=server.url).papers[0].id == "1706.03762"
    server.failures = [503, 503]
    with pytest.raises(ServiceError) as info:
        ingest(["1512.03385"], arxiv_url=server.url)
    assert "HTTP 503" in info.value.message and "1512.03385" in info.value.message


def test_bad_lines_in_an_id_list_are_named_before_any_request(server, tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text("1706.03762\n2501.0034\nhttps://arxiv.org/abs/1512.03385\nnot-an-id\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest([str(path)], arxiv_url=server.url)
    assert "line 2 ('2501.0034')" in info.value.message and "line 4 ('not-an-id')" in info.value.message
    assert server.requests == []


def test_bad_arguments_are_named(server):
    with pytest.raises(InputError) as info:
        ingest(["1706.03762", "attention.txt"], arxiv_url=server.url)
    assert "'attention.txt'" in info.value.message
    assert server.requests == []


def test_bad_endpoint_is_config_error():
    with pytest.raises(ConfigError):
        ingest(["1706.03762"], arxiv_url="ftp://example/{}{x}")


def test_damaged_cache_entry_is_fetched_again(server, tmp_path):
    ingest(["1512.03385"], cache_dir=tmp_path, arxiv_url=server.url)
    (tmp_path / "arxiv" / "1512-03385.json").write_text("{not json", encoding="utf-8")
    assert ingest(["1512.03385"], cache_dir=tmp_path, arxiv_url=server.url).papers[0].authors[0] == "Kaiming He"
    assert len(server.requests) == 2
