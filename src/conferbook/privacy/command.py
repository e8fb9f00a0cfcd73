"""`conferbook export` and `conferbook purge`: the same exports and deletions as the pages,
for the person who runs the server (who can read the database anyway). Each export and
deletion is written in the audit log as done from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from conferbook.accounts.models import User
from conferbook.printables.command import CommandError  # one kind of refusal for every command
from conferbook.privacy import exports, selectors, services
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import classrooms_for

COMMAND_LINE = "command line"


def _write(path: Path, body: bytes) -> None:
    try:
        path.write_bytes(body)
    except OSError as problem:
        raise CommandError(f"Could not write {path}: {problem.strerror}.") from None


def export(args: argparse.Namespace) -> Path:
    """Write the export asked for to args.output; the path written."""
    output = Path(args.output)
    chosen = args.format
    if args.student is not None:
        student = Student.objects.filter(pk=args.student).first()
        if student is None:
            raise CommandError(f"There is no student with the id {args.student}.")
        chosen = chosen or "json"
        if chosen not in ("json", "pdf"):
            raise CommandError("A student's record is exported as json or pdf.")
        record = exports.student_record(student=student, classrooms=None)
        body = (
            exports.student_pdf(record, name=student.full_name, paper=args.paper)
            if chosen == "pdf"
            else exports.student_json(record)
        )
        _write(output, body)
        services.record_export(
            actor=None,
            actor_name=COMMAND_LINE,
            student_id=student.pk,
            detail=f"student record {chosen.upper()} (command line)",
        )
        return output
    if chosen not in (None, "csv"):
        raise CommandError("Classes, a teacher's classes and the school are exported as csv.")
    classroom_id = None
    if args.classroom is not None:
        classrooms = Classroom.objects.filter(pk=args.classroom)
        if not classrooms.exists():
            raise CommandError(f"There is no class with the id {args.classroom}.")
        classroom_id, detail = args.classroom, "class CSV zip (command line)"
        students, scope = selectors.students_of(classrooms), classrooms
    elif args.teacher is not None:
        teacher = User.objects.filter(username=args.teacher).first()
        if teacher is None:
            raise CommandError(f"There is no account with the username {args.teacher!r}.")
        scope = classrooms_for(teacher=teacher, include_archived=True)
        students, detail = (
            selectors.students_of(scope),
            "a teacher's classes, CSV zip (command line)",
        )
    else:
        students, scope, detail = (
            Student.objects.all(),
            None,
            "whole school, CSV zip (command line)",
        )
    try:
        with output.open("wb") as target:
            exports.write_csv_zip(target, students=students, classrooms=scope)
    except OSError as problem:
        raise CommandError(f"Could not write {output}: {problem.strerror}.") from None
    services.record_export(
        actor=None, actor_name=COMMAND_LINE, classroom_id=classroom_id, detail=detail
    )
    return output


def purge(*, apply: bool, verbose: bool) -> list[str]:
    """The lines to print for a retention purge (see services.purge_past_retention)."""
    result = services.purge_past_retention(apply=apply)
    lines: list[str] = []
    if not apply:
        if not result.due:
            return ["No student is past the retention period. Nothing would be deleted."]
        lines.append(
            f"{len(result.due)} student(s) past the retention period would be deleted "
            "(run again with --apply to delete them):"
        )
        lines += [
            f"  student {d.student_id}: {', '.join(d.classes)} "
            f"(last archived {d.last_archived:%Y-%m-%d})"
            for d in result.due
        ]
        return lines
    if verbose:
        lines.append(f"Deleted {len(result.receipts)} student(s) past the retention period.")
        lines += [f"  student {r.student_id}: receipt {r.pk}" for r in result.receipts]
    return lines
