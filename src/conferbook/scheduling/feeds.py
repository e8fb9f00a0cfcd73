"""Calendar export: a class's appointments as an .ics download and a private subscription.

The subscription address is public by design (a calendar app cannot sign in): its token
is the only secret. Revoking deletes the feed, so the old address answers 404; renewing
gives the class a new token, so the old address answers 404 and the new one works.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from conferbook.accounts.http import TeacherRequest
from conferbook.conferences.models import Conference
from conferbook.roster.models import Classroom
from conferbook.roster.selectors import get_classroom_for
from conferbook.scheduling.ics import calendar_for
from conferbook.scheduling.models import CalendarFeed, new_feed_token
from conferbook.web.http import file_part, named_file

# What a calendar shows: recent appointments for reference, and the coming half year.
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)
FEED_STATUSES = (
    Conference.Status.SCHEDULED,
    Conference.Status.IN_PROGRESS,
    Conference.Status.HELD,
)


def feed_conferences(*, classroom: Classroom) -> QuerySet[Conference]:
    """The class's booked, under-way and held appointments from 30 days ago to 180 ahead.

    Only students now in the class (not archived): a student who left drops out of the feed.
    """
    now = timezone.now()
    return (
        Conference.objects.filter(
            classroom=classroom,
            student__in=classroom.students.filter(archived_at__isnull=True),
            status__in=FEED_STATUSES,
            scheduled_for__gte=now - FEED_PAST,
            scheduled_for__lt=now + FEED_AHEAD,
        )
        .select_related("student")
        .order_by("scheduled_for", "pk")
    )


def _calendar_response(classroom: Classroom) -> HttpResponse:
    body = calendar_for(
        classroom=classroom,
        conferences=feed_conferences(classroom=classroom),
        time_zone=timezone.get_current_timezone_name(),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def download(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's appointments as an .ics file to import into a calendar app once."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    response = _calendar_response(classroom)
    named_file(response, f"{file_part(classroom.name, 'class')}.ics", download=True)
    return response


def subscription(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's private calendar address: shown, created, renewed or revoked."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            create_feed(classroom=classroom)
            messages.success(request, "The private calendar address is ready.")
        elif action == "renew" and renew_feed(classroom=classroom):
            messages.success(
                request, "The calendar has a new address; the old one no longer works."
            )
        elif action == "revoke" and revoke_feed(classroom=classroom):
            messages.success(request, "The calendar address no longer works.")
        return redirect("feeds:subscription", classroom_id=classroom.pk)
    feed = CalendarFeed.objects.filter(classroom=classroom).first()
    address = (
        request.build_absolute_uri(reverse("feeds:feed", kwargs={"token": feed.token}))
        if feed
        else None
    )
    return render(
        request,
        "scheduling/feed.html",
        {"classroom": classroom, "feed": feed, "address": address, "nav": "classes"},
    )


@login_not_required
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription a calendar app fetches, without signing in: the token is the key."""
    found = CalendarFeed.objects.select_related("classroom").filter(token=token).first()
    if found is None:
        raise Http404
    return _calendar_response(found.classroom)


# Writes: one row per class, each a single statement (no transaction needed).


def create_feed(*, classroom: Classroom) -> CalendarFeed:
    """The class's feed, made with a new random token if it has none yet."""
    feed, _ = CalendarFeed.objects.get_or_create(classroom=classroom)
    return feed


def renew_feed(*, classroom: Classroom) -> bool:
    """Give the class's feed a new token; the old address stops working. False if none."""
    return bool(CalendarFeed.objects.filter(classroom=classroom).update(token=new_feed_token()))


def revoke_feed(*, classroom: Classroom) -> bool:
    """Delete the class's feed; its address answers 404 from now on. False if none."""
    deleted, _ = CalendarFeed.objects.filter(classroom=classroom).delete()
    return bool(deleted)
