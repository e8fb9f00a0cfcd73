"""The administrator's audit log: the page, filtered, and the same events as a CSV file."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from conferbook.accounts.decorators import administrator_required
from conferbook.audit import selectors
from conferbook.audit.forms import AuditFilterForm, cursor_text, parse_cursor
from conferbook.lib.spreadsheet import safe_cell
from conferbook.web.http import named_file

View = Callable[..., HttpResponse | StreamingHttpResponse]


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET, people=selectors.people(), classrooms=selectors.classrooms()
    )


def _options(form: AuditFilterForm, name: str) -> list[tuple[object, str, bool]]:
    """A select's choices with the one chosen marked, for the template to write quickly."""
    chosen = str(form[name].value() or "")
    return [
        (value, label, str(value) == chosen)
        for value, label in form.fields[name].choices  # type: ignore[attr-defined]
    ]


@require_GET
@administrator_required
def log(request: HttpRequest) -> HttpResponse:
    """Newest first, 50 at a time; "Older" carries on from the last one shown. Filters
    that are not valid are shown with their message, and no events."""
    form = _filter_form(request)
    query = request.GET.copy()
    query.pop("older", None)
    context: dict[str, object] = {
        "form": form,
        "query": query.urlencode(),
        "nav": "audit",
        "short_fields": [form[name] for name in ("student", "since", "until")],
        "long_selects": [(form[name], _options(form, name)) for name in ("person", "classroom")],
    }
    if not form.is_valid():
        return render(request, "audit/log.html", context, status=400)
    filters = form.filters()
    older_than = parse_cursor(request.GET.get("older", ""))
    page = selectors.events_page(filters, older_than=older_than)
    names = selectors.names_for(page.events)
    if page.older is not None:
        query["older"] = cursor_text(page.older)
    context |= {
        "shown": True,
        "filtered": filters.any,
        "deeper": older_than is not None,
        "rows": [
            (event, names.student(event.student_id), names.classroom(event.classroom_id))
            for event in page.events
        ],
        "older_query": query.urlencode() if page.older is not None else None,
    }
    return render(request, "audit/log.html", context)


CSV_HEADER = [
    "When",
    "Who",
    "Person number",
    "What",
    "Student number",
    "Student",
    "Class number",
    "Class",
    "Detail",
    "IP address",
]


class _Line:
    """csv.writer's file: hands back each line it writes."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(events: Any, zone: Any) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event, names in selectors.events_with_names(events):
        yield writer.writerow(
            [
                safe_cell(v)
                for v in [
                    timezone.localtime(event.at, zone).isoformat(timespec="seconds"),
                    event.actor_name,
                    event.actor_id,
                    event.get_kind_display(),
                    event.student_id,
                    names.student(event.student_id),
                    event.classroom_id,
                    names.classroom(event.classroom_id),
                    event.detail,
                    event.ip_address,
                ]
            ]
        )


@require_GET
@administrator_required
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The events the filters choose (all pages), as a CSV file in UTF-8 a spreadsheet
    opens as such; written as it is read, so a million events never sit in memory."""
    form = _filter_form(request)
    if not form.is_valid():
        return log(request)
    events: Any = selectors.filtered_events(form.filters())
    # Written after the view returns, when the school's time zone is no longer active.
    zone = timezone.get_current_timezone()
    response = StreamingHttpResponse(
        _csv_lines(events, zone), content_type="text/csv; charset=utf-8"
    )
    today = timezone.localdate().isoformat()
    named_file(response, f"audit-log-{today}.csv", download=True)
    return response
