"""Rendered pieces kept by what they show (web.fragments), and paths made without a reverse
per row (web.http.paths_for)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from conferbook.conferences.class_list import ClassLine
from conferbook.lib.kept import Kept
from conferbook.web.fragments import Fragments
from conferbook.web.http import paths_for


def a_line(**changes: object) -> ClassLine:
    line = ClassLine(
        student_id="7",
        url="/students/7/?class=3",
        name="Zoë",
        last_name="Nguyễn",
        goals=("Use dialogue",),
        seen="3 days ago",
        overdue=False,
        due_on="2026-12-08",
        due="Tue 8 Dec",
        next_appointment="",
        under_way=False,
        next_up=False,
        writer=True,
    )
    return replace(line, **changes)


class Counting(Fragments):
    def __init__(self, size: int = 4096) -> None:
        super().__init__("conferences/classroom.html#line", name="line", size=size)
        self.renders = 0

    def _render(self, value):  # type: ignore[no-untyped-def]
        self.renders += 1
        return super()._render(value)


def test_a_piece_is_rendered_once_while_it_shows_the_same(settings):
    settings.DEBUG = False
    pieces = Counting()
    first = pieces.render([a_line()])
    again = pieces.render([a_line()])  # an equal value, made afresh: the next request's row
    assert again == first and pieces.renders == 1
    assert "3 days ago" in first[0] and "Confer with Zoë" in first[0]


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        ({"seen": "Today"}, "Today"),
        ({"name": "Zozo"}, "Zozo"),
        ({"goals": ("Use dialogue", "Add a title")}, "Add a title"),
        ({"overdue": True}, "Overdue since Tue 8 Dec"),
        ({"next_appointment": "Wed 9 Dec, 9:38 AM"}, "Wed 9 Dec, 9:38 AM"),
        ({"under_way": True}, "Resume the conference with Zoë"),
        ({"writer": False}, "<strong>Zoë</strong>"),
    ],
)
def test_a_row_that_shows_something_else_is_rendered_afresh(settings, change, shows):
    settings.DEBUG = False
    pieces = Counting()
    before = pieces.render([a_line()])[0]
    after = pieces.render([a_line(**change)])[0]
    assert pieces.renders == 2
    assert after != before and shows in after
    if change == {"writer": False}:
        assert "button" not in after  # a reader who does not teach the class gets no button


def test_it_keeps_a_bounded_number_the_latest_used(settings):
    settings.DEBUG = False
    pieces = Counting(size=2)
    a, b, c = (a_line(student_id=str(n)) for n in (1, 2, 3))
    pieces.render([a, b])
    pieces.render([a])  # a is used again: b is now the oldest
    pieces.render([c])
    assert len(pieces) == 2
    pieces.render([a, c])
    assert pieces.renders == 3  # a and c were kept
    pieces.render([b])
    assert pieces.renders == 4  # b had gone


def test_nothing_is_kept_with_debug_on(settings):
    settings.DEBUG = True  # an edited template shows at once
    pieces = Counting()
    pieces.render([a_line()])
    pieces.render([a_line()])
    assert pieces.renders == 2 and len(pieces) == 0


def test_the_text_of_a_row_is_escaped():
    pieces = Fragments("conferences/classroom.html#line", name="line")
    html = pieces.render([a_line(name="<script>alert(1)</script>", goals=("<b>",))])[0]
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


@pytest.mark.parametrize("pk", [1, 9, 10, 918273645, 2**40])
def test_paths_for_writes_what_reverse_writes(pk):
    assert paths_for("conferences:student")(pk) == reverse("conferences:student", args=[pk])
    assert paths_for("roster:classroom_edit")(pk) == reverse("roster:classroom_edit", args=[pk])


def test_kept_values_are_found_only_by_their_key_and_the_oldest_go_first():
    kept: Kept[str] = Kept(size=2)
    kept.put(("room", 1, "stamp", 7), "list at 7")
    kept.put(("room", 1, "stamp", 8), "list at 8")
    assert kept.get(("room", 1, "stamp", 7)) == "list at 7"  # now the latest used
    kept.put(("room", 2, "stamp", 1), "another class")
    assert kept.get(("room", 1, "stamp", 8)) is None  # the oldest went
    assert kept.get(("room", 1, "stamp", 7)) == "list at 7"
    assert kept.get(("room", 1, "stamp", 9)) is None
    kept.put(("room", 1, "stamp", 7), "made again")
    assert kept.get(("room", 1, "stamp", 7)) == "made again"
    assert len(kept) == 2
