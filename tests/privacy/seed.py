"""A student with a row of every kind the registry knows, and a classmate as a control."""

from __future__ import annotations

from dataclasses import dataclass

from conferbook.accounts.models import User
from conferbook.calendar.models import Rhythm
from conferbook.goals.models import Checklist, DismissedProposal, WritingSample
from conferbook.goals.services import record_self_assessment
from conferbook.roster.models import Classroom, Student
from tests.walk import World, build_world


@dataclass
class Seeded:
    world: World
    student: Student
    control: Student


def seed_every_kind(*, teacher: User, classroom: Classroom, student: Student) -> Seeded:
    """`student` with one row (at least) of every registered kind; `world.partner` shares
    the class, the small group, its conference and the partnership (the control)."""
    world = build_world(teacher=teacher, classroom=classroom, student=student)
    world.partner.first_name = "Zara"  # the walk names the partner after the student
    world.partner.save()
    Rhythm.objects.create(classroom=classroom, student=student, see_more_often=True)
    Rhythm.objects.create(classroom=classroom, student=world.partner, see_more_often=True)
    checklist = Checklist.objects.order_by("pk").first()
    assert checklist is not None
    for who in (student, world.partner):
        record_self_assessment(
            teacher=teacher,
            student=who,
            checklist=checklist,
            ratings={item.pk: "yes" for item in checklist.items.all()},
        )
    partner_sample = WritingSample.objects.create(
        student=world.partner,
        title="Zara's piece",
        text="A story.",
        written_on=world.sample.written_on,
    )
    for sample in (world.sample, partner_sample):
        DismissedProposal.objects.create(
            sample=sample, goal_key="use-dialogue", kind="strength", dismissed_by=teacher
        )
    group_conference = world.group_conference
    group_conference.discussed = (
        f"{student.first_name} read his lead aloud; {student.full_name.upper()} and "
        f"{world.partner.first_name} compared. {student.first_name}'s ending too."
    )
    group_conference.task = f"Help {student.first_name.lower()} with dialogue."
    group_conference.save()
    world.small_group.name = f"{student.first_name} and {world.partner.first_name}"
    world.small_group.save()
    return Seeded(world=world, student=student, control=world.partner)
