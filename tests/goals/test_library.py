"""The built-in goal library: the shipped files, the checks on them, and installing them."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from conferbook.accounts.models import User
from conferbook.goals.library import (
    DEFAULT_PATH,
    MAX_LENGTHS,
    Library,
    LibraryError,
    install_library,
    read_library,
)
from conferbook.goals.models import Goal, GoalCategory, Strategy

MUST_HAVE_GOALS = [
    "strong-lead",
    "use-dialogue",
    "show-dont-tell",
    "sensory-details",
    "figurative-language",
    "strong-ending",
    "high-frequency-words",
    "more-than-one-perspective",
]

REQUIRED_CATEGORIES = [
    "engagement",
    "generating-ideas",
    "focus",
    "structure",
    "elaboration",
    "craft",
    "conventions-spelling",
    "conventions-punctuation-grammar",
    "process-revision",
    "partnerships",
]


@pytest.fixture(scope="module")
def shipped() -> Library:
    return read_library()


# -- small libraries written for one test -----------------------------------------------


def _toml(value: object) -> str:
    # A JSON string or number is also a valid TOML value.
    return json.dumps(value)


def goal_toml(key: str, **fields: object) -> str:
    values: dict[str, object] = {
        "key": key,
        "name": f"Goal {key}",
        "student_words": "I can do the thing.",
        "checklist_item": "I did the thing.",
        "clue_icon": "pencil",
        "clue_words": "Do the thing",
        "grade_low": 0,
        "grade_high": 8,
    }
    values.update(fields)
    strategies = values.pop("strategies", 2)
    lines = ["[[goals]]", *(f"{k} = {_toml(v)}" for k, v in values.items()), ""]
    for n in range(1, int(strategies) + 1):  # type: ignore[call-overload]
        lines += [
            "[[goals.strategies]]",
            f'key = "{key}-strategy-{n}"',
            f'name = "Strategy {n}"',
            'steps = ["Do one.", "Do two.", "Do three."]',
            "",
        ]
    return "\n".join(lines)


def write_library(folder: Path, files: dict[str, str], version: str = "test.1") -> Path:
    """Write index.toml and one file per entry of `files` (file name -> goals text)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.toml").write_text(f'version = "{version}"\n')
    for position, (name, goals) in enumerate(files.items(), start=1):
        key = Path(name).stem
        header = (
            f'key = "{key}"\nname = "Category {key}"\n'
            f'description = "About {key}."\nposition = {position}\n\n'
        )
        (folder / name).write_text(header + goals)
    return folder


# -- the shipped library ----------------------------------------------------------------


def test_it_ships_at_least_ten_categories_and_forty_goals(shipped: Library) -> None:
    assert len(shipped.categories) >= 10
    assert len(list(shipped.goals())) >= 40
    assert shipped.version


def test_it_ships_the_expected_categories_in_order(shipped: Library) -> None:
    keys = [c.key for c in shipped.categories]
    assert set(REQUIRED_CATEGORIES) <= set(keys)
    assert all(c.name and c.description and len(c.goals) >= 3 for c in shipped.categories)


def test_it_gives_every_goal_words_checklist_and_picture_clue(shipped: Library) -> None:
    for goal in shipped.goals():
        assert goal.student_words.startswith("I can "), goal.key
        assert goal.checklist_item, goal.key
        assert goal.clue_icon, goal.key
        assert 2 <= len(goal.clue_words.split()) <= 4, goal.key


def test_it_gives_every_goal_two_strategies_of_three_to_five_steps(shipped: Library) -> None:
    for goal in shipped.goals():
        assert len(goal.strategies) >= 2, goal.key
        for strategy in goal.strategies:
            assert 3 <= len(strategy.steps) <= 5, strategy.key


@pytest.mark.parametrize("key", MUST_HAVE_GOALS)
def test_it_ships_the_must_have_goal(shipped: Library, key: str) -> None:
    goal = shipped.goal(key)
    assert goal.student_words.startswith("I can ")
    assert len(goal.strategies) >= 2


def test_it_has_goals_for_every_grade_from_k_to_8(shipped: Library) -> None:
    for grade in range(9):
        fitting = [g for g in shipped.goals() if g.grade_low <= grade <= g.grade_high]
        assert len(fitting) >= 15, f"grade {grade} has only {len(fitting)} goals"


def test_it_keeps_its_length_limits_in_step_with_the_models() -> None:
    for kind, model in [("category", GoalCategory), ("goal", Goal), ("strategy", Strategy)]:
        for field, limit in MAX_LENGTHS[kind].items():
            max_length = getattr(model._meta.get_field(field), "max_length", None)
            assert max_length == limit, (kind, field)


# -- checks on the files ----------------------------------------------------------------


def test_it_rejects_a_goal_key_used_twice(tmp_path: Path) -> None:
    folder = write_library(
        tmp_path,
        {
            "01-one.toml": goal_toml("write-a-lead"),
            # Same goal key, different strategy keys: only the goal is a duplicate.
            "02-two.toml": goal_toml("write-a-lead").replace("-strategy-", "-other-"),
        },
    )
    with pytest.raises(LibraryError) as error:
        read_library(folder)
    assert "goal key 'write-a-lead'" in str(error.value)
    assert "02-two.toml" in str(error.value)
    assert "01-one.toml" in str(error.value)


def test_it_rejects_student_words_without_i_can(tmp_path: Path) -> None:
    folder = write_library(
        tmp_path, {"01-one.toml": goal_toml("add-detail", student_words="Add more detail.")}
    )
    with pytest.raises(LibraryError) as error:
        read_library(folder)
    assert "add-detail" in str(error.value)
    assert "01-one.toml" in str(error.value)
    assert "I can" in str(error.value)


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"clue_words": "Detail"}, "clue_words"),
        ({"clue_words": "Add lots and lots more"}, "clue_words"),
        ({"grade_low": 5, "grade_high": 2}, "grade_low"),
        ({"grade_high": 9}, "grade_high"),
        ({"strategies": 1}, "strategies"),
        ({"checklist_item": ""}, "checklist_item"),
        ({"clue_icon": "Big Pencil"}, "clue_icon"),
        ({"student_word": "I can spell."}, "unknown field"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_it_rejects_a_goal_that_breaks_a_rule(
    tmp_path: Path, fields: dict[str, object], complaint: str
) -> None:
    folder = write_library(tmp_path, {"01-one.toml": goal_toml("bad-goal", **fields)})
    with pytest.raises(LibraryError) as error:
        read_library(folder)
    assert "bad-goal" in str(error.value)
    assert complaint in str(error.value)


def test_it_rejects_a_strategy_with_too_few_steps(tmp_path: Path) -> None:
    text = goal_toml("few-steps").replace(
        'steps = ["Do one.", "Do two.", "Do three."]', 'steps = ["Do one."]', 1
    )
    folder = write_library(tmp_path, {"01-one.toml": text})
    with pytest.raises(LibraryError, match="few-steps-strategy-1"):
        read_library(folder)


def test_it_names_the_file_that_is_not_valid_toml(tmp_path: Path) -> None:
    folder = write_library(tmp_path, {"01-one.toml": goal_toml("fine")})
    (folder / "02-broken.toml").write_text('key = "broken\n')
    with pytest.raises(LibraryError, match=r"02-broken\.toml"):
        read_library(folder)


# -- installing -------------------------------------------------------------------------


def builtin_counts() -> tuple[int, int, int]:
    return (
        GoalCategory.objects.filter(owner=None).count(),
        Goal.objects.filter(owner=None).count(),
        Strategy.objects.filter(owner=None).count(),
    )


@pytest.mark.django_db
def test_it_installs_the_library_when_migrating(shipped: Library) -> None:
    categories, goals, strategies = builtin_counts()
    assert goals >= 40
    assert (categories, goals, strategies) == (
        len(shipped.categories),
        len(list(shipped.goals())),
        len(list(shipped.strategies())),
    )
    lead = Goal.objects.get(key="strong-lead", owner=None)
    assert lead.category.key == "structure"
    assert lead.library_version == shipped.version
    assert lead.strategies.count() >= 2
    assert len(lead.strategies.first().step_list) >= 3  # type: ignore[union-attr]
    for key in MUST_HAVE_GOALS:
        assert Goal.objects.filter(key=key, owner=None).exists(), key


@pytest.mark.django_db
def test_it_changes_nothing_when_installed_twice(shipped: Library) -> None:
    before = builtin_counts()

    first = install_library(library=shipped)
    second = install_library(library=shipped)

    assert not first.changed  # the migration already installed this library
    assert not second.changed
    assert builtin_counts() == before
    for model in (GoalCategory, Goal, Strategy):
        duplicates = (
            model.objects.filter(owner=None).values("key").annotate(n=Count("id")).filter(n__gt=1)
        )
        assert not duplicates.exists(), model


@pytest.mark.django_db
def test_it_updates_wording_changed_in_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(DEFAULT_PATH, folder)
    structure = folder / "04-structure.toml"
    structure.write_text(
        structure.read_text().replace('name = "Write a strong lead"', 'name = "Open strongly"')
    )
    (folder / "index.toml").write_text('version = "2099.1"\n')

    report = install_library(library=read_library(folder))

    lead = Goal.objects.get(key="strong-lead", owner=None)
    assert lead.name == "Open strongly"
    assert lead.library_version == "2099.1"
    assert report.created == 0
    library = read_library(folder)
    # The new version goes on each goal and each checklist.
    assert report.updated == len(list(library.goals())) + len(library.checklists)


@pytest.mark.django_db
def test_it_keeps_a_goal_that_was_dropped_from_the_files(tmp_path: Path) -> None:
    first = write_library(
        tmp_path / "v1",
        {"01-extra.toml": goal_toml("extra-kept") + "\n" + goal_toml("extra-dropped")},
    )
    install_library(library=read_library(first))
    second = write_library(tmp_path / "v2", {"01-extra.toml": goal_toml("extra-kept")})

    install_library(library=read_library(second))

    dropped = Goal.objects.get(key="extra-dropped", owner=None)
    assert dropped.strategies.count() == 2
    assert Goal.objects.filter(key="strong-lead", owner=None).exists()


@pytest.mark.django_db
def test_it_leaves_a_teachers_own_goal_with_the_same_key_alone(shipped: Library) -> None:
    teacher = User.objects.create_user(username="ms-rivera", password="x-x-x-x-x1")
    category = GoalCategory.objects.create(name="Mine", owner=teacher)
    own = Goal.objects.create(
        key="strong-lead",
        name="My lead goal",
        student_words="I can",
        category=category,
        owner=teacher,
    )

    install_library(library=shipped)

    own.refresh_from_db()
    assert own.name == "My lead goal"
    assert own.owner == teacher


@pytest.mark.django_db
def test_it_reports_counts_from_the_loadlibrary_command(shipped: Library) -> None:
    out = StringIO()

    call_command("loadlibrary", stdout=out)

    goals = len(list(shipped.goals()))
    assert (
        f"Goal library {shipped.version}: {len(shipped.categories)} categories, " in out.getvalue()
    )
    assert f"{goals} goals" in out.getvalue()
    assert "Already up to date." in out.getvalue()
