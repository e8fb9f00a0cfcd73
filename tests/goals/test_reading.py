"""Read this for me: the writing analyser's proposals on a sample, the conference screen and
the class's Writing page, through HTTP.

The analyser's detectors are written elsewhere; here a small stand-in (`fake_analyse`)
returns a realistic analysis of a story written for these tests, so the pages have flags
and proposals to show. One test runs the real analyser end to end, whatever it finds.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import Client

import conferbook.analysis
from conferbook.accounts.models import CoachAssignment
from conferbook.analysis.types import (
    Analysis,
    ConventionFlag,
    Estimates,
    Proposal,
    Span,
    SpellingFlag,
)
from conferbook.goals import reading
from conferbook.goals.models import DismissedProposal, Goal, Strength, StudentGoal
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
    WritingSampleFactory,
    library_goal,
)
from tests.helpers import assert_same_count, queries_for, shown_messages

pytestmark = pytest.mark.django_db

STORY = (
    "The Storm\n\n"
    '"Run!" yelled my brother Tomas. The rain was as loud as a drum on the roof. '
    "we ran to the barn and i hid behind the hay. I was scared becuase the thunder "
    "shook the walls\nThen the sun came out and we went home"
)
DIALOGUE = '"Run!" yelled my brother Tomas.'
SIMILE = "as loud as a drum"


def span(text: str, quote: str) -> Span:
    start = text.index(quote)
    return Span(start, start + len(quote), quote)


def fake_analyse(text: str, *, names=()) -> Analysis:
    """What the analyser would say about a story like STORY: dialogue and a simile as
    strengths, capitals and ending punctuation as next steps, one spelling flag."""
    strengths, next_steps, spelling, conventions = [], [], [], []
    if DIALOGUE in text:
        strengths.append(
            Proposal("use-dialogue", "strength", "Lets a character speak.", (span(text, DIALOGUE),))
        )
    if SIMILE in text:
        strengths.append(
            Proposal("figurative-language", "strength", "Compares to show.", (span(text, SIMILE),))
        )
    if "we ran" in text:
        quote = "we ran to the barn and i hid behind the hay."
        next_steps.append(
            Proposal(
                "capital-letters",
                "next_step",
                "Two sentences start in lower case.",
                (span(text, quote),),
            )
        )
        lower = span(text, "we ran")
        conventions.append(
            ConventionFlag(lower.start, lower.start + 2, "we", "lowercase-start", "Capital?")
        )
    if "becuase" in text:
        wrong = span(text, "becuase")
        spelling.append(SpellingFlag(wrong.start, wrong.end, "becuase", "because", "non-word"))
    if "came out and we went home" in text:
        next_steps.append(
            Proposal(
                "ending-punctuation",
                "next_step",
                "Sentences run on without a stop.",
                (span(text, "Then the sun came out and we went home"),),
            )
        )
    return Analysis(
        text=text,
        words=len(text.split()),
        spelling=tuple(spelling),
        conventions=tuple(conventions),
        rates={},
        signals=(),
        estimates=Estimates(3.2, 3, 3, 3, 3, 3, 2.1),
        strengths=tuple(strengths),
        next_steps=tuple(next_steps),
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    reading.clear_cache()
    yield
    reading.clear_cache()


@pytest.fixture
def analyser(monkeypatch):
    monkeypatch.setattr(conferbook.analysis, "analyse", fake_analyse)


@pytest.fixture
def sample(marcus, okafor):
    return WritingSampleFactory(
        student=marcus, added_by=okafor, title="The Storm", text=STORY, written_on=date(2026, 3, 2)
    )


def read_url(sample) -> str:
    return f"/samples/{sample.pk}/read/"


def propose(client: Client, sample, action: str, kind: str, goal: str, **extra: str):
    return client.post(
        f"/samples/{sample.pk}/proposals/",
        {"action": action, "kind": kind, "goal": goal, **extra},
        follow=True,
    )


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def marks(page: str) -> list[tuple[str, str]]:
    return [
        (cls, html.unescape(text))
        for cls, text in re.findall(r'<mark class="([^"]+)"[^>]*>(.*?)</mark>', page, re.S)
    ]


# -- the page ------------------------------------------------------------------------------


def test_it_shows_the_sample_with_its_evidence_and_flags_marked(okafor_client, sample, analyser):
    response = okafor_client.get(read_url(sample))
    assert response.status_code == 200
    page = response.content.decode()
    found = marks(page)
    assert ("mark-evidence", DIALOGUE) in found
    assert ("mark-evidence", SIMILE) in found
    assert ("mark-spelling", "becuase") in found
    # The lower-case "we" sits inside the next step's evidence: both marks on it.
    assert ("mark-evidence mark-convention", "we") in found or (
        "mark-convention mark-evidence",
        "we",
    ) in found
    # The marked text reads as the sample, nothing lost or repeated.
    body = re.search(r'<div class="sample-text read-text"[^>]*>(.*?)</div>', page, re.S)
    assert html.unescape(re.sub(r"<[^>]+>", "", body.group(1))) == STORY
    shown = text_of(page)
    assert "becuase → because" in shown
    assert "Use dialogue" in shown or Goal.objects.get(key="use-dialogue").name in shown
    assert Goal.objects.get(key="capital-letters").student_words in shown
    assert "Save as a strength" in shown and "Set as a goal" in shown and "Dismiss" in shown


def test_it_never_shows_the_estimates(okafor_client, sample, analyser):
    page = text_of(okafor_client.get(read_url(sample)).content.decode())
    assert "3.2" not in page and "2.1" not in page
    assert "score" not in page.lower()


def test_it_escapes_hostile_writing(okafor_client, marcus, analyser):
    hostile = WritingSampleFactory(
        student=marcus, text=f'<script>alert("x")</script> {DIALOGUE} <b onclick=x>hi</b>'
    )
    page = okafor_client.get(read_url(hostile)).content.decode()
    assert "<script>alert" not in page
    assert "<b onclick" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert ("mark-evidence", DIALOGUE) in marks(page)


def test_it_answers_404_to_another_teacher(rivera_client, sample, analyser):
    assert rivera_client.get(read_url(sample)).status_code == 404
    response = rivera_client.post(
        f"/samples/{sample.pk}/proposals/",
        {"action": "strength", "kind": "strength", "goal": "use-dialogue"},
    )
    assert response.status_code == 404
    assert not Strength.objects.exists()


def test_it_lets_a_coach_read_without_the_buttons(okafor, sample, analyser):
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    client = Client()
    client.force_login(coach)
    response = client.get(read_url(sample))
    assert response.status_code == 200
    page = response.content.decode()
    assert DIALOGUE.replace('"', "&quot;") in page
    assert "Save as a strength" not in page and "Dismiss" not in page
    posted = client.post(
        f"/samples/{sample.pk}/proposals/",
        {"action": "strength", "kind": "strength", "goal": "use-dialogue"},
    )
    assert posted.status_code == 404
    assert not Strength.objects.exists()


def test_it_links_each_sample_to_its_reading(okafor_client, marcus, sample):
    page = okafor_client.get(f"/students/{marcus.pk}/").content.decode()
    assert f'href="{read_url(sample)}"' in page


# -- one tap -------------------------------------------------------------------------------


def test_it_saves_a_proposed_strength_with_its_evidence(
    okafor_client, okafor, marcus, sample, analyser
):
    response = propose(okafor_client, sample, "strength", "strength", "use-dialogue")
    strength = Strength.objects.get()
    goal = Goal.objects.get(key="use-dialogue", owner=None)
    assert (strength.student, strength.sample, strength.goal) == (marcus, sample, goal)
    assert strength.evidence == DIALOGUE
    assert strength.description == goal.name
    assert strength.noted_by == okafor
    assert f"Saved a strength for {marcus.shown_name}: {goal.name}." in shown_messages(response)
    # The page now says it is saved, and offers no second save.
    page = text_of(response.content.decode())
    assert page.count("Save as a strength") == 1  # the simile's button only


def test_it_sets_a_proposed_goal(okafor_client, marcus, sample, analyser):
    response = propose(okafor_client, sample, "goal", "next_step", "capital-letters")
    student_goal = StudentGoal.objects.get(student=marcus)
    assert student_goal.goal.key == "capital-letters"
    assert student_goal.is_active
    assert any("New goal for" in m for m in shown_messages(response))
    assert "Working on it" in response.content.decode()


def test_it_keeps_to_two_goals_with_a_plain_message(okafor_client, marcus, sample, analyser):
    StudentGoalFactory(student=marcus, goal=library_goal(0))
    StudentGoalFactory(student=marcus, goal=library_goal(1))
    response = propose(okafor_client, sample, "goal", "next_step", "capital-letters")
    assert StudentGoal.objects.filter(student=marcus).count() == 2
    assert any(
        "Mark one as met or set it aside before setting a new goal." in m
        for m in shown_messages(response)
    )


def test_it_dismisses_a_proposal_for_that_sample_only(okafor_client, marcus, sample, analyser):
    propose(okafor_client, sample, "dismiss", "next_step", "capital-letters")
    assert DismissedProposal.objects.get().goal_key == "capital-letters"
    name = Goal.objects.get(key="capital-letters", owner=None).name
    assert name not in text_of(okafor_client.get(read_url(sample)).content.decode())
    # Dismissing twice is harmless.
    propose(okafor_client, sample, "dismiss", "next_step", "capital-letters")
    assert DismissedProposal.objects.count() == 1
    other = WritingSampleFactory(student=marcus, text=STORY + " again")
    assert name in text_of(okafor_client.get(read_url(other)).content.decode())


def test_it_refuses_a_proposal_the_analyser_did_not_make(okafor_client, sample, analyser):
    response = propose(okafor_client, sample, "strength", "strength", "capital-letters")
    assert not Strength.objects.exists()
    assert any("no longer there" in m for m in shown_messages(response))
    response = propose(okafor_client, sample, "explode", "strength", "use-dialogue")
    assert not Strength.objects.exists()


def test_it_sends_the_teacher_back_where_they_came_from(okafor_client, room7, sample, analyser):
    back = f"/classes/{room7.pk}/writing/"
    response = okafor_client.post(
        f"/samples/{sample.pk}/proposals/",
        {"action": "goal", "kind": "next_step", "goal": "capital-letters", "next": back},
    )
    assert response["Location"] == back
    response = okafor_client.post(
        f"/samples/{sample.pk}/proposals/",
        {"action": "dismiss", "kind": "strength", "goal": "use-dialogue", "next": "//evil.test/"},
    )
    assert response["Location"] == read_url(sample)


def test_it_runs_the_real_analyser_end_to_end(okafor_client, marcus, sample):
    """Whatever the analyser finds (nothing, while its detectors are being written), the
    page shows the whole text and every tap it offers works."""
    response = okafor_client.get(read_url(sample))
    assert response.status_code == 200
    page = response.content.decode()
    body = re.search(r'<div class="sample-text read-text"[^>]*>(.*?)</div>', page, re.S)
    assert html.unescape(re.sub(r"<[^>]+>", "", body.group(1))) == STORY
    found = reading.read_sample(teacher=marcus.classrooms.get().teachers.get(), sample=sample)
    for proposal in found.proposals:
        assert all(STORY[s.start : s.end] == s.text for s in proposal.evidence)
    if found.strengths:
        first = found.strengths[0]
        propose(okafor_client, sample, "strength", "strength", first.key)
        assert Strength.objects.get().evidence == first.evidence_text
    assert okafor_client.get(f"/conferences/{_conference(marcus).pk}/").status_code == 200


def test_it_never_flags_classmates_names(marcus, room7):
    StudentFactory(first_name="Xochitl", last_name="Oyelaran-Baptiste", classroom=room7)
    names = reading.names_for(student=marcus)
    assert {"Xochitl", "Oyelaran-Baptiste", "Marcus", "Lee"} <= set(names)


def test_it_reads_each_text_once(marcus, monkeypatch):
    calls = []

    def counting(text, *, names=()):
        calls.append(text)
        return fake_analyse(text, names=names)

    monkeypatch.setattr(conferbook.analysis, "analyse", counting)
    reading.analysis_of(STORY, names=["Marcus"])
    reading.analysis_of(STORY, names=["Marcus"])
    assert len(calls) == 1
    reading.analysis_of(STORY + ".", names=["Marcus"])
    assert len(calls) == 2


def test_it_cuts_overlapping_marks_into_pieces():
    pieces = reading.segments_for(
        "abcdef", [(1, 4, "evidence", "A"), (2, 3, "spelling", "B"), (5, 99, "x", "")]
    )
    assert [(p.text, p.marks) for p in pieces] == [
        ("a", ()),
        ("b", ("evidence",)),
        ("c", ("evidence", "spelling")),
        ("d", ("evidence",)),
        ("ef", ()),
    ]
    assert reading.segments_for("", [(0, 1, "x", "")]) == []


# -- the conference screen -----------------------------------------------------------------


def _conference(student):
    from conferbook.conferences.models import Conference
    from tests.factories import ConferenceFactory

    classroom = student.classrooms.get()
    return ConferenceFactory(
        student=student,
        classroom=classroom,
        teacher=classroom.teachers.get(),
        status=Conference.Status.IN_PROGRESS,
        ended_at=None,
        duration_seconds=None,
    )


def test_the_conference_screen_offers_the_latest_samples_proposals(
    okafor_client, marcus, sample, analyser
):
    conference = _conference(marcus)
    page = okafor_client.get(f"/conferences/{conference.pk}/").content.decode()
    assert 'id="propose-strength-use-dialogue"' in page
    assert 'id="propose-goal-capital-letters"' in page
    # One tap on the compliment: the screen's own strength endpoint, with the evidence.
    response = okafor_client.post(
        f"/conferences/{conference.pk}/strength/",
        {
            "description": "Use dialogue",
            "evidence": DIALOGUE,
            "sample": sample.pk,
            "goal": Goal.objects.get(key="use-dialogue", owner=None).pk,
        },
    )
    assert response.status_code == 200
    conference.refresh_from_db()
    assert conference.strength.evidence == DIALOGUE
    assert conference.strength.goal.key == "use-dialogue"
    # Saved now: the proposal makes way for the strength itself.
    page = okafor_client.get(f"/conferences/{conference.pk}/").content.decode()
    assert 'id="propose-strength-use-dialogue"' not in page
    assert 'id="propose-strength-figurative-language"' in page


def test_the_conference_screen_without_samples_proposes_nothing(okafor_client, marcus, analyser):
    page = okafor_client.get(f"/conferences/{_conference(marcus).pk}/").content.decode()
    assert "propose-strength" not in page and "propose-goal" not in page


# -- the class's Writing page ------------------------------------------------------------


def test_the_writing_page_groups_students_by_next_step(okafor_client, room7, marcus, analyser):
    WritingSampleFactory(student=marcus, text=STORY, written_on=date(2026, 3, 2))
    WritingSampleFactory(student=marcus, text="An older piece.", written_on=date(2026, 1, 5))
    ana = StudentFactory(first_name="Ana", last_name="Silva", classroom=room7)
    WritingSampleFactory(
        student=ana, text="we ran to the barn and i hid behind the hay. It was dark."
    )
    StudentFactory(first_name="Noor", last_name="Haddad", classroom=room7)
    response = okafor_client.get(f"/classes/{room7.pk}/writing/")
    assert response.status_code == 200
    page = response.content.decode()
    capitals = Goal.objects.get(key="capital-letters", owner=None)
    group = page[page.index('id="group-capital-letters"') :]
    group = group[: group.index("</section>")]
    assert "2 students" in text_of(group)
    assert "Marcus" in group and "Ana" in group
    assert capitals.name in page
    stops = page[page.index('id="group-ending-punctuation"') :]
    stops = stops[: stops.index("</section>")]
    assert "Marcus" in stops and "Ana" not in stops
    assert "Noor" in page[page.index("No writing sample yet") :]
    assert f'href="/classes/{room7.pk}/groups/"' in page
    assert "3.2" not in page


def test_the_writing_page_is_read_only_for_a_coach_and_hidden_from_others(
    okafor, room7, rivera_client, sample, analyser
):
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    client = Client()
    client.force_login(coach)
    page = client.get(f"/classes/{room7.pk}/writing/").content.decode()
    assert "Marcus" in page and "Set as" not in page
    assert rivera_client.get(f"/classes/{room7.pk}/writing/").status_code == 404


def test_the_class_page_links_to_the_writing_page(okafor_client, room7):
    page = okafor_client.get(f"/classes/{room7.pk}/").content.decode()
    assert f'href="/classes/{room7.pk}/writing/"' in page


def _class_of(size: int) -> tuple[Client, int]:
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    for i, student in enumerate(StudentFactory.create_batch(size, classroom=classroom)):
        WritingSampleFactory(student=student, text=f"{STORY} {i}")
        WritingSampleFactory(student=student, text="An older piece.", written_on=date(2025, 9, 1))
        StudentGoalFactory(student=student, goal=library_goal(i % 20))
    client = Client()
    client.force_login(teacher)
    return client, classroom.pk


def test_the_writing_page_takes_a_fixed_number_of_queries(analyser):
    counts = []
    for size in (3, 30):
        client, classroom_id = _class_of(size)
        url = f"/classes/{classroom_id}/writing/"
        assert client.get(url).content.decode().count('class="evidence"') >= size * 2
        counts.append(queries_for(client, url))
    assert_same_count(*counts, "class Writing page", sizes=(3, 30))


def test_it_reads_a_sample_with_the_same_names_on_every_page(
    okafor, okafor_client, room7, marcus, sample, monkeypatch
):
    # Marcus is also in a reading class with Quilla, who is not in Room 7.
    reading_class = ClassroomFactory(teachers=[okafor], name="Reading group")
    reading_class.students.add(marcus)
    StudentFactory(first_name="Quilla", last_name="Brandvold", classroom=reading_class)
    asked: list[tuple[str, ...]] = []

    def recording(text: str, *, names=()) -> Analysis:
        asked.append(tuple(names))
        return fake_analyse(text, names=names)

    monkeypatch.setattr(conferbook.analysis, "analyse", recording)
    okafor_client.get(f"/samples/{sample.pk}/read/")
    reading.clear_cache()
    okafor_client.get(f"/classes/{room7.pk}/writing/")
    assert len(asked) == 2
    assert asked[0] == asked[1]
    assert "Quilla" in asked[0] and "Marcus" in asked[0]
