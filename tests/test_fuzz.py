"""S13: no input breaks a page (TRUST.md).

Ms Rivera, signed in with a class full of records, sends every URL of the site (walked from
the URL configuration, tests/walk.py) random query parameters and random form values:
Unicode of every kind with NUL and right-to-left marks, 100,000-character strings, huge and
negative numbers, dates in the years 1 and 9999, times like 25:99, empty values, and ids too
large for the database in the address itself, in a school west of UTC and one east of it.
Not one answer is a server error; after each URL's inputs the class's pages still open; and
not one row that is not hers changes (Mr Okafor's, the built-in library), nor does any new
row point at one of Mr Okafor's.

What each view reads from the query string and the form is listed in PARAMETERS; a URL
missing from it fails, so the list grows with the site. Hypothesis runs derandomized (the
same inputs on every run, on SQLite and PostgreSQL alike) with a few dozen requests a URL.
Every distinct server error of a URL is reported together, each with the input that broke
it and the line of our code it broke in.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import conferbook
from conferbook.conferences.models import AUTOSAVED_FIELDS, Conference
from conferbook.conferences.services import start_conference
from conferbook.goals.forms import GoalForm
from conferbook.goals.models import Checklist, GoalCategory
from conferbook.goals.services import record_self_assessment
from conferbook.printables.catalogue import PRINTABLES, blank_form
from conferbook.roster.forms import ClassroomForm
from conferbook.roster.models import Enrollment, Student
from tests.factories import PASSWORD, ConferenceFactory, StudentFactory, library_goal
from tests.helpers import a_coming_monday, make_administrator
from tests.walk import (
    FIELD_FOR_KWARG,
    ROUTES,
    ROW_FOR_KWARG,
    Route,
    World,
    build_world,
    plausible_body,
)

# Requests per URL: about 90 URLs stay near a minute. CONFERBOOK_FUZZ_EXAMPLES=500 searches
# deeper (and differently) when hunting for more.
EXAMPLES = int(os.environ.get("CONFERBOOK_FUZZ_EXAMPLES", "20"))

# What the views read


@dataclass(frozen=True)
class Parameters:
    """The names a view reads from the query string and from a posted form."""

    query: tuple[str, ...] = ()
    form: tuple[str, ...] = ()


# The fields the class, goal and conference forms send, as the forms name them.
CLASS_FIELDS = tuple(ClassroomForm.Meta.fields)
STUDENT_FIELDS = ("first_name", "last_name", "preferred_name", "grade", "school_id")
GOAL_FIELDS = tuple(GoalForm.Meta.fields)
TEXTS = AUTOSAVED_FIELDS
PICKS = ("task_review", "kind", "strength", "student_goal", "strategy", "mentor_text")
GROUP_FORM = ("name", "goal", "strategy", "members")
SCHOOL_FORM = ("school_name", "time_zone", "clock")
MENTOR_TEXT_FORM = ("title", "author", "goal", "notice")
STRENGTH_FORM = ("description", "evidence", "sample", "goal")
AUDIT_FILTERS = ("kind", "person", "student", "classroom", "since", "until")
# A name ending in "*" stands for every field of the form that starts with it (one per
# checklist line, one per group member's text).
PARAMETERS: dict[str, Parameters] = {
    "accounts:first_run": Parameters(
        form=("first_name", "last_name", "username", "password", *SCHOOL_FORM)
    ),
    "accounts:school": Parameters(form=(*SCHOOL_FORM, "retention_days", "confirm")),
    "audit:export": Parameters(query=AUDIT_FILTERS),
    "audit:log": Parameters(query=(*AUDIT_FILTERS, "older")),
    "accounts:login": Parameters(query=("next",), form=("username", "password", "next")),
    "accounts:logout": Parameters(),
    "accounts:sign_in_link": Parameters(form=("password",)),
    "accounts:account": Parameters(form=("first_name", "last_name", "email")),
    "accounts:account_password": Parameters(form=("current_password", "new_password")),
    "accounts:people": Parameters(),
    "accounts:person_add": Parameters(
        form=("first_name", "last_name", "username", "role", "teachers", "email")
    ),
    "accounts:person": Parameters(),
    "accounts:person_deactivate": Parameters(form=("classes_to",)),
    "accounts:person_reactivate": Parameters(),
    "accounts:person_reset": Parameters(form=("email",)),
    "accounts:person_administrator": Parameters(form=("administrator",)),
    "accounts:person_coaching": Parameters(form=("teachers",)),
    "accounts:person_uncoach": Parameters(form=("teacher",)),
    "board:board": Parameters(query=("category", "days", "overdue")),
    "board:pictures": Parameters(),
    "board:group_conference": Parameters(),
    "board:group_conference_choose": Parameters(
        form=("name", "member", "review-*", "strategy", "mentor_text")
    ),
    "board:group_conference_finish": Parameters(
        form=(
            "next_at",
            "not_now",
            "research",
            "compliment",
            "discussed",
            "task",
            "member:*",
            "previous_*",
            "next_at_nearest",
        )
    ),
    "board:group_conference_save": Parameters(form=("field", "value", "previous")),
    "board:group_conference_start": Parameters(),
    "board:group_create": Parameters(query=("goal",), form=GROUP_FORM),
    "board:group_delete": Parameters(),
    "board:group_edit": Parameters(query=("goal",), form=GROUP_FORM),
    "board:groups": Parameters(query=("smallest", "largest")),
    "board:groups_accept": Parameters(form=("suggestion", "smallest", "largest")),
    "board:groups_book": Parameters(),
    "board:move": Parameters(
        query=("from", "to", "next"), form=("from", "goal", "outcome", "next")
    ),
    "board:pair": Parameters(form=("students", "reason")),
    "board:partnerships": Parameters(query=("mode",)),
    "board:partnerships_accept": Parameters(form=("mode", "pair")),
    "board:split": Parameters(),
    "conferences:book": Parameters(form=("at", "classroom")),
    "conferences:cancel": Parameters(form=("next",)),
    "conferences:choose": Parameters(form=("name", *PICKS)),
    "conferences:classroom": Parameters(query=("sort", "next", "card")),
    "conferences:conference": Parameters(),
    "conferences:finish": Parameters(
        form=(
            "next_at",
            "not_now",
            "next_at_nearest",
            *TEXTS,
            *[f"previous_{t}" for t in TEXTS],
            *PICKS,
        )
    ),
    "conferences:save": Parameters(form=("field", "value", "previous")),
    "conferences:set_goal": Parameters(form=("goal", "set_with_student")),
    "conferences:start": Parameters(form=("student", "classroom", "conference_id")),
    "conferences:sticker": Parameters(form=("sticker_goal", "sticker_action")),
    "conferences:sticker_collections": Parameters(query=("sort",)),
    "conferences:strength": Parameters(form=STRENGTH_FORM),
    "conferences:student": Parameters(query=("class",)),
    "conferences:progress": Parameters(query=("class",)),
    "conferences:student_move": Parameters(form=("from_classroom", "to_classroom")),
    "feeds:download": Parameters(),
    "feeds:feed": Parameters(),
    "feeds:subscription": Parameters(form=("action",)),
    "goals:class_writing": Parameters(),
    "goals:goal_create": Parameters(form=GOAL_FIELDS),
    "goals:goal_edit": Parameters(form=GOAL_FIELDS),
    "goals:goal_hide": Parameters(form=("hidden",)),
    "goals:kiosk": Parameters(query=("checklist", "next"), form=("checklist", "next", "item-*")),
    "goals:library": Parameters(query=("hidden",)),
    "goals:mentor_text_create": Parameters(query=("goal",), form=MENTOR_TEXT_FORM),
    "goals:mentor_text_edit": Parameters(query=("goal",), form=MENTOR_TEXT_FORM),
    "goals:sample_add": Parameters(form=("title", "kind", "written_on", "text", "photos")),
    "goals:sample_photos_add": Parameters(form=("photos",)),
    "scheduling:terms": Parameters(form=("name", "starts_on", "ends_on")),
    "scheduling:term_delete": Parameters(),
    "goals:sample_transcribe": Parameters(form=("text",)),
    "goals:photo": Parameters(
        query=("kind",),
        form=("kind", "description", "note", "goal", "left", "top", "width", "height"),
    ),
    "goals:photo_image": Parameters(),
    "goals:photo_thumbnail": Parameters(),
    "goals:photo_remove": Parameters(),
    "goals:spot_image": Parameters(),
    "goals:spot_remove": Parameters(form=("next",)),
    "goals:sample_proposal": Parameters(form=("action", "kind", "goal", "next")),
    "goals:sample_read": Parameters(),
    "goals:self_assessment": Parameters(
        query=("checklist", "next"), form=("checklist", "next", "item-*")
    ),
    "goals:strategy_create": Parameters(form=("name", "steps")),
    "goals:strategy_edit": Parameters(form=("name", "steps")),
    "goals:strategy_hide": Parameters(form=("hidden",)),
    "goals:strength_add": Parameters(query=("evidence", "sample"), form=STRENGTH_FORM),
    "goals:student_goal_close": Parameters(form=("status",)),
    "goals:student_goal_set": Parameters(form=("goal", "set_with_student")),
    "printables:classroom": Parameters(),
    "printables:new_card_sheet": Parameters(form=("next",)),
    "printables:print_card": Parameters(),
    "printables:print_group_cards": Parameters(),
    "printables:paper": Parameters(query=("next",), form=("paper", "next")),
    "printables:student": Parameters(query=("class",)),
    "privacy:classroom_export": Parameters(),
    "privacy:receipts": Parameters(),
    "privacy:school_export": Parameters(),
    "privacy:student_delete": Parameters(form=("full_name",)),
    "privacy:student_export": Parameters(form=("format",)),
    "privacy:student_records": Parameters(form=("kind", "row")),
    "privacy:teacher_export": Parameters(),
    "roster:block_answer": Parameters(form=("expected_students", "classroom", *CLASS_FIELDS)),
    "roster:classroom_archive": Parameters(form=("archived",)),
    "roster:classroom_create": Parameters(form=CLASS_FIELDS),
    "roster:classroom_edit": Parameters(form=CLASS_FIELDS),
    "roster:co_teacher_add": Parameters(form=("person",)),
    "roster:co_teacher_remove": Parameters(form=("person", "confirm")),
    "roster:home": Parameters(),
    "roster:import": Parameters(form=("file",)),
    "roster:import_confirm": Parameters(),
    "roster:student_add": Parameters(form=(*STUDENT_FIELDS, "add_another")),
    "roster:student_archive": Parameters(form=("archived",)),
    "roster:student_edit": Parameters(form=STUDENT_FIELDS),
    "scheduling:absent": Parameters(form=("student",)),
    "scheduling:absence_undo": Parameters(),
    "scheduling:coverage": Parameters(query=("from", "to", "show")),
    "scheduling:group_appointment_cancel": Parameters(),
    "scheduling:month": Parameters(query=("month",)),
    "scheduling:plan": Parameters(form=("start", "school_days")),
    "scheduling:rhythm": Parameters(form=("see_more_often", "weekday", "start", "end", "note")),
    "scheduling:school_day_delete": Parameters(),
    "scheduling:school_days": Parameters(form=("day", "closed", "ends_at", "note")),
    "scheduling:school_days_import": Parameters(form=("file",)),
    "scheduling:small_group_book": Parameters(form=("at",)),
    "scheduling:today": Parameters(query=("done", "group_done")),
    "scheduling:unavailability_delete": Parameters(),
    "scheduling:week": Parameters(query=("start",)),
}
# A PDF's choices are its printable's form (printables/catalogue.py), read from the query;
# a student's print pages also read the class they are printed for.
FROM_PRINT_FORM = "<the printable's form>"


def parameters_of(route: Route) -> Parameters | None:
    if route.is_pdf:
        query = (FROM_PRINT_FORM, "class") if "student_id" in route.kwargs else (FROM_PRINT_FORM,)
        return Parameters(query=query)
    return PARAMETERS.get(route.name)


# Fields that take several values (checkboxes, one hidden input per suggestion).
MANY_VALUES = {
    "writing_days",
    "reading_days",
    "members",
    "students",
    "pair",
    "suggestion",
    "categories",
    "teachers",
}

# Reached without signing in: sent both signed in and signed out.
PUBLIC = {"accounts:login", "accounts:first_run", "accounts:sign_in_link", "feeds:feed"}
# A school west of UTC and one east of it: a date near the ends of what a date can hold is
# then past them in UTC, where the database keeps it.
TIME_ZONES = ["America/New_York", "Asia/Tokyo"]
# The pages that show what the inputs may have saved, opened after each URL's inputs.
READ_BACK = [
    "conferences:classroom",
    "conferences:student",
    "scheduling:today",
    "scheduling:coverage",
    "board:board",
    "board:groups",
    "feeds:download",
    "printables:class_reports",
]

# The inputs


NASTY_DATES = [
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "0000-00-00",
    "2026-02-30",
    "9999-12",
    "0001-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31 23:59",
    "0001-01-01 00:00",
    "9999-12-31T23:59:59.999999",
]
NASTY_TIMES = ["25:99", "24:00", "23:59:60", "-1:00", "00:00", "23:59", "9:7"]
NASTY_NUMBERS = [
    "-1",
    "0",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(-(2**63) - 1),
    str(10**30),
    "1e309",
    "NaN",
    "-inf",
    "١٢",  # Arabic-Indic digits: Python's int() reads them as 12
    "1_000",
]
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "Zoë\x00",
    "\x00" * 3,
    "\u202egnp.exe",
    "\u200f\u200e\u2067",
    "<script>alert(1)</script>",
    "/",
    "//evil.example",
    "dashboard",
    "a" * 100_000,
    "\u202e" * 100_000,
]
HUGE_IDS = [str(2**63), str(2**64), str(10**30)]
text = st.text(st.characters(codec="utf-8"), max_size=30)
numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)
nasty_value = st.one_of(
    st.sampled_from(NASTY_TEXT + NASTY_DATES + NASTY_TIMES + NASTY_NUMBERS), text, numbers
)
# What a field takes, told by the sensible value it has: nasty values of that kind are
# tried most often, others too.
KINDS: list[tuple[re.Pattern[str], st.SearchStrategy[str]]] = [
    (re.compile(r"\d{4}-\d\d(-\d\d)?([T ]\d\d:\d\d)?"), st.sampled_from(NASTY_DATES)),
    (re.compile(r"\d\d:\d\d"), st.sampled_from(NASTY_TIMES)),
    (re.compile(r"-?\d+"), st.one_of(st.sampled_from(NASTY_NUMBERS), numbers)),
]


def nasty_like(sensible: str) -> st.SearchStrategy[str]:
    for shape, values in KINDS:
        if shape.fullmatch(sensible):
            return st.one_of(values, values, nasty_value)
    return st.one_of(st.sampled_from(NASTY_TEXT), nasty_value)


def nasty_file(name: str) -> st.SearchStrategy[SimpleUploadedFile]:
    """A CSV or calendar file with nasty cells, or random bytes."""
    day = st.sampled_from(["99991231", "00010101", "20261224", "20260230", "9999", ""])
    calendar = st.builds(
        lambda start, end, summary: (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            f"DTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:{end}\r\nSUMMARY:{summary}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode(),
        day,
        day,
        nasty_value.map(lambda s: s[:200]),
    )
    roster = st.lists(
        st.lists(nasty_value.map(lambda s: s[:300].replace(",", " ")), min_size=4, max_size=4),
        min_size=1,
        max_size=3,
    ).map(
        lambda rows: (
            "First name,Last name,Grade,Student ID\n" + "\n".join(",".join(r) for r in rows)
        ).encode("utf-8")
    )
    content = st.one_of(calendar, roster, st.binary(max_size=300))
    return content.map(lambda data: SimpleUploadedFile(name, data))


# Ms Rivera's class, full of records


Rows = dict[str, dict[Any, dict[str, Any]]]  # model label -> primary key -> row


@dataclass
class Site:
    """Ms Rivera's rows (she is the one sending the inputs) and what Mr Okafor owns."""

    world: World
    client: Client
    in_progress: Conference
    okafor_rows: Rows
    not_hers: Rows  # Mr Okafor's rows and the built-in library
    plausible: dict[str, Any] = field(default_factory=dict)


# Tables no one teacher owns: sessions and the audit log are written on requests by
# design; the school, and who administers it, an administrator changes.
NOT_OWNED = {"sessions.Session", "audit.Event", "accounts.School", "accounts.School_administrators"}


def _rows() -> Rows:
    """Every row of every table a teacher's rows live in."""
    return {
        model._meta.label: {
            row[model._meta.pk.attname]: row for row in model._default_manager.values()
        }
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in NOT_OWNED
    }


@pytest.fixture
def site(request, db, settings) -> Site:
    settings.TIME_ZONE = TIME_ZONES[0]
    library = _rows()
    request.getfixturevalue("okafor_world")
    okafor_rows = {
        label: {pk: row for pk, row in table.items() if pk not in library[label]}
        for label, table in _rows().items()
    }
    rivera, room12, zoe = (request.getfixturevalue(f) for f in ("rivera", "room12", "zoe"))
    world = build_world(teacher=rivera, classroom=room12, student=zoe)
    # More of what a class holds after a few weeks: more students, a booked conference, a
    # conference under way, a self-assessment.
    for name in ("Ana", "Ben", "Cleo"):
        StudentFactory(first_name=name, classroom=room12)
    ConferenceFactory(
        student=world.partner,
        classroom=room12,
        teacher=rivera,
        status=Conference.Status.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=1),
        started_at=None,
        ended_at=None,
        duration_seconds=None,
    )
    in_progress = start_conference(teacher=rivera, student=zoe, classroom=room12)
    checklist = Checklist.objects.order_by("pk").first()
    assert checklist is not None, "the built-in checklists are missing"
    record_self_assessment(
        teacher=rivera,
        student=zoe,
        checklist=checklist,
        ratings={item.pk: "yes" for item in checklist.items.all()},
        by_student=False,
    )
    client = Client(raise_request_exception=False)
    client.force_login(rivera)
    found = Site(
        world=world,
        client=client,
        in_progress=in_progress,
        okafor_rows=okafor_rows,
        not_hers={label: {**library[label], **okafor_rows[label]} for label in library},
    )
    found.plausible = _plausible_query(found)
    return found


def _plausible_query(site: Site) -> dict[str, Any]:
    """A sensible value for each query parameter, so a random one goes in among sane ones."""
    world = site.world
    category = GoalCategory.objects.order_by("pk").first()
    checklist = Checklist.objects.order_by("pk").first()
    assert category is not None and checklist is not None
    return {
        "start": a_coming_monday().isoformat(),
        "month": timezone.localdate().strftime("%Y-%m"),
        "sort": "days",
        "mode": "complementary",
        "hidden": "1",
        "smallest": "2",
        "largest": "4",
        "category": str(category.pk),
        "days": "new",
        "overdue": "on",
        "next": "/",
        "class": str(world.classroom.pk),
        "card": str(world.conference.pk),
        "checklist": str(checklist.pk),
        "goal": str(world.goal.pk),
        "evidence": "runs like a rocket",
        "sample": str(world.sample.pk),
        "from": str(world.student_goal.pk),
        "to": str(library_goal(1).pk),
        "kind": "student_opened",
        "person": str(world.teacher.pk),
        "student": str(world.student.pk),
        "classroom": str(world.classroom.pk),
        "since": timezone.localdate().isoformat(),
        "until": timezone.localdate().isoformat(),
        "older": "1764917220123456_12",
        "username": "rivera",
        "password": PASSWORD,
    }


def _kwargs(route: Route, site: Site) -> dict[str, Any]:
    kwargs = {
        k: getattr(ROW_FOR_KWARG[k](site.world), FIELD_FOR_KWARG.get(k, "pk")) for k in route.kwargs
    }
    if "conference_id" in kwargs:
        kwargs["conference_id"] = site.in_progress.pk  # the screen as a teacher uses it
    return kwargs


def _expand(names: tuple[str, ...], known: list[str]) -> list[str]:
    """The names, with each "prefix*" replaced by the known names that start with it."""
    found: list[str] = []
    for name in names:
        if name.endswith("*"):
            found += [k for k in known if k.startswith(name[:-1])]
        else:
            found.append(name)
    return found


def _print_form(route: Route, site: Site) -> dict[str, Any]:
    """The fields of a PDF's choice form, with the values it starts with."""
    key = resolve(reverse(route.name, kwargs=_kwargs(route, site))).kwargs.get("key")
    printable = PRINTABLES[key or "cards"]  # a conference's card is its student's "cards"
    world = site.world
    student = None if "classroom_id" in route.kwargs else world.student
    form = blank_form(printable, teacher=world.teacher, classroom=world.classroom, student=student)
    initial = {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}
    return {name: "" if value is None else str(value) for name, value in initial.items()}


def _member_fields(site: Site) -> list[str]:
    members = site.world.group_conference.members.all()
    names = [f"member:{m.pk}:{f}" for m in members for f in ("task", "task_review_note")]
    return [
        *names,
        *[f"previous_{n}" for n in (*TEXTS, *names)],
        *[f"review-{m.pk}" for m in members],
    ]


# Sending them


@dataclass(frozen=True)
class Breakage:
    """A server error: the request that caused it, and where in our code it broke."""

    method: str
    url: str
    sent: dict[str, Any]
    status: int
    error: str
    where: str

    @property
    def kind(self) -> tuple[str, str]:
        return self.error.split(":", 1)[0], self.where

    def __str__(self) -> str:
        shown = {k: _short(v) for k, v in self.sent.items()}
        return (
            f"{self.method} {_short(self.url)} {shown}\n"
            f"    -> {self.status} {self.error}\n    at {self.where}"
        )


def _short(value: Any) -> Any:
    if isinstance(value, list):
        return [_short(v) for v in value]
    if isinstance(value, SimpleUploadedFile):
        return f"<file {value.name}>"
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:12]!r}… ({len(value)} characters)"
    return value


OUR_CODE = str(Path(conferbook.__file__).parent)


def _where(response: HttpResponse) -> tuple[str, str]:
    """The exception and the last line of Conferbook's own code it passed through."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception)", "(unknown)"
    _, error, tb = exc_info
    ours = [f for f in traceback.extract_tb(tb) if f.filename.startswith(OUR_CODE)]
    frame = ours[-1] if ours else traceback.extract_tb(tb)[-1]
    where = f"{Path(frame.filename).relative_to(Path(OUR_CODE).parent)}:{frame.lineno} {frame.line}"
    return f"{type(error).__name__}: {str(error)[:160]}", where


class _Undo(Exception):
    """Rolls back a request that broke, so the next one starts from a working database."""


def _send(client: Client, method: str, url: str, query: dict[str, Any], form: dict[str, Any]):
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, query)
            else:
                response = client.post(f"{url}?{urlencode(query, doseq=True)}", form)
            if response.status_code >= 500:
                raise _Undo(response)
    except _Undo as undo:
        return undo.args[0]
    return response


def _some(names: list[str]) -> st.SearchStrategy[list[str]]:
    """A few of `names`, each at most once."""
    return st.lists(st.sampled_from(names), unique=True) if names else st.just([])


def _url_with(route: Route, kwargs: dict[str, Any], nasty: dict[str, str]) -> str:
    """The route's address with some of its kwargs replaced by nasty text, as typed into the
    address bar (reverse() would refuse what its converters do not match)."""
    values = {k: quote(str(nasty.get(k, v)), safe="") for k, v in kwargs.items()}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route.route)


# Rows that are not hers


def _changes_to(site: Site) -> list[str]:
    """Rows not Ms Rivera's that changed or are gone, and new rows that point at one of
    Mr Okafor's."""
    now = _rows()
    problems = [
        f"{label} {pk} changed or deleted"
        for label, rows in site.not_hers.items()
        for pk, row in rows.items()
        if now[label].get(pk) != row
    ]
    targets = {label: set(rows) for label, rows in site.okafor_rows.items() if rows}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label not in now:
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.ForeignKey):
                continue
            pks = targets.get(f.related_model._meta.label)  # type: ignore[union-attr]
            if not pks:
                continue
            for pk, row in now[label].items():
                if pk not in site.not_hers[label] and row[f.attname] in pks:
                    problems.append(f"new {label} {pk} points at Mr Okafor's row by {f.name}")
    return problems


# The tests


def test_it_knows_the_parameters_of_every_url():
    unknown = sorted(r.name for r in ROUTES if parameters_of(r) is None)
    assert not unknown, (
        "Add what these views read from the query string and the form to PARAMETERS in "
        f"tests/test_fuzz.py: {', '.join(unknown)}"
    )
    stale = sorted(set(PARAMETERS) - {r.name for r in ROUTES})
    assert not stale, f"PARAMETERS lists URLs that no longer exist: {', '.join(stale)}"


def test_it_notices_a_change_to_a_row_that_is_not_hers(site):
    assert _changes_to(site) == []
    marcus = Student.objects.get(first_name="Marcus")
    Student.objects.filter(pk=marcus.pk).update(first_name="Changed")
    Enrollment.objects.create(student=marcus, classroom=site.world.classroom)
    changed = _changes_to(site)
    assert f"roster.Student {marcus.pk} changed or deleted" in changed
    assert any("new roster.Enrollment" in c and "by student" in c for c in changed)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_answers_any_input_without_a_server_error(route, site, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # reported below instead
    params = parameters_of(route)
    assert params is not None, f"{route.name} is missing from PARAMETERS"
    world = site.world
    if route.for_administrators:
        # Saves the school, in the first zone; other URLs keep following TIME_ZONES.
        make_administrator(world.teacher)
    kwargs = _kwargs(route, site)
    url = reverse(route.name, kwargs=kwargs)
    methods = [m for m in ("GET", "POST") if route.allows(m)]
    body = plausible_body(route, world=world, destination=world.other_classroom)
    body.update(site.plausible)
    if route.name == "scheduling:school_days_import":
        body["file"] = SimpleUploadedFile("school.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    if route.name == "board:group_conference_finish":
        body["not_now"] = "on"
    known = list(body)
    if route.name.startswith("board:group_conference"):
        known += _member_fields(site)
    query_names = _expand(params.query, known)
    if FROM_PRINT_FORM in query_names:
        query_names.remove(FROM_PRINT_FORM)
        choices = _print_form(route, site)
        body.update(choices)
        query_names += list(choices)
    form_names = _expand(params.form, known)
    anonymous = Client(raise_request_exception=False)
    found: list[Breakage] = []

    def value_for(name: str) -> st.SearchStrategy[Any]:
        one = nasty_value
        sensible = body.get(name)
        if isinstance(sensible, list):
            sensible = sensible[0] if sensible else None
        if sensible is not None and not isinstance(sensible, SimpleUploadedFile):
            one = nasty_like(str(sensible))
        if name == "file":
            return nasty_file("upload.ics" if "school" in route.name else "class.csv")
        if name in MANY_VALUES:
            return st.lists(one, max_size=3)
        return one

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def send_random_input(data: st.DataObject) -> None:
        method = data.draw(st.sampled_from(methods), label="method")
        where = url
        if route.kwargs and data.draw(st.integers(0, 9), label="nasty address") == 0:
            nasty = {
                k: data.draw(st.one_of(st.sampled_from(HUGE_IDS), nasty_value), label=k)
                for k in data.draw(_some(list(route.kwargs)), label="kwargs")
            }
            where = _url_with(route, kwargs, nasty)
        client = site.client
        if route.name in PUBLIC and data.draw(st.booleans(), label="signed out"):
            client = anonymous
        names = data.draw(_some(query_names), label="query")
        query = {
            n: data.draw(value_for(n), label=n) if data.draw(st.booleans()) else body.get(n, "")
            for n in names
        }
        form = dict(body)
        if method == "POST":
            for n in data.draw(_some(form_names), label="form"):
                form[n] = data.draw(value_for(n), label=n)
        sent = (
            query if method == "GET" else {**query, **{n: form[n] for n in form_names if n in form}}
        )
        time_zone = data.draw(st.sampled_from(TIME_ZONES), label="time zone")
        with override_settings(TIME_ZONE=time_zone):
            response = _send(client, method, where, query, form)
        if response.status_code >= 500:
            error, line = _where(response)
            found.append(Breakage(method, where, sent, response.status_code, error, line))

    send_random_input()
    if route.allows("POST"):
        # Whatever those inputs saved, the class's pages still open.
        for page in READ_BACK:
            shown = reverse(page, kwargs=_kwargs(next(r for r in ROUTES if r.name == page), site))
            response = _send(site.client, "GET", shown, {}, {})
            if response.status_code >= 500:
                error, line = _where(response)
                found.append(Breakage("GET", shown, {"after": route.name}, 500, error, line))

    distinct: dict[tuple[str, str], Breakage] = {}
    for broke in found:
        distinct.setdefault(broke.kind, broke)
    assert not distinct, (
        f"{len(found)} server errors on {route.name}, {len(distinct)} distinct:\n"
        + "\n".join(f"  {b}" for b in distinct.values())
    )
    changed = _changes_to(site)
    assert not changed, f"Rows not Ms Rivera's changed: {changed}"
