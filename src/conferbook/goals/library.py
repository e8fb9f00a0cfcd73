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

LOWEST_GRADE = 0  # kindergarten
HIGHEST_GRADE = 8
MIN_STRATEGIES = 2
MIN_STEPS, MAX_STEPS = 3, 5
MIN_CLUE_WORDS, MAX_CLUE_WORDS = 2, 4
STUDENT_WORDS_START = "I can "

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
class Library:
    version: str
    categories: tuple[CategoryData, ...]

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
        return (
            f"Goal library {self.version}: {categories} categories, "
            f"{goals} goals, {strategies} strategies."
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
    """Parse and check the library folder at `path`.

    Categories come back ordered by position, goals and strategies in file order (their
    positions count from 1). Raises `LibraryError` naming the file, and the key where
    there is one, on the first problem: an unreadable file, a missing or unknown field,
    a wrong type, a key that is not a slug or is used twice across the library (per kind:
    categories, goals, strategies), student words not starting with "I can", a clue icon
    Conferbook does not ship, clue words outside two to four words, a grade range outside
    K-8 or upside down, fewer than two strategies, or a strategy with fewer than three or
    more than five steps.
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
    return Library(
        version=version,
        categories=tuple(sorted(categories, key=lambda c: c.position)),
    )


def _load(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise LibraryError(f"{file.name}: file not found in {file.parent}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(f"{file.name}: not valid TOML: {exc}.") from None


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

    `apps` is a migration's historical registry; without it the current models are used.
    """
    if apps is None:
        from conferbook.goals.models import Goal, GoalCategory, Strategy

        category_model: type[Model] = GoalCategory
        goal_model: type[Model] = Goal
        strategy_model: type[Model] = Strategy
    else:
        category_model = apps.get_model("goals", "GoalCategory")
        goal_model = apps.get_model("goals", "Goal")
        strategy_model = apps.get_model("goals", "Strategy")

    with transaction.atomic(using=using):
        writer = _Upserter(using)
        categories = writer.upsert_all(
            category_model,
            {
                c.key: {"name": c.name, "description": c.description, "position": c.position}
                for c in library.categories
            },
        )
        goals = writer.upsert_all(
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
        writer.upsert_all(
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
    return InstallReport(created=writer.created, updated=writer.updated)


class _Upserter:
    """Creates or updates built-in rows by key, counting what it really changed."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.created = 0
        self.updated = 0

    def upsert_all(self, model: type[Model], rows: dict[str, dict[str, Any]]) -> dict[str, Model]:
        # A migration's historical model may predate fields added since: write only the
        # fields it has (`loadlibrary`, run at every start, fills in the rest later).
        known = {f.attname for f in model._meta.concrete_fields}
        rows = {
            key: {f: v for f, v in values.items() if f in known} for key, values in rows.items()
        }
        manager = model._default_manager.db_manager(self.using)
        existing = {obj.key: obj for obj in manager.filter(owner=None, key__in=list(rows))}  # type: ignore[attr-defined]
        result: dict[str, Model] = {}
        for key, values in rows.items():
            obj = existing.get(key)
            if obj is None:
                obj = manager.create(key=key, owner=None, **values)
                self.created += 1
            else:
                changed = [field for field, value in values.items() if getattr(obj, field) != value]
                if changed:
                    for field in changed:
                        setattr(obj, field, values[field])
                    obj.save(using=self.using, update_fields=changed)
                    self.updated += 1
            result[key] = obj
        return result
