from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template.loader import render_to_string


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The same page for a missing id and for another teacher's id.
    return HttpResponseNotFound(render_to_string("web/404.html", request=request))


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(render_to_string("web/500.html"))
