"""The site's URL configuration, walked, and one teacher's rows to fill the ids it takes.

Shared by the tests that visit every URL (tests/test_privacy.py, tests/test_fuzz.py): a
new URL is covered the day it is added, and a URL taking an id these helpers cannot fill
fails those tests until `ROW_FOR_KWARG` knows which row fills it.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.audit.models import Event
from conferbook.calendar.models import SchoolDay, Term, Unavailability
from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
from conferbook.conferences.services import start_group_conference
from conferbook.goals.models import (
    Checklist,
    Goal,
    GoalCategory,
    MentorText,
    PageSpot,
    SamplePhoto,
    Strategy,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.goals.services import mark_spot
from conferbook.groups.models import Partnership, SmallGroup
from conferbook.groups.services import PartnershipToSave, save_partnerships
from conferbook.lib.photos import Box
from conferbook.roster.models import Classroom, Student
from conferbook.scheduling.models import Absence, CalendarFeed, GroupAppointment
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    EarnedStickerFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    WritingSampleFactory,
    add_photo,
    library_goal,
)
from tests.helpers import a_coming_weekday

# The URL configuration, walked


@dataclass(frozen=True)
class Route:
    """One URL pattern of the site, with its namespaced name and the kwargs it takes."""

    name: str
    route: str
    kwargs: dict[str, str]  # kwarg name -> converter ("int", "uuid", or another type)
    callback: Callable[..., HttpResponse] = field(compare=False)

    @property
    def allowed_methods(self) -> list[str] | None:
        """The methods a `require_http_methods` decorator (e.g. require_POST) allows, if any."""
        try:
            closure = inspect.getclosurevars(self.callback).nonlocals
        except TypeError:
            return None
        methods = closure.get("request_method_list")
        return list(methods) if methods is not None else None

    @property
    def is_public(self) -> bool:
        """Opted out of sign-in (login_not_required): reached by a secret token, not an id."""
        return getattr(self.callback, "login_required", True) is False

    @property
    def for_administrators(self) -> bool:
        """Only the school's administrators get it (others get 404): walk it as one."""
        return getattr(self.callback, "for_administrators", False) is True

    @property
    def is_pdf(self) -> bool:
        return str(self.route).endswith(".pdf")

    def allows(self, method: str) -> bool:
        allowed = self.allowed_methods
        return allowed is None or method in allowed

    def __str__(self) -> str:
        return self.name


def _converter_name(converter: object) -> str:
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, UUIDConverter):
        return "uuid"
    return type(converter).__name__


def _kwargs_of(pattern: Any) -> dict[str, str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and converters:
        return {name: _converter_name(c) for name, c in converters.items()}
    # re_path(): named groups are kwargs too.
    return {name: "regex" for name in pattern.regex.groupindex}


def iter_routes(
    patterns: list[Any] | None = None,
    *,
    prefix: str = "",
    namespace: str = "",
    kwargs: dict[str, str] | None = None,
) -> Iterator[Route]:
    """Every URL pattern, recursively through include()s, with the kwargs of its whole path."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        here = {**(kwargs or {}), **_kwargs_of(entry.pattern)}
        if isinstance(entry, URLResolver):
            inner_namespace = namespace
            if entry.namespace:
                inner_namespace = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(
                entry.url_patterns,
                prefix=prefix + str(entry.pattern),
                namespace=inner_namespace,
                kwargs=here,
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield Route(
                name=name, route=prefix + str(entry.pattern), kwargs=here, callback=entry.callback
            )


ROUTES = sorted(iter_routes(), key=lambda r: r.name)
# A public URL's kwarg is a secret (a calendar feed's token) that works for whoever holds
# it, so "another teacher gets 404" does not apply; tests/scheduling/test_ics.py covers it.
ID_ROUTES = [r for r in ROUTES if r.kwargs and not r.is_public]


# Mr Okafor's rows, one for every kind of id a URL can take


@dataclass
class World:
    """Everything one teacher owns: a class, a student, and every row about that student."""

    teacher: User
    classroom: Classroom
    other_classroom: Classroom
    student: Student
    goal: Goal
    strategy: Strategy
    mentor_text: MentorText
    student_goal: StudentGoal
    sample: WritingSample
    strength: Strength
    photo: SamplePhoto
    spot: PageSpot
    term: Term
    conference: Conference
    earned_sticker: EarnedSticker
    school_day: SchoolDay
    unavailability: Unavailability
    small_group: SmallGroup
    group_appointment: GroupAppointment
    feed: CalendarFeed
    partner: Student
    group_conference: GroupConference
    partnership: Partnership
    absence: Absence


def build_world(*, teacher: User, classroom: Classroom, student: Student) -> World:
    """Give `teacher` one of every row an id can point at, about `student` in `classroom`."""
    category = GoalCategory.objects.filter(owner=None).order_by("pk").first()
    assert category is not None, "the built-in goal library is missing"
    goal = Goal.objects.create(
        owner=teacher,
        category=category,
        name=f"{teacher.last_name}'s own goal",
        student_words="I can use my own goal",
    )
    strategy = Strategy.objects.create(
        owner=teacher, goal=goal, name=f"{teacher.last_name}'s own strategy", steps="One\nTwo"
    )
    mentor_text = MentorText.objects.create(
        owner=teacher, goal=goal, title=f"{teacher.last_name}'s mentor text", notice="Leads"
    )
    student_goal = StudentGoalFactory(student=student, goal=library_goal(0), set_by=teacher)
    sample = WritingSampleFactory(student=student, added_by=teacher)
    strength = StrengthFactory(student=student, sample=sample, noted_by=teacher)
    photo = add_photo(sample, by=teacher)
    spot = mark_spot(
        teacher=teacher,
        photo=photo,
        box=Box(10, 10, 200, 80),
        kind=PageSpot.Kind.LIFT,
        note="Could show the dog's thoughts here",
    )
    conference = ConferenceFactory(
        student=student,
        classroom=classroom,
        teacher=teacher,
        student_goal=student_goal,
        strategy=strategy,
        strength=strength,
        mentor_text=mentor_text,
    )
    partner = StudentFactory(first_name=f"{student.first_name}'s partner", classroom=classroom)
    StudentGoalFactory(student=partner, goal=library_goal(0), set_by=teacher)
    group = SmallGroup.objects.create(classroom=classroom, name="Readers", goal=library_goal(0))
    group.members.set([student, partner])
    partnership = save_partnerships(
        classroom=classroom,
        partnerships=[PartnershipToSave(members=[student, partner], basis="same_goal", reason="")],
        replace=False,
    )[0]
    return World(
        teacher=teacher,
        classroom=classroom,
        other_classroom=ClassroomFactory(name=f"{classroom.name} reading", teachers=[teacher]),
        student=student,
        goal=goal,
        strategy=strategy,
        mentor_text=mentor_text,
        student_goal=student_goal,
        sample=sample,
        strength=strength,
        photo=photo,
        spot=spot,
        term=Term.objects.create(
            name=f"{teacher.last_name}'s term",
            starts_on=timezone.localdate() + timedelta(days=400 + teacher.pk * 10),
            ends_on=timezone.localdate() + timedelta(days=405 + teacher.pk * 10),
        ),
        conference=conference,
        earned_sticker=EarnedStickerFactory(conference=conference, awarded_by=teacher),
        feed=CalendarFeed.objects.create(classroom=classroom),
        school_day=SchoolDay.objects.create(
            classroom=classroom, day=timezone.localdate() + timedelta(days=40)
        ),
        small_group=group,
        partner=partner,
        group_conference=start_group_conference(teacher=teacher, group=group),
        partnership=partnership,
        group_appointment=GroupAppointment.objects.create(
            group=group, scheduled_for=timezone.now() + timedelta(days=2)
        ),
        unavailability=Unavailability.objects.create(
            classroom=classroom, student=student, weekday=1, start=time(10, 0), end=time(10, 30)
        ),
        absence=Absence.objects.create(
            classroom=classroom,
            student=student,
            missed=Conference.objects.create(
                classroom=classroom,
                student=student,
                status=Conference.Status.MISSED,
                scheduled_for=timezone.now(),
            ),
        ),
    )


# How to fill each kwarg with the owner's row. A URL taking a kwarg missing here fails.
ROW_FOR_KWARG: dict[str, Callable[[World], models.Model]] = {
    "classroom_id": lambda w: w.classroom,
    "student_id": lambda w: w.student,
    "conference_id": lambda w: w.conference,
    # The teacher's own goal and strategy: built-in ones are everyone's by design.
    "goal_id": lambda w: w.goal,
    "strategy_id": lambda w: w.strategy,
    "mentor_text_id": lambda w: w.mentor_text,
    "student_goal_id": lambda w: w.student_goal,
    "strength_id": lambda w: w.strength,
    "sample_id": lambda w: w.sample,
    "writing_sample_id": lambda w: w.sample,
    "photo_id": lambda w: w.photo,
    "spot_id": lambda w: w.spot,
    # A school term: the school's administrators only.
    "term_id": lambda w: w.term,
    "school_day_id": lambda w: w.school_day,
    "unavailability_id": lambda w: w.unavailability,
    "group_id": lambda w: w.small_group,
    "appointment_id": lambda w: w.group_appointment,
    "group_conference_id": lambda w: w.group_conference,
    "partnership_id": lambda w: w.partnership,
    "token": lambda w: w.feed,
    "absence_id": lambda w: w.absence,
    # A person on the People pages: only an administrator of the school opens them.
    "user_id": lambda w: w.teacher,
}
# The field of that row the URL carries, when it is not the primary key.
FIELD_FOR_KWARG = {"token": "token"}

MISSING_INT = 999999


def unknown_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if k not in ROW_FOR_KWARG]


def fail_on_unknown_kwargs(route: Route) -> None:
    if unknown := unknown_kwargs(route):
        pytest.fail(
            f"{route.name} (/{route.route}) takes {', '.join(unknown)}, which the privacy "
            "tests do not know how to fill: add a factory for the owner's row to "
            "ROW_FOR_KWARG in tests/walk.py."
        )


def url_for(route: Route, world: World) -> str:
    fail_on_unknown_kwargs(route)
    return reverse(
        route.name,
        kwargs={
            k: getattr(ROW_FOR_KWARG[k](world), FIELD_FOR_KWARG.get(k, "pk")) for k in route.kwargs
        },
    )


def missing_url_for(route: Route) -> str:
    """The same URL with ids that exist nowhere."""
    fail_on_unknown_kwargs(route)
    return reverse(
        route.name,
        kwargs={k: uuid.uuid4() if v == "uuid" else MISSING_INT for k, v in route.kwargs.items()},
    )


# Form bodies that would change things if a view accepted them

# Views whose form fields share a name with another view's, with a different meaning.
BODY_OVERRIDES: dict[str, dict[str, Any]] = {
    "goals:sample_add": {"kind": "notebook"},
    "conferences:choose": {"name": "kind", "kind": "reading"},
}


def plausible_body(route: Route, *, world: World, destination: Classroom) -> dict[str, Any]:
    """A POST body every form of the site accepts, aimed at `world`'s rows.

    `destination` is where a move sends the student: the asker's own class, for an attack.
    """
    at = datetime.combine(a_coming_weekday(3), time(10, 45))  # not in the time away above
    body: dict[str, Any] = {
        # classes
        "name": "Changed by a POST",
        "writing_days": ["0", "2"],
        "block_start": "09:00",
        "block_end": "10:00",
        "mini_lesson_minutes": "10",
        "conference_minutes": "5",
        "archived": "1",
        # students
        "first_name": "Changed",
        "last_name": "Changed",
        "preferred_name": "Changed",
        "grade": "5",
        "school_id": "CHANGED-1",
        "from_classroom": str(world.classroom.pk),
        "to_classroom": str(destination.pk),
        "file": SimpleUploadedFile(
            "class.csv", b"First name,Last name\nMallory,Changed\n", content_type="text/csv"
        ),
        # the library
        "hidden": "1",
        "category": str(world.goal.category_id),
        "student_words": "I can change things",
        "checklist_item": "Changed",
        "clue_words": "Changed",
        "grade_low": "0",
        "grade_high": "8",
        "steps": "Changed step",
        "title": "Changed title",
        "author": "Changed author",
        "notice": "Changed notice",
        "goal": str(library_goal(1).pk),
        "set_with_student": "on",
        "status": StudentGoal.Status.MET,
        # what is learned about the student
        "written_on": timezone.localdate().isoformat(),
        "text": "Changed writing",
        "description": "Changed strength",
        "evidence": "Changed evidence",
        # conferences and appointments
        "at": at.strftime("%Y-%m-%dT%H:%M"),
        "classroom": str(world.classroom.pk),
        "field": "discussed",
        "value": "Changed by a POST",
        "previous": world.conference.discussed,
        "discussed": "Changed by a POST",
        "task": "Changed task",
        "not_now": "on",
        # a class's teachers (adding the owner again, or taking them off unconfirmed)
        "person": str(world.teacher.pk),
    }
    body.update(BODY_OVERRIDES.get(route.name, {}))
    if route.name in ("scheduling:absent", "conferences:start"):
        body["student"] = str(world.student.pk)
    if route.name == "conferences:sticker":
        # Take back the sticker the student earned: a foreign request must not remove it.
        body.update(
            {"sticker_goal": str(world.earned_sticker.goal_id), "sticker_action": "take_back"}
        )
    if route.name == "scheduling:plan":
        body.update({"start": timezone.localdate().isoformat(), "school_days": "5"})
    pair = [str(world.student.pk), str(world.partner.pk)]
    if route.name == "board:move":
        body["outcome"] = "add"  # a second goal beside the one the student works on
    if route.name in ("board:group_create", "board:group_edit"):
        body.update({"members": pair, "goal": str(library_goal(0).pk)})
    if route.name == "board:groups_accept":
        body["suggestion"] = f"{library_goal(0).pk}:{','.join(pair)}:1/1"
    if route.name == "board:partnerships_accept":
        body["pair"] = ",".join(pair)
    if route.name == "board:pair":
        body["students"] = pair
    if route.name == "board:group_conference_choose":
        body.update({"name": "mentor_text", "mentor_text": str(world.mentor_text.pk)})
    if route.name == "board:group_conference_save":
        body["previous"] = world.group_conference.discussed
    if route.name in ("goals:self_assessment", "goals:kiosk"):
        checklist = Checklist.objects.order_by("pk").first()
        assert checklist is not None, "the built-in checklists are missing"
        body["checklist"] = str(checklist.pk)
        body.update({f"item-{item.pk}": "yes" for item in checklist.items.all()})
    return body


# What the database holds


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but sessions (saved on every request by design) and the
    audit log (which records pages opened by design; tests/audit checks what it writes)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model not in (Session, Event)
    }


def assert_unchanged(before: dict[str, list[dict[str, Any]]], after: dict[str, Any]) -> None:
    changed = {
        label: f"{len(rows)} rows before, {len(after[label])} after"
        for label, rows in before.items()
        if rows != after[label]
    }
    assert not changed, f"rows changed: {changed}"


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*')


def page(response: HttpResponse) -> str:
    """The body, with the per-response masked CSRF token (random by design) blanked out."""
    return _TOKEN.sub(r"\1<token>", response.content.decode())


def request(client: Client, method: str, url: str, data: dict[str, Any] | None = None):
    if method == "POST":
        return client.post(url, data or {})
    return getattr(client, method.lower())(url)


# A school: one class seen by every role (tests/test_roles.py S2, tests/test_privacy.py S3, S4)

ROLES = ["teacher", "co_teacher", "coach", "admin", "other_teacher", "anonymous"]


@dataclass
class SchoolWorld:
    """Mr Okafor's class (`world`) and everyone who might ask for it.

    teacher        Mr Okafor, who teaches Room 7
    co_teacher     Ms Lee, whom he added to Room 7
    coach          Mr Park, the literacy coach assigned to Mr Okafor
    admin          Ms Diaz, the school's administrator, who teaches nothing
    other_teacher  Ms Rivera, who teaches Willowmere Room (`other`); Mr Park does not coach her
    """

    world: World
    other: World
    people: dict[str, User | None]


def build_school() -> SchoolWorld:
    """Everyone of ROLES, and one of every row in Room 7 and in Ms Rivera's class."""
    from conferbook.accounts.models import CoachAssignment, School
    from tests.factories import TeacherFactory

    okafor = TeacherFactory(username="okafor", first_name="Ben", last_name="Okafor")
    lee = TeacherFactory(username="lee", first_name="Mia", last_name="Lee")
    park = TeacherFactory(username="park", first_name="Sam", last_name="Park")
    diaz = TeacherFactory(username="diaz", first_name="Rosa", last_name="Diaz")
    rivera = TeacherFactory(username="rivera", first_name="Ana", last_name="Rivera")
    room7 = ClassroomFactory(name="Room 7", teachers=[okafor, lee])
    room12 = ClassroomFactory(name="Willowmere Room", teachers=[rivera])
    world = build_world(
        teacher=okafor,
        classroom=room7,
        student=StudentFactory(first_name="Marcus", last_name="Bright", classroom=room7),
    )
    other = build_world(
        teacher=rivera,
        classroom=room12,
        student=StudentFactory(first_name="Quillon", last_name="Zephyrine", classroom=room12),
    )
    CoachAssignment.objects.create(coach=park, teacher=okafor)
    school = School.objects.order_by("pk").first() or School.objects.create(
        name="Hillside", time_zone="America/Chicago"
    )
    school.administrators.add(diaz)
    people: dict[str, User | None] = {
        "teacher": okafor,
        "co_teacher": lee,
        "coach": park,
        "admin": diaz,
        "other_teacher": rivera,
        "anonymous": None,
    }
    return SchoolWorld(world=world, other=other, people=people)


def signed_in_cookies(people: dict[str, User | None]) -> dict[str, dict[str, str]]:
    """A session cookie per signed-in person, to give each request a fresh Client."""
    cookies: dict[str, dict[str, str]] = {}
    for role, person in people.items():
        client = Client()
        if person is not None:
            client.force_login(person)
        cookies[role] = {name: morsel.value for name, morsel in client.cookies.items()}
    return cookies


def client_as(cookies: dict[str, str]) -> Client:
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client
