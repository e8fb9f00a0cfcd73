"""The built-in self-assessment checklists: the shipped files, the checks, installing them."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.goals.library import (
    BANDS,
    DEFAULT_PATH,
    GENRES,
    MAX_LENGTHS,
    ChecklistData,
    Library,
    LibraryError,
    install_library,
    read_library,
)
from conferbook.goals.models import (
    Checklist,
    ChecklistItem,
    Rating,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from tests.factories import StudentFactory

NINE = {(genre, band) for genre in GENRES for band in BANDS}
CONVENTIONS = {"conventions-spelling", "conventions-punctuation-grammar"}


@pytest.fixture(scope="module")
def shipped() -> Library:
    return read_library()


# -- small libraries written for one test -----------------------------------------------

# Goals for every grade, enough for a checklist of 13 items, and two narrow ones.
ANY_GRADE = [f"any-grade-{n}" for n in range(1, 15)]
NARROW = {"kindergarten-only": (0, 0), "middle-school-only": (6, 8)}
SEVEN = ANY_GRADE[:7]


def q(value: str) -> str:
    # A JSON string is also a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def goal_toml(key: str, low: int, high: int) -> str:
    lines = [
        "[[goals]]",
        f"key = {q(key)}",
        f"name = {q(f'Goal {key}')}",
        'student_words = "I can do the thing."',
        'checklist_item = "I did the thing."',
        'clue_icon = "pencil"',
        'clue_words = "Do the thing"',
        f"grade_low = {low}",
        f"grade_high = {high}",
        "",
    ]
    for n in (1, 2):
        lines += [
            "[[goals.strategies]]",
            f'key = "{key}-strategy-{n}"',
            f'name = "Strategy {n}"',
            'steps = ["Do one.", "Do two.", "Do three."]',
            "",
        ]
    return "\n".join(lines)


def checklist_toml(
    key: str = "narrative-k-2",
    band: str = "k-2",
    goals: list[str] = SEVEN,
    name: str = "My story checklist",
    extra: str = "",
) -> str:
    lines = ["[[checklists]]", f"key = {q(key)}", f"band = {q(band)}", f"name = {q(name)}"]
    lines += [extra, ""] if extra else [""]
    for goal in goals:
        lines += ["[[checklists.items]]", f"goal = {q(goal)}", f"text = {q(f'I did {goal}.')}", ""]
    return "\n".join(lines)


def genre_toml(genre: str, *checklists: str) -> str:
    return f"genre = {q(genre)}\n\n" + "\n".join(checklists)


def write_library(folder: Path, checklists: dict[str, str] | None) -> Path:
    """A one-category library of made-up goals, with `checklists/` files if given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.toml").write_text('version = "test.1"\n')
    goals = [goal_toml(key, 0, 8) for key in ANY_GRADE]
    goals += [goal_toml(key, low, high) for key, (low, high) in NARROW.items()]
    (folder / "01-all.toml").write_text(
        'key = "all"\nname = "All"\ndescription = "Everything."\nposition = 1\n\n'
        + "\n".join(goals)
    )
    if checklists is not None:
        (folder / "checklists").mkdir()
        for name, text in checklists.items():
            (folder / "checklists" / name).write_text(text)
    return folder


def copy_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(DEFAULT_PATH, folder)
    return folder


def item_block(checklist: ChecklistData, index: int) -> str:
    """The TOML text of one shipped item, as written in its genre file."""
    item = checklist.items[index]
    return f'[[checklists.items]]\ngoal = "{item.goal_key}"\ntext = {q(item.text)}\n'


# -- the shipped checklists -------------------------------------------------------------


def test_it_ships_one_checklist_per_genre_and_band(shipped: Library) -> None:
    assert {(c.genre, c.band) for c in shipped.checklists} == NINE
    assert len(shipped.checklists) == 9
    for checklist in shipped.checklists:
        assert 7 <= len(checklist.items) <= 12, checklist.key
        assert checklist.key == f"{checklist.genre}-{checklist.band}"
        assert checklist.name


def test_it_numbers_the_shipped_checklists_narrative_then_information_then_opinion(
    shipped: Library,
) -> None:
    assert [c.position for c in shipped.checklists] == list(range(1, 10))
    assert [c.genre for c in shipped.checklists] == [g for g in GENRES for _ in range(3)]
    for checklist in shipped.checklists:
        assert [i.position for i in checklist.items] == list(range(1, len(checklist.items) + 1))


def test_it_ties_every_item_to_a_library_goal_that_fits_the_band(shipped: Library) -> None:
    for checklist in shipped.checklists:
        low, high = BANDS[checklist.band]
        keys = [item.goal_key for item in checklist.items]
        assert len(keys) == len(set(keys)), checklist.key
        for key in keys:
            goal = shipped.goal(key)  # KeyError if the library has no such goal
            assert goal.grade_low <= high and goal.grade_high >= low, (checklist.key, key)


def test_it_checks_conventions_last_and_the_beginning_before_the_ending(
    shipped: Library,
) -> None:
    category_of = {g.key: c.key for c in shipped.categories for g in c.goals}
    for checklist in shipped.checklists:
        keys = [item.goal_key for item in checklist.items]
        is_convention = [category_of[key] in CONVENTIONS for key in keys]
        assert is_convention == sorted(is_convention), checklist.key  # never before craft
        assert any(is_convention), checklist.key
        assert keys.index("strong-lead") < keys.index("strong-ending"), checklist.key


def test_it_words_every_item_for_the_student_not_as_the_goal_says_it(shipped: Library) -> None:
    for checklist in shipped.checklists:
        for item in checklist.items:
            assert re.search(r"\b(I|my|me)\b", item.text, re.IGNORECASE), item.text
            assert item.text != shipped.goal(item.goal_key).checklist_item, item.text
    texts = [item.text for checklist in shipped.checklists for item in checklist.items]
    assert len(texts) == len(set(texts)), "the same line twice: write one for each genre"


def test_it_keeps_the_k_2_items_short(shipped: Library) -> None:
    for checklist in shipped.checklists:
        if checklist.band == "k-2":
            for item in checklist.items:
                assert len(item.text) <= 60 and len(item.text.split()) <= 11, item.text


def test_it_keeps_checklist_length_limits_in_step_with_the_models() -> None:
    for kind, model in [("checklist", Checklist), ("checklist_item", ChecklistItem)]:
        for field, limit in MAX_LENGTHS[kind].items():
            max_length = getattr(model._meta.get_field(field), "max_length", None)
            assert max_length == limit, (kind, field)


def test_it_keeps_genres_and_bands_in_step_with_the_model_choices() -> None:
    assert list(GENRES) == list(Checklist.Genre.values)
    assert list(BANDS) == list(Checklist.Band.values)


def test_it_mentions_checklists_in_the_summary(shipped: Library) -> None:
    items = sum(len(c.items) for c in shipped.checklists)
    assert f", 9 checklists with {items} items." in shipped.summary()


# -- checks on the files ----------------------------------------------------------------


def test_it_reads_a_library_without_a_checklists_folder(tmp_path: Path) -> None:
    library = read_library(write_library(tmp_path, None))

    assert library.checklists == ()
    assert len(list(library.goals())) == len(ANY_GRADE) + len(NARROW)


def test_it_numbers_checklists_in_genre_order_whatever_the_file_names(tmp_path: Path) -> None:
    folder = write_library(
        tmp_path,
        {
            "a.toml": genre_toml("opinion", checklist_toml("opinion-k-2")),
            "b.toml": genre_toml(
                "narrative",
                checklist_toml("narrative-6-8", band="6-8"),
                checklist_toml("narrative-k-2", band="k-2"),
            ),
            "c.toml": genre_toml("information", checklist_toml("information-3-5", band="3-5")),
        },
    )

    checklists = read_library(folder).checklists

    assert [(c.key, c.position) for c in checklists] == [
        ("narrative-6-8", 1),
        ("narrative-k-2", 2),
        ("information-3-5", 3),
        ("opinion-k-2", 4),
    ]
    assert [i.goal_key for i in checklists[0].items] == SEVEN
    assert checklists[0].items[0].text == "I did any-grade-1."


FIRST_TEXT = q("I did any-grade-1.")
FIRST_ITEM = "[[checklists.items]]\n"
BROKEN = [
    # (what is wrong, files in checklists/, words the message must hold)
    (
        "unknown field in a genre file",
        {"narrative.toml": 'colour = "red"\n' + genre_toml("narrative", checklist_toml())},
        ["unknown field(s) colour"],
    ),
    (
        "unknown field in a checklist",
        {"narrative.toml": genre_toml("narrative", checklist_toml(extra="grade = 3"))},
        ["narrative-k-2", "unknown field(s) grade"],
    ),
    (
        "unknown field in an item",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                FIRST_ITEM, FIRST_ITEM + 'sticker = "star"\n', 1
            )
        },
        ["narrative-k-2", "item 1", "unknown field(s) sticker"],
    ),
    (
        "genre missing",
        {"narrative.toml": checklist_toml()},
        ["genre must be one of narrative, information, opinion"],
    ),
    (
        "genre not allowed",
        {"poetry.toml": genre_toml("poetry", checklist_toml("poetry-k-2"))},
        ["genre must be one of", "'poetry'"],
    ),
    (
        "a genre in two files",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()),
            "stories.toml": genre_toml("narrative", checklist_toml("stories-3-5", band="3-5")),
        },
        ["checklists/narrative.toml", "both are for genre 'narrative'"],
    ),
    (
        "genre file without checklists",
        {"narrative.toml": 'genre = "narrative"\n'},
        ["genre 'narrative' has no checklists"],
    ),
    (
        "checklists not tables",
        {"narrative.toml": 'genre = "narrative"\nchecklists = "all of them"\n'},
        ["[[checklists]] tables"],
    ),
    (
        "not valid TOML",
        {"narrative.toml": 'genre = "narrative\n'},
        ["not valid TOML"],
    ),
    (
        "key missing",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml().replace('key = "narrative-k-2"\n', "")
            )
        },
        ["checklist number 1", "the checklist has no key"],
    ),
    (
        "key not a slug",
        {"narrative.toml": genre_toml("narrative", checklist_toml("Narrative K2"))},
        ["checklist key 'Narrative K2' must be lowercase words"],
    ),
    (
        "key too long",
        {"narrative.toml": genre_toml("narrative", checklist_toml("k" * 61))},
        ["at most 60 characters"],
    ),
    (
        "key used twice",
        {
            "information.toml": genre_toml("information", checklist_toml("my-checklist")),
            "narrative.toml": genre_toml("narrative", checklist_toml("my-checklist")),
        },
        ["checklist key 'my-checklist' is used more than once", "checklists/narrative.toml"],
    ),
    (
        "band not allowed",
        {"narrative.toml": genre_toml("narrative", checklist_toml(band="k-3"))},
        ["narrative-k-2", "band must be one of k-2, 3-5, 6-8", "'k-3'"],
    ),
    (
        "two checklists for one genre and band",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml(), checklist_toml("stories-k-2")
            )
        },
        ["stories-k-2", "already has a checklist for band 'k-2' ('narrative-k-2')"],
    ),
    (
        "name missing",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml().replace('name = "My story checklist"\n', "")
            )
        },
        ["narrative-k-2", "name is missing or empty"],
    ),
    (
        "name too long",
        {"narrative.toml": genre_toml("narrative", checklist_toml(name="n" * 121))},
        ["narrative-k-2", "name is 121 characters long; the most is 120"],
    ),
    (
        "no items",
        {"narrative.toml": genre_toml("narrative", checklist_toml(goals=[]))},
        ["'narrative-k-2' has 0 items; it needs 7 to 12"],
    ),
    (
        "six items",
        {"narrative.toml": genre_toml("narrative", checklist_toml(goals=ANY_GRADE[:6]))},
        ["'narrative-k-2' has 6 items; it needs 7 to 12"],
    ),
    (
        "thirteen items",
        {"narrative.toml": genre_toml("narrative", checklist_toml(goals=ANY_GRADE[:13]))},
        ["'narrative-k-2' has 13 items; it needs 7 to 12"],
    ),
    (
        "goal missing",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                'goal = "any-grade-1"\n', "", 1
            )
        },
        ["narrative-k-2", "item 1", "goal is missing or empty"],
    ),
    (
        "goal not in the library",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml(goals=[*ANY_GRADE[:6], "no-such-goal"])
            )
        },
        ["narrative-k-2", "item 7 (goal 'no-such-goal')", "no goal of the library"],
    ),
    (
        "goal twice",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml(goals=[*ANY_GRADE[:6], ANY_GRADE[2]])
            )
        },
        ["narrative-k-2", "item 7 (goal 'any-grade-3')", "already has an item"],
    ),
    (
        "goal above the band",
        {
            "narrative.toml": genre_toml(
                "narrative", checklist_toml(goals=[*ANY_GRADE[:6], "middle-school-only"])
            )
        },
        ["narrative-k-2", "middle-school-only", "grades 6-8, outside band 'k-2'"],
    ),
    (
        "goal below the band",
        {
            "narrative.toml": genre_toml(
                "narrative",
                checklist_toml(
                    "narrative-6-8", band="6-8", goals=["kindergarten-only", *ANY_GRADE[:6]]
                ),
            )
        },
        ["narrative-6-8", "kindergarten-only", "grades 0-0, outside band '6-8'"],
    ),
    (
        "text missing",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                f"text = {FIRST_TEXT}\n", "", 1
            )
        },
        ["narrative-k-2", "item 1 (goal 'any-grade-1')", "text is missing or empty"],
    ),
    (
        "text blank",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                FIRST_TEXT, '"   "', 1
            )
        },
        ["narrative-k-2", "item 1 (goal 'any-grade-1')", "text is missing or empty"],
    ),
    (
        "text on two lines",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                FIRST_TEXT, q("I did\nthe thing."), 1
            )
        },
        ["narrative-k-2", "any-grade-1", "text must be one line"],
    ),
    (
        "text too long",
        {
            "narrative.toml": genre_toml("narrative", checklist_toml()).replace(
                FIRST_TEXT, q("I " + "a" * 199), 1
            )
        },
        ["narrative-k-2", "any-grade-1", "text is 201 characters long; the most is 200"],
    ),
]


@pytest.mark.parametrize(
    ("files", "complaints"),
    [pytest.param(files, complaints, id=what) for what, files, complaints in BROKEN],
)
def test_it_rejects_a_checklist_file_that_breaks_a_rule(
    tmp_path: Path, files: dict[str, str], complaints: list[str]
) -> None:
    folder = write_library(tmp_path, files)

    with pytest.raises(LibraryError) as error:
        read_library(folder)

    message = str(error.value)
    assert re.match(r"checklists/\w+\.toml", message), message  # names the file first
    for words in complaints:
        assert words in message


def test_it_accepts_the_smallest_and_largest_checklists(tmp_path: Path) -> None:
    folder = write_library(
        tmp_path,
        {
            "narrative.toml": genre_toml(
                "narrative",
                checklist_toml("small", band="k-2", goals=ANY_GRADE[:7]),
                checklist_toml("large", band="6-8", goals=ANY_GRADE[:12]),
            )
        },
    )

    assert [len(c.items) for c in read_library(folder).checklists] == [7, 12]


def test_it_rejects_a_broken_shipped_copy_from_the_loadlibrary_command(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    narrative = folder / "checklists" / "narrative.toml"
    narrative.write_text(narrative.read_text().replace('band = "3-5"', 'band = "3-6"', 1))

    with pytest.raises(CommandError) as error:
        call_command("loadlibrary", path=folder, stdout=StringIO())

    assert "checklists/narrative.toml: checklist 'narrative-3-5'" in str(error.value)


# -- installing -------------------------------------------------------------------------


def installed(checklist: Checklist) -> list[tuple[str, str, int]]:
    return [(i.goal.key, i.text, i.position) for i in checklist.items.select_related("goal")]


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.django_db
def test_it_installs_the_nine_checklists_when_migrating(shipped: Library) -> None:
    assert Checklist.objects.count() == 9
    for data in shipped.checklists:
        checklist = Checklist.objects.get(key=data.key)
        assert (checklist.name, checklist.genre, checklist.band, checklist.position) == (
            data.name,
            data.genre,
            data.band,
            data.position,
        )
        assert checklist.library_version == shipped.version
        assert installed(checklist) == [(i.goal_key, i.text, i.position) for i in data.items]
    assert not ChecklistItem.objects.exclude(goal__owner=None).exists()
    assert ChecklistItem.objects.count() == sum(len(c.items) for c in shipped.checklists)


@pytest.mark.django_db
def test_it_adds_missing_checklists_then_writes_nothing_the_second_time(
    shipped: Library,
) -> None:
    Checklist.objects.all().delete()
    items = sum(len(c.items) for c in shipped.checklists)

    first = install_library(library=shipped)
    with CaptureQueriesContext(connection) as queries:
        second = install_library(library=shipped)

    assert (first.created, first.updated) == (9 + items, 0)
    assert not second.changed
    assert writes(queries) == []
    assert Checklist.objects.count() == 9
    assert ChecklistItem.objects.count() == items


@pytest.mark.django_db
def test_it_updates_an_edited_item_in_place_and_keeps_the_answers(
    tmp_path: Path, shipped: Library
) -> None:
    data = next(c for c in shipped.checklists if c.key == "narrative-3-5")
    old = data.items[2]
    item = ChecklistItem.objects.get(checklist__key=data.key, goal__key=old.goal_key)
    answer = answer_item(item)
    folder = copy_shipped(tmp_path)
    narrative = folder / "checklists" / "narrative.toml"
    assert narrative.read_text().count(f"text = {q(old.text)}") == 1
    narrative.write_text(
        narrative.read_text().replace(f"text = {q(old.text)}", 'text = "My problem gets worse."')
    )

    report = install_library(library=read_library(folder))

    assert (report.created, report.updated) == (0, 1)
    edited = ChecklistItem.objects.get(pk=item.pk)
    assert edited.text == "My problem gets worse."
    assert edited.position == old.position
    answer.refresh_from_db()
    assert answer.item_id == item.pk


@pytest.mark.django_db
def test_it_keeps_an_item_dropped_from_the_files(tmp_path: Path, shipped: Library) -> None:
    data = next(c for c in shipped.checklists if c.key == "narrative-k-2")
    dropped = data.items[4]
    item = ChecklistItem.objects.get(checklist__key=data.key, goal__key=dropped.goal_key)
    answer = answer_item(item)
    folder = copy_shipped(tmp_path)
    narrative = folder / "checklists" / "narrative.toml"
    block = item_block(data, 4)
    assert narrative.read_text().count(block) == 1
    narrative.write_text(narrative.read_text().replace(block, ""))

    report = install_library(library=read_library(folder))

    kept = ChecklistItem.objects.get(pk=item.pk)
    assert (kept.text, kept.position) == (dropped.text, dropped.position)
    answer.refresh_from_db()
    assert answer.item_id == item.pk
    # The items after it move up one place; nothing else changes.
    assert (report.created, report.updated) == (0, len(data.items) - 5)
    moved = ChecklistItem.objects.get(checklist__key=data.key, goal__key=data.items[5].goal_key)
    assert moved.position == 5


@pytest.mark.django_db
def test_it_sets_a_new_library_version_on_every_checklist(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    (folder / "index.toml").write_text('version = "2099.1"\n')
    library = read_library(folder)

    report = install_library(library=library)

    assert set(Checklist.objects.values_list("library_version", flat=True)) == {"2099.1"}
    # Goals and checklists carry the version; items and strategies do not.
    assert report.updated == len(list(library.goals())) + len(library.checklists)
    assert report.created == 0


@pytest.mark.django_db
def test_it_skips_checklists_with_the_models_of_migration_0002(shipped: Library) -> None:
    Checklist.objects.all().delete()
    apps = (
        MigrationExecutor(connection).loader.project_state(("goals", "0002_builtin_library")).apps
    )
    with pytest.raises(LookupError):
        apps.get_model("goals", "Checklist")

    report = install_library(library=shipped, apps=apps)

    assert not report.changed  # the goals are installed already
    assert Checklist.objects.count() == 0
    assert ChecklistItem.objects.count() == 0


@pytest.mark.django_db
def test_it_installs_checklists_with_the_models_of_migration_0004(shipped: Library) -> None:
    Checklist.objects.all().delete()
    apps = (
        MigrationExecutor(connection)
        .loader.project_state(("goals", "0004_builtin_checklists"))
        .apps
    )

    report = install_library(library=shipped, apps=apps)

    assert report.created == 9 + sum(len(c.items) for c in shipped.checklists)
    assert Checklist.objects.count() == 9


@pytest.mark.django_db
def test_it_reports_checklists_from_the_loadlibrary_command(shipped: Library) -> None:
    out = StringIO()

    call_command("loadlibrary", stdout=out)

    items = sum(len(c.items) for c in shipped.checklists)
    assert f"9 checklists with {items} items." in out.getvalue()
    assert "Already up to date." in out.getvalue()


def answer_item(item: ChecklistItem) -> SelfAssessmentAnswer:
    assessment = SelfAssessment.objects.create(
        student=StudentFactory(), checklist=item.checklist, taken_on=timezone.localdate()
    )
    return SelfAssessmentAnswer.objects.create(
        assessment=assessment, item=item, rating=Rating.STARTING
    )
