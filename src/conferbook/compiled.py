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
answers.

What it gives: model rows, with their `select_related` rows made as Django makes them;
or, from `values()` and `values_list()` (flat or not, not named), dicts, tuples or single
values. A `prefetch_related` lookup of a reverse foreign key (of the rows, or of a
select_related row of theirs) is read by a compiled query of its own, whose SQL holds the
rows' query as a subquery (so it is the same text for any number of rows; not when the
rows are limited and their ordering has ties); Django does the other lookups, whose
querysets may not depend on the values (the two builds must give the same SQL and
parameters for them). Not `using()`, `extra()` or a related manager's rows. A model value
stands in with its key alone: a builder that reads another column of it is refused.

`save_fields(row, fields)` is `row.save(update_fields=fields)` for the writes of every
autosave, with its UPDATE written once per model, fields and database.
"""

from __future__ import annotations

import copy
import functools
import itertools
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, FieldError, ObjectDoesNotExist
from django.db import DatabaseError, NotSupportedError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    DateField,
    DateTimeField,
    Field,
    ManyToOneRel,
    Model,
    Q,
    QuerySet,
    TextField,
    UUIDField,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    Prefetch,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
    prefetch_related_objects,
)
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import Query
from django.db.transaction import TransactionManagementError
from django.utils import timezone

M = TypeVar("M", bound=Model)
R = TypeVar("R")  # what a row is given as: the model, a dict, a tuple or a value

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
    query: Query
    columns: tuple[Any, ...]  # each column's expression (a row has no others)
    # What a row becomes: a model, as Django's ModelIterable makes it, or values.
    rows: type  # the queryset's iterable class (ModelIterable, ValuesIterable...)
    model: type[M]
    fields: slice  # the model's columns in a row
    attnames: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]  # (name, column)
    related: tuple[Any, ...]  # Django's RelatedPopulators of the select_related rows
    children: tuple[_Children, ...]  # prefetch lookups read by compiled queries of their own
    prefetches: tuple[str | Prefetch, ...]  # the others, done by Django
    names: tuple[str, ...]  # a values() row's keys
    # Each connection's converters (bound to it: kept no longer than it lives).
    converters: weakref.WeakKeyDictionary[BaseDatabaseWrapper, Converters] = field(
        default_factory=weakref.WeakKeyDictionary, compare=False
    )


def compiled(**kinds: type) -> Callable[[Callable[..., QuerySet[M, R]]], CompiledQuery[M, R]]:
    """A selector that stays what it was when called (its queryset), and whose `.all()` and
    `.first()` run it compiled: `@compiled(student=Student)` above `def goal_history(*,
    student)`. Its rule stays written once, in its body."""

    def decorate(build: Callable[..., QuerySet[M, R]]) -> CompiledQuery[M, R]:
        found = CompiledQuery(build, **kinds)
        functools.update_wrapper(found, build)
        return found

    return decorate


class CompiledQuery(Generic[M, R]):
    """`build(**values)` → a queryset of one model's rows, compiled once per database.

    `kinds` names each parameter's kind: int, str, uuid.UUID, datetime (aware), date, or a model
    class (the builder gets an instance with only its pk; the caller passes an instance of
    that model or a pk). A value is never None (a builder would make other SQL for it:
    `IS NULL`). For queries of a few rows: `first()` reads them all.
    """

    def __init__(self, build: Callable[..., QuerySet[M, R]], **kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._fields = {name: _field_of(kind) for name, kind in kinds.items()}
        self._shape: tuple[type[M], bool] | None = None  # the model; whether it locks rows
        self._compiled: dict[str, _Compiled[M]] = {}
        self._compiling = threading.Lock()

    def all(self, **values: object) -> list[R]:
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
        width = len(compiled.columns)  # a DISTINCT query's ordering may add columns
        found: list[Any] = []
        for fetched in rows:
            row = list(fetched[:width])
            for column, expression, column_converters in converters:
                value = row[column]
                for converter in column_converters:
                    value = converter(value, expression, connection)
                row[column] = value
            if compiled.rows is ModelIterable:
                instance = compiled.model.from_db(alias, compiled.attnames, row[compiled.fields])
                for populator in compiled.related:
                    populator.populate(row, instance)
                for name, column in compiled.annotations:
                    setattr(instance, name, row[column])
                found.append(instance)
            elif compiled.rows is FlatValuesListIterable:
                found.append(row[0])
            elif compiled.rows is ValuesListIterable:
                found.append(tuple(row))
            else:
                found.append(dict(zip(compiled.names, row, strict=True)))
        if found:
            for children in compiled.children:
                children.fill(found, values)
            if compiled.prefetches:
                # Fresh Prefetch objects: Django adds hints to a Prefetch's queryset.
                prefetch_related_objects(found, *(_fresh(p) for p in compiled.prefetches))
        return found

    def first(self, **values: object) -> R | None:
        """The first row, or None."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def __call__(self, *args: Any, **kwargs: Any) -> QuerySet[M, R]:
        """The queryset itself, built as before (to chain on, count, or print from)."""
        return self.build(*args, **kwargs)

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

    def _built(self, values: dict[str, object]) -> QuerySet[M, R]:
        try:
            return self.build(**values)
        except ObjectDoesNotExist as read:
            raise ValueError(
                "The builder read a column of a row it was given: a compiled query's builder "
                f"may use only its key ({read})"
            ) from read

    def _find_shape(self) -> tuple[type[M], bool]:
        queryset = self._built(self._stand_ins(-1))
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
            sql, params, compiler, queryset = self._sql(first, alias)
        with timezone.override(_ZONES[1]):
            sql_again, params_again, _, queryset_again = self._sql(second, alias)
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
        lookups = tuple(queryset._prefetch_related_lookups)
        if _prefetch_sql(lookups, alias) != _prefetch_sql(
            queryset_again._prefetch_related_lookups, alias
        ):
            raise ValueError(
                "The builder's prefetch_related querysets differ for other values or in "
                "another time zone: they are not compiled, so they may not use the values"
            )
        if missing := set(self.kinds) - {name for _, name in slots}:
            raise ValueError(f"The query does not use {', '.join(sorted(missing))}")
        children, prefetches = [], []
        for lookup in lookups:
            found = self._children(lookup, compiler.query, alias)
            if found is None:
                prefetches.append(lookup)
            else:
                children.append(found)
        rows = queryset._iterable_class
        columns = tuple(s[0] for s in compiler.select[: compiler.col_count])
        names: tuple[str, ...] = ()
        if rows is ModelIterable:
            info = compiler.klass_info
            selected = info["select_fields"]
            fields = slice(selected[0], selected[-1] + 1)
            attnames = tuple(s[0].target.attname for s in compiler.select[fields])
            # (The stubs describe a later Django, whose populators take a fetch mode too.)
            related = tuple(get_related_populators(info, compiler.select, alias))  # type: ignore[call-arg]
        else:
            fields, attnames, related = slice(0), (), ()
            query = compiler.query
            # As Django's ValuesIterable names them: in the order they are selected (no
            # extra() columns: _sql refuses them).
            names = tuple(query.selected or ()) or (*query.values_select, *query.annotation_select)
        return _Compiled(
            sql,
            tuple(kept),
            tuple(slots),
            query=compiler.query,
            columns=columns,
            rows=rows,
            model=compiler.query.model,
            fields=fields,
            attnames=attnames,
            annotations=tuple(compiler.annotation_col_map.items()),
            related=related,
            children=tuple(children),
            prefetches=tuple(prefetches),
            names=names,
        )

    def _children(self, lookup: str | Prefetch, query: Query, alias: str) -> _Children | None:
        """A prefetch lookup as a compiled query of its own, when it is the rows of a
        reverse foreign key (a parent's `spots`), of the rows or of a select_related row
        of theirs (`group_conference__members`): the children whose key is among the
        parents' keys, read by a query that holds the parents' query as a subquery, so its
        SQL does not change with the number of parents. None: Django does it (many to
        many, generic relations, a limited Prefetch queryset, a path not select_related)."""
        through = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        base = lookup.queryset if isinstance(lookup, Prefetch) else None
        *path, name = through.split(LOOKUP_SEP)
        model: Any = query.model
        selected = query.select_related
        try:
            for part in path:
                forward = model._meta.get_field(part)
                if not (forward.many_to_one or forward.one_to_one) or not forward.concrete:
                    return None
                if not isinstance(selected, dict) or part not in selected:
                    return None  # read row by row: Django's prefetch reads it in one query
                selected = selected[part]
                model = forward.related_model
            relation = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not isinstance(relation, ManyToOneRel) or relation.many_to_many or relation.one_to_one:
            return None
        if base is not None and (base.query.is_sliced or base.model is not relation.related_model):
            return None
        if query.is_sliced and not _ordered_to_the_row(query):
            # The children's query holds the parents' again: with ties in the ordering, a
            # limited query could pick other parents the second time.
            return None
        key = relation.field
        parents_key = LOOKUP_SEP.join([*path, key.target_field.name])

        def build(**values: object) -> QuerySet[Any]:
            parents = self.build(**values).values(parents_key)
            start: Any = base if base is not None else relation.related_model._default_manager
            children = start.all()
            # As Django's own prefetch: the joins the queryset has are reused.
            children.query.add_q(Q(**{f"{key.name}__in": parents}), reuse_all=True)
            return children  # type: ignore[no-any-return]

        children = CompiledQuery(build, **self.kinds)
        try:
            children._compile(alias)
        except (ValueError, FieldError, NotSupportedError):
            return None  # Django's prefetch reads it
        return _Children(
            path=tuple(path),
            query=children,
            key=key,
            accessor=name,
            cache_name=relation.cache_name,
            to_attr=lookup.to_attr if isinstance(lookup, Prefetch) else None,
            base=base,
        )

    def _sql(self, values: dict[str, object], alias: str) -> tuple[str, tuple[Any, ...], Any, Any]:
        """The SQL and parameters of the queryset built with `values`, the compiler that
        made them (which knows the columns of a row) and the queryset (typed Any: what
        decides how it reads rows is private to QuerySet, and so not in its stubs)."""
        queryset: Any = self._built(values)
        rows = queryset._iterable_class
        if (
            rows not in _ROWS
            or queryset._known_related_objects
            or queryset._db is not None
            or queryset.query.extra
            or (rows is not ModelIterable and queryset._prefetch_related_lookups)
        ):
            raise ValueError(
                "A compiled query reads model rows (prefetched or not), values() or "
                "values_list(): not named tuples, extra(), using() or a related manager's rows"
            )
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        return sql, tuple(params), compiler, queryset

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


_ROWS = (ModelIterable, ValuesIterable, ValuesListIterable, FlatValuesListIterable)


@dataclass(frozen=True)
class _Children:
    """A prefetch lookup read by a compiled query, and how its rows are given to the
    parents: as Django's prefetch gives them (each parent's related manager answers from
    its prefetch cache, or `to_attr` holds the list; each child knows its parent)."""

    path: tuple[str, ...]  # select_related rows from a row to the parents ((): the rows)
    query: CompiledQuery[Any, Any]
    key: Any  # the children's foreign key to the parents
    accessor: str  # the parents' related manager
    cache_name: str
    to_attr: str | None
    base: QuerySet[Any] | None  # the Prefetch's queryset, if it has one

    def fill(self, rows: list[Any], values: Mapping[str, object]) -> None:
        parents = rows
        for part in self.path:
            parents = [p for p in (getattr(row, part) for row in parents) if p is not None]
        if not parents:
            return
        by_key: dict[Any, Any] = {self.key.get_foreign_related_value(p): p for p in parents}
        found: dict[Any, list[Any]] = {}
        for child in self.query.all(**values):
            local = self.key.get_local_related_value(child)
            found.setdefault(local, []).append(child)
            if not self.key.is_cached(child) and local in by_key:
                self.key.set_cached_value(child, by_key[local])
        base = None if self.base is None else self.base.all()
        for parent in parents:
            kids = found.get(self.key.get_foreign_related_value(parent), [])
            if self.to_attr:
                setattr(parent, self.to_attr, kids)
                continue
            manager: Any = getattr(parent, self.accessor)
            queryset = manager.get_queryset() if base is None else manager._apply_rel_filters(base)
            queryset._result_cache = kids
            queryset._prefetch_done = True
            if not hasattr(parent, "_prefetched_objects_cache"):
                parent._prefetched_objects_cache = {}
            parent._prefetched_objects_cache[self.cache_name] = queryset


def _prefetch_sql(lookups: tuple[Any, ...], alias: str) -> list[object]:
    """What a build's prefetch lookups would read: each one's path and the SQL and
    parameters of its queryset, for the two builds to be compared."""
    found: list[object] = []
    for lookup in lookups:
        if not isinstance(lookup, Prefetch):
            found.append(lookup)
            continue
        queryset = lookup.queryset
        sql = None
        if queryset is not None:
            text, params = queryset.query.get_compiler(alias).as_sql()
            sql = (text, tuple(params), _prefetch_sql(queryset._prefetch_related_lookups, alias))
        found.append((lookup.prefetch_through, lookup.to_attr, sql))
    return found


def _fresh(lookup: str | Prefetch) -> str | Prefetch:
    """A copy of a prefetch lookup for one call (Django writes hints on its queryset)."""
    if not isinstance(lookup, Prefetch) or lookup.queryset is None:
        return lookup
    fresh = copy.copy(lookup)
    queryset: Any = lookup.queryset.all()
    queryset._prefetch_related_lookups = tuple(
        _fresh(p) for p in queryset._prefetch_related_lookups
    )
    fresh.queryset = queryset
    return fresh


def _ordered_to_the_row(query: Query) -> bool:
    """Whether the query's ordering ends with its primary key (no two rows tie)."""
    ordering = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    if not ordering or not isinstance(ordering[-1], str):
        return False
    pk = query.get_meta().pk
    assert pk is not None
    return ordering[-1].lstrip("-") in ("pk", pk.name, pk.attname)


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
    if kind is date:
        return date(1900 if sign < 0 else 2900, 1, 1) + timedelta(days=number % 30_000)
    if issubclass(kind, Model):
        pk = kind._meta.pk
        assert pk is not None
        # A saved row with only its key: reading any other column reads the database,
        # finds no such row and refuses the builder (what it read would be a default).
        key = uuid.UUID(int=number) if isinstance(pk, UUIDField) else n
        return kind.from_db(None, [pk.attname], [key])
    raise TypeError(kind)  # _field_of refused it already


def _field_of(kind: type) -> Field[Any, Any]:
    """A field that adapts a value of this kind for the database as a lookup would."""
    if kind is str:
        return TextField()
    if kind is uuid.UUID:
        return UUIDField()
    if kind is datetime:
        return DateTimeField()
    if kind is date:
        return DateField()
    if isinstance(kind, type) and issubclass(kind, Model):
        pk = kind._meta.pk
        assert pk is not None
        return pk  # a relation (a child table's pk) adapts as its target does
    if kind is int:
        return BigIntegerField()
    raise TypeError(f"A compiled query takes int, str, UUID, date(time) or a model, not {kind}")


def _name_of(param: object, adapted: Mapping[str, object]) -> str | None:
    """The parameter whose stand-in, adapted, is `param`. The types may differ by a subclass
    (on PostgreSQL an adapted number is psycopg's Int8, a lookup's is a plain int)."""
    for name, value in adapted.items():
        if (isinstance(param, type(value)) or isinstance(value, type(param))) and param == value:
            return name
    return None


# -- writing ------------------------------------------------------------------------------

# (model, fields, database) -> the UPDATE's SQL and its fields, or None where Django saves.
_updates: dict[
    tuple[type[Model], tuple[str, ...], str], tuple[str, tuple[Field[Any, Any], ...]] | None
] = {}


def save_fields(row: Model, fields: list[str] | tuple[str, ...]) -> None:
    """`row.save(update_fields=fields)`: the same UPDATE, values and error, with its SQL
    written once. Django saves it where its save does more: a row not yet saved; a model
    with parents, a save of its own, a base manager of its own, a composite key, or a
    listener of pre_save or post_save; a name that is not a plain column of the model's
    own (a relation, whose related row Django checks); a value that is an expression."""
    model = type(row)
    alias = router.db_for_write(model, instance=row)
    if (
        row._state.adding
        or row.pk is None
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    ):
        row.save(update_fields=fields)
        return
    key = (model, tuple(fields), alias)
    if key not in _updates:
        _updates[key] = _update_sql(model, tuple(fields), alias)
    found = _updates[key]
    if found is None:
        row.save(update_fields=fields)
        return
    sql, columns = found
    connection = connections[alias]
    values = [field.pre_save(row, False) for field in columns]  # auto_now sets its time
    if any(hasattr(value, "resolve_expression") for value in values):
        row.save(update_fields=fields)
        return
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(columns, values, strict=True)
    ]
    params.append(model._meta.pk.get_db_prep_value(row.pk, connection, prepared=False))
    with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount < 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    row._state.db = alias


def _update_sql(
    model: type[Model], names: tuple[str, ...], alias: str
) -> tuple[str, tuple[Field[Any, Any], ...]] | None:
    """The UPDATE of these fields by key, or None where `save_fields` leaves it to Django."""
    opts = model._meta
    if (
        opts.parents
        or model.save is not Model.save
        or model.save_base is not Model.save_base
        or opts.base_manager_name is not None
        or getattr(opts, "is_composite_pk", False)
    ):
        return None
    # The columns as Django's save picks them: by name or attname, each once.
    columns = [f for f in opts.local_concrete_fields if f.name in names or f.attname in names]
    picked = {f.name for f in columns} | {f.attname for f in columns}
    if not columns or not set(names) <= picked:
        return None
    for found in columns:
        if (
            found.primary_key
            or found.is_relation
            or found.generated
            or hasattr(found, "get_placeholder")
        ):
            return None
    quote = connections[alias].ops.quote_name
    # Names from the model's own metadata, quoted; every value is a parameter.
    table, key = quote(opts.db_table), quote(str(opts.pk.column))
    setting = ", ".join(f"{quote(str(field.column))} = %s" for field in columns)
    sql = f"UPDATE {table} SET {setting} WHERE {key} = %s"  # noqa: S608
    return sql, tuple(columns)
