"""When a class list may be kept: the database stamps each class with a new random number
whenever a row the class list reads changes.

The class page is the page a teacher opens most, and making its list (every student's
goals, last conference, next appointment, due day) is most of its cost. A process keeps
the list it made together with the class's stamp (conferences.class_list) and makes it
again only when the stamp has moved, or the day has.

The stamp is changed by triggers, not by our Python code, so no way of writing can miss
it: a service's save, a queryset's update() or bulk_create(), a CSV import, the demo, a
restore, another process, a hand-written SQL statement. A trigger changes the stamp in the
same transaction as the row, so a rolled-back change leaves the stamp as it was; the stamp
is random rather than counted, so a number once rolled back never comes back to mean
something else.

What the class list reads (conferences.selectors.class_rows and calendar_for), and so what
is watched:

- the class itself (its writing days and block make the due days); its enrolments;
- its students' names and whether they are archived;
- their goals (which are active, and each goal's name);
- its conferences' times and states, not their texts (an autosave changes no stamp);
- its closed and short days, each student's time away and who is seen more often.

The triggers are dropped, and every stamp with them, before a migrate that has something
to do, and made again after every migrate that finds them missing or different, with a new
stamp for every class (conferences.apps): SQLite drops a table's triggers when a migration
rebuilds the table, and refuses to rebuild a table another table's trigger reads; what is
written while they are away is never hidden by a list kept before. A class without a stamp
is never kept. (A migration run other than by the migrate command, as in a test, must drop
them itself before it rebuilds a table on SQLite.)

Known limits, on PostgreSQL only (SQLite takes one writer at a time):

- A write holds its classes' stamp rows until it commits, so two transactions that each
  write to the same two classes, in opposite orders, can deadlock; PostgreSQL then refuses
  one of them, which fails as any refused write does (nothing of it is saved). It needs,
  for instance, two teachers moving students between the same two classes in opposite
  directions at the same moment.
- A student's classes are the ones the writing transaction can see: a change to a
  student's name or goals made while another teacher enrols them in a new class, both
  committing at the same moment, may not show in the new class's kept list until its next
  change, or the next day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from conferbook.calendar.models import Rhythm, SchoolDay, Unavailability
from conferbook.compiled import CompiledQuery
from conferbook.conferences.models import ClassListStamp, Conference
from conferbook.goals.models import Goal, StudentGoal
from conferbook.roster.models import Classroom, Enrollment, Student

PREFIX = "cb_list"  # short: PostgreSQL cuts names at 63 characters


@dataclass(frozen=True)
class Watch:
    """A table the class list reads, and the classes one of its rows belongs to."""

    model: type[models.Model]
    # SQL naming the classes a row touches, as a column `classroom_id`; {row} is NEW or OLD.
    classes: str
    # An update changes the stamp only when one of these fields changes; () for any field.
    fields: tuple[str, ...] = ()
    # Whether adding or removing a row matters (a goal's name is all we show of a goal).
    inserts_and_deletes: bool = True

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def columns(self) -> list[str]:
        fields = [self.model._meta.get_field(name) for name in self.fields]
        return [
            field.column
            for field in fields
            if isinstance(field, models.Field) and field.column is not None
        ]


def _enrolled(student_id: str) -> str:
    return f"SELECT classroom_id FROM {Enrollment._meta.db_table} WHERE student_id = {student_id}"


IN_ITS_CLASS = "SELECT {row}.classroom_id AS classroom_id"

WATCHED = (
    Watch(Classroom, "SELECT {row}.id AS classroom_id"),
    Watch(Enrollment, IN_ITS_CLASS),
    Watch(
        Student,
        _enrolled("{row}.id"),
        fields=("first_name", "last_name", "preferred_name", "archived_at"),
    ),
    Watch(
        StudentGoal, _enrolled("{row}.student_id"), fields=("student", "goal", "status", "set_on")
    ),
    Watch(
        Goal,
        f"SELECT e.classroom_id AS classroom_id FROM {Enrollment._meta.db_table} e"
        f" JOIN {StudentGoal._meta.db_table} g ON g.student_id = e.student_id"
        " WHERE g.goal_id = {row}.id",
        fields=("name",),
        inserts_and_deletes=False,
    ),
    Watch(
        Conference,
        IN_ITS_CLASS,
        fields=(
            "classroom",
            "student",
            "status",
            "scheduled_for",
            "started_at",
            "ended_at",
            "group_conference",
        ),
    ),
    Watch(SchoolDay, IN_ITS_CLASS),
    Watch(Unavailability, IN_ITS_CLASS),
    Watch(Rhythm, IN_ITS_CLASS),
)

STAMPS = ClassListStamp._meta.db_table


# Read on every view of a class page: its SQL is compiled once (conferbook.compiled).
_compiled_stamp = CompiledQuery(
    lambda classroom_id: ClassListStamp.objects.filter(classroom_id=classroom_id),
    classroom_id=int,
)


def stamp_of(classroom: Classroom) -> int | None:
    """The class's stamp; None when it has none (its list is then never kept)."""
    stamp = _compiled_stamp.first(classroom_id=classroom.pk)
    return None if stamp is None else stamp.version


def _random(vendor: str) -> str:
    if vendor == "sqlite":
        return "random()"
    return "(random() * 9007199254740991)::bigint"  # 2**53 - 1: all a double's digits


def _restamp(watch: Watch, row: str, vendor: str) -> str:
    """The statement giving every class the row touches a new stamp."""
    classes = watch.classes.format(row=row)
    return (
        f"INSERT INTO {STAMPS} (classroom_id, version)"
        f" SELECT touched.classroom_id, {_random(vendor)} FROM"
        f" (SELECT DISTINCT classroom_id FROM ({classes}) AS found"
        "  WHERE classroom_id IS NOT NULL) AS touched"
        # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT.
        " WHERE true ORDER BY touched.classroom_id"
        " ON CONFLICT (classroom_id) DO UPDATE SET version = excluded.version"
    )


def _changed(watch: Watch, vendor: str) -> str:
    """The condition of an update that matters ("" for any update)."""
    differs = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in watch.columns())


def _forget() -> str:
    return f"DELETE FROM {STAMPS} WHERE classroom_id = OLD.id"


def _sqlite(watch: Watch, name: str) -> list[tuple[str, str]]:
    """(trigger, statement making it) for one watched table on SQLite."""
    made = []
    if watch.inserts_and_deletes:
        made.append(
            (
                f"{name}_insert",
                f"AFTER INSERT ON {watch.table} BEGIN {_restamp(watch, 'NEW', 'sqlite')}; END",
            )
        )
        gone = _forget() if watch.model is Classroom else _restamp(watch, "OLD", "sqlite")
        made.append((f"{name}_delete", f"AFTER DELETE ON {watch.table} BEGIN {gone}; END"))
    when = _changed(watch, "sqlite")
    made.append(
        (
            f"{name}_update",
            f"AFTER UPDATE ON {watch.table}"
            + (f" WHEN {when}" if when else "")
            + f" BEGIN {_restamp(watch, 'OLD', 'sqlite')}; {_restamp(watch, 'NEW', 'sqlite')};"
            " END",
        )
    )
    return [(trigger, f"CREATE TRIGGER {trigger} {body}") for trigger, body in made]


def _postgresql(watch: Watch, name: str) -> list[tuple[str, str]]:
    """(trigger, statement making it) for one watched table on PostgreSQL; the function
    the triggers run comes first, named `name` like the table's triggers' stem."""
    gone = _forget() if watch.model is Classroom else _restamp(watch, "OLD", "postgresql")
    made = [
        (
            "",
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF TG_OP = 'DELETE' THEN {gone}; END IF;"
            f" IF TG_OP = 'UPDATE' THEN {_restamp(watch, 'OLD', 'postgresql')}; END IF;"
            f" IF TG_OP <> 'DELETE' THEN {_restamp(watch, 'NEW', 'postgresql')}; END IF;"
            " RETURN NULL; END $$",
        )
    ]
    run = f"EXECUTE FUNCTION {name}()"
    if watch.inserts_and_deletes:
        trigger = f"{name}_insert_delete"
        made.append(
            (
                trigger,
                f"CREATE TRIGGER {trigger} AFTER INSERT OR DELETE ON {watch.table}"
                f" FOR EACH ROW {run}",
            )
        )
    when = _changed(watch, "postgresql")
    trigger = f"{name}_update"
    made.append(
        (
            trigger,
            f"CREATE TRIGGER {trigger} AFTER UPDATE ON {watch.table} FOR EACH ROW"
            + (f" WHEN ({when})" if when else "")
            + f" {run}",
        )
    )
    return made


def _made(vendor: str, prefix: str) -> list[tuple[str, str]]:
    makers = {"sqlite": _sqlite, "postgresql": _postgresql}
    if vendor not in makers:
        raise NotImplementedError(f"No class list triggers for {vendor}")
    return [made for watch in WATCHED for made in makers[vendor](watch, f"{prefix}_{watch.table}")]


def triggers(vendor: str) -> list[tuple[str, str]]:
    """(name, statement making it) of what the class lists need on `vendor`, in order (a
    name of "" makes no trigger: PostgreSQL's functions). The names carry a digest of the
    statements, so triggers made by another version of this module are known by name."""
    digest = hashlib.sha256(repr(_made(vendor, PREFIX)).encode()).hexdigest()[:8]
    return _made(vendor, f"{PREFIX}_{digest}")


def installed_triggers(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """{trigger: its table} of the triggers made here that the database holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{PREFIX}%"],
            )
        else:
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
                [f"{PREFIX}%"],
            )
        return dict(cursor.fetchall())


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers and forget every stamp, so no list is kept until they are made
    again (before a migrate that has something to do: on SQLite, a migration that rebuilds
    a table another table's trigger reads would otherwise fail)."""
    with connection.cursor() as cursor:
        for trigger, table in installed_triggers(connection).items():
            on = "" if connection.vendor == "sqlite" else f" ON {table}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}{on}")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT proname FROM pg_proc WHERE proname LIKE %s AND pronargs = 0",
                [f"{PREFIX}%"],
            )
            for (function,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        if STAMPS in connection.introspection.table_names(cursor):
            cursor.execute(f"DELETE FROM {STAMPS}")


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Make the triggers (after every migrate), unless the database holds exactly these
    already, and give every class a new stamp: what was written while there were none is
    then never hidden by a list kept before. Before the stamps' table exists (a database
    migrated back), there are none."""
    wanted = triggers(connection.vendor)
    if set(installed_triggers(connection)) == {name for name, _ in wanted if name}:
        return
    remove_triggers(connection)
    tables = set(connection.introspection.table_names())
    if not {STAMPS, *(watch.table for watch in WATCHED)} <= tables:
        return
    with connection.cursor() as cursor:
        for _, statement in wanted:
            cursor.execute(statement)
        cursor.execute(
            f"INSERT INTO {STAMPS} (classroom_id, version)"
            f" SELECT id, {_random(connection.vendor)} FROM {Classroom._meta.db_table}"
        )
