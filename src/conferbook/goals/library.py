"""The built-in goal library: data files in `library/`, read, checked and installed.

The folder holds `index.toml` (the library's `version`) and one TOML file per category
(every other `*.toml` file). A category file reads::

    key = "structure"                  # slug, permanent
    name = "Structure and organization"
    description = "One sentence for the teacher."
    position = 4                       # order of categories, unique

    [[goals]]                          # in the order the teacher sees them
    key = "strong-lead"                # slug, permanent, unique in the library
    name = "Write a strong lead"
    student_words = "I can ..."
    checklist_item = "My beginning makes the reader want to keep reading."
    clue_icon = "door-open"            # a Lucide icon Conferbook ships (lib/icons.py)
    clue_words = "Hook the reader"     # two to four words, printed on the sticker
    grade_low = 1                      # 0 is kindergarten, 8 is grade 8
    grade_high = 8

    [[goals.strategies]]               # at least two per goal
    key = "try-three-leads"            # slug, permanent, unique in the library
    name = "Try three leads, keep one"
    steps = ["...", "...", "..."]      # three to five lines

The optional `checklists/` folder holds the self-assessment checklists, one file per
genre (narrative, information, opinion); no folder means no checklists::

    genre = "narrative"                # one file per genre

    [[checklists]]                     # one per grade band, in the order students get them
    key = "narrative-k-2"              # slug, permanent, unique among checklists
    band = "k-2"                       # "k-2", "3-5" or "6-8"; one checklist per genre and band
    name = "My story checklist (K-2)"  # the title a student reads

    [[checklists.items]]               # 7 to 12, in the order a writer checks a draft
    goal = "strong-lead"               # a goal of this library whose grades overlap the band
    text = "My first page makes you want more."   # one line, in the student's voice

Checklists are numbered (`position`, from 1) in a fixed genre order, narrative, then
information, then opinion, whatever the file names, and in file order within a genre;
items are numbered from 1 in file order.

`read_library` is plain Python: it parses and checks the files and raises `LibraryError`
naming the file and the key at fault. `install_library` writes the built-in rows
(owner is null) by key, adding and updating, never deleting.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, transaction

from conferbook.lib.icons import icon_names

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.db.models import Model

DEFAULT_PATH = Path(__file__).resolve().parent / "library"
INDEX_FILE = "index.toml"
CHECKLISTS_FOLDER = "checklists"

LOWEST_GRADE = 0  # kindergarten
HIGHEST_GRADE = 8
MIN_STRATEGIES = 2
MIN_STEPS, MAX_STEPS = 3, 5
MIN_CLUE_WORDS, MAX_CLUE_WORDS = 2, 4
STUDENT_WORDS_START = "I can "

# Checklist genres in the order they are numbered, and each grade band's grades (K is 0).
# The models' choices repeat these; a test keeps them in step.
GENRES = ("narrative", "information", "opinion")
BANDS: dict[str, tuple[int, int]] = {"k-2": (0, 2), "3-5": (3, 5), "6-8": (6, 8)}
MIN_CHECKLIST_ITEMS, MAX_CHECKLIST_ITEMS = 7, 12

# The models' max_length, repeated here so reading stays free of Django models;
# a test keeps them in step. SQLite would not complain, PostgreSQL would.
MAX_LENGTHS: dict[str, dict[str, int]] = {
    "category": {"key": 60, "name": 120},
    "goal": {
        "key": 80,
        "name": 200,
        "student_words": 200,
        "checklist_item": 200,
        "clue_icon": 60,
        "clue_words": 60,
        "library_version": 20,
    },
    "strategy": {"key": 80, "name": 200},
    "checklist": {"key": 60, "name": 120},
    "checklist_item": {"text": 200},
}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CATEGORY_FIELDS = {"key", "name", "description", "position", "goals"}
_GOAL_FIELDS = {
    "key",
    "name",
    "student_words",
    "checklist_item",
    "clue_icon",
    "clue_words",
    "grade_low",
    "grade_high",
    "strategies",
}
_STRATEGY_FIELDS = {"key", "name", "steps"}
_CHECKLIST_FILE_FIELDS = {"genre", "checklists"}
_CHECKLIST_FIELDS = {"key", "band", "name", "items"}
_CHECKLIST_ITEM_FIELDS = {"goal", "text"}


class LibraryError(Exception):
    """The library files are missing, malformed or break a rule; the message says where."""


@dataclass(frozen=True)
class StrategyData:
    key: str
    name: str
    steps: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class GoalData:
    key: str
    name: str
    student_words: str
    checklist_item: str
    clue_icon: str
    clue_words: str
    grade_low: int
    grade_high: int
    position: int
    strategies: tuple[StrategyData, ...]


@dataclass(frozen=True)
class CategoryData:
    key: str
    name: str
    description: str
    position: int
    goals: tuple[GoalData, ...]
    source: str  # the file it came from, for messages


@dataclass(frozen=True)
class ChecklistItemData:
    goal_key: str
    text: str
    position: int


@dataclass(frozen=True)
class ChecklistData:
    key: str
    name: str
    genre: str
    band: str
    position: int
    items: tuple[ChecklistItemData, ...]


@dataclass(frozen=True)
class Library:
    version: str
    categories: tuple[CategoryData, ...]
    checklists: tuple[ChecklistData, ...] = ()

    def goals(self) -> Iterator[GoalData]:
        for category in self.categories:
            yield from category.goals

    def strategies(self) -> Iterator[StrategyData]:
        for goal in self.goals():
            yield from goal.strategies

    def goal(self, key: str) -> GoalData:
        """The goal with this key; KeyError if the library has none."""
        for goal in self.goals():
            if goal.key == key:
                return goal
        raise KeyError(key)

    def summary(self) -> str:
        categories = len(self.categories)
        goals = sum(1 for _ in self.goals())
        strategies = sum(1 for _ in self.strategies())
        checklists = len(self.checklists)
        items = sum(len(c.items) for c in self.checklists)
        return (
            f"Goal library {self.version}: {categories} categories, "
            f"{goals} goals, {strategies} strategies, "
            f"{checklists} checklists with {items} items."
        )


@dataclass(frozen=True)
class InstallReport:
    """What `install_library` did: rows added and rows whose content changed."""

    created: int
    updated: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# -- reading ----------------------------------------------------------------------------


def read_library(path: Path = DEFAULT_PATH) -> Library:
    """Parse and check the library folder at `path`, with its `checklists/` folder if any.

    Categories come back ordered by position, goals and strategies in file order (their
    positions count from 1); checklists in genre order (`GENRES`), then file order. Raises
    `LibraryError` naming the file, and the key where there is one, on the first problem:
    an unreadable file, a missing or unknown field, a wrong type, a key that is not a slug
    or is used twice across the library (per kind: categories, goals, strategies,
    checklists), student words not starting with "I can", a clue icon Conferbook does not
    ship, clue words outside two to four words, a grade range outside K-8 or upside down,
    fewer than two strategies, or a strategy with fewer than three or more than five steps.
    For checklists: a genre or band that is not one of the allowed values, a genre in two
    files, two checklists for one genre and band, fewer than 7 or more than 12 items, an
    item whose goal is not in the library, is used twice in the checklist or has no grade
    in the band, and texts that are empty, longer than the model allows or span lines.
    """
    path = Path(path)
    index = _load(path / INDEX_FILE)
    _check_fields(index, {"version"}, INDEX_FILE, "")
    version = _text(index, "version", INDEX_FILE, "", MAX_LENGTHS["goal"]["library_version"])

    files = sorted(p for p in path.glob("*.toml") if p.name != INDEX_FILE)
    if not files:
        raise LibraryError(f"{path}: no category files (*.toml besides {INDEX_FILE}).")

    categories = [_read_category(_load(file), file.name) for file in files]
    _check_unique(categories)
    goals = {goal.key: goal for category in categories for goal in category.goals}
    return Library(
        version=version,
        categories=tuple(sorted(categories, key=lambda c: c.position)),
        checklists=_read_checklists(path / CHECKLISTS_FOLDER, goals),
    )


def _load(file: Path, name: str | None = None) -> dict[str, Any]:
    name = name or file.name
    try:
        with file.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise LibraryError(f"{name}: file not found in {file.parent}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(f"{name}: not valid TOML: {exc}.") from None


def _read_category(data: Mapping[str, Any], source: str) -> CategoryData:
    key = _key(data, source, "category", "")
    where = f"category '{key}'"
    _check_fields(data, _CATEGORY_FIELDS, source, where)
    goals = _list_of_tables(data, "goals", source, where)
    if not goals:
        raise LibraryError(f"{source}: {where} has no goals.")
    return CategoryData(
        key=key,
        name=_text(data, "name", source, where, MAX_LENGTHS["category"]["name"]),
        description=_text(data, "description", source, where),
        position=_int(data, "position", source, where, low=0, high=32767),
        goals=tuple(_read_goal(g, source, n) for n, g in enumerate(goals, start=1)),
        source=source,
    )


def _read_goal(data: Mapping[str, Any], source: str, position: int) -> GoalData:
    key = _key(data, source, "goal", f"goal number {position}")
    where = f"goal '{key}'"
    limits = MAX_LENGTHS["goal"]
    _check_fields(data, _GOAL_FIELDS, source, where)

    student_words = _text(data, "student_words", source, where, limits["student_words"])
    if not student_words.startswith(STUDENT_WORDS_START):
        raise LibraryError(
            f'{source}: {where}: student_words must begin with "I can", not "{student_words}".'
        )
    clue_icon = _text(data, "clue_icon", source, where, limits["clue_icon"])
    if not _SLUG.fullmatch(clue_icon):
        raise LibraryError(
            f'{source}: {where}: clue_icon must be an icon name like "door-open", '
            f'not "{clue_icon}".'
        )
    if clue_icon not in icon_names():
        raise LibraryError(
            f'{source}: {where}: clue_icon "{clue_icon}" is not one of the icons Conferbook '
            "ships; pick another or add its SVG (see web/static/conferbook/icons/lucide/README.md)."
        )
    clue_words = _text(data, "clue_words", source, where, limits["clue_words"])
    if not MIN_CLUE_WORDS <= len(clue_words.split()) <= MAX_CLUE_WORDS:
        raise LibraryError(
            f"{source}: {where}: clue_words must be {MIN_CLUE_WORDS} to {MAX_CLUE_WORDS} "
            f'words, not "{clue_words}".'
        )
    grade_low = _int(data, "grade_low", source, where, low=LOWEST_GRADE, high=HIGHEST_GRADE)
    grade_high = _int(data, "grade_high", source, where, low=LOWEST_GRADE, high=HIGHEST_GRADE)
    if grade_low > grade_high:
        raise LibraryError(
            f"{source}: {where}: grade_low ({grade_low}) is above grade_high ({grade_high})."
        )

    strategies = _list_of_tables(data, "strategies", source, where)
    if len(strategies) < MIN_STRATEGIES:
        raise LibraryError(
            f"{source}: {where} has {len(strategies)} strategies; "
            f"at least {MIN_STRATEGIES} are needed."
        )
    return GoalData(
        key=key,
        name=_text(data, "name", source, where, limits["name"]),
        student_words=student_words,
        checklist_item=_text(data, "checklist_item", source, where, limits["checklist_item"]),
        clue_icon=clue_icon,
        clue_words=clue_words,
        grade_low=grade_low,
        grade_high=grade_high,
        position=position,
        strategies=tuple(
            _read_strategy(s, source, where, n) for n, s in enumerate(strategies, start=1)
        ),
    )


def _read_strategy(
    data: Mapping[str, Any], source: str, goal_where: str, position: int
) -> StrategyData:
    key = _key(data, source, "strategy", f"{goal_where}, strategy number {position}")
    where = f"strategy '{key}'"
    _check_fields(data, _STRATEGY_FIELDS, source, where)
    steps = data.get("steps")
    if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
        raise LibraryError(f"{source}: {where}: steps must be a list of lines of text.")
    steps = [s.strip() for s in steps]
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise LibraryError(
            f"{source}: {where} has {len(steps)} steps; it needs {MIN_STEPS} to {MAX_STEPS}."
        )
    # Steps are stored one per line, so a step may not be blank or span lines.
    if any(not s or "\n" in s for s in steps):
        raise LibraryError(f"{source}: {where}: every step must be one non-empty line.")
    return StrategyData(
        key=key,
        name=_text(data, "name", source, where, MAX_LENGTHS["strategy"]["name"]),
        steps=tuple(steps),
        position=position,
    )


def _read_checklists(folder: Path, goals: Mapping[str, GoalData]) -> tuple[ChecklistData, ...]:
    if not folder.is_dir():
        return ()
    files: dict[str, tuple[str, Mapping[str, Any]]] = {}  # genre -> (source, data)
    for file in sorted(folder.glob("*.toml")):
        source = f"{CHECKLISTS_FOLDER}/{file.name}"
        data = _load(file, source)
        _check_fields(data, _CHECKLIST_FILE_FIELDS, source, "")
        genre = data.get("genre")
        if genre not in GENRES:
            raise LibraryError(
                f"{source}: genre must be one of {', '.join(GENRES)}, not {genre!r}."
            )
        if genre in files:
            raise LibraryError(
                f"{source} and {files[genre][0]}: both are for genre '{genre}'; "
                "keep one file per genre."
            )
        files[genre] = (source, data)

    checklists: list[ChecklistData] = []
    keys: dict[str, str] = {}  # checklist key -> source
    bands: dict[tuple[str, str], str] = {}  # (genre, band) -> checklist key
    for genre in GENRES:
        if genre not in files:
            continue
        source, content = files[genre]
        tables = _list_of_tables(content, "checklists", source, f"genre '{genre}'")
        if not tables:
            raise LibraryError(f"{source}: genre '{genre}' has no checklists.")
        for table in tables:
            checklist = _read_checklist(
                table, source, genre, position=len(checklists) + 1, goals=goals
            )
            if checklist.key in keys:
                first = keys[checklist.key]
                also = "" if first == source else f" and {first}"
                raise LibraryError(
                    f"{source}{also}: checklist key '{checklist.key}' is used more than once."
                )
            keys[checklist.key] = source
            if (genre, checklist.band) in bands:
                raise LibraryError(
                    f"{source}: checklist '{checklist.key}': genre '{genre}' already has a "
                    f"checklist for band '{checklist.band}' ('{bands[(genre, checklist.band)]}')."
                )
            bands[(genre, checklist.band)] = checklist.key
            checklists.append(checklist)
    return tuple(checklists)


def _read_checklist(
    data: Mapping[str, Any],
    source: str,
    genre: str,
    *,
    position: int,
    goals: Mapping[str, GoalData],
) -> ChecklistData:
    key = _key(data, source, "checklist", f"checklist number {position}")
    where = f"checklist '{key}'"
    _check_fields(data, _CHECKLIST_FIELDS, source, where)
    name = _text(data, "name", source, where, MAX_LENGTHS["checklist"]["name"])
    band = data.get("band")
    if band not in BANDS:
        raise LibraryError(
            f"{source}: {where}: band must be one of {', '.join(BANDS)}, not {band!r}."
        )
    tables = _list_of_tables(data, "items", source, where)
    if not MIN_CHECKLIST_ITEMS <= len(tables) <= MAX_CHECKLIST_ITEMS:
        raise LibraryError(
            f"{source}: {where} has {len(tables)} items; it needs "
            f"{MIN_CHECKLIST_ITEMS} to {MAX_CHECKLIST_ITEMS}."
        )
    low, high = BANDS[band]
    items: list[ChecklistItemData] = []
    for number, item in enumerate(tables, start=1):
        at = f"{where}, item {number}"
        _check_fields(item, _CHECKLIST_ITEM_FIELDS, source, at)
        goal_key = _text(item, "goal", source, at)
        at = f"{where}, item {number} (goal '{goal_key}')"
        goal = goals.get(goal_key)
        if goal is None:
            raise LibraryError(f"{source}: {at}: no goal of the library has this key.")
        if any(i.goal_key == goal_key for i in items):
            raise LibraryError(f"{source}: {at}: the goal already has an item in this checklist.")
        if goal.grade_high < low or goal.grade_low > high:
            raise LibraryError(
                f"{source}: {at}: the goal is for grades {goal.grade_low}-{goal.grade_high}, "
                f"outside band '{band}' ({low}-{high}; 0 is kindergarten)."
            )
        text = _text(item, "text", source, at, MAX_LENGTHS["checklist_item"]["text"])
        items.append(ChecklistItemData(goal_key=goal_key, text=text, position=number))
    return ChecklistData(
        key=key,
        name=name,
        genre=genre,
        band=band,
        position=position,
        items=tuple(items),
    )


def _key(data: Mapping[str, Any], source: str, kind: str, where: str) -> str:
    key = data.get("key")
    at = f"{where}: " if where else ""
    if not isinstance(key, str) or not key:
        raise LibraryError(f"{source}: {at}the {kind} has no key.")
    if not _SLUG.fullmatch(key) or len(key) > MAX_LENGTHS[kind]["key"]:
        raise LibraryError(
            f"{source}: {at}{kind} key '{key}' must be lowercase words joined by hyphens, "
            f"at most {MAX_LENGTHS[kind]['key']} characters."
        )
    return key


def _check_fields(data: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        at = f"{where}: " if where else ""
        raise LibraryError(f"{source}: {at}unknown field(s) {', '.join(unknown)}.")


def _text(
    data: Mapping[str, Any], field: str, source: str, where: str, max_length: int | None = None
) -> str:
    at = f"{where}: " if where else ""
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(f"{source}: {at}{field} is missing or empty.")
    value = value.strip()
    if "\n" in value:
        raise LibraryError(f"{source}: {at}{field} must be one line.")
    if max_length is not None and len(value) > max_length:
        raise LibraryError(
            f"{source}: {at}{field} is {len(value)} characters long; the most is {max_length}."
        )
    return value


def _int(
    data: Mapping[str, Any], field: str, source: str, where: str, *, low: int, high: int
) -> int:
    value = data.get(field)
    # bool is an int to Python, but `true` is never a grade or a position.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise LibraryError(
            f"{source}: {where}: {field} must be a whole number from {low} to {high}, "
            f"not {value!r}."
        )
    return value


def _list_of_tables(
    data: Mapping[str, Any], field: str, source: str, where: str
) -> list[Mapping[str, Any]]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise LibraryError(f"{source}: {where}: {field} must be a list of [[{field}]] tables.")
    return value


def _check_unique(categories: list[CategoryData]) -> None:
    seen: dict[tuple[str, str], str] = {}

    def claim(kind: str, key: str, source: str) -> None:
        if (kind, key) in seen:
            first = seen[(kind, key)]
            also = "" if first == source else f" and {first}"
            raise LibraryError(f"{source}{also}: {kind} key '{key}' is used more than once.")
        seen[(kind, key)] = source

    positions: dict[int, str] = {}
    for category in categories:
        claim("category", category.key, category.source)
        if category.position in positions:
            raise LibraryError(
                f"{category.source} and {positions[category.position]}: "
                f"two categories have position {category.position}."
            )
        positions[category.position] = category.source
        for goal in category.goals:
            claim("goal", goal.key, category.source)
            for strategy in goal.strategies:
                claim("strategy", strategy.key, category.source)


# -- installing -------------------------------------------------------------------------


def install_library(
    *, library: Library, apps: Apps | None = None, using: str = DEFAULT_DB_ALIAS
) -> InstallReport:
    """Add and update the built-in rows (owner is null) so they match `library`.

    Rows are matched by key among built-in rows only; teachers' own rows are never read
    or written. Nothing is deleted: a goal or strategy dropped from the files stays, with
    its last wording (teachers' student goals point at it). Every goal installed gets
    `library_version = library.version`. A row is saved only when its content differs,
    so a second run with the same library writes nothing and reports no change.
    Teachers' hidden choices (`hidden_by`) are left alone.

    Checklists are matched by key and get `library_version` too; their items are matched
    by (checklist, goal) and get the text and position of the files. Nothing is deleted
    here either: an item dropped from the files stays, with its last text and position,
    because students' self-assessment answers point at it. A checklist's key and its
    (genre, band) belong together: give a new key to a band that already has a checklist
    and the database refuses the second one.

    `apps` is a migration's historical registry; without it the current models are used.
    A registry from before the checklist tables existed (migration 0002 runs before 0003
    creates them) installs the goals and strategies only; `loadlibrary` and migration
    0004 add the checklists.
    """
    if apps is None:
        from conferbook.goals.models import (
            Checklist,
            ChecklistItem,
            Goal,
            GoalCategory,
            Strategy,
        )

        category_model: type[Model] = GoalCategory
        goal_model: type[Model] = Goal
        strategy_model: type[Model] = Strategy
        checklist_models: tuple[type[Model], type[Model]] | None = (Checklist, ChecklistItem)
    else:
        category_model = apps.get_model("goals", "GoalCategory")
        goal_model = apps.get_model("goals", "Goal")
        strategy_model = apps.get_model("goals", "Strategy")
        try:
            checklist_models = (
                apps.get_model("goals", "Checklist"),
                apps.get_model("goals", "ChecklistItem"),
            )
        except LookupError:
            checklist_models = None

    with transaction.atomic(using=using):
        writer = _Upserter(using)
        categories = writer.upsert_builtin(
            category_model,
            {
                c.key: {"name": c.name, "description": c.description, "position": c.position}
                for c in library.categories
            },
        )
        goals = writer.upsert_builtin(
            goal_model,
            {
                g.key: {
                    "category_id": categories[c.key].pk,
                    "name": g.name,
                    "student_words": g.student_words,
                    "checklist_item": g.checklist_item,
                    "clue_icon": g.clue_icon,
                    "clue_words": g.clue_words,
                    "grade_low": g.grade_low,
                    "grade_high": g.grade_high,
                    "position": g.position,
                    "library_version": library.version,
                }
                for c in library.categories
                for g in c.goals
            },
        )
        writer.upsert_builtin(
            strategy_model,
            {
                s.key: {
                    "goal_id": goals[g.key].pk,
                    "name": s.name,
                    "steps": "\n".join(s.steps),
                    "position": s.position,
                }
                for g in library.goals()
                for s in g.strategies
            },
        )
        if checklist_models is not None:
            checklist_model, item_model = checklist_models
            checklists = writer.upsert(
                checklist_model,
                {
                    (c.key,): {
                        "name": c.name,
                        "genre": c.genre,
                        "band": c.band,
                        "position": c.position,
                        "library_version": library.version,
                    }
                    for c in library.checklists
                },
                match=("key",),
            )
            writer.upsert(
                item_model,
                {
                    (checklists[(c.key,)].pk, goals[i.goal_key].pk): {
                        "text": i.text,
                        "position": i.position,
                    }
                    for c in library.checklists
                    for i in c.items
                },
                match=("checklist_id", "goal_id"),
            )
    return InstallReport(created=writer.created, updated=writer.updated)


class _Upserter:
    """Creates or updates rows by a natural key, counting what it really changed."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.created = 0
        self.updated = 0

    def upsert_builtin(
        self, model: type[Model], rows: dict[str, dict[str, Any]]
    ) -> dict[str, Model]:
        """Built-in rows (owner is null) by key; teachers' rows with the same key are left."""
        found = self.upsert(
            model,
            {(key,): values for key, values in rows.items()},
            match=("key",),
            scope={"owner": None},
        )
        return {natural[0]: obj for natural, obj in found.items()}

    def upsert(
        self,
        model: type[Model],
        rows: dict[tuple[Any, ...], dict[str, Any]],
        *,
        match: tuple[str, ...],
        scope: Mapping[str, Any] | None = None,
    ) -> dict[tuple[Any, ...], Model]:
        """Rows keyed by the values of the `match` fields, created or updated to `values`.

        Only rows matching `scope` are looked at, and new rows get it.
        """
        if not rows:
            return {}
        scope = dict(scope or {})
        # A migration's historical model may predate fields added since: write only the
        # fields it has (`loadlibrary`, run at every start, fills in the rest later).
        known = {f.attname for f in model._meta.concrete_fields}
        rows = {
            natural: {f: v for f, v in values.items() if f in known}
            for natural, values in rows.items()
        }
        manager = model._default_manager.db_manager(self.using)
        candidates = manager.filter(
            **scope, **{f"{match[0]}__in": sorted({natural[0] for natural in rows})}
        )
        existing = {tuple(getattr(obj, f) for f in match): obj for obj in candidates}
        result: dict[tuple[Any, ...], Model] = {}
        for natural, values in rows.items():
            obj = existing.get(natural)
            if obj is None:
                obj = manager.create(**scope, **dict(zip(match, natural, strict=True)), **values)
                self.created += 1
            else:
                changed = [field for field, value in values.items() if getattr(obj, field) != value]
                if changed:
                    for field in changed:
                        setattr(obj, field, values[field])
                    obj.save(using=self.using, update_fields=changed)
                    self.updated += 1
            result[natural] = obj
        return result
