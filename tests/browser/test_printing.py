"""The two-column chart prints from the browser on one page for a typical term."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import ConferenceFactory, StrengthFactory, StudentGoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TERM_WEEKS = 12


def test_it_prints_a_terms_chart_on_one_page(signed_in, live_server, zoe, shots):
    page = signed_in
    goal = StudentGoalFactory(student=zoe)
    strength = StrengthFactory(student=zoe)
    start = timezone.now() - timedelta(weeks=TERM_WEEKS)
    for week in range(TERM_WEEKS):
        ConferenceFactory(
            student=zoe,
            student_goal=goal,
            strength=strength,
            started_at=start + timedelta(weeks=week),
            compliment="You chose a verb that let me hear the storm.",
            discussed="Tried three new leads (sound, action, question) and kept the strongest.",
            task="Write two more leads for the storm story and star your favourite.",
        )
    page.goto(f"{live_server.url}/students/{zoe.pk}/")
    page.evaluate("document.body.classList.add('print-only-chart-section')")
    page.emulate_media(media="print")
    shots(page, "chart-print-view")
    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    text = pdf.pages[0].extract_text()
    assert "Conference chart" in text
    assert text.count("Write two more leads") == TERM_WEEKS
    assert len(pdf.pages) == 1, f"the chart took {len(pdf.pages)} pages"


def test_it_prints_a_full_month_on_one_page(signed_in, live_server, room12, shots):
    from datetime import date, datetime, time

    from conferbook.conferences.models import Conference
    from tests.factories import StudentFactory

    page = signed_in
    students = [StudentFactory(first_name=f"Student{i:02d}", classroom=room12) for i in range(29)]
    day, n = date(2026, 12, 1), 0
    while day.month == 12:
        if day.weekday() < 5:
            for slot in range(10):  # every slot of every school day booked
                Conference.objects.create(
                    classroom=room12,
                    student=students[n % 29],
                    status=Conference.Status.HELD,
                    scheduled_for=timezone.make_aware(
                        datetime.combine(day, time(10, 10 + 5 * slot if slot < 10 else 0))
                    ),
                )
                n += 1
        day += timedelta(days=1)
    page.goto(f"{live_server.url}/classes/{room12.pk}/month/?month=2026-12")
    page.emulate_media(media="print")
    shots(page, "month-print-view")
    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter", landscape=True)))
    assert "December 2026" in pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1, f"the month took {len(pdf.pages)} pages"
