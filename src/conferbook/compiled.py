"""Querysets whose SQL is built once per process and database, then run with new values.

Django builds a queryset's query and compiles its SQL afresh on every call. For the small
reads that every request makes (the session, the person signed in, whether they may read
the class) that is nearly all of their cost: reading a class for a reader took 1.8 ms
here, of which the database's part was 0.07 ms. A `CompiledQuery` is built by the same
selector as before, once, with stand-in values; its SQL and the shape of its rows are
kept, and each call runs that SQL with the real values and makes the rows into models as
Django's own iterable does (converters, `Model.from_db`, annotations). The rule of who may
read what stays written once, in the selector that builds the queryset. On PostgreSQL the
SQL, the same text at every call, is also what psycopg prepares on the server (settings:
prepared statements), so it is planned once per connection too.

What a builder may do: filter on its values with exact and `in` lookups, annotate, order
and slice, all from its values alone. When it compiles, a `CompiledQuery` builds twice,
with stand-ins of other signs and letters and in time zones half a world apart, and
refuses a builder whose SQL or other parameters differ between the two: one that reads
the clock or the time zone, branches on a value, or hands a value to a lookup that
rewrites it (`iexact`, `contains`...). It cannot see a builder that reads the database;
none may. A number too large for its column finds nothing, as Django's exact lookup
answers. Model rows only: no `values()`, `select_related`, `prefetch_related` or `using()`.
"""

from __future__ import annotations

import itertools
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    DateTimeField,
    Field,
    Model,
    QuerySet,
    TextField,
    UUIDField,
)
from django.db.models.query import ModelIterable
from django.db.models.sql import Query
from django.db.transaction import TransactionManagementError
from django.utils import timezone

M = TypeVar("M", bound=Model)

_numbers = itertools.count(1)  # every stand-in differs from every other
_OUT_OF_RANGE = object()  # a number the column's type cannot hold
# The two builds' time zones: fourteen hours east of UTC and twelve west.
_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")

Converters = tuple[tuple[int, Any, tuple[Any, ...]], ...]  # (column, expression, converters)


@dataclass(frozen=True)
class _Compiled(Generic[M]):
    """What a CompiledQuery keeps for one database."""

    sql: str
    params: tuple[Any, ...]  # the stand-ins' slots hold None
    slots: tuple[tuple[int, str], ...]  # (position in params, parameter's name)
    # How a row becomes a model, as Django's ModelIterable makes it:
    query: Query
    model: type[M]
    fields: slice  # the model's columns in a row
    attnames: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]  # (name, column)
    columns: tuple[Any, ...]  # each column's expression
    # Each connection's converters (bound to it: kept no longer than it lives).
    converters: weakref.WeakKeyDictionary[BaseDatabaseWrapper, Converters] = field(
        default_factory=weakref.WeakKeyDictionary, compare=False
    )


class CompiledQuery(Generic[M]):
    """`build(**values)` → a queryset of one model's rows, compiled once per database.

    `kinds` names each parameter's kind: int, str, uuid.UUID, datetime (aware), or a model
    class (the builder gets an instance with only its pk; the caller passes an instance of
    that model or a pk). A value is never None (a builder would make other SQL for it:
    `IS NULL`). For queries of a few rows: `first()` reads them all.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._fields = {name: _field_of(kind) for name, kind in kinds.items()}
        self._shape: tuple[type[M], bool] | None = None  # the model; whether it locks rows
        self._compiled: dict[str, _Compiled[M]] = {}
        self._compiling = threading.Lock()

    def all(self, **values: object) -> list[M]:
        """The rows, as the queryset built with these values would give them."""
        if values.keys() != self.kinds.keys():
            raise TypeError(
                f"A compiled query takes {', '.join(self.kinds)}: not {', '.join(values)}"
            )
        model, for_update = self._shape or self._find_shape()
        alias = (router.db_for_write if for_update else router.db_for_read)(model)
        connection = connections[alias]
        compiled = self._compiled.get(alias) or self._compile(alias)
        if for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = self._adapted(name, values[name], connection)
            if params[position] is _OUT_OF_RANGE:
                return []
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        converters = compiled.converters.get(connection)
        if converters is None:  # found once per connection; a query may have none: ()
            converters = self._converters(compiled, connection)
        found = []
        for fetched in rows:
            row = list(fetched)
            for column, expression, column_converters in converters:
                value = row[column]
                for converter in column_converters:
                    value = converter(value, expression, connection)
                row[column] = value
            instance = compiled.model.from_db(alias, compiled.attnames, row[compiled.fields])
            for name, column in compiled.annotations:
                setattr(instance, name, row[column])
            found.append(instance)
        return found

    def first(self, **values: object) -> M | None:
        """The first row, or None."""
        rows = self.all(**values)
        return rows[0] if rows else None

    # -- values ---------------------------------------------------------------------------

    def _adapted(self, name: str, value: object, connection: BaseDatabaseWrapper) -> Any:
        """The value as the database gets it, adapted as Django adapted the stand-in."""
        if value is None:
            raise ValueError(f"{name} is None: a compiled query takes a value")
        kind = self.kinds[name]
        if isinstance(value, Model):
            if not isinstance(value, kind):
                raise TypeError(f"{name} is a {type(value).__name__}, not a {kind.__name__}")
            if value.pk is None:
                raise ValueError(f"{name} is not saved: it has no pk")
            value = value.pk
        field = self._fields[name]
        adapted = field.get_db_prep_value(value, connection, prepared=False)
        if isinstance(adapted, int):
            least, most = connection.ops.integer_field_range(field.get_internal_type())
            if (least is not None and adapted < least) or (most is not None and adapted > most):
                return _OUT_OF_RANGE
        return adapted

    def _stand_ins(self, sign: int) -> dict[str, object]:
        return {name: _stand_in(kind, next(_numbers), sign) for name, kind in self.kinds.items()}

    # -- compiling ------------------------------------------------------------------------

    def _find_shape(self) -> tuple[type[M], bool]:
        queryset = self.build(**self._stand_ins(-1))
        self._shape = (queryset.model, bool(queryset.query.select_for_update))
        return self._shape

    def _compile(self, alias: str) -> _Compiled[M]:
        with self._compiling:
            if found := self._compiled.get(alias):
                return found
            compiled = self._compiled[alias] = self._compiled_for(alias)
            return compiled

    def _compiled_for(self, alias: str) -> _Compiled[M]:
        connection = connections[alias]
        first, second = self._stand_ins(-1), self._stand_ins(+1)
        with timezone.override(_ZONES[0]):
            sql, params, compiler = self._sql(first, alias)
        with timezone.override(_ZONES[1]):
            sql_again, params_again, _ = self._sql(second, alias)
        if sql_again != sql or len(params_again) != len(params):
            raise ValueError(
                "The builder made different SQL for other values or in another time zone"
            )
        adapted = {name: self._adapted(name, v, connection) for name, v in first.items()}
        adapted_again = {name: self._adapted(name, v, connection) for name, v in second.items()}
        slots: list[tuple[int, str]] = []
        kept: list[Any] = []
        for position, (param, param_again) in enumerate(zip(params, params_again, strict=True)):
            name = _name_of(param, adapted)
            if name is not None and _name_of(param_again, adapted_again) == name:
                slots.append((position, name))
                kept.append(None)
            elif param == param_again and name is None:
                kept.append(param)
            else:
                raise ValueError(
                    "The builder made a parameter that its values do not give as they are "
                    f"(the clock, the time zone, a lookup that rewrites it?): {param!r}, then "
                    f"{param_again!r}"
                )
        if missing := set(self.kinds) - {name for _, name in slots}:
            raise ValueError(f"The query does not use {', '.join(sorted(missing))}")
        info = compiler.klass_info
        if info is None or info.get("related_klass_infos"):
            raise ValueError("A compiled query reads rows of one model, without select_related")
        columns = info["select_fields"]
        fields = slice(columns[0], columns[-1] + 1)
        return _Compiled(
            sql,
            tuple(kept),
            tuple(slots),
            query=compiler.query,
            model=info["model"],
            fields=fields,
            attnames=tuple(s[0].target.attname for s in compiler.select[fields]),
            annotations=tuple(compiler.annotation_col_map.items()),
            columns=tuple(s[0] for s in compiler.select[: compiler.col_count]),
        )

    def _sql(self, values: dict[str, object], alias: str) -> tuple[str, tuple[Any, ...], Any]:
        """The SQL and parameters of the queryset built with `values`, and the compiler that
        made them (which knows the columns of a row)."""
        queryset = self.build(**values)
        # Private to QuerySet (and so not in its stubs), but what decides how it reads rows.
        plain: Any = queryset
        if (
            plain._iterable_class is not ModelIterable
            or plain._prefetch_related_lookups
            or plain._known_related_objects
            or plain._db is not None
        ):
            raise ValueError(
                "A compiled query reads model rows: no values(), prefetch_related or using()"
            )
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        return sql, tuple(params), compiler

    def _converters(self, compiled: _Compiled[M], connection: BaseDatabaseWrapper) -> Converters:
        """The converters of each column that has any, for this connection (as Django's
        compiler finds them)."""
        compiler = compiled.query.get_compiler(connection=connection)
        found = tuple(
            (column, expression, tuple(converters))
            for column, (converters, expression) in compiler.get_converters(
                list(compiled.columns)
            ).items()
        )
        with self._compiling:
            compiled.converters[connection] = found
        return found


def _stand_in(kind: type, number: int, sign: int) -> object:
    """A value of `kind` far from any real one, different at each call; with sign -1 and
    +1, two that differ in every way a builder could test (sign, letters, date)."""
    n = sign * (10**15 + number)
    if kind is int:
        return n
    if kind is str:
        return f"%_\\Stand-In {number}" if sign < 0 else f"sTAND-iN {number}"
    if kind is uuid.UUID:
        return uuid.UUID(int=number)
    if kind is datetime:
        return datetime(2000 if sign < 0 else 2090, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=number
        )
    if issubclass(kind, Model):
        pk = kind._meta.pk
        assert pk is not None
        instance = kind(pk=uuid.UUID(int=number) if isinstance(pk, UUIDField) else n)
        instance._state.adding = False  # stands for a saved row
        return instance
    raise TypeError(kind)  # _field_of refused it already


def _field_of(kind: type) -> Field[Any, Any]:
    """A field that adapts a value of this kind for the database as a lookup would."""
    if kind is str:
        return TextField()
    if kind is uuid.UUID:
        return UUIDField()
    if kind is datetime:
        return DateTimeField()
    if isinstance(kind, type) and issubclass(kind, Model):
        pk = kind._meta.pk
        assert pk is not None
        return pk  # a relation (a child table's pk) adapts as its target does
    if kind is int:
        return BigIntegerField()
    raise TypeError(f"A compiled query takes int, str, UUID, datetime or a model, not {kind}")


def _name_of(param: object, adapted: Mapping[str, object]) -> str | None:
    """The parameter whose stand-in, adapted, is `param`. The types may differ by a subclass
    (on PostgreSQL an adapted number is psycopg's Int8, a lookup's is a plain int)."""
    for name, value in adapted.items():
        if (isinstance(param, type(value)) or isinstance(value, type(param))) and param == value:
            return name
    return None
