from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import escape

from bare.models import Greeting


def hello(request: HttpRequest) -> HttpResponse:
    """One query: the greeting, on a small page."""
    greeting = Greeting.objects.get(pk=1)
    return HttpResponse(f"<!doctype html><title>Bare</title><p>{escape(greeting.text)}</p>")


urlpatterns = [path("", hello)]
