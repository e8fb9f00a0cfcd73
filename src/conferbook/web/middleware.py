from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Everything the pages need comes from this origin: no CDN, fonts or analytics.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy everywhere; pages with student data are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
        return response


class TrustedProxyMiddleware:
    """Behind the HTTPS proxy named in TRUSTED_PROXIES, the client's address and scheme are
    the ones the proxy forwards (X-Forwarded-For, X-Forwarded-Proto).

    Only a request whose peer address is a trusted proxy is believed; from anyone else both
    headers are removed unread, since anyone can send them: a guesser could otherwise name
    a new address for every try and escape the sign-in lockout. In X-Forwarded-For the
    client is the last address that is not a trusted proxy (earlier ones are the client's
    own claims, which a proxy passes along).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded_for = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        forwarded_proto = request.META.pop("HTTP_X_FORWARDED_PROTO", "")
        proxies = trusted_networks(tuple(settings.TRUSTED_PROXIES))
        if proxies and _within(request.META.get("REMOTE_ADDR", ""), proxies):
            if client := _forwarded_client(forwarded_for, proxies):
                request.META["REMOTE_ADDR"] = client
            # The proxy in front of us writes the last value.
            scheme = forwarded_proto.split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                # WSGIRequest.scheme (and so is_secure()) reads the WSGI environ.
                request.META["wsgi.url_scheme"] = scheme
        return self.get_response(request)


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The proxies setting as networks; a single address is a network of one."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _within(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _forwarded_client(header: str, proxies: Sequence[Network]) -> str | None:
    for entry in reversed([part.strip() for part in header.split(",") if part.strip()]):
        try:
            ip = ipaddress.ip_address(entry)
        except ValueError:
            return None  # not an address we can count on: keep the proxy's own
        if not any(ip in network for network in proxies):
            return str(ip)
    return None


class HeadWithoutBodyMiddleware:
    """A HEAD request gets the headers of GET and no body, as HTTP requires.

    waitress sends whatever body the application returns; a body after a HEAD answer is
    read by the client as the start of its next answer on the same connection.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD":
            if isinstance(response, StreamingHttpResponse):
                response.streaming_content = []  # the file behind it is closed with the response
            else:
                if not response.has_header("Content-Length"):
                    response.headers["Content-Length"] = str(len(response.content))
                response.content = b""
        return response


class CleanInputMiddleware:
    """Every name and value of the query string and of a posted form, as a teacher's text:
    NUL characters (U+0000) removed and every line break written "\n", before any view
    reads them.

    A NUL means nothing in a teacher's text, PostgreSQL cannot store one (the save fails,
    and an autosave retried forever never saves), and dropping it keeps the rest of what
    was typed. A browser sends a textarea's line breaks as "\r\n" when a form is submitted
    and as "\n" from a script: written one way, the text Finish sends matches the text the
    autosave stored. An autosave's new text and the text it replaces are cleaned alike, so
    the compare-and-set still matches what the server holds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            # An upload that broke off is left to the CSRF check, which refuses it.
            with contextlib.suppress(OSError):
                request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _clean(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _cleaned(data: _ImmutableQueryDict) -> _ImmutableQueryDict:
    if not any(
        "\x00" in key or "\r" in key or any("\x00" in v or "\r" in v for v in values)
        for key, values in data.lists()
    ):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        name = _clean(key)
        clean.setlist(name, clean.getlist(name) + [_clean(v) for v in values])
    clean._mutable = False
    return cast("_ImmutableQueryDict", clean)
