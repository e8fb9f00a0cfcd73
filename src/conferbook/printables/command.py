"""`conferbook print`: any printable from the command line, for a class or one student.

    conferbook print cards --class "Room 12" who=all sheet=index-card
    conferbook print chart --class 3 --student Zoë paper=a4 -o zoe.pdf
    conferbook print reports --class 3 conferences=dates since=2026-09-01 until=2026-12-18
    conferbook print chart --class 3 conferences=all    (a zip: one PDF per student)

Choices are the same as on the print page (name=value), validated by the same forms; a
choice left out takes the teacher's usual default.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

from django import forms
from django.db.models import Q
from django.http import QueryDict

from conferbook.printables.catalogue import PRINTABLES, Choice, blank_form, form_for
from conferbook.printables.documents import Bundle, NothingToPrint
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in


class CommandError(Exception):
    """A message for the person at the keyboard."""


def find_classroom(text: str) -> Classroom:
    found = list(
        Classroom.objects.filter(
            Q(pk=int(text)) if text.isdigit() else Q(name__iexact=text.strip())
        ).filter(archived_at__isnull=True)
    )
    if not found:
        names = ", ".join(c.name for c in Classroom.objects.filter(archived_at__isnull=True))
        raise CommandError(f'No class called "{text}". Classes: {names or "none yet"}.')
    if len(found) > 1:
        ids = ", ".join(f"{c.pk} ({c.name})" for c in found)
        raise CommandError(f'More than one class is called "{text}": use its id, one of {ids}.')
    return found[0]


def find_student(classroom: Classroom, text: str) -> Student:
    students = students_in(classroom=classroom, include_archived=True)
    if text.isdigit():
        found = list(students.filter(pk=int(text)))
    else:
        wanted = " ".join(text.split()).casefold()
        found = [
            s
            for s in students
            if wanted in {s.full_name.casefold(), s.shown_name.casefold(), s.first_name.casefold()}
        ]
    if len(found) != 1:
        problem = "No student" if not found else "More than one student"
        raise CommandError(f'{problem} in {classroom.name} matches "{text}"; use the id.')
    return found[0]


def _explain(form: forms.Form) -> str:
    lines = ["The PDF was not made:"]
    lines += [f"  {error}" for error in form.non_field_errors()]
    for name, field in form.fields.items():
        for error in form.errors.get(name, []):
            lines.append(f"  {name}: {error}")
            if isinstance(field, forms.ChoiceField) and field.choices:
                choices = cast(list[tuple[object, str]], field.choices)
                values = ", ".join(str(value) for value, _ in choices if value != "")
                lines.append(f"    choose one of: {values}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> Path:
    """Make the PDF the arguments ask for and write it; CommandError when they do not fit."""
    if args.kind not in PRINTABLES:
        raise CommandError(f'Nothing called "{args.kind}" to print: {", ".join(PRINTABLES)}.')
    printable = PRINTABLES[args.kind]
    classroom = find_classroom(args.classroom)
    teacher = classroom.teachers.order_by("pk").first()
    if teacher is None:
        raise CommandError(f"{classroom.name} has no teacher to print for.")
    student = find_student(classroom, args.student) if args.student else None
    if student is not None and not printable.for_student:
        raise CommandError(f"{printable.title}: printed for a whole class, so leave out --student.")
    query = QueryDict(mutable=True)
    for choice in args.choices:
        name, sign, value = choice.partition("=")
        if not sign:
            fields = ", ".join(
                blank_form(printable, teacher=teacher, classroom=classroom, student=student).fields
            )
            raise CommandError(f'"{choice}" is not NAME=VALUE. Choices for {args.kind}: {fields}.')
        query.appendlist(name, value)
    form = form_for(printable, query, teacher=teacher, classroom=classroom, student=student)
    if not form.is_valid():
        raise CommandError(_explain(form))
    try:
        document = printable.build(Choice(teacher, classroom, student, form))
    except NothingToPrint as nothing:
        raise CommandError(str(nothing)) from None
    target = Path(args.output or document.filename)
    if isinstance(document, Bundle):
        with target.open("wb") as written:  # a long binder: one student's PDF at a time
            for chunk in document.chunks:
                written.write(chunk)
    else:
        target.write_bytes(document.content)
    return target
