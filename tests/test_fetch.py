"""fetch.py against a real HTTP server on 127.0.0.1 (pytest-httpserver) and real files."""

from __future__ import annotations

import base64
import gzip
import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from event_bridge.clock import SystemClock
from event_bridge.config.settings import FetchSettings
from event_bridge.errors import FeedTooLarge, FeedUnavailable, FetchError, NotACalendar
from event_bridge.fetch.http import HttpFetcher, _resolve
from event_bridge.fetch.session import USER_AGENT
from event_bridge.model import FeedSource, FeedValidators, FetchResult

FIXTURES = Path(__file__).parent / "fetch_fixtures"
ICS = (FIXTURES / "two-events.ics").read_bytes()
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 14 Jan 2026 10:00:00 GMT"
# Small timeouts and no retries unless a test asks: a failing test must stay fast.
FAST = FetchSettings(connect_timeout=2.0, read_timeout=2.0, deadline_seconds=10.0,
                     max_bytes=1_000_000, retries=0, backoff_factor=0.01, max_retry_after=0.2)

MakeFetcher = Callable[..., HttpFetcher]


@pytest.fixture
def make_fetcher(tmp_path: Path) -> Iterator[MakeFetcher]:
    made: list[HttpFetcher] = []

    def make(env: dict[str, str] | None = None, **overrides: float) -> HttpFetcher:
        settings = FetchSettings(**{**FAST.__dict__, **overrides})
        made.append(HttpFetcher(settings, tmp_path, SystemClock(), env=env or {}))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()


def feed(url: str, auth_env: str = "") -> FeedSource:
    return FeedSource(id="paris-agenda", city="paris", url=url, auth_env=auth_env)


def fails(fetcher: HttpFetcher, source: FeedSource, kind: type[FetchError],
          validators: FeedValidators | None = None) -> FetchError:
    """Fetch, expect ``kind``, and check what every fetch error promises."""
    with pytest.raises(kind) as caught:
        fetcher.fetch(source, validators or FeedValidators())
    error = caught.value
    assert error.feed_id == source.id
    assert "\n" not in str(error)
    return error


def recorder(seen: list[Request], response: Callable[[Request], Response]
             ) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        seen.append(request)
        return response(request)
    return handle


def calendar_response(_: Request) -> Response:
    return Response(ICS, content_type="text/calendar; charset=utf-8",
                    headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED,
                             "Cache-Control": "public, max-age=600"})


# --- conditional GET -------------------------------------------------------------------------

def test_200_returns_body_and_validators(httpserver: HTTPServer,
                                          make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_handler(calendar_response)
    result = make_fetcher().fetch(feed(httpserver.url_for("/feed.ics")), FeedValidators())
    assert (result.status, result.body, result.not_modified) == (200, ICS, False)
    assert result.validators == FeedValidators(ETAG, LAST_MODIFIED,
                                               hashlib.sha256(ICS).hexdigest())
    assert result.refresh_hint_seconds == 600
    assert result.feed_id == "paris-agenda"


def conditional(request: Request) -> Response:
    if request.headers.get("If-None-Match") == ETAG:
        return Response(status=304, headers={"ETag": '"v2"'})
    return calendar_response(request)


def test_second_fetch_is_conditional_and_304_means_unchanged(
        httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    seen: list[Request] = []
    httpserver.expect_request("/feed.ics").respond_with_handler(recorder(seen, conditional))
    fetcher, source = make_fetcher(), feed(httpserver.url_for("/feed.ics"))
    first = fetcher.fetch(source, FeedValidators())
    second = fetcher.fetch(source, first.validators)
    assert seen[1].headers["If-None-Match"] == ETAG
    assert seen[1].headers["If-Modified-Since"] == LAST_MODIFIED
    assert (second.status, second.body, second.not_modified) == (304, None, True)
    # the 304 sent a new ETag: it replaces the old one; the rest is kept
    assert second.validators == FeedValidators('"v2"', LAST_MODIFIED,
                                               first.validators.body_hash)


def test_force_ignores_validators(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    seen: list[Request] = []
    httpserver.expect_request("/feed.ics").respond_with_handler(recorder(seen, conditional))
    old = FeedValidators(ETAG, LAST_MODIFIED, "abc")
    result = make_fetcher().fetch(feed(httpserver.url_for("/feed.ics")), old, force=True)
    assert result.body == ICS
    assert "If-None-Match" not in seen[0].headers
    assert "If-Modified-Since" not in seen[0].headers


# --- URLs and files --------------------------------------------------------------------------

def test_webcal_on_loopback_is_fetched_over_http(httpserver: HTTPServer,
                                                 make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_handler(calendar_response)
    url = httpserver.url_for("/feed.ics").replace("http://", "webcal://")
    assert make_fetcher().fetch(feed(url), FeedValidators()).body == ICS


@pytest.mark.parametrize(("url", "expected"), [
    ("webcal://example.org/cal.ics", "https://example.org/cal.ics"),
    ("WEBCAL://example.org/cal.ics", "https://example.org/cal.ics"),
    ("webcals://localhost/cal.ics", "https://localhost/cal.ics"),
    ("webcal://127.0.0.1:8000/cal.ics", "http://127.0.0.1:8000/cal.ics"),
    ("webcal://[::1]:8000/cal.ics", "http://[::1]:8000/cal.ics"),
])
def test_webcal_is_https_except_on_loopback(url: str, expected: str, tmp_path: Path) -> None:
    assert _resolve(feed(url), tmp_path) == expected


def test_files_by_path_relative_path_and_file_url(tmp_path: Path,
                                                  make_fetcher: MakeFetcher) -> None:
    (tmp_path / "agenda.ics").write_bytes(ICS)
    fetcher = make_fetcher()
    expected = FeedValidators("", "", hashlib.sha256(ICS).hexdigest())
    for url in (str(tmp_path / "agenda.ics"), "agenda.ics", (tmp_path / "agenda.ics").as_uri()):
        result = fetcher.fetch(feed(url), FeedValidators())
        assert (result.body, result.validators, result.status) == (ICS, expected, 200)


def test_missing_file(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    error = fails(make_fetcher(), feed(str(tmp_path / "nope.ics")), FeedUnavailable)
    assert str(error).startswith("file not found: ")
    assert "nope.ics" in str(error)


def test_file_that_is_not_a_calendar(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    (tmp_path / "page.html").write_text("<!DOCTYPE html><html><body>Agenda</body></html>")
    assert "got HTML" in str(fails(make_fetcher(), feed("page.html"), NotACalendar))


def test_bare_vevents_are_accepted_but_a_cut_one_is_not(tmp_path: Path,
                                                       make_fetcher: MakeFetcher) -> None:
    bare = b"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n"
    (tmp_path / "bare.ics").write_bytes(bare)
    (tmp_path / "cut.ics").write_bytes(bare[:30])
    assert make_fetcher().fetch(feed("bare.ics"), FeedValidators()).body == bare
    fails(make_fetcher(), feed("cut.ics"), NotACalendar)


# --- retries ---------------------------------------------------------------------------------

def test_500_then_200_is_retried(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_oneshot_request("/feed.ics").respond_with_data("oops", status=500)
    httpserver.expect_request("/feed.ics").respond_with_handler(calendar_response)
    result = make_fetcher(retries=2).fetch(feed(httpserver.url_for("/feed.ics")),
                                           FeedValidators())
    assert result.body == ICS
    assert len(httpserver.log) == 2


def test_retry_after_is_capped(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_oneshot_request("/feed.ics").respond_with_data(
        "busy", status=503, headers={"Retry-After": "3600"})
    httpserver.expect_request("/feed.ics").respond_with_handler(calendar_response)
    fetcher, source = make_fetcher(retries=2, max_retry_after=0.3), feed(
        httpserver.url_for("/feed.ics"))
    started = time.monotonic()
    result = within(3.0, lambda: fetcher.fetch(source, FeedValidators()))
    assert result.body == ICS
    assert time.monotonic() - started >= 0.25  # it did honour Retry-After, up to the cap


def within(seconds: float, call: Callable[[], FetchResult]) -> FetchResult:
    """Run ``call`` but give up after ``seconds``: a broken cap must fail, not hang."""
    box: dict[str, FetchResult | BaseException] = {}

    def run() -> None:
        try:
            box["result"] = call()
        except BaseException as exc:
            box["result"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still fetching after {seconds} s"
    if isinstance(box["result"], BaseException):
        raise box["result"]
    return box["result"]


def test_retries_exhausted(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data("down", status=503)
    error = fails(make_fetcher(retries=2), feed(httpserver.url_for("/feed.ics")),
                  FeedUnavailable)
    assert "HTTP 503 after 2 retries" in str(error)
    assert error.hint
    assert len(httpserver.log) == 3


def test_deadline_bounds_retries(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data(
        "busy", status=503, headers={"Retry-After": "1"})
    started = time.monotonic()
    error = fails(make_fetcher(retries=10, max_retry_after=1.0, deadline_seconds=0.6),
                  feed(httpserver.url_for("/feed.ics")), FeedUnavailable)
    assert time.monotonic() - started < 2
    assert "took longer than 0.6 s" in str(error)
    assert "HTTP 503" in str(error)


@pytest.mark.parametrize(("status", "words"), [
    (404, "not found"), (410, "not found"), (401, "refused"), (403, "refused"),
    (400, "HTTP 400"),
])
def test_client_errors_fail_at_once(status: int, words: str, httpserver: HTTPServer,
                                    make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data("no", status=status)
    error = fails(make_fetcher(retries=3), feed(httpserver.url_for("/feed.ics")),
                  FeedUnavailable)
    assert words in str(error)
    assert len(httpserver.log) == 1
    if status in (401, 403):
        assert "auth_env" in error.hint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused(make_fetcher: MakeFetcher) -> None:
    url = f"http://127.0.0.1:{free_port()}/feed.ics"
    error = fails(make_fetcher(retries=1), feed(url), FeedUnavailable)
    assert "refused" in str(error)
    assert url in str(error)
    assert "is the server up?" in error.hint


def test_transfer_cut_off(make_fetcher: MakeFetcher) -> None:
    # a raw server: promises 10,000 bytes, sends 200, hangs up (werkzeug would not lie)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def serve() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n"
                                   b"Content-Length: 10000\r\n\r\n" + ICS[:200])

        threading.Thread(target=serve, daemon=True).start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/feed.ics"
        error = fails(make_fetcher(), feed(url), FeedUnavailable)
    assert "was cut off after 200 bytes" in str(error)


def test_redirect_is_followed(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/old.ics").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/feed.ics")})
    httpserver.expect_request("/feed.ics").respond_with_handler(calendar_response)
    result = make_fetcher().fetch(feed(httpserver.url_for("/old.ics")), FeedValidators())
    assert result.body == ICS
    assert result.url == httpserver.url_for("/feed.ics")


# --- what came back --------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "content_type", "words"), [
    (b"<!doctype html><html><body>Agenda</body></html>", "text/html; charset=utf-8",
     "got HTML (Content-Type text/html), not iCalendar; check the feed URL"),
    (b'{"events": []}', "application/json", "got JSON (Content-Type application/json)"),
    (b"", "text/calendar", "empty body"),
    (b"  \r\n", "text/calendar", "empty body"),
    (b"Service\x00 temporarily \x01unavailable, please retry later today", "text/plain",
     "got 'Service temporarily unavailable, please' (Content-Type text/plain)"),
    (ICS[:200], "text/calendar", "truncated: no END:VCALENDAR; the transfer was cut off"),
])
def test_not_a_calendar(body: bytes, content_type: str, words: str, httpserver: HTTPServer,
                        make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data(body, content_type=content_type)
    error = fails(make_fetcher(), feed(httpserver.url_for("/feed.ics")), NotACalendar)
    assert words in str(error)


def test_bom_whitespace_and_lowercase_are_a_calendar(httpserver: HTTPServer,
                                                     make_fetcher: MakeFetcher) -> None:
    body = b"\xef\xbb\xbf\r\n  " + ICS.lower()
    httpserver.expect_request("/feed.ics").respond_with_data(body, content_type="text/html")
    assert make_fetcher().fetch(feed(httpserver.url_for("/feed.ics")),
                                FeedValidators()).body == body


def test_gzip_is_decoded(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    seen: list[Request] = []
    httpserver.expect_request("/feed.ics").respond_with_handler(recorder(seen, lambda _: Response(
        gzip.compress(ICS), headers={"Content-Encoding": "gzip"}, content_type="text/calendar")))
    result = make_fetcher().fetch(feed(httpserver.url_for("/feed.ics")), FeedValidators())
    assert result.body == ICS
    assert "gzip" in seen[0].headers["Accept-Encoding"]


# --- limits ----------------------------------------------------------------------------------

def endless_calendar(chunks: int, pause: float = 0.0) -> Response:
    def stream() -> Iterator[bytes]:
        yield b"BEGIN:VCALENDAR\r\n"
        for _ in range(chunks):
            time.sleep(pause)
            yield b"X-FILLER:" + b"x" * 4000 + b"\r\n"
    return Response(stream(), content_type="text/calendar")  # no Content-Length: streamed


def test_size_cap_while_streaming(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_handler(lambda _: endless_calendar(500))
    error = fails(make_fetcher(max_bytes=50_000), feed(httpserver.url_for("/feed.ics")),
                  FeedTooLarge)
    assert "[fetch] max_bytes = 50000 bytes" in str(error)
    assert "streamed" in str(error)


def test_size_cap_from_content_length(httpserver: HTTPServer,
                                      make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data(ICS + b" " * 60_000)
    error = fails(make_fetcher(max_bytes=50_000), feed(httpserver.url_for("/feed.ics")),
                  FeedTooLarge)
    assert "Content-Length" in str(error)
    assert "[fetch] max_bytes" in str(error)


def test_file_size_cap(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    (tmp_path / "big.ics").write_bytes(ICS + b" " * 60_000)
    assert "max_bytes" in str(fails(make_fetcher(max_bytes=50_000), feed("big.ics"),
                                    FeedTooLarge))


def test_deadline_aborts_a_slow_stream(httpserver: HTTPServer,
                                       make_fetcher: MakeFetcher) -> None:
    # one piece every 0.1 s for 2.5 s: each read is quick, only the deadline can stop it
    httpserver.expect_request("/feed.ics").respond_with_handler(
        lambda _: endless_calendar(25, pause=0.1))
    started = time.monotonic()
    error = fails(make_fetcher(read_timeout=1.0, deadline_seconds=0.5),
                  feed(httpserver.url_for("/feed.ics")), FeedUnavailable)
    assert time.monotonic() - started < 1.5
    assert "took longer than 0.5 s" in str(error)


def test_read_timeout(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.8)
        return calendar_response(request)
    httpserver.expect_request("/feed.ics").respond_with_handler(slow)
    error = fails(make_fetcher(read_timeout=0.3), feed(httpserver.url_for("/feed.ics")),
                  FeedUnavailable)
    assert "no answer from" in str(error)
    assert "is the server up?" in error.hint


# --- headers and credentials -----------------------------------------------------------------

def test_user_agent_and_accept(httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    seen: list[Request] = []
    httpserver.expect_request("/feed.ics").respond_with_handler(
        recorder(seen, calendar_response))
    make_fetcher().fetch(feed(httpserver.url_for("/feed.ics")), FeedValidators())
    assert seen[0].headers["User-Agent"] == USER_AGENT
    assert "event-bridge/" in USER_AGENT
    assert seen[0].headers["Accept"].startswith("text/calendar")
    assert "Authorization" not in seen[0].headers


@pytest.mark.parametrize(("secret", "header"), [
    ("alice:s3cret pass", "Basic " + base64.b64encode(b"alice:s3cret pass").decode()),
    ("Bearer tok-123", "Bearer tok-123"),
    ("tok-456", "Bearer tok-456"),
])
def test_credentials_from_auth_env_reach_the_server(
        secret: str, header: str, httpserver: HTTPServer, make_fetcher: MakeFetcher) -> None:
    seen: list[Request] = []
    httpserver.expect_request("/feed.ics").respond_with_handler(
        recorder(seen, calendar_response))
    fetcher = make_fetcher(env={"PARIS_FEED_AUTH": secret})
    fetcher.fetch(feed(httpserver.url_for("/feed.ics"), "PARIS_FEED_AUTH"), FeedValidators())
    assert seen[0].headers["Authorization"] == header


def test_refused_credentials_stay_secret(httpserver: HTTPServer,
                                         make_fetcher: MakeFetcher) -> None:
    httpserver.expect_request("/feed.ics").respond_with_data("no", status=401)
    fetcher = make_fetcher(env={"PARIS_FEED_AUTH": "alice:s3cret"})
    error = fails(fetcher, feed(httpserver.url_for("/feed.ics"), "PARIS_FEED_AUTH"),
                  FeedUnavailable)
    assert "refused" in str(error)
    assert "PARIS_FEED_AUTH" in error.hint
    assert "s3cret" not in str(error) + error.hint


def test_missing_credentials_variable(httpserver: HTTPServer,
                                      make_fetcher: MakeFetcher) -> None:
    error = fails(make_fetcher(env={}), feed(httpserver.url_for("/feed.ics"),
                                             "PARIS_FEED_AUTH"), FeedUnavailable)
    assert "PARIS_FEED_AUTH" in str(error)
    assert "not set" in str(error)
    assert httpserver.log == []


def test_url_secrets_are_not_shown(make_fetcher: MakeFetcher) -> None:
    url = f"http://127.0.0.1:{free_port()}/private/cal.ics?token=hunter2"
    error = fails(make_fetcher(), feed(url), FeedUnavailable)
    assert "hunter2" not in str(error)
    assert "/private/cal.ics" in str(error)


@pytest.mark.parametrize(("url", "shown"), [
    ("https://calendar.google.com/calendar/ical/a%40group.calendar.google.com/"
     "private-0123456789abcdef0123456789abcdef/basic.ics",
     "https://calendar.google.com/calendar/ical/a%40group.calendar.google.com/private-…/"
     "basic.ics"),
    ("https://user:pw@example.org/feed.ics?token=1#x", "https://example.org/feed.ics?…"),
    ("https://example.org/f/8f14e45fceea167a5a36dedd4bea2543/cal.ics",
     "https://example.org/f/…/cal.ics"),
    ("https://example.org/events/paris-futur-en-seine-2026.ics",
     "https://example.org/events/paris-futur-en-seine-2026.ics"),
    ("http://[oops", "(a malformed URL)"),
])
def test_display_url_redacts_every_secret(url: str, shown: str) -> None:
    from event_bridge.fetch.messages import display_url
    assert display_url(url) == shown


def test_utf16_with_bom_is_a_calendar() -> None:
    from event_bridge.fetch.messages import check_calendar
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    for codec in ("utf-16", "utf-16-be"):
        raw = body.encode(codec)
        if codec == "utf-16-be":
            raw = b"\xfe\xff" + raw
        check_calendar("f", raw, "text/calendar")
