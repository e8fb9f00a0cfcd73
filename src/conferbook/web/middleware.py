from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers

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
