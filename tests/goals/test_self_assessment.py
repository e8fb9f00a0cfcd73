"""Self-assessment: a teacher records a student's checklist, or the student fills it in on
the teacher's device; the results show on the conference screen and "not yet" lines
propose goals; the checklist prints with the student's goals marked."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conferbook.conferences.models import Conference
from conferbook.goals.models import Checklist, Rating, SelfAssessment, StudentGoal
from conferbook.goals.services import AssessmentIncomplete, record_self_assessment
from tests.factories import StudentFactory, StudentGoalFactory
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db


def checklist(key: str) -> Checklist:
    return Checklist.objects.prefetch_related("items__goal").get(key=key)


def every_line(c: Checklist, rating: str = "yes", **others: str) -> dict[str, str]:
    """A POST body rating every line `rating`, except the items named by goal key."""
    return {f"item-{item.pk}": others.get(item.goal.key, rating) for item in c.items.all()} | {
        "checklist": str(c.pk)
    }


def test_it_offers_the_checklist_of_the_students_grade_band(rivera_client, room12):
    young = StudentFactory(first_name="Kai", grade="K", classroom=room12)
    older = StudentFactory(first_name="Ivy", grade="7", classroom=room12)
    unknown = StudentFactory(first_name="Lu", grade="", classroom=room12)
    for student, key in (
        (young, "narrative-k-2"),
        (older, "narrative-6-8"),
        (unknown, "narrative-3-5"),
    ):
        page = rivera_client.get(f"/students/{student.pk}/self-assessment/").content.decode()
        assert checklist(key).name in page, key
    # Another one is a choice away; its lines are the ones shown.
    opinion = checklist("opinion-6-8")
    page = rivera_client.get(
        f"/students/{older.pk}/self-assessment/?checklist={opinion.pk}"
    ).content.decode()
    assert all(item.text.replace("'", "&#x27;") in page for item in opinion.items.all())


def test_it_records_a_rating_for_every_line(rivera, rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    body = every_line(narrative, "starting", **{"use-dialogue": "not_yet", "strong-lead": "yes"})
    response = rivera_client.post(f"/students/{zoe.pk}/self-assessment/", body, follow=True)
    assert any("Saved Zoë's self-assessment" in m for m in shown_messages(response))
    saved = SelfAssessment.objects.get()
    assert (saved.student, saved.checklist, saved.by_student, saved.recorded_by) == (
        zoe,
        narrative,
        False,
        rivera,
    )
    ratings = {a.item.goal.key: a.rating for a in saved.answers.select_related("item__goal")}
    assert len(ratings) == narrative.items.count()
    assert ratings["use-dialogue"] == Rating.NOT_YET and ratings["strong-lead"] == Rating.YES


def test_it_keeps_the_answers_and_marks_the_lines_left_open(rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    body = every_line(narrative)
    first, second = list(narrative.items.all())[:2]
    del body[f"item-{first.pk}"]
    body[f"item-{second.pk}"] = "not_yet"
    response = rivera_client.post(f"/students/{zoe.pk}/self-assessment/", body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an answer for every line" in page
    assert "Choose one answer for this line." in page
    checked = re.findall(r'<input type="radio" name="item-(\d+)" value="(\w+)"[^>]*checked', page)
    assert (str(second.pk), "not_yet") in checked  # the answer given is still ticked
    assert str(first.pk) not in {pk for pk, _ in checked}
    assert not SelfAssessment.objects.exists()


def test_it_refuses_a_rating_that_is_not_one_of_the_three(rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    body = every_line(narrative) | {f"item-{narrative.items.first().pk}": "maybe"}
    assert rivera_client.post(f"/students/{zoe.pk}/self-assessment/", body).status_code == 400
    assert not SelfAssessment.objects.exists()


def test_it_refuses_an_incomplete_or_foreign_set_of_ratings_in_the_service(rivera, zoe):
    narrative, opinion = checklist("narrative-3-5"), checklist("opinion-3-5")
    items = list(narrative.items.all())
    with pytest.raises(AssessmentIncomplete, match=items[-1].text[:20]):
        record_self_assessment(
            teacher=rivera,
            student=zoe,
            checklist=narrative,
            ratings={i.pk: "yes" for i in items[:-1]},
        )
    with pytest.raises(ValueError, match="Not items of"):
        record_self_assessment(
            teacher=rivera,
            student=zoe,
            checklist=narrative,
            ratings={i.pk: "yes" for i in [*items, opinion.items.first()]},
        )
    assert not SelfAssessment.objects.exists()


def test_it_shows_the_student_only_the_checklist_on_the_kiosk_page(rivera_client, zoe):
    page = rivera_client.get(f"/students/{zoe.pk}/self-assessment/kiosk/").content.decode()
    assert "Zoë's checklist" in page and "I'm done" in page
    assert "Goal library" not in page and "Sign out" not in page  # no way around the app
    assert zoe.last_name not in page  # the preferred name only
    for item in checklist("narrative-3-5").items.all():
        assert "Not yet" in page and item.text.replace("'", "&#x27;") in page


def test_it_thanks_the_student_and_hands_back_to_the_teacher(rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    back = f"/students/{zoe.pk}/"
    response = rivera_client.post(
        f"/students/{zoe.pk}/self-assessment/kiosk/", every_line(narrative) | {"next": back}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you, Zoë!" in page and "hand the device back" in page
    assert f'href="{back}"' in page
    assert SelfAssessment.objects.get().by_student
    off_site = rivera_client.post(
        f"/students/{zoe.pk}/self-assessment/kiosk/",
        every_line(narrative) | {"next": "https://example.com/"},
    ).content.decode()
    assert "example.com" not in off_site


def test_it_shows_the_results_and_proposes_goals_on_the_conference_screen(
    rivera, rivera_client, room12, zoe
):
    narrative = checklist("narrative-3-5")
    StudentGoalFactory(student=zoe, goal=narrative.items.get(goal__key="strong-lead").goal)
    record_self_assessment(
        teacher=rivera,
        student=zoe,
        checklist=narrative,
        ratings={
            i.pk: (Rating.NOT_YET if i.goal.key in ("use-dialogue", "strong-lead") else "yes")
            for i in narrative.items.all()
        },
        by_student=True,
    )
    rivera_client.post("/conferences/start/", {"student": zoe.pk, "classroom": room12.pk})
    conference = Conference.objects.get()
    page = rivera_client.get(f"/conferences/{conference.pk}/").content.decode()
    card = page[page.index('id="self-assessment"') :].split("</section>", 1)[0]
    assert "filled in by Zoë" in card
    dialogue = narrative.items.get(goal__key="use-dialogue").goal
    lead = narrative.items.get(goal__key="strong-lead").goal
    assert f"Set “{dialogue.name}”" in card
    assert f"Set “{lead.name}”" not in card  # already a goal: nothing to propose
    response = rivera_client.post(
        f"/conferences/{conference.pk}/goal/", {"goal": dialogue.pk, "set_with_student": "on"}
    )
    assert response.status_code == 200
    assert zoe.student_goals.filter(goal=dialogue, status=StudentGoal.Status.ACTIVE).exists()


def test_it_proposes_without_a_button_when_two_goals_are_active(rivera, rivera_client, room12, zoe):
    narrative = checklist("narrative-3-5")
    for key in ("strong-lead", "strong-ending"):
        StudentGoalFactory(student=zoe, goal=narrative.items.get(goal__key=key).goal)
    record_self_assessment(
        teacher=rivera,
        student=zoe,
        checklist=narrative,
        ratings={i.pk: Rating.NOT_YET for i in narrative.items.all()},
    )
    rivera_client.post("/conferences/start/", {"student": zoe.pk, "classroom": room12.pk})
    page = rivera_client.get(f"/conferences/{Conference.objects.get().pk}/").content.decode()
    card = page[page.index('id="self-assessment"') :].split("</section>", 1)[0]
    assert "two goals are active" in card and "Set “" not in card


def test_it_summarises_the_latest_self_assessment_on_the_student_page(rivera, rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    record_self_assessment(
        teacher=rivera,
        student=zoe,
        checklist=narrative,
        ratings={i.pk: Rating.STARTING for i in narrative.items.all()},
    )
    page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    card = page[page.index('id="self-assessment"') :].split("</section>", 1)[0]
    assert narrative.name in card and card.count("Starting to") == narrative.items.count()


# Printing the checklist with the student's goals marked


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_it_prints_a_built_in_checklist_with_the_students_goals_marked(rivera_client, zoe):
    narrative = checklist("narrative-3-5")
    dialogue = narrative.items.get(goal__key="use-dialogue")
    StudentGoalFactory(student=zoe, goal=dialogue.goal)
    elsewhere = StudentGoalFactory(
        student=zoe, goal=checklist("opinion-3-5").items.get(goal__key="find-an-opinion").goal
    )
    text = pdf_text(
        rivera_client.get(f"/students/{zoe.pk}/print/checklists.pdf?checklist=narrative-3-5")
    )
    assert narrative.name in text and "Name: Zoë" in text
    assert f"★ {dialogue.text}"[:40] in text
    others = [i for i in narrative.items.all() if i != dialogue]
    assert others[0].text[:30] in text and f"★ {others[0].text}"[:30] not in text
    # A goal the checklist does not hold is still on the page, under "My goals".
    assert "My goals" in text
    assert f"★ {elsewhere.goal.checklist_item or elsewhere.goal.student_words}"[:30] in text


def test_it_prints_each_student_the_genre_in_their_grade_band(rivera_client, room12):
    StudentFactory(first_name="Kai", grade="1", classroom=room12)
    StudentFactory(first_name="Ivy", grade="8", classroom=room12)
    response = rivera_client.get(f"/classes/{room12.pk}/print/checklists.pdf?checklist=opinion")
    assert response.status_code == 200
    pages = [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    ]
    by_name = {name: next(p for p in pages if f"Name: {name}" in p) for name in ("Ivy", "Kai")}
    assert checklist("opinion-6-8").name in by_name["Ivy"]
    assert checklist("opinion-k-2").name in by_name["Kai"]
    assert checklist("opinion-k-2").name not in by_name["Ivy"]


def test_it_reads_the_checklist_pages_in_the_same_queries_for_short_and_long_checklists(
    rivera, rivera_client, zoe
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short, long = checklist("opinion-k-2"), checklist("narrative-3-5")
    assert short.items.count() < long.items.count()
    for _ in range(3):  # a history of self-assessments does not add queries either
        record_self_assessment(
            teacher=rivera,
            student=zoe,
            checklist=long,
            ratings={i.pk: "yes" for i in long.items.all()},
        )
    for page in ("self-assessment/", "self-assessment/kiosk/"):
        counts = []
        for chosen in (short, long):
            url = f"/students/{zoe.pk}/{page}?checklist={chosen.pk}"
            rivera_client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert rivera_client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1], page


def test_it_links_to_the_checklist_printed_with_the_students_goals(rivera_client, zoe):
    page = rivera_client.get(f"/students/{zoe.pk}/self-assessment/").content.decode()
    link = re.search(r'href="([^"]*/print/checklists\.pdf[^"]*)"', page)
    assert link, "no link to print the checklist"
    text = pdf_text(rivera_client.get(link.group(1).replace("&amp;", "&")))
    assert checklist("narrative-3-5").name in text and "Name: Zoë" in text
