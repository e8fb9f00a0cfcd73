"""Export, complete deletion and the deletion receipts.

Downloads are POSTs: each one writes an audit event, and a GET changes nothing."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from conferbook.accounts.decorators import administrator_required
from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.selectors import is_administrator
from conferbook.privacy import exports, selectors, services
from conferbook.privacy.forms import DeleteStudentForm, StudentExportForm
from conferbook.privacy.registry import KINDS
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import (
    classrooms_for,
    get_classroom_for,
    get_student_and_classroom_for,
    get_student_for,
)
from conferbook.web.http import file_part, named_file


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _filename(*parts: str) -> str:
    return "-".join(file_part(p, "record") for p in parts)


def _zip_response(*, students, classrooms, filename: str) -> FileResponse:  # type: ignore[no-untyped-def]
    """The zip written to a temporary file first (a school's export can be large), then
    streamed from it; the file is gone once the response is closed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    exports.write_csv_zip(spool, students=students, classrooms=classrooms)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.zip", content_type="application/zip"
    )


def student_export(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Export a student's whole record: JSON for another program, PDF to read."""
    student = get_student_for(teacher=request.user, student_id=student_id)
    form = StudentExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = exports.student_record(
            student=student, classrooms=selectors.export_scope(user=request.user)
        )
        chosen = form.cleaned_data["format"]
        services.record_export(
            actor=request.user,
            student_id=student.pk,
            detail=f"student record {chosen.upper()}",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        name = _filename(student.full_name, _stamp())
        if chosen == "pdf":
            body = exports.student_pdf(
                record,
                name=student.full_name,
                paper=request.user.paper,
                images=exports.student_images(
                    student=student, classrooms=selectors.export_scope(user=request.user)
                ),
            )
            content_type = "application/pdf"
        elif chosen == "zip":
            body = exports.student_zip(
                record, student=student, classrooms=selectors.export_scope(user=request.user)
            )
            content_type = "application/zip"
        else:
            body = exports.student_json(record)
            content_type = "application/json"
        response = HttpResponse(body, content_type=content_type)
        named_file(response, f"{name}.{chosen}", download=True)
        return response
    return render(
        request,
        "privacy/student_export.html",
        {"student": student, "form": form, "kinds": KINDS.values()},
    )


def classroom_export(request: TeacherRequest, classroom_id: int) -> HttpResponseBase:
    """Export a class as a zip of CSV files (one a kind of record)."""
    the_class = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    if request.method == "POST":
        services.record_export(
            actor=request.user,
            classroom_id=the_class.pk,
            detail="class CSV zip",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        only = Classroom.objects.filter(pk=the_class.pk)
        return _zip_response(
            students=selectors.students_of(only),
            classrooms=only,
            filename=_filename(the_class.name, _stamp()),
        )
    return render(
        request,
        "privacy/classroom_export.html",
        {"classroom": the_class, "kinds": KINDS.values()},
    )


def teacher_export(request: TeacherRequest) -> HttpResponseBase:
    """Export every class the signed-in teacher teaches (archived ones included)."""
    taught = classrooms_for(teacher=request.user, include_archived=True)
    if request.method == "POST":
        services.record_export(
            actor=request.user,
            detail="all of the teacher's classes, CSV zip",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return _zip_response(
            students=selectors.students_of(taught),
            classrooms=taught,
            filename=_filename("my-classes", _stamp()),
        )
    return render(
        request,
        "privacy/teacher_export.html",
        {
            "classrooms": taught,
            "kinds": KINDS.values(),
            "is_administrator": is_administrator(request.user),
        },
    )


@administrator_required
def school_export(request: TeacherRequest) -> HttpResponseBase:
    """Export the whole school's records (the administrator only; 404 for anyone else)."""
    if request.method == "POST":
        services.record_export(
            actor=request.user,
            detail="whole school, CSV zip",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return _zip_response(
            students=Student.objects.all(),
            classrooms=None,
            filename=_filename("school", _stamp()),
        )
    return render(
        request, "privacy/school_export.html", {"kinds": KINDS.values(), "nav": "school_export"}
    )


def student_delete(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Delete a student's data completely, once their full name is typed; then the receipt."""
    student = selectors.get_student_to_delete(user=request.user, student_id=student_id)
    if (
        is_administrator(request.user)
        and not classrooms_for(teacher=request.user).filter(students=student).exists()
    ):
        the_class = Classroom.objects.filter(students=student).order_by("pk").first()
    else:
        _, the_class = get_student_and_classroom_for(
            teacher=request.user, student_id=student.pk, classroom_id=None
        )
    form = DeleteStudentForm(request.POST or None, expected=student.full_name)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["full_name"]
        receipt = services.delete_student(
            student=student,
            actor=request.user,
            classroom=the_class,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return render(
            request,
            "privacy/receipt.html",
            {"receipt": receipt, "typed_name": typed, "lines": _receipt_lines(receipt)},
        )
    return render(
        request,
        "privacy/student_delete.html",
        {"student": student, "classroom": the_class, "form": form, "kinds": KINDS.values()},
    )


def _receipt_lines(receipt) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    """(kind title, rows deleted, shared rows changed) for every kind the deletion touched."""
    deleted = receipt.counts.get("deleted", {})
    changed = receipt.counts.get("changed", {})
    return [
        (kind.title, deleted.get(key, 0), changed.get(key, 0))
        for key, kind in KINDS.items()
        if deleted.get(key) or changed.get(key)
    ]


@administrator_required
def receipts(request: TeacherRequest) -> HttpResponse:
    """Every deletion receipt (the administrator only)."""
    rows = selectors.receipts_for(user=request.user)[:500]
    return render(
        request,
        "privacy/receipts.html",
        {"receipts": [(r, _receipt_lines(r)) for r in rows], "nav": "deletions"},
    )


def student_records(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Correct the record: every goal, sample, strength, self-assessment, conference and
    sticker of the student, each with a button that removes it (a POST here)."""
    student = get_student_for(teacher=request.user, student_id=student_id)
    scope = selectors.export_scope(user=request.user)
    if request.method == "POST":
        try:
            title = services.remove_record(
                student=student,
                kind_key=request.POST.get("kind", ""),
                row_id=request.POST.get("row", ""),
                classrooms=scope,
            )
        except services.NotRemovable:
            messages.error(request, "That record was not found: it may have been removed already.")
        else:
            messages.success(
                request, f"Removed one of {student.shown_name}'s records ({title.lower()})."
            )
        return redirect("privacy:student_records", student_id=student.pk)
    sections = []
    for key in services.REMOVABLE:
        kind = KINDS[key]
        rows = [
            (row.pk, _summary(kind.row_values(row)))
            for row in kind.rows([student.pk], classrooms=scope)
        ]
        sections.append((kind, rows))
    return render(
        request, "privacy/student_records.html", {"student": student, "sections": sections}
    )


def _summary(values: dict[str, object]) -> str:
    """A row in one line: its first few filled-in values (ids left out)."""
    shown = [
        str(v)
        for k, v in values.items()
        if v not in (None, "") and k not in ("id", "student_id", "self_assessment", "conference")
    ]
    text = " · ".join(shown[:5])
    return text if len(text) <= 240 else text[:239] + "…"
