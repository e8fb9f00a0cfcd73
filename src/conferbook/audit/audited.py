"""Which addresses of the site leave a line in the audit log, and in what words.

One table, read by `AuditMiddleware`: a successful answer to a listed address (by its URL
name) writes one event, with the person, the student and class the address names, and the
few words of `detail`. Opening a student's page or conference screen is STUDENT_OPENED;
every PDF is PRINTED; a file with the class's appointments is EXPORTED.

A test (tests/audit/test_audited_urls.py) walks the URL configuration and fails when a
print address or any PDF is in neither table below, so a new printable cannot escape the
log: it is either audited or set aside here with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from conferbook.audit.models import Event

# The student and class an address is about: (student_id, classroom_id).
Subject = tuple[int | None, int | None]


def _from_kwargs(kwargs: Mapping[str, Any]) -> Subject:
    return kwargs.get("student_id"), kwargs.get("classroom_id")


def _conference(kwargs: Mapping[str, Any]) -> Subject:
    """A conference's student and class (one small query, for the few addresses by a
    conference's id)."""
    model = apps.get_model("conferences", "Conference")
    row = model.objects.filter(pk=kwargs["conference_id"]).values_list("student_id", "classroom_id")
    found = row.first()
    return (found[0], found[1]) if found else (None, None)


def _group_conference(kwargs: Mapping[str, Any]) -> Subject:
    """A small group's conference: its class (several students, so no one student)."""
    model = apps.get_model("conferences", "GroupConference")
    found = model.objects.filter(pk=kwargs["group_conference_id"]).values_list(
        "classroom_id", flat=True
    )
    return None, found.first()


def _photo(kwargs: Mapping[str, Any]) -> Subject:
    """A page photo's student (its image and thumbnail, loaded by the page, are not logged
    again)."""
    model = apps.get_model("goals", "SamplePhoto")
    found = model.objects.filter(pk=kwargs["photo_id"]).values_list("sample__student_id", flat=True)
    return found.first(), None


@dataclass(frozen=True)
class Audited:
    kind: Event.Kind
    detail: str  # the code's own words, never anything typed about a student
    method: str = "GET"
    # Only an answer of this type counts: a PDF address answers its print page again (not
    # a PDF) when a choice is not valid, and then nothing was printed.
    content_type: str = "text/html"
    subject: Callable[[Mapping[str, Any]], Subject] = _from_kwargs


PDF = "application/pdf"
OPENED = Event.Kind.STUDENT_OPENED
PRINTED = Event.Kind.PRINTED

AUDITED: dict[str, Audited] = {
    # A student's records, opened
    "conferences:student": Audited(OPENED, "student page"),
    "conferences:progress": Audited(OPENED, "student's progress picture"),
    "conferences:conference": Audited(OPENED, "conference screen", subject=_conference),
    "goals:photo": Audited(OPENED, "photo of a notebook page", subject=_photo),
    # One student's PDFs
    "printables:student_chart": Audited(PRINTED, "two-column chart PDF", content_type=PDF),
    "printables:student_reports": Audited(PRINTED, "family report PDF", content_type=PDF),
    "printables:student_cards": Audited(PRINTED, "appointment card PDF", content_type=PDF),
    "printables:student_stickers": Audited(PRINTED, "sticker PDF", content_type=PDF),
    "printables:student_strips": Audited(PRINTED, "desk strip PDF", content_type=PDF),
    "printables:student_checklists": Audited(PRINTED, "checklist PDF", content_type=PDF),
    "printables:card": Audited(
        PRINTED, "appointment card PDF", content_type=PDF, subject=_conference
    ),
    "printables:print_card": Audited(
        PRINTED,
        "appointment card PDF, next card on the sheet",
        method="POST",
        content_type=PDF,
        subject=_conference,
    ),
    # A whole class's PDFs
    "printables:class_chart": Audited(PRINTED, "class binder PDF", content_type=PDF),
    "printables:class_reports": Audited(PRINTED, "family reports PDF", content_type=PDF),
    "printables:class_cards": Audited(PRINTED, "appointment cards PDF", content_type=PDF),
    "printables:class_stickers": Audited(PRINTED, "sticker sheet PDF", content_type=PDF),
    "printables:class_strips": Audited(PRINTED, "desk strips PDF", content_type=PDF),
    "printables:class_checklists": Audited(PRINTED, "checklists PDF", content_type=PDF),
    "printables:class_calendar": Audited(PRINTED, "calendar pages PDF", content_type=PDF),
    "printables:class_poster": Audited(PRINTED, "class goals chart PDF", content_type=PDF),
    "printables:class_coverage": Audited(PRINTED, "who has been seen PDF", content_type=PDF),
    "printables:print_group_cards": Audited(
        PRINTED,
        "small group's appointment cards PDF",
        method="POST",
        content_type=PDF,
        subject=_group_conference,
    ),
    # Files that leave the app
    "feeds:download": Audited(
        Event.Kind.EXPORTED, "class calendar file (.ics)", content_type="text/calendar"
    ),
    "audit:export": Audited(Event.Kind.EXPORTED, "audit log (CSV)", content_type="text/csv"),
}

# Print addresses that are deliberately not logged, and why.
NOT_AUDITED: dict[str, str] = {
    "printables:classroom": "the class's print page: choices only, no student's records",
    "printables:student": "a student's print page: choices only; the PDF it makes is logged",
    "printables:paper": "saves the teacher's paper size",
    "printables:new_card_sheet": "notes that a new sheet of card stock is in the printer",
    "feeds:feed": (
        "the calendar feed a calendar program fetches by its secret address, every few "
        "minutes and with no one signed in; turning it on and off is the teacher's choice"
    ),
}
