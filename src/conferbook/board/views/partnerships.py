"""Writing partnerships: suggested for the whole class in two modes, edited and saved."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conferbook.accounts.http import TeacherRequest
from conferbook.board.forms import PairForm, PartnerModeForm
from conferbook.groups import selectors, services
from conferbook.groups.models import Partnership
from conferbook.groups.suggest import Mode, SuggestedPartnership, suggest_partners
from conferbook.lib.parse import int_or_zero
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import get_classroom_for, students_in


@dataclass(frozen=True)
class PairOnPage:
    students: list[Student]
    reason: str
    well_matched: bool
    both_ways: bool

    @property
    def value(self) -> str:
        """What the page posts back to save it: the student ids, comma-separated."""
        return ",".join(str(s.pk) for s in self.students)


def _mode(raw: str | None) -> Mode:
    """The pairing mode asked for; same goal for anything else."""
    try:
        return Mode(raw or "")
    except ValueError:
        return Mode.SAME_GOAL


NO_MATCH = "No shared goal or matching strength on record yet: paired so no one is left out."


def partnerships(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Suggested partners for the whole class, each pair with why; the saved partnerships."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    mode = _mode(request.GET.get("mode"))
    data = selectors.class_goals(classroom=classroom)
    by_id = {s.pk: s for s in data.students}
    suggested: tuple[SuggestedPartnership, ...] = suggest_partners(data.writers(), mode=mode)
    saved = selectors.partnerships_in(classroom=classroom)
    partnered = {m.student_id for p in saved for m in p.memberships.all()}
    return render(
        request,
        "board/partnerships.html",
        {
            "classroom": classroom,
            "mode": mode.value,
            "mode_form": PartnerModeForm(initial={"mode": mode.value}),
            "suggested": [
                PairOnPage(
                    students=[by_id[i] for i in p.student_ids],
                    reason=data.reason(p.student_ids, mode=mode) or NO_MATCH,
                    well_matched=p.well_matched,
                    both_ways=p.both_ways,
                )
                for p in suggested
            ],
            "well_matched": sum(p.well_matched for p in suggested),
            "saved": saved,
            "pair_form": PairForm(
                students=students_in(classroom=classroom).exclude(pk__in=partnered)
            ),
            "unpartnered": [s for s in data.students if s.pk not in partnered],
            "nav": "classes",
        },
    )


def _posted_pairs(classroom: Classroom, values: list[str]) -> list[list[Student]] | None:
    """The partnerships the page posted (ids, comma-separated), each student once; None when
    any names a student who is not (or no longer) in the class."""
    students = {s.pk: s for s in students_in(classroom=classroom)}
    pairs, seen = [], set()
    for value in values:
        ids = [int_or_zero(i) for i in value.split(",")]
        if any(i not in students or i in seen for i in ids):
            return None
        seen.update(ids)
        pairs.append([students[i] for i in ids])
    return pairs


@require_POST
def accept(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Save the suggested partnerships shown, in place of the class's earlier ones."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    mode = _mode(request.POST.get("mode"))
    back = reverse("board:partnerships", args=[classroom.pk]) + f"?mode={mode.value}"
    pairs = _posted_pairs(classroom, request.POST.getlist("pair"))
    if not pairs:
        messages.error(
            request, "Those partnerships are out of date: here are the suggestions again."
        )
        return redirect(back)
    data = selectors.class_goals(classroom=classroom)
    try:
        saved = services.save_partnerships(
            classroom=classroom,
            partnerships=[
                services.PartnershipToSave(
                    members=pair,
                    basis=mode.value,
                    reason=data.reason([s.pk for s in pair], mode=mode) or NO_MATCH,
                )
                for pair in pairs
            ],
            replace=True,
        )
    except services.GroupRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    messages.success(
        request,
        f"Saved {len(saved)} partnership{'s' if len(saved) != 1 else ''}; "
        "each student's page names their partner and why.",
    )
    return redirect(
        reverse("board:partnerships", args=[classroom.pk]) + f"?mode={mode.value}#saved"
    )


@require_POST
def pair(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Pair two (or three) students by hand."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = PairForm(request.POST, students=students_in(classroom=classroom))
    back = reverse("board:partnerships", args=[classroom.pk]) + "#saved"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(back)
    members = list(form.cleaned_data["students"])
    reason = form.cleaned_data["reason"].strip()
    if not reason:
        data = selectors.class_goals(classroom=classroom)
        ids = [s.pk for s in members]
        found = [data.reason(ids, mode=mode) for mode in (Mode.SAME_GOAL, Mode.COMPLEMENTARY)]
        reason = next((r for r in found if r), "Chosen by the teacher.")
    try:
        services.save_partnerships(
            classroom=classroom,
            partnerships=[
                services.PartnershipToSave(
                    members=members, basis=Partnership.Basis.BY_HAND, reason=reason
                )
            ],
            replace=False,
        )
    except services.GroupRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Partners: {', '.join(s.shown_name for s in members)}.")
    return redirect(back)


@require_POST
def split(request: TeacherRequest, partnership_id: int) -> HttpResponse:
    partnership = selectors.get_partnership_for(teacher=request.user, partnership_id=partnership_id)
    names = ", ".join(
        m.student.shown_name for m in partnership.memberships.select_related("student")
    )
    services.split_partnership(partnership=partnership)
    messages.success(request, f"{names} are no longer partners.")
    return redirect(reverse("board:partnerships", args=[partnership.classroom_id]) + "#saved")
