"""A teacher types at tablet pace into every text of both conference screens, on a quick
and on a slow network: no false "changed in another tab" box ever shows, the server ends
with every word, and the save status never says "All changes saved" when it is not true.

These runs are long (30 s of typing each), so they share one xdist group: `--dist loadgroup`
runs them one after another on one worker while the other tests run beside them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from conferbook.conferences.models import (
    AUTOSAVED_FIELDS,
    GROUP_AUTOSAVED_FIELDS,
    MEMBER_AUTOSAVED_FIELDS,
    Conference,
    GroupConference,
)
from conferbook.conferences.services import (
    member_field,
    start_conference,
    start_group_conference,
)
from conferbook.groups.models import SmallGroup
from tests.browser.autosave_helpers import (
    Teacher,
    slow_network,
    watch_conflict_boxes,
    watch_saves,
)
from tests.factories import ConferenceFactory, StudentFactory, StudentGoalFactory, library_goal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("typing-pace"),
]

SECONDS = 30  # of typing on each screen, for each network delay

# The save status and every text on the screen, read at the same moment.
LOOK = """() => [
  document.querySelector('[data-save-status]').dataset.state,
  Object.fromEntries(
    [...document.querySelectorAll('#conference-form [data-autosave]')].map(e => [e.name, e.value])
  ),
]"""


@dataclass
class Screen:
    path: str
    fields: list[str]  # every text the screen shows, as the page names it
    server: Callable[[], dict[str, str]]  # what the server holds for each of them


@pytest.fixture
def one_on_one(rivera, room12, zoe) -> Screen:
    # A conference last week, so the screen also asks how its task went.
    ConferenceFactory(student=zoe, classroom=room12, teacher=rivera)
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)

    def server() -> dict[str, str]:
        row = Conference.objects.get(pk=conference.pk)
        return {name: getattr(row, name) for name in AUTOSAVED_FIELDS}

    return Screen(f"/conferences/{conference.pk}/", list(AUTOSAVED_FIELDS), server)


@pytest.fixture
def small_group(rivera, room12) -> Screen:
    goal = library_goal(3)
    students = [StudentFactory(first_name=name, classroom=room12) for name in ("Ana", "Ben")]
    for student in students:
        StudentGoalFactory(student=student, goal=goal)
        # A conference last week, so the screen asks how each member's task went.
        ConferenceFactory(student=student, classroom=room12, teacher=rivera)
    group = SmallGroup.objects.create(classroom=room12, name="Dialogue group", goal=goal)
    group.members.set(students)
    meeting = start_group_conference(teacher=rivera, group=group)
    members = list(meeting.members.all())

    def server() -> dict[str, str]:
        row = GroupConference.objects.get(pk=meeting.pk)
        texts = {name: getattr(row, name) for name in GROUP_AUTOSAVED_FIELDS}
        for member in Conference.objects.filter(group_conference=meeting):
            for name in MEMBER_AUTOSAVED_FIELDS:
                texts[member_field(member, name)] = getattr(member, name)
        return texts

    fields = list(GROUP_AUTOSAVED_FIELDS) + [
        member_field(member, name) for member in members for name in MEMBER_AUTOSAVED_FIELDS
    ]
    return Screen(f"/group-conferences/{meeting.pk}/", fields, server)


@pytest.mark.parametrize("latency", [0, 150, 400])
@pytest.mark.parametrize("screen_name", ["one_on_one", "small_group"])
def test_it_saves_every_word_typed_at_tablet_pace_without_false_conflicts(
    signed_in, live_server, request, screen_name, latency, shots
):
    screen: Screen = request.getfixturevalue(screen_name)
    page = signed_in
    boxes = watch_conflict_boxes(page.context)
    saves = watch_saves(page)
    page.goto(live_server.url + screen.path)
    slow_network(page, latency)
    texts = page.evaluate(LOOK)[1]
    assert sorted(texts) == sorted(screen.fields)  # every text field of the screen gets typing
    honest_looks = []

    def look() -> None:
        assert not boxes, f"A conflict box appeared while one tab was typing: {boxes}"
        state, texts = page.evaluate(LOOK)
        if state == "saved":
            assert texts == screen.server(), "'All changes saved' while the server differs"
            honest_looks.append(texts)

    teacher = Teacher(page, random.Random(f"{screen_name}-{latency}"), check=look)
    teacher.type_for(screen.fields, SECONDS)
    page.locator("[data-save-status][data-state=saved]").wait_for(timeout=20_000)
    shots(page, "typed")

    assert not boxes, f"A conflict box appeared while one tab was typing: {boxes}"
    assert page.evaluate(LOOK)[1] == teacher.typed
    assert screen.server() == teacher.typed
    assert honest_looks, "the status never said 'All changes saved' while the typing paused"
    # The network delay really held up the autosaves (Chromium's emulation, not the route).
    assert saves and min(saves) >= latency, saves
