"""Whole-page printables: the two-column chart and class binder, the monthly calendar, the
goals poster, the self-assessment checklist and the parent report."""

from __future__ import annotations

import pytest

from conferbook.lib.sheets import PAPERS
from conferbook.printables.pages import (
    REPORT_DAYS,
    REPORT_GOALS,
    REPORT_STEPS,
    REPORT_STRENGTHS,
    REPORT_TASKS,
    Chart,
    ChartRow,
    Checklist,
    ChecklistItem,
    DayCell,
    GoalLine,
    Month,
    PosterGoal,
    Report,
    Strength,
    calendar_pdf,
    chart_pdf,
    checklist_pdf,
    poster_pdf,
    report_pdf,
)
from conferbook.printables.pdf import SMALLEST
from tests.printables.pdfread import (
    NAMES,
    TOLERANCE,
    Box,
    Run,
    assert_every_glyph_is_in_the_font,
    graphics,
    holder,
    page_size,
    pages,
    text_runs,
)

MARGIN = 14.0  # mm, the pages' margin
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def page_text(pdf: bytes, page: int = 0) -> str:
    return " ".join(r.text for r in text_runs(pdf, page))


def outermost(boxes: list[Box]) -> list[Box]:
    """The boxes not inside another (a goal's box, not the icon clipped inside it)."""
    return [b for b in boxes if not any(o is not b and o.holds(b, 0) for o in boxes)]


def find(runs: list[Run], start: str) -> Run:
    return next(r for r in runs if r.text.startswith(start))


def assert_inside_the_margins(pdf: bytes, page: int = 0) -> None:
    """Nothing but the footer strays into the left and right margins."""
    width, _ = page_size(pdf, page)
    for run in text_runs(pdf, page):
        assert run.box.left >= MARGIN - TOLERANCE, run
        assert run.box.right <= width - MARGIN + TOLERANCE, run
    for x1, _, x2, _ in graphics(pdf, page).lines:
        assert min(x1, x2) >= MARGIN - TOLERANCE, (x1, x2)
        assert max(x1, x2) <= width - MARGIN + TOLERANCE, (x1, x2)


# ----------------------------------------------------------------------------------------
# The two-column chart and the class binder.


def chart(name: str = "Zoë", rows: int = 3) -> Chart:
    return Chart(
        name,
        "Room 12",
        [GoalLine("I can add dialogue", "3 October"), GoalLine("I can plan", "1 Sep", "met 2 Oct")],
        [
            ChartRow(f"{n + 1} Oct", f"{name} lead {n + 1}", f"{name} task {n + 1}", group=n == 1)
            for n in range(rows)
        ],
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_it_puts_the_goals_on_top_then_date_discussed_and_task(paper):
    pdf = chart_pdf(charts=[chart()], paper=PAPERS[paper])

    assert pages(pdf) == 1
    assert page_size(pdf) == pytest.approx(
        (PAPERS[paper].width, PAPERS[paper].height), abs=TOLERANCE
    )
    runs = text_runs(pdf)
    name, goals = find(runs, "Zoë"), find(runs, "Goals")
    active, met = find(runs, "• I can add dialogue"), find(runs, "• I can plan")
    date, discussed, task = (
        find(runs, "Date"),
        find(runs, "What we discussed"),
        find(runs, "What Zoë will do before next time"),
    )
    assert active.text == "• I can add dialogue (since 3 October)"
    assert met.text == "• I can plan (1 Sep, met 2 Oct)"
    assert name.box.bottom < goals.box.top < active.box.top < met.box.top < date.box.top
    assert date.box.top == pytest.approx(discussed.box.top, abs=TOLERANCE)
    assert date.box.right < discussed.box.left < discussed.box.right < task.box.left
    previous = date
    for n in (1, 2, 3):
        day, said, todo = (
            find(runs, f"{n} Oct"),
            find(runs, f"Zoë lead {n}"),
            find(runs, f"Zoë task {n}"),
        )
        assert day.box.top > previous.box.top  # in order, down the page
        assert said.box.top == pytest.approx(day.box.top, abs=TOLERANCE)  # one row
        assert todo.box.top == pytest.approx(day.box.top, abs=TOLERANCE)
        assert discussed.box.left == pytest.approx(said.box.left, abs=TOLERANCE)
        assert task.box.left == pytest.approx(todo.box.left, abs=TOLERANCE)
        previous = day
    assert "(group)" in page_text(pdf)  # the second conference was a small group


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_it_leaves_ruled_rows_to_continue_by_hand_in_the_same_columns(paper):
    pdf = chart_pdf(charts=[chart(rows=3)], paper=PAPERS[paper])

    _, height = page_size(pdf)
    lines = graphics(pdf).lines
    last_row = find(text_runs(pdf), "3 Oct").box.bottom
    across = sorted(y1 for x1, y1, x2, y2 in lines if abs(y1 - y2) < 0.01 and y1 > last_row + 3)
    assert len(across) >= 10  # blank rows under the last conference...
    assert across[-1] > height - MARGIN - 12  # ...down to the foot of the page
    upright = [(x1, min(y1, y2)) for x1, y1, x2, y2 in lines if abs(x1 - x2) < 0.01]
    table_columns = {round(x, 1) for x, top in upright if top < last_row}
    ruled_columns = {round(x, 1) for x, top in upright if top > last_row}
    assert len(table_columns) == 4
    assert ruled_columns == table_columns  # the ruled rows continue the table's columns
    assert_inside_the_margins(pdf)


def test_it_puts_one_student_per_page_and_runs_a_long_chart_on():
    charts = [chart("Amara", rows=2), chart("Ben", rows=45), chart("Chloe", rows=0)]
    pdf = chart_pdf(charts=charts, paper=PAPERS["letter"])

    texts = [page_text(pdf, page) for page in range(pages(pdf))]
    owners = []
    for text in texts:
        names = {name for name in ("Amara", "Ben", "Chloe") if f"What {name} will do" in text}
        assert len(names) == 1, text  # the heading row repeats on every page of a chart
        owners.append(names.pop())
    assert owners[0] == "Amara" and owners[-1] == "Chloe"
    assert owners.count("Amara") == 1 and owners.count("Chloe") == 1
    assert owners.count("Ben") >= 2  # 45 conferences run onto a second page
    ben = " ".join(text for text, owner in zip(texts, owners, strict=True) if owner == "Ben")
    for n in range(1, 46):
        assert f"Ben lead {n} " in ben + " "
    assert "Amara" not in ben and "Chloe" not in ben


def test_it_prints_markup_and_a_very_long_note_as_typed():
    note = "We looked at the lead and the ending <b>together</b>. " * 150
    pdf = chart_pdf(
        charts=[
            Chart(
                "Zoë",
                "Room 12",
                [],
                [ChartRow("1 Oct", "short", "y"), ChartRow("2 Oct", note, "x" * 3000)],
            ),
            chart("José"),
        ],
        paper=PAPERS["a4"],
    )

    texts = [page_text(pdf, page) for page in range(pages(pdf))]
    zoe = " ".join(text for text in texts if "What Zoë" in text)
    assert zoe.count("<b>together</b>") == 150  # all of it, markup as typed
    assert "No goal set yet." in zoe
    assert sum("What José" in text for text in texts) == 1
    for page in range(pages(pdf)):
        assert_inside_the_margins(pdf, page)


# ----------------------------------------------------------------------------------------
# Monthly calendar pages.


def month(title: str = "November 2026", appointments: dict[int, int] | None = None) -> Month:
    """Four school weeks from Monday the 2nd; `appointments` maps a day to a count."""
    counts = appointments or {}
    weeks = [
        [
            DayCell(
                day,
                [f"9:{i:02d} Student {day}-{i}" for i in range(counts.get(day, 2))],
                "No school" if day == 11 else "",
            )
            for day in range(2 + 7 * w, 7 + 7 * w)
        ]
        for w in range(4)
    ]
    return Month(title, "Room 12", WEEKDAYS, [[None, None, None, None, None], *weeks])


def cells(pdf: bytes, page: int = 0) -> dict[int, tuple[Box, list[Run]]]:
    """Each day's cell (its clipping rectangle) and the lines of text inside it."""
    boxes = graphics(pdf, page).clips
    found: dict[int, tuple[Box, list[Run]]] = {}
    runs = text_runs(pdf, page)
    for run in runs:
        if run.text.isdigit() and run.size == 11:
            n = holder(boxes, run)
            assert n is not None, run
            found[int(run.text)] = (boxes[n], [r for r in runs if boxes[n].holds(r.box)])
    return found


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_it_prints_one_landscape_page_per_month(paper):
    pdf = calendar_pdf(months=[month("November 2026"), month("December 2026")], paper=PAPERS[paper])

    assert pages(pdf) == 2
    for page, title in enumerate(["November 2026", "December 2026"]):
        assert page_size(pdf, page) == pytest.approx(
            (PAPERS[paper].height, PAPERS[paper].width), abs=TOLERANCE
        )
        runs = text_runs(pdf, page)
        assert runs[0].text == title
        assert [r.text for r in runs[2:7]] == WEEKDAYS


def test_it_writes_each_appointment_into_its_day():
    pdf = calendar_pdf(months=[month(appointments={5: 4, 18: 0})], paper=PAPERS["letter"])

    days = cells(pdf)
    assert sorted(days) == [d for w in range(4) for d in range(2 + 7 * w, 7 + 7 * w)]
    for day, (_, runs) in days.items():
        expected = [f"9:{i:02d} Student {day}-{i}" for i in range({5: 4, 18: 0}.get(day, 2))]
        assert [r.text for r in runs if r.text.startswith("9:")] == expected
    assert "No school" in [r.text for r in days[11][1]]


def test_it_writes_smaller_to_fit_a_busy_day():
    pdf = calendar_pdf(months=[month(appointments={12: 10})], paper=PAPERS["letter"])

    _, runs = cells(pdf)[12]
    assert [r.text for r in runs if r.text.startswith("9:")] == [
        f"9:{i:02d} Student 12-{i}" for i in range(10)
    ]
    assert not any(r.text.startswith("+ ") for r in runs)
    assert min(r.size for r in runs if r.text.startswith("9:")) >= 5.5


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_it_shows_how_many_more_when_a_day_is_too_full(paper):
    long_name = "Maximiliana-Alexandrina Wolfeschlegelsteinhausenbergerdorff"
    busy = month(appointments={12: 40, 13: 3})
    weeks = [list(week) for week in busy.weeks]
    weeks[2][4] = DayCell(13, [f"9:0{i} {long_name}" for i in range(3)], "Short day " * 20)
    pdf = calendar_pdf(months=[Month(busy.title, "Room 12", WEEKDAYS, weeks)], paper=PAPERS[paper])

    days = cells(pdf)
    box, runs = days[12]
    shown = [r.text for r in runs if r.text.startswith("9:")]
    more = [r.text for r in runs if r.text.startswith("+ ")]
    assert len(more) == 1 and more[0].endswith(" more")
    assert len(shown) + int(more[0].split()[1]) == 40  # every appointment is counted
    assert shown == [f"9:{i:02d} Student 12-{i}" for i in range(len(shown))]
    for box, runs in days.values():  # every line stays in its own cell
        assert all(box.holds(r.box) for r in runs)
    title_and_weekdays = 7
    in_cells = sum(len(runs) for _, runs in days.values())
    assert in_cells + title_and_weekdays == len(text_runs(pdf))
    assert min(r.size for r in text_runs(pdf)) >= 5.5
    thirteenth = [r.text for r in days[13][1]]
    assert thirteenth[2].startswith("9:00 Maximiliana") and thirteenth[2].endswith("…")


# ----------------------------------------------------------------------------------------
# The class goals poster.

POSTER_GOALS = [
    PosterGoal("I can add dialogue", "message-circle", ["Zoë", "José", "Nguyễn Thị Thu"]),
    PosterGoal("I can write a strong lead", "anchor", ["Łukasz", "Søren", "Amara"]),
    PosterGoal("I can plan my story", "", []),
]


@pytest.mark.parametrize("paper", ["letter", "a4", "tabloid"])
def test_it_prints_the_goals_poster_on_any_paper(paper):
    pdf = poster_pdf(title="Our writing goals — Room 12", goals=POSTER_GOALS, paper=PAPERS[paper])

    assert pages(pdf) == 1
    width, height = page_size(pdf)
    assert (width, height) == pytest.approx(
        (PAPERS[paper].width, PAPERS[paper].height), abs=TOLERANCE
    )
    runs = text_runs(pdf)
    assert runs[0].text == "Our writing goals — Room 12"
    boxes = outermost(graphics(pdf).clips)
    assert len(boxes) == 3
    inside: dict[int, str] = {}
    for run in runs[1:]:
        n = holder(boxes, run)
        assert n is not None, run
        inside[n] = f"{inside.get(n, '')} {run.text}".strip()
    assert inside == {
        0: "I can add dialogue Zoë · José · Nguyễn Thị Thu",
        1: "I can write a strong lead Łukasz · Søren · Amara",
        2: "I can plan my story —",
    }
    page = Box(MARGIN, MARGIN, width - MARGIN, height - MARGIN)
    assert all(page.holds(r.box) for r in runs)
    assert all(page.holds(b) for b in boxes)
    # The poster grows with the paper: its title is larger on 11 x 17.
    assert runs[0].size >= 20 * width / 215.9


def test_it_fits_a_crowded_poster_on_one_page():
    goals = [
        PosterGoal(f"I can {'x' * 300} {n}", "anchor", ["Maximiliana-Alexandrina"] * 40)
        for n in range(40)
    ]
    pdf = poster_pdf(title="Our writing goals " * 20, goals=goals, paper=PAPERS["letter"])

    assert pages(pdf) == 1
    boxes = outermost(graphics(pdf).clips)
    assert len(boxes) == 40
    runs = text_runs(pdf)
    assert min(r.size for r in runs) >= SMALLEST
    width, height = page_size(pdf)
    for run in runs:
        if run.text.startswith("Our writing goals"):
            assert Box(MARGIN, MARGIN, width - MARGIN, height - MARGIN).holds(run.box)
        else:
            assert holder(boxes, run) is not None, run


# ----------------------------------------------------------------------------------------
# Self-assessment checklists.


def checklist(name: str = "Zoë") -> Checklist:
    return Checklist(
        name,
        "Narrative writing checklist",
        [
            (
                "Structure",
                [
                    ChecklistItem("I wrote a lead that hooks the reader", "anchor", mine=True),
                    ChecklistItem("I told events in order", "list-ordered"),
                ],
            ),
            ("Craft", [ChecklistItem("I used dialogue", "message-circle", mine=True)]),
            ("Conventions", [ChecklistItem("I used capital letters", "")]),
        ],
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_it_marks_and_shades_the_students_own_goals_on_the_checklist(paper):
    pdf = checklist_pdf(checklists=[checklist(), checklist("José")], paper=PAPERS[paper])

    assert pages(pdf) == 2
    assert page_size(pdf) == pytest.approx(
        (PAPERS[paper].width, PAPERS[paper].height), abs=TOLERANCE
    )
    runs = text_runs(pdf)
    assert find(runs, "Name:").text == "Name: Zoë"
    assert "Name: José" in page_text(pdf, 1)
    items = {r.text: r.box for r in runs if r.text.lstrip("★ ").startswith("I ")}
    assert set(items) == {
        "★ I wrote a lead that hooks the reader",
        "I told events in order",
        "★ I used dialogue",
        "I used capital letters",
    }
    highlighted = [box for box, colour in graphics(pdf).fills if colour == (1.0, 0.94902, 0.701961)]
    for text, box in items.items():
        shaded = any(h.holds(box) for h in highlighted)
        assert shaded == text.startswith("★"), text
    assert sum(page_text(pdf).count(r) for r in ("Not yet", "Yes")) == 6  # per section
    assert_inside_the_margins(pdf)


# ----------------------------------------------------------------------------------------
# The parent-teacher conference report.


def report(name: str = "Zoë", *, huge: bool = False, family_lines: int = 5) -> Report:
    n = 40 if huge else 1
    return Report(
        name,
        "Room 12",
        "Ms Rivera",
        "23 November 2026",
        [GoalLine("I can add dialogue " * (5 if huge else 1), "3 October")] * n,
        [Strength("Vivid verbs", "The dog galumphed across the yard", "Dog story, 12 Oct")] * n,
        [f"{d} Oct" for d in range(1, 200 if huge else 3)],
        [f"Add a line of dialogue {name}"] * n,
        [f"First step for {name}", *["Keep working on dialogue " * (8 if huge else 1)] * n],
        family_lines=family_lines,
    )


def test_it_reports_the_record_for_the_family():
    pdf = report_pdf(reports=[report()], paper=PAPERS["letter"])

    assert pages(pdf) == 1
    text = page_text(pdf)
    for words in [
        "Writing conferences: Zoë",
        "Room 12 · Ms Rivera · 23 November 2026",
        "• I can add dialogue (since 3 October)",
        "• Vivid verbs",
        "“The dog galumphed across the yard” (Dog story, 12 Oct)",
        "2 conferences: 1 Oct, 2 Oct.",
        "• Add a line of dialogue Zoë",
        "• First step for Zoë",
        "Notes from the family",
    ]:
        assert words in text
    assert_inside_the_margins(pdf)


@pytest.mark.parametrize("paper", ["letter", "a4", "tabloid"])
@pytest.mark.parametrize("family_lines", [5, 10])
def test_it_prints_exactly_one_page_per_student_even_with_a_huge_record(paper, family_lines):
    names = ["Zoë", "José", "Søren"]
    pdf = report_pdf(
        reports=[report(name, huge=True, family_lines=family_lines) for name in names],
        paper=PAPERS[paper],
    )

    assert pages(pdf) == 3
    for page, name in enumerate(names):
        text = page_text(pdf, page)
        assert f"Writing conferences: {name}" in text
        assert f"First step for {name}" in text
        # The lists are cut to what a page holds, the latest kept, the rest counted.
        latest = ", ".join(f"{d} Oct" for d in range(200 - REPORT_DAYS, 200))
        assert f"199 conferences; the latest {REPORT_DAYS}: {latest}." in text
        for more in [
            f"{40 - REPORT_GOALS} more goals",
            f"{40 - REPORT_STRENGTHS} more strengths",
            f"{40 - REPORT_TASKS} more tasks",
            f"{41 - REPORT_STEPS} more next steps",
        ]:
            assert f"…and {more}" in text
        assert_inside_the_margins(pdf, page)
        # The record stays above the family's section, which is whole on the page.
        runs = text_runs(pdf, page)
        family = find(runs, "Notes from the family").box
        record = [r for r in runs if MARGIN <= r.box.top < family.top]
        assert record[-1].text == f"…and {41 - REPORT_STEPS} more next steps."
        assert all(r.box.bottom <= family.top for r in record)
        assert min(r.size for r in runs) >= SMALLEST  # cut, so hardly shrunk: still readable
        _, height = page_size(pdf, page)
        rules = [y1 for _, y1, _, y2 in graphics(pdf, page).lines if y1 == y2 and y1 > family.top]
        assert len(rules) == family_lines + 1
        assert max(rules) <= height - MARGIN + TOLERANCE


# ----------------------------------------------------------------------------------------
# Names in any alphabet, on every kind of page.

LETTER = PAPERS["letter"]
UNICODE_PAGES = {
    "chart": lambda: chart_pdf(charts=[chart(name) for name in NAMES], paper=LETTER),
    "calendar": lambda: calendar_pdf(
        months=[
            Month(
                "Listopad 2026",
                "Sala 12",
                WEEKDAYS,
                [[DayCell(n + 2, [f"9:0{n} {name}"]) for n, name in enumerate(NAMES)]],
            )
        ],
        paper=LETTER,
    ),
    "poster": lambda: poster_pdf(title="Cele", goals=POSTER_GOALS, paper=LETTER),
    "checklist": lambda: checklist_pdf(checklists=[checklist(n) for n in NAMES], paper=LETTER),
    "report": lambda: report_pdf(reports=[report(n) for n in NAMES], paper=LETTER),
}


@pytest.mark.parametrize("kind", UNICODE_PAGES)
def test_it_prints_names_in_any_alphabet_on_every_page(kind):
    pdf = UNICODE_PAGES[kind]()

    runs = [r for page in range(pages(pdf)) for r in text_runs(pdf, page)]
    text = " ".join(r.text for r in runs)
    for name in NAMES:
        assert name in text
    assert {r.font for r in runs} <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert_every_glyph_is_in_the_font("".join(NAMES) + "★“”·•—…", pdf)
