"""S2, S3 and S4 of TRUST.md for a school where a class has several readers.

S2, the role matrix: every URL, asked by every role, answers as expected.

Mr Okafor teaches Room 7 with his co-teacher Ms Lee; Mr Park coaches Mr Okafor; Ms Diaz
administers the school and teaches nothing; Ms Rivera teaches another class (tests/walk.py's
`build_school`). Every URL pattern of the site is filled with Room 7's rows and asked for
with GET and POST by each of them and by a visitor without a session. The answer's kind
("ok", "login", "404", "405") must be the one this file expects: `ACCESS` says what each
URL is for, `EXPECTED` what each kind answers each role. A URL missing from `ACCESS`
fails, with a message saying where to add it.

S3: no page, printout or feed shown to the class's teachers or its coach holds a student
of another class. S4: forms posted with extra ownership fields re-parent nothing.

One school is built per module (and per xdist worker), inside a transaction rolled back at
the end; each request runs in a savepoint rolled back after it, so a POST that archives
the class or deletes a goal leaves the next request the same school.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.http import HttpResponse
from pypdf import PdfReader

from conferbook.accounts.models import User
from conferbook.roster.models import Classroom, Student
from tests.walk import (
    ROLES,
    ROUTES,
    Route,
    SchoolWorld,
    World,
    build_school,
    client_as,
    plausible_body,
    request,
    signed_in_cookies,
    snapshot,
    url_for,
)

# The module's school lives in a transaction opened by `school`; each test's own (pytest-
# django's) is a savepoint inside it. The marker also tells pytest-django to set the
# test database up.
pytestmark = pytest.mark.django_db

LOGIN_PATH = "/login/"

# -- what each URL is for ------------------------------------------------------------------
#
# public       reached without a session (signing in, a calendar feed's secret address)
# signed-in    anyone signed in, about themselves (their classes, their library, paper)
# own          a row of the teacher's own goal library: nobody else's, a co-teacher's
#              neither (the library is personal; built-in goals are everyone's)
# class-read   a page about the class that its teachers and the coach of a teacher read
#              (class page, student page and chart, goals board, coverage, printouts)
# class-write  anything else about the class or its students: its teachers only
# admin        the school's settings, accounts and audit log: its administrators only
# erase        deleting a student's data: the class's teachers and the administrator
#
# A URL whose GET and POST are for different people maps to {"GET": kind, "POST": kind}.

ACCESS: dict[str, str | dict[str, str]] = {
    "accounts:account": "signed-in",
    "accounts:account_password": "signed-in",
    "accounts:first_run": "public",
    "accounts:login": "public",
    "accounts:logout": "signed-in",
    "accounts:people": "admin",
    "accounts:person": "admin",
    "accounts:person_add": "admin",
    "accounts:person_administrator": "admin",
    "accounts:person_coaching": "admin",
    "accounts:person_deactivate": "admin",
    "accounts:person_reactivate": "admin",
    "accounts:person_reset": "admin",
    "accounts:person_uncoach": "admin",
    "accounts:school": "admin",
    "accounts:sign_in_link": "public",
    "audit:export": "admin",
    "audit:log": "admin",
    "board:board": "class-read",
    "board:pictures": "class-read",
    "board:group_conference": "class-write",
    "board:group_conference_choose": "class-write",
    "board:group_conference_finish": "class-write",
    "board:group_conference_save": "class-write",
    "board:group_conference_start": "class-write",
    "board:group_create": "class-write",
    "board:group_delete": "class-write",
    "board:group_edit": "class-write",
    "board:groups": "class-write",
    "board:groups_accept": "class-write",
    "board:groups_book": "class-write",
    "board:move": "class-write",
    "board:pair": "class-write",
    "board:partnerships": "class-write",
    "board:partnerships_accept": "class-write",
    "board:split": "class-write",
    "conferences:book": "class-write",
    "conferences:cancel": "class-write",
    "conferences:choose": "class-write",
    "conferences:classroom": "class-read",
    "conferences:conference": "class-write",
    "conferences:finish": "class-write",
    "conferences:save": "class-write",
    "conferences:set_goal": "class-write",
    "conferences:start": "class-write",  # the student and class come in the body
    "conferences:sticker": "class-write",
    "conferences:sticker_collections": "class-read",
    "conferences:strength": "class-write",
    "conferences:student": "class-read",
    "conferences:progress": "class-read",
    "conferences:student_move": "class-write",
    "feeds:download": "class-write",
    "feeds:feed": "public",
    "feeds:subscription": "class-write",
    "goals:class_writing": "class-read",
    "goals:goal_create": "signed-in",
    "goals:goal_edit": "own",
    "goals:goal_hide": "own",
    "goals:kiosk": "class-write",
    "goals:library": "signed-in",
    "goals:mentor_text_create": "signed-in",
    "goals:mentor_text_edit": "own",
    "goals:sample_add": "class-write",
    "goals:sample_photos_add": "class-write",
    "scheduling:terms": "admin",
    "scheduling:term_delete": "admin",
    "goals:sample_transcribe": "class-write",
    "goals:photo": {"GET": "class-read", "POST": "class-write"},
    "goals:photo_image": "class-read",
    "goals:photo_thumbnail": "class-read",
    "goals:photo_remove": "class-write",
    "goals:spot_image": "class-read",
    "goals:spot_remove": "class-write",
    "goals:sample_proposal": "class-write",
    "goals:sample_read": "class-read",
    "goals:self_assessment": "class-write",
    "goals:strategy_create": "own",
    "goals:strategy_edit": "own",
    "goals:strategy_hide": "own",
    "goals:strength_add": "class-write",
    "goals:student_goal_close": "class-write",
    "goals:student_goal_set": "class-write",
    "printables:card": "class-write",  # the card of one conference, printed as it ends
    "printables:class_calendar": "class-read",
    "printables:class_cards": "class-read",
    "printables:class_chart": "class-read",
    "printables:class_checklists": "class-read",
    "printables:class_poster": "class-read",
    "printables:class_coverage": "class-read",
    "printables:class_reports": "class-read",
    "printables:class_stickers": "class-read",
    "printables:class_strips": "class-read",
    "printables:classroom": "class-read",
    "printables:new_card_sheet": "signed-in",
    "printables:paper": "signed-in",
    "printables:print_card": "class-write",
    "printables:print_group_cards": "class-write",
    "printables:student": "class-read",
    "printables:student_cards": "class-read",
    "printables:student_chart": "class-read",
    "printables:student_checklists": "class-read",
    "printables:student_reports": "class-read",
    "printables:student_stickers": "class-read",
    "printables:student_strips": "class-read",
    # GET answers the empty form; a POST names the class it is about.
    "roster:block_answer": {"GET": "signed-in", "POST": "class-write"},
    "roster:classroom_archive": "class-write",
    "roster:classroom_create": "signed-in",
    "roster:classroom_edit": "class-write",
    "roster:co_teacher_add": "class-write",
    "roster:co_teacher_remove": "class-write",
    "roster:home": "signed-in",
    "roster:import": "class-write",
    "roster:import_confirm": "class-write",
    "roster:student_add": "class-write",
    "roster:student_archive": "class-write",
    "roster:student_edit": "class-write",
    "privacy:classroom_export": "class-write",
    "privacy:receipts": "admin",
    "privacy:school_export": "admin",
    "privacy:student_delete": "erase",
    "privacy:student_export": "class-write",
    "privacy:student_records": "class-write",
    "privacy:teacher_export": "signed-in",
    "scheduling:absence_undo": "class-write",
    "scheduling:absent": "class-write",
    "scheduling:coverage": "class-read",
    "scheduling:group_appointment_cancel": "class-write",
    "scheduling:month": "class-write",
    "scheduling:plan": "class-write",
    "scheduling:rhythm": "class-write",
    "scheduling:school_day_delete": "class-write",
    "scheduling:school_days": "class-write",
    "scheduling:school_days_import": "class-write",
    "scheduling:small_group_book": "class-write",
    "scheduling:today": "class-write",
    "scheduling:unavailability_delete": "class-write",
    "scheduling:week": "class-write",
}

_EVERYONE = dict.fromkeys(ROLES, "ok")
_SIGNED_IN = {**_EVERYONE, "anonymous": "login"}
_NOBODY = dict.fromkeys(ROLES, "404") | {"anonymous": "login"}

# kind -> role -> answer, for a method the view takes (any other answers 405 once signed in).
EXPECTED: dict[str, dict[str, str]] = {
    "public": _EVERYONE,
    "signed-in": _SIGNED_IN,
    "own": _NOBODY | {"teacher": "ok"},
    "class-read": _NOBODY | {"teacher": "ok", "co_teacher": "ok", "coach": "ok"},
    "class-write": _NOBODY | {"teacher": "ok", "co_teacher": "ok"},
    "admin": _NOBODY | {"admin": "ok"},
    "erase": _NOBODY | {"teacher": "ok", "co_teacher": "ok", "admin": "ok"},
}

# Cells that differ from their kind for a reason about the request body, not about the role.
EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # The body picks Mr Okafor's own mentor text, which is his alone (the library is
    # personal): his co-teacher is answered like for a missing one.
    ("board:group_conference_choose", "POST", "co_teacher"): "404",
}

METHODS = ["GET", "POST"]


def kind_of(route: Route, method: str) -> str:
    access = ACCESS[route.name]
    return access if isinstance(access, str) else access[method]


def expected(route: Route, method: str, role: str) -> str:
    kind = kind_of(route, method)
    if role == "anonymous" and kind != "public":
        return "login"  # LoginRequiredMiddleware answers before the view looks at the method
    if not route.allows(method):
        return "405"
    return EXCEPTIONS.get((route.name, method, role), EXPECTED[kind][role])


def outcome(response: HttpResponse) -> str:
    """What a person would notice: the page ("ok", a form error included), a redirect to
    sign in, or a refusal."""
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(response["Location"])
        if location.path == LOGIN_PATH and "next" in parse_qs(location.query):
            return "login"
        return "ok"
    if status in (403, 404, 405):
        return str(status)
    if status >= 500:
        return f"server error {status}"
    return "ok"


@pytest.fixture(scope="module")
def school(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[SchoolWorld, dict[str, dict[str, str]]]]:
    """One school for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_school()
        yield built, signed_in_cookies(built.people)
        transaction.set_rollback(True)


def ask(cookies: dict[str, str], method: str, url: str, body: dict[str, Any]) -> HttpResponse:
    """One request in a savepoint rolled back after it: the next one sees the same school."""
    with transaction.atomic():
        response = request(client_as(cookies), method, url, body)
        transaction.set_rollback(True)
    return response


def test_it_knows_what_every_url_is_for():
    missing = sorted(r.name for r in ROUTES if r.name not in ACCESS)
    assert not missing, (
        "Add each of these URL names to ACCESS in tests/test_roles.py, one line each, with "
        f"who may use it (public, signed-in, own, class-read, class-write, admin): {missing}"
    )
    stale = sorted(set(ACCESS) - {r.name for r in ROUTES})
    assert not stale, f"ACCESS in tests/test_roles.py lists URLs that no longer exist: {stale}"
    kinds = {k for a in ACCESS.values() for k in ([a] if isinstance(a, str) else a.values())}
    assert kinds <= set(EXPECTED), f"unknown kinds in ACCESS: {kinds - set(EXPECTED)}"


def test_it_gives_every_role_a_different_answer_somewhere():
    """The matrix can fail: no two roles are expected to be answered alike everywhere."""
    answers = {
        role: [expected(r, m, role) for r in ROUTES if r.name in ACCESS for m in METHODS]
        for role in ROLES
    }
    kinds = {k for a in ACCESS.values() for k in ([a] if isinstance(a, str) else a.values())}
    for i, a in enumerate(ROLES):
        for b in ROLES[i + 1 :]:
            if {a, b} == {"admin", "other_teacher"} and "admin" not in kinds:
                continue  # alike until a URL is the administrator's alone
            assert answers[a] != answers[b], f"{a} and {b} are expected to be answered alike"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_answers_each_role_as_the_matrix_says(route, school):
    if route.name not in ACCESS:
        pytest.fail(f"{route.name} is not in ACCESS in tests/test_roles.py: add one line for it.")
    built, cookies = school
    url = url_for(route, built.world)
    wrong = []
    for method in METHODS:
        for role in ROLES:
            body = plausible_body(route, world=built.world, destination=built.world.other_classroom)
            got = outcome(ask(cookies[role], method, url, body))
            want = expected(route, method, role)
            if got != want:
                wrong.append(f"{method} as {role}: expected {want}, got {got}")
    assert not wrong, f"{route.name} ({url}): " + "; ".join(wrong)


# -- S3: no page, printout or feed shows a student of a class the person may not read ------

READERS = ["teacher", "co_teacher", "coach"]
GET_ROUTES = [r for r in ROUTES if r.allows("GET")]


def text_of(response: HttpResponse) -> str:
    """What a person would read: the page, the feed, or the text of every PDF page."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    if response.get("Content-Type", "").startswith("image/"):
        return ""  # a photo of a page holds no text to read; its view's access is tested
    return body.decode()


def markers_of(world: World) -> list[str]:
    """Words that only Ms Rivera's class holds: her student's names, her class's name."""
    return [world.student.first_name, world.student.last_name, world.classroom.name]


@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
def test_it_shows_no_student_of_a_class_the_reader_may_not_read(route, school):
    built, cookies = school
    url = url_for(route, built.world)
    for role in READERS:
        shown = text_of(ask(cookies[role], "GET", url, {}))
        leaked = [m for m in markers_of(built.other) if m in shown]
        assert not leaked, f"GET {url} as {role} shows Ms Rivera's class: {leaked}"


@pytest.mark.parametrize(
    "name",
    [
        "roster:home",
        "conferences:classroom",
        "conferences:student",
        "conferences:progress",
        "board:board",
        "board:pictures",
        "scheduling:coverage",
        "conferences:sticker_collections",
        "printables:class_chart",
        "printables:class_reports",
        "printables:student_chart",
    ],
)
def test_it_shows_the_coach_the_students_of_the_coached_class(name, school):
    """Control for the test above: the coach's pages do hold the coached class's students,
    so a marker missing there is missing for a reason (PDF text included)."""
    built, cookies = school
    route = next(r for r in ROUTES if r.name == name)
    shown = text_of(ask(cookies["coach"], "GET", url_for(route, built.world), {}))
    wanted = built.world.classroom.name if name == "roster:home" else "Marcus"
    assert wanted in shown, f"{name} as the coach"


# -- S4: ownership fields slipped into a form re-parent nothing ----------------------------

OWNERSHIP_FIELDS = {
    "owner": "teacher",
    "teacher": "teacher",
    "teachers": "teacher",
    "set_by": "teacher",
    "noted_by": "teacher",
    "added_by": "teacher",
    "recorded_by": "teacher",
    "awarded_by": "teacher",
    "user": "teacher",
    "classroom": "classroom",
    "classroom_id": "classroom",
    "student": "student",
    "student_id": "student",
}
OWNED = (User, Classroom, Student)
POST_ROUTES = [r for r in ROUTES if r.allows("POST") and not r.is_public]


def _columns_to_people_classes_and_students() -> dict[str, list[tuple[str, type]]]:
    """For each table, its columns that point at a person, a class or a student."""
    columns: dict[str, list[tuple[str, type]]] = {}
    for model in apps.get_models(include_auto_created=True):
        found = [
            (f.attname, f.related_model)
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in OWNED
        ]
        if model in OWNED:
            found.append(("id", model))
        if found:
            columns[model._meta.label] = found
    return columns


def rows_about(snap: dict[str, list[dict[str, Any]]], ids: dict[type, set[int]]) -> set[str]:
    """Every row, as text, that points at (or is) one of these people, classes or students."""
    columns = _columns_to_people_classes_and_students()
    return {
        f"{label} {sorted(row.items())}"
        for label, rows in snap.items()
        for row in rows
        if any(row[column] in ids[model] for column, model in columns.get(label, []))
    }


@pytest.mark.parametrize("route", POST_ROUTES, ids=str)
def test_it_reparents_nothing_posted_with_ownership_fields(route, school):
    """Mr Okafor posts each form of his class with every ownership field a model has,
    pointing at Ms Rivera, her class and her student: no row comes to point at them, and
    none of theirs changes."""
    built, cookies = school
    other = built.other
    foreign = {"teacher": other.teacher.pk, "classroom": other.classroom.pk}
    foreign["student"] = other.student.pk
    ids: dict[type, set[int]] = {
        User: {other.teacher.pk},
        Classroom: {other.classroom.pk, other.other_classroom.pk},
        Student: {other.student.pk, other.partner.pk},
    }
    url = url_for(route, built.world)
    body = plausible_body(route, world=built.world, destination=built.world.other_classroom)
    body.update({name: str(foreign[kind]) for name, kind in OWNERSHIP_FIELDS.items()})
    with transaction.atomic():
        before = rows_about(snapshot(), ids)
        response = request(client_as(cookies["teacher"]), "POST", url, body)
        after = rows_about(snapshot(), ids)
        transaction.set_rollback(True)
    assert before, "the test sees none of Ms Rivera's rows: it could not notice a change"
    assert response.status_code < 500, f"POST {url}"
    assert after == before, f"POST {url} moved rows to or from Ms Rivera's class: " + "; ".join(
        sorted(after ^ before)
    )
