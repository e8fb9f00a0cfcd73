"""S14: every model that leads to a student is in the export-and-delete registry; an export
holds every row of every kind; a deletion leaves no row that refers to the student."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models

from conferbook.conferences.models import Conference, GroupConference
from conferbook.goals.models import SelfAssessmentAnswer, StudentGoal
from conferbook.groups.models import PartnershipMember, SmallGroup
from conferbook.privacy import exports, services
from conferbook.privacy.registry import KINDS, REDACTED, REGISTRY, Deletion
from conferbook.roster.models import Student
from conferbook.scheduling.models import GroupAppointment
from tests.privacy.seed import seed_every_kind


def leads_to_student(model: type[models.Model], seen: frozenset[type] = frozenset()) -> bool:
    """True when a foreign key, one-to-one or many-to-many of `model` reaches Student,
    directly or through a model that does."""
    if model is Student:
        return True
    for field in model._meta.get_fields():
        if not field.is_relation or (field.auto_created and not field.concrete):
            continue
        if not (field.many_to_one or field.one_to_one or field.many_to_many):
            continue
        target = field.related_model
        if target is None or target in seen or target is model:
            continue
        if leads_to_student(target, seen | {model}):
            return True
    return False


def models_leading_to_student() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if leads_to_student(m)]


def test_it_finds_the_paths_through_memberships_and_other_rows():
    found = set(models_leading_to_student())
    # a direct foreign key, a key to a row that leads, two hops, a many-to-many and its table
    assert {StudentGoal, SelfAssessmentAnswer, GroupAppointment, SmallGroup} <= found
    assert SmallGroup.members.through in found
    assert GroupConference in found


def test_it_registers_every_model_that_leads_to_a_student():
    registered = {kind.model for kind in REGISTRY}
    missing = sorted(m._meta.label for m in models_leading_to_student() if m not in registered)
    assert not missing, (
        "These models lead to a student but are not in conferbook/privacy/registry.py, so "
        "an export would leave them out and a deletion would leave them behind: "
        + ", ".join(missing)
    )


def test_it_describes_every_field_it_exports():
    for kind in REGISTRY:
        assert kind.description and kind.title, kind.key
        for column in kind.columns:
            assert column.description.strip(), f"{kind.key}.{column.name}"
        names = [c.name for c in kind.columns]
        assert len(names) == len(set(names)), kind.key


def _counts(student_id: int) -> dict[str, int]:
    return {kind.key: kind.rows([student_id]).count() for kind in REGISTRY}


def _direct_references(student_id: int) -> dict[str, int]:
    """Rows of any model with a foreign key (or membership) straight to this student id."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is Student and field.concrete:
                if field.many_to_many:
                    continue  # its through table is a model of its own, checked itself
                count = model._default_manager.filter(**{field.attname: student_id}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


@pytest.mark.django_db
def test_it_exports_and_deletes_every_kind_and_keeps_the_classmate(okafor, room7, marcus):
    seeded = seed_every_kind(teacher=okafor, classroom=room7, student=marcus)
    sid, control = marcus.pk, seeded.control
    before = _counts(sid)
    assert all(before.values()), f"the seed misses kinds: {[k for k, n in before.items() if not n]}"
    control_before = _counts(control.pk)

    record = json.loads(
        exports.student_json(exports.student_record(student=marcus, classrooms=None))
    )
    for kind in REGISTRY:
        assert len(record["records"][kind.key]) == before[kind.key], kind.key
    conference_ids = {c["id"] for c in record["records"]["conferences"]}
    assert {str(c.pk) for c in Conference.objects.filter(student=marcus)} == conference_ids

    receipt = services.delete_student(student=marcus, actor=okafor)

    assert _counts(sid) == dict.fromkeys(before, 0)
    assert _direct_references(sid) == {}
    assert not Student.objects.filter(pk=sid).exists()
    own = {k: n for k, n in before.items() if KINDS[k].deletion is Deletion.OWN}
    assert receipt.counts["deleted"] == own | {"partnerships": 1}
    assert set(receipt.counts["changed"]) == {
        "small_groups",
        "group_appointments",
        "group_conferences",
    }

    # The classmate keeps everything, but the partnership that ended with Marcus gone.
    after = _counts(control.pk)
    assert after == control_before | {"partnership_members": 0, "partnerships": 0}
    assert not PartnershipMember.objects.filter(student=control).exists()
    # The group's shared notes keep the classmate and lose Marcus.
    shared = GroupConference.objects.get(pk=seeded.world.group_conference.pk)
    group = SmallGroup.objects.get(pk=seeded.world.small_group.pk)
    texts = " ".join([shared.discussed, shared.task, shared.name, group.name])
    assert "marcus" not in texts.casefold() and "lee" not in texts.casefold().split()
    assert "Zara" in shared.discussed and REDACTED in shared.discussed
    assert shared.task == f"Help {REDACTED} with dialogue."
    assert group.name == f"{REDACTED} and Zara"
    assert list(shared.members.values_list("student_id", flat=True)) == [control.pk]


@pytest.mark.django_db
def test_it_deletes_a_small_group_conference_left_with_nobody(okafor, room7, marcus):
    seeded = seed_every_kind(teacher=okafor, classroom=room7, student=marcus)
    Conference.objects.filter(
        group_conference=seeded.world.group_conference, student=seeded.control
    ).delete()
    receipt = services.delete_student(student=marcus, actor=okafor)
    assert not GroupConference.objects.filter(pk=seeded.world.group_conference.pk).exists()
    assert receipt.counts["deleted"]["group_conferences"] == 1


def test_it_replaces_names_as_whole_words_in_any_case():
    pattern = services.name_pattern(["Al", "Lee", "", "Al Lee"])
    assert services.redact("AL LEE met Alice; al's idea. Leeds.", pattern) == (
        f"{REDACTED} met Alice; {REDACTED}'s idea. Leeds."
    )
    assert services.redact("anything", services.name_pattern(["", " "])) == "anything"
