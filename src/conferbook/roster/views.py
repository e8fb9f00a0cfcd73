from __future__ import annotations

from dataclasses import asdict, replace

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from conferbook.accounts.http import TeacherRequest
from conferbook.lib.block import alternatives, answer
from conferbook.lib.parse import int_or_zero
from conferbook.lib.text import clean_name
from conferbook.roster import services
from conferbook.roster.csv_import import ImportFileError, parse_roster
from conferbook.roster.forms import (
    ClassroomForm,
    CoTeacherForm,
    MoveStudentForm,
    RosterUploadForm,
    StudentForm,
)
from conferbook.roster.models import Classroom
from conferbook.roster.selectors import (
    classrooms_for,
    coached_classrooms,
    get_classroom_for,
    get_student_for,
    people_to_share_with,
    students_in,
)

IMPORT_SESSION_KEY = "roster_import"


@require_safe
def home(request: TeacherRequest) -> HttpResponse:
    classrooms = classrooms_for(teacher=request.user).annotate(
        student_count=Count("students", filter=Q(students__archived_at__isnull=True))
    )
    archived = classrooms_for(teacher=request.user, include_archived=True).filter(
        archived_at__isnull=False
    )
    return render(
        request,
        "roster/home.html",
        {
            "classrooms": classrooms,
            "archived": archived,
            # Read only: the classes of the teachers the person coaches.
            "coached": coached_classrooms(user=request.user).annotate(
                student_count=Count("students", filter=Q(students__archived_at__isnull=True))
            ),
            "nav": "classes",
        },
    )


def classroom_create(request: TeacherRequest) -> HttpResponse:
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "name"}
        classroom = services.create_classroom(
            teacher=request.user, name=form.cleaned_data["name"], **fields
        )
        messages.success(request, f"{classroom.name} is ready. Add your students next.")
        return redirect("conferences:classroom", classroom_id=classroom.pk)
    context = {
        **_block_answer_context(ClassroomForm(request.POST or _as_data(form)), 25),
        "estimate": True,
    }
    return render(
        request, "roster/classroom_form.html", {"form": form, "nav": "classes", **context}
    )


def classroom_edit(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = ClassroomForm(request.POST or None, instance=classroom)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Class settings saved.")
        return redirect("conferences:classroom", classroom_id=classroom.pk)
    students = students_in(classroom=classroom).count()
    return render(
        request,
        "roster/classroom_form.html",
        {
            "form": form,
            "classroom": classroom,
            **_teachers_context(request, classroom),
            "nav": "classes",
            **_block_answer_context(
                ClassroomForm(request.POST or _as_data(form), instance=classroom), students
            ),
        },
    )


def _teachers_context(
    request: TeacherRequest, classroom: Classroom, form: CoTeacherForm | None = None
) -> dict[str, object]:
    """The "Teachers of this class" part of the settings page."""
    return {
        "class_teachers": list(classroom.teachers.order_by("first_name", "last_name", "pk")),
        "co_teacher_form": form
        or CoTeacherForm(people=people_to_share_with(classroom=classroom, by=request.user)),
    }


@require_POST
def co_teacher_add(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Share the class with a co-teacher chosen from the school's accounts."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = CoTeacherForm(
        request.POST, people=people_to_share_with(classroom=classroom, by=request.user)
    )
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.add_co_teacher(classroom=classroom, teacher=person, added_by=request.user)
        except services.ShareRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, f"{person.display_name} now teaches {classroom.name} with you."
            )
    else:
        problem = " ".join(str(error) for error in form.errors.get("person", []))
        messages.error(request, problem or "Choose a person.")
    return redirect(reverse("roster:classroom_edit", args=[classroom.pk]) + "#teachers")


@require_POST
def co_teacher_remove(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Take a teacher off the class; taking oneself off needs `confirm`, and the last
    teacher of a class is never taken off."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    settings_url = reverse("roster:classroom_edit", args=[classroom.pk]) + "#teachers"
    person = classroom.teachers.filter(pk=int_or_zero(request.POST.get("person"))).first()
    if person is None:
        messages.error(request, "Choose a teacher of this class to remove.")
        return redirect(settings_url)
    leaving = person.pk == request.user.pk
    if leaving and request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you are leaving this class.")
        return redirect(settings_url)
    try:
        services.remove_co_teacher(classroom=classroom, teacher=person, removed_by=request.user)
    except services.ShareRefused as refused:
        messages.error(request, str(refused))
        return redirect(settings_url)
    if leaving:
        messages.success(request, f"You no longer teach {classroom.name}.")
        return redirect("roster:home")
    messages.success(request, f"{person.display_name} no longer teaches {classroom.name}.")
    return redirect(settings_url)


def _as_data(form: ClassroomForm) -> dict[str, object]:
    """The form's initial values as posted data, to answer before anything is edited."""
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = value
    return data


def _block_answer_context(form: ClassroomForm, students: int) -> dict[str, object]:
    """The live "how often" answer for the block the form describes (partial data is fine)."""
    form.is_valid()
    data = form.cleaned_data
    if not all(data.get(f) for f in ("block_start", "block_end", "writing_days")):
        return {"answer": None, "students": students}
    if data["block_end"] <= data["block_start"]:
        return {"answer": None, "students": students}
    block = ClassroomForm.block_from(data)
    reading_slots = 0
    if data.get("reading_days") and data.get("reading_start") and data.get("reading_end"):
        reading = replace(
            block,
            start=data["reading_start"],
            end=data["reading_end"],
            group_slots=0,
            days_per_week=len(data["reading_days"]),
        )
        reading_slots = reading.conference_slots()
    return {
        "answer": answer(block, students),
        "alternatives": alternatives(block, students),
        "students": students,
        "block": block,
        "reading_slots": reading_slots,
    }


def classroom_block_answer(request: TeacherRequest) -> HttpResponse:
    """htmx: recompute the answer while the teacher edits the writing block."""
    students = max(1, min(200, int_or_zero(request.POST.get("expected_students")) or 25))
    estimate = True
    if classroom_id := int_or_zero(request.POST.get("classroom")):
        classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
        counted = students_in(classroom=classroom).count()
        students, estimate = (counted, False) if counted else (students, True)
    context = {**_block_answer_context(ClassroomForm(request.POST), students), "estimate": estimate}
    return render(request, "roster/classroom_form.html#answer", context)


@require_POST
def classroom_archive(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    archived = request.POST.get("archived") != "0"
    services.set_classroom_archived(classroom=classroom, archived=archived)
    messages.success(request, f"{classroom.name} was {'archived' if archived else 'brought back'}.")
    return redirect("roster:home")


def student_add(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = StudentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        student = services.add_student(classroom=classroom, **form.cleaned_data)
        # The saved name has no direction controls (NameField); the form's copy still may.
        messages.success(request, f"{clean_name(student.full_name)} was added to {classroom.name}.")
        if "add_another" in request.POST:
            return redirect("roster:student_add", classroom_id=classroom.pk)
        return redirect("conferences:classroom", classroom_id=classroom.pk)
    return render(
        request,
        "roster/student_form.html",
        {"form": form, "classroom": classroom, "nav": "classes"},
    )


def student_edit(request: TeacherRequest, student_id: int) -> HttpResponse:
    student = get_student_for(teacher=request.user, student_id=student_id)
    form = StudentForm(request.POST or None, instance=student)
    teacher_classrooms = classrooms_for(teacher=request.user)
    current = list(teacher_classrooms.filter(students=student))
    move_form = MoveStudentForm(classrooms=teacher_classrooms.exclude(students=student))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Student details saved.")
        return redirect("conferences:student", student_id=student.pk)
    return render(
        request,
        "roster/student_edit.html",
        {
            "form": form,
            "student": student,
            "move_form": move_form,
            "current_classrooms": current,
            "nav": "classes",
        },
    )


@require_POST
def student_archive(request: TeacherRequest, student_id: int) -> HttpResponse:
    student = get_student_for(teacher=request.user, student_id=student_id)
    archived = request.POST.get("archived") != "0"
    services.set_student_archived(student=student, archived=archived)
    messages.success(
        request,
        f"{student.full_name} was archived: their record is kept but they are off class lists."
        if archived
        else f"{student.full_name} is back on class lists.",
    )
    return redirect("conferences:student", student_id=student.pk)


def roster_import(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Upload a CSV and see a preview; nothing is written until the teacher confirms."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    preview = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        existing = students_in(classroom=classroom).values_list(
            "first_name", "last_name", "school_id"
        )
        try:
            preview = parse_roster(form.cleaned_data["file"].read(), existing=list(existing))
        except ImportFileError as error:
            problem = str(error)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "classroom": classroom.pk,
                "rows": [asdict(row) for row in preview.importable],
            }
    return render(
        request,
        "roster/import.html",
        {
            "form": form,
            "classroom": classroom,
            "preview": preview,
            "problem": problem,
            "nav": "classes",
        },
    )


@require_POST
def roster_import_confirm(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("classroom") != classroom.pk:
        messages.error(request, "That import has expired. Please choose the file again.")
        return redirect("roster:import", classroom_id=classroom.pk)
    del request.session[IMPORT_SESSION_KEY]
    added = services.import_students(classroom=classroom, rows=pending["rows"])
    messages.success(
        request,
        f"{len(added)} student{'s were' if len(added) != 1 else ' was'} added to {classroom.name}.",
    )
    return redirect("conferences:classroom", classroom_id=classroom.pk)
