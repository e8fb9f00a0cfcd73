"""What the one-on-one and the small-group conference screens do alike, in one place.

Both autosave one text at a time (compare-and-set), finish with the texts as they stand
on screen, book the next meeting (or "not now"), and, when finishing is refused, come back
with everything as typed, the other version of a text changed elsewhere, and the nearest
free time one tap away. Each screen's view passes what differs: its row, its fields and
how its next meeting is booked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from conferbook.conferences.services import StaleEdit

# The name of the button that takes the nearest free time offered after a refusal.
NEAREST = "next_at_nearest"


def autosave(request: HttpRequest, save: Callable[[str, str, str], int]) -> JsonResponse:
    """Save one text of a conference screen: `save(field, value, previous)` returns the
    screen's revision, raises StaleEdit when another tab changed the text, ValueError for
    a field that is not on the screen."""
    field = request.POST.get("field", "")
    try:
        revision = save(field, request.POST.get("value", ""), request.POST.get("previous", ""))
    except ValueError:
        return JsonResponse({"error": "That field cannot be saved here."}, status=400)
    except StaleEdit as stale:
        return JsonResponse(
            {"conflict": True, "field": field, "server_value": stale.server_value}, status=409
        )
    return JsonResponse({"saved": True, "field": field, "revision": revision})


def edits_from(post: QueryDict, names: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """The screen's texts as finished: (text on screen, text last known saved or None)."""
    return {
        name: (str(post.get(name, "")), post.get(f"previous_{name}"))
        for name in names
        if name in post
    }


def with_nearest(post: QueryDict) -> QueryDict:
    """The finish form's data; the nearest free time, when the teacher tapped it, replaces
    the time typed."""
    if not post.get(NEAREST):
        return post
    data = post.copy()
    data["next_at"] = str(data.get(NEAREST, ""))
    data.pop("not_now", None)
    return data


def refused_context(
    context: dict[str, object],
    post: QueryDict,
    *,
    finish_form: object,
    conflicts: Mapping[str, str] | None,
    label: Callable[[str], str],
    nearest: datetime | None = None,
) -> dict[str, object]:
    """The screen's context again after a refused finish: what the screen last knew was
    saved (so finishing again compares with it), the other version of any text changed
    elsewhere (so finishing again keeps what is on screen), and the nearest free time."""
    saved: dict[str, str] = context["saved_texts"]  # type: ignore[assignment]
    for name in saved:
        saved[name] = post.get(f"previous_{name}", saved[name])
    for name, server_value in (conflicts or {}).items():
        saved[name] = server_value
    context["finish_form"] = finish_form
    context["conflict_fields"] = set(conflicts or {})
    context["conflicts"] = [(label(name), text) for name, text in (conflicts or {}).items()]
    context["nearest"] = timezone.localtime(nearest) if nearest else None
    return context


def finished_url(
    classroom_id: int, *, conference: object = None, group_conference: object = None
) -> str:
    """Where finishing lands: today's list, with what was just saved at the top (the card
    to print, the next student one tap away)."""
    url = reverse("scheduling:today", args=[classroom_id])
    if conference is not None:
        return f"{url}?done={conference.pk}"  # type: ignore[attr-defined]
    if group_conference is not None:
        return f"{url}?group_done={group_conference.pk}"  # type: ignore[attr-defined]
    return url
