"""Correct: every kind of row about a student can be changed or removed by a teacher of the
class, each from a page named here."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from conferbook.conferences.models import Conference, EarnedSticker
from conferbook.goals.models import SelfAssessment, Strength, StudentGoal, WritingSample
from conferbook.privacy.registry import REGISTRY
from conferbook.privacy.services import REMOVABLE
from tests.privacy.seed import seed_every_kind
from tests.walk import build_world, snapshot

pytestmark = pytest.mark.django_db

RECORDS = "privacy:student_records"
# Per registered kind, the URLs (by name) that change or remove its rows.
CORRECTED_AT: dict[str, list[str]] = {
    "students": ["roster:student_edit", "privacy:student_delete"],
    "enrollments": ["conferences:student_move", "roster:student_archive"],
    "rhythms": ["scheduling:rhythm"],
    "time_away": ["scheduling:rhythm", "scheduling:unavailability_delete"],
    "goals": ["goals:student_goal_close", RECORDS],
    "writing_samples": ["goals:sample_transcribe", RECORDS],
    "strengths": [RECORDS],
    "sample_photos": ["goals:photo_remove"],
    "page_spots": ["goals:spot_remove"],
    "dismissed_proposals": [RECORDS],  # removed with their writing sample
    "self_assessments": [RECORDS],
    "self_assessment_answers": [RECORDS],  # removed with their self-assessment
    "conferences": ["conferences:conference", "conferences:cancel", RECORDS],
    "stickers": ["conferences:sticker", RECORDS],
    "absences": ["scheduling:absence_undo"],
    "small_group_members": ["board:group_edit"],
    "small_groups": ["board:group_edit", "board:group_delete"],
    "group_appointments": ["scheduling:group_appointment_cancel"],
    "group_conferences": ["board:group_conference"],
    "partnership_members": ["board:split"],
    "partnerships": ["board:split"],
}


def test_it_names_a_page_that_corrects_every_kind():
    assert set(CORRECTED_AT) == {kind.key for kind in REGISTRY}
    names = set()
    for namespace, (_, resolver) in get_resolver().namespace_dict.items():
        names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    missing = sorted({n for urls in CORRECTED_AT.values() for n in urls} - names)
    assert not missing


def test_it_removes_each_removable_kind_from_the_records_page(okafor, okafor_client, room7, marcus):
    seed_every_kind(teacher=okafor, classroom=room7, student=marcus)
    page = okafor_client.get(f"/students/{marcus.pk}/records/").content.decode()
    assert "Writing samples (1)" in page
    for key, model in [
        ("stickers", EarnedSticker),
        ("conferences", Conference),
        ("strengths", Strength),
        ("writing_samples", WritingSample),
        ("goals", StudentGoal),
        ("self_assessments", SelfAssessment),
    ]:
        assert key in REMOVABLE
        row = model.objects.filter(student=marcus).order_by("pk").first()
        before = model.objects.filter(student=marcus).count()
        response = okafor_client.post(
            f"/students/{marcus.pk}/records/", {"kind": key, "row": str(row.pk)}
        )
        assert response.status_code == 302
        assert model.objects.filter(student=marcus).count() == before - 1, key


def test_it_removes_nothing_of_another_student_or_kind(
    okafor, okafor_client, room7, marcus, rivera, room12, zoe
):
    theirs = build_world(teacher=rivera, classroom=room12, student=zoe)
    before = snapshot()
    for kind, row in [
        ("writing_samples", theirs.sample.pk),
        ("conferences", theirs.conference.pk),
        ("students", marcus.pk),
        ("enrollments", 1),
        ("goals", "not a number"),
        ("conferences", "not-a-uuid"),
    ]:
        response = okafor_client.post(f"/students/{marcus.pk}/records/", {"kind": kind, "row": row})
        assert response.status_code == 302
    assert before == snapshot()
