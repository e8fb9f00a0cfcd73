"""Print pages and the PDFs they ask for.

A print page offers each printable (`catalogue.PRINTABLES`) with its few choices; each
choice form is sent by GET to the printable's PDF address, which answers the PDF inline
(the browser shows it, ready to print) or, when a choice is not valid, the print page again
with the message and every choice kept.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.models import User
from conferbook.accounts.services import new_card_sheet, set_paper, take_next_cards
from conferbook.conferences.selectors import get_conference_for, get_group_conference_for
from conferbook.lib.parse import int_or_zero
from conferbook.lib.sheets import CARD_SHEETS, SHEETS
from conferbook.printables import documents
from conferbook.printables.catalogue import PRINTABLES, Choice, blank_form, form_for
from conferbook.printables.documents import Bundle, Document
from conferbook.printables.forms import PreferenceForm, default_sheet
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import (
    can_write,
    get_classroom_seen_by,
    get_student_and_classroom_seen_by,
)
from conferbook.web.http import named_file, safe_next


def _pdf(document: Document) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    named_file(response, document.filename, download=False)
    return response


def _sent(document: Document | Bundle) -> HttpResponseBase:
    """A PDF shown in the browser, or a long binder's zip downloaded as it is made."""
    if isinstance(document, Document):
        return _pdf(document)
    response = StreamingHttpResponse(document.chunks, content_type="application/zip")
    named_file(response, document.filename, download=True)
    return response


def _page(
    request: TeacherRequest,
    *,
    classroom: Classroom | None,
    student: Student | None,
    bound: dict[str, forms.Form],
) -> HttpResponse:
    """The print page of a class or of one student; `bound` holds a form sent back."""
    offered = {
        key: bound.get(key)
        or blank_form(p, teacher=request.user, classroom=classroom, student=student)
        for key, p in PRINTABLES.items()
        if (p.for_student if student else p.for_class) and classroom is not None
    }
    return render(
        request,
        "printables/student.html" if student else "printables/classroom.html",
        {
            "classroom": classroom,
            "student": student,
            "forms": offered,
            "preference": PreferenceForm(initial={"paper": request.user.paper}),
            "can_write": can_write(user=request.user, classroom=classroom),
            "today_count": (
                len(documents.todays_student_ids(classroom=classroom))
                if classroom and not student
                else 0
            ),
            "nav": "classes",
        },
        status=400 if bound else 200,
    )


def _answer(
    request: TeacherRequest, key: str, classroom: Classroom | None, student: Student | None
) -> HttpResponseBase:
    printable = PRINTABLES[key]
    if classroom is None:  # a student whose classes the teacher no longer teaches
        messages.error(request, "This student is not in any of your classes any more.")
        return _page(request, classroom=None, student=student, bound={})
    form = form_for(
        printable, request.GET, teacher=request.user, classroom=classroom, student=student
    )
    if not form.is_valid():
        return _page(request, classroom=classroom, student=student, bound={key: form})
    try:
        return _sent(printable.build(Choice(request.user, classroom, student, form)))
    except documents.NothingToPrint as nothing:
        form.add_error(None, str(nothing))
        return _page(request, classroom=classroom, student=student, bound={key: form})


@require_GET
def classroom(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Everything a teacher (or a coach of the class's teacher) can print for a class."""
    the_class = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    return _page(request, classroom=the_class, student=None, bound={})


@require_GET
def classroom_pdf(request: TeacherRequest, classroom_id: int, key: str) -> HttpResponseBase:
    """One printable for the whole class, as a PDF (a coach prints it too: reading only); a
    binder longer than a term comes as a zip of one PDF per student."""
    the_class = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    return _answer(request, key, the_class, None)


def _student_and_class(
    request: TeacherRequest, student_id: int
) -> tuple[Student, Classroom | None]:
    return get_student_and_classroom_seen_by(
        user=request.user,
        student_id=student_id,
        classroom_id=int_or_zero(request.GET.get("class")),
    )


@require_GET
def student(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Everything a teacher can print for one student, in the class asked for (`?class=`)."""
    the_student, the_class = _student_and_class(request, student_id)
    return _page(request, classroom=the_class, student=the_student, bound={})


@require_GET
def student_pdf(request: TeacherRequest, student_id: int, key: str) -> HttpResponseBase:
    """One printable for one student, as a PDF."""
    the_student, the_class = _student_and_class(request, student_id)
    return _answer(request, key, the_class, the_student)


@require_GET
def conference_card(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponseBase:
    """The appointment card at the end of a conference, on the teacher's usual card stock."""
    conference = get_conference_for(teacher=request.user, conference_id=conference_id)
    return _answer(request, "cards", conference.classroom, conference.student)


def _card_sheet(teacher: User) -> str:
    """The card stock in the teacher's printer: the last one used, else their paper's."""
    return (
        teacher.card_sheet
        if teacher.card_sheet in CARD_SHEETS
        else default_sheet(CARD_SHEETS, teacher.paper)
    )


@require_POST
def print_card(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """One tap at the end of a conference: the student's card, on the next unused card of
    the sheet in the teacher's printer (the sheet's place moves on)."""
    conference = get_conference_for(teacher=request.user, conference_id=conference_id)
    sheet = _card_sheet(request.user)
    start = take_next_cards(teacher=request.user, sheet=sheet, per_sheet=SHEETS[sheet].per_sheet)
    return _pdf(
        documents.cards(
            teacher=request.user,
            classroom=conference.classroom,
            sheet=SHEETS[sheet],
            student_ids=[conference.student_id],
            start_at=start - 1,
            label=f"{conference.student.shown_name}-card",
        )
    )


@require_POST
def print_group_cards(request: TeacherRequest, group_conference_id: uuid.UUID) -> HttpResponse:
    """The cards of a small group's members, on the next unused cards of the sheet, each
    with the group's next meeting when one is booked."""
    meeting = get_group_conference_for(
        teacher=request.user, group_conference_id=group_conference_id
    )
    members = list(meeting.members.values_list("student_id", flat=True))
    sheet = _card_sheet(request.user)
    start = take_next_cards(
        teacher=request.user, sheet=sheet, per_sheet=SHEETS[sheet].per_sheet, count=len(members)
    )
    return _pdf(
        documents.cards(
            teacher=request.user,
            classroom=meeting.classroom,
            sheet=SHEETS[sheet],
            student_ids=members,
            start_at=start - 1,
            label=f"{meeting.name}-cards",
            group=meeting.group,
        )
    )


@require_POST
def card_sheet_new(request: TeacherRequest) -> HttpResponse:
    """The teacher put a new sheet of card stock in the printer."""
    new_card_sheet(teacher=request.user)
    messages.success(request, "The next card prints at the top of the new sheet.")
    return redirect(safe_next(request))


@require_POST
def paper(request: TeacherRequest) -> HttpResponse:
    """Save the teacher's paper size; back to the page the choice was made on."""
    form = PreferenceForm(request.POST)
    if form.is_valid():
        set_paper(teacher=request.user, paper=form.cleaned_data["paper"])
        messages.success(request, f"Pages will print on {request.user.get_paper_display()}.")
    else:
        messages.error(request, "Choose US Letter or A4.")
    return redirect(safe_next(request))
