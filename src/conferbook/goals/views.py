from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conferbook.accounts.http import TeacherRequest
from conferbook.goals import reading, selectors, services
from conferbook.goals.forms import (
    GoalForm,
    MentorTextForm,
    SamplePhotosForm,
    SelfAssessmentForm,
    SetGoalForm,
    SpotForm,
    StrategyForm,
    StrengthForm,
    TranscriptionForm,
    WritingSampleForm,
)
from conferbook.goals.models import (
    MAX_ACTIVE_GOALS,
    Checklist,
    Goal,
    MentorText,
    PageSpot,
    Strategy,
    StudentGoal,
    WritingSample,
)
from conferbook.lib.parse import int_or_zero
from conferbook.lib.photos import MAX_BYTES, MAX_PAGES, MAX_UPLOAD_BYTES, MIN_SPOT
from conferbook.lib.words import counted
from conferbook.roster.models import Student
from conferbook.roster.selectors import (
    can_write,
    get_classroom_seen_by,
    get_student_and_classroom_seen_by,
    get_student_for,
    students_in,
)
from conferbook.web.http import named_file, safe_next


def library(request: TeacherRequest) -> HttpResponse:
    show_hidden = request.GET.get("hidden") == "1"
    teacher = request.user
    return render(
        request,
        "goals/library.html",
        {
            "categories": selectors.library_for(teacher=teacher, include_hidden=show_hidden),
            "hidden_goal_ids": set(teacher.hidden_goals.values_list("pk", flat=True)),
            "hidden_strategy_ids": set(teacher.hidden_strategies.values_list("pk", flat=True)),
            "mentor_texts": selectors.mentor_texts_for(teacher=teacher),
            "show_hidden": show_hidden,
            "nav": "library",
        },
    )


def goal_create(request: TeacherRequest) -> HttpResponse:
    return _goal_form(request, goal=None)


def goal_edit(request: TeacherRequest, goal_id: int) -> HttpResponse:
    return _goal_form(
        request, goal=selectors.get_own_goal_for(teacher=request.user, goal_id=goal_id)
    )


def _goal_form(request: TeacherRequest, *, goal: Goal | None) -> HttpResponse:
    form = GoalForm(
        request.POST or None,
        instance=goal,
        categories=selectors.categories_for(teacher=request.user),
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_own_library_item(teacher=request.user, item=form.save(commit=False))
        messages.success(request, f"Saved your goal “{saved.name}”. Add a strategy for it below.")
        return redirect(f"{_library_url()}#goal-{saved.pk}")
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal, "nav": "library"})


def _library_url() -> str:
    return reverse("goals:library")


@require_POST
def goal_hide(request: TeacherRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_goal_for(teacher=request.user, goal_id=goal_id)
    hidden = request.POST.get("hidden") != "0"
    services.set_hidden(teacher=request.user, item=goal, hidden=hidden)
    messages.success(
        request, f"“{goal.name}” is {'hidden from your lists' if hidden else 'shown again'}."
    )
    return redirect(_library_url() + ("?hidden=1" if not hidden else ""))


def strategy_create(request: TeacherRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_goal_for(teacher=request.user, goal_id=goal_id)
    return _strategy_form(request, goal=goal, strategy=None)


def strategy_edit(request: TeacherRequest, strategy_id: int) -> HttpResponse:
    strategy = selectors.get_own_strategy_for(teacher=request.user, strategy_id=strategy_id)
    return _strategy_form(request, goal=strategy.goal, strategy=strategy)


def _strategy_form(
    request: TeacherRequest, *, goal: Goal, strategy: Strategy | None
) -> HttpResponse:
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        strategy = form.save(commit=False)
        strategy.goal = goal
        saved = services.save_own_library_item(teacher=request.user, item=strategy)
        messages.success(request, f"Saved your strategy “{saved.name}”.")
        return redirect(f"{_library_url()}#goal-{saved.goal_id}")
    return render(
        request,
        "goals/strategy_form.html",
        {"form": form, "goal": goal, "strategy": strategy, "nav": "library"},
    )


@require_POST
def strategy_hide(request: TeacherRequest, strategy_id: int) -> HttpResponse:
    strategy = selectors.get_strategy_for(teacher=request.user, strategy_id=strategy_id)
    hidden = request.POST.get("hidden") != "0"
    services.set_hidden(teacher=request.user, item=strategy, hidden=hidden)
    messages.success(
        request, f"“{strategy.name}” is {'hidden from your lists' if hidden else 'shown again'}."
    )
    return redirect(f"{_library_url()}{'' if hidden else '?hidden=1'}#goal-{strategy.goal_id}")


def mentor_text_create(request: TeacherRequest) -> HttpResponse:
    return _mentor_text_form(request, mentor_text=None)


def mentor_text_edit(request: TeacherRequest, mentor_text_id: int) -> HttpResponse:
    mentor_text = selectors.get_mentor_text_for(teacher=request.user, mentor_text_id=mentor_text_id)
    return _mentor_text_form(request, mentor_text=mentor_text)


def _mentor_text_form(request: TeacherRequest, *, mentor_text: MentorText | None) -> HttpResponse:
    form = MentorTextForm(
        request.POST or None,
        instance=mentor_text,
        goals=selectors.goals_for(teacher=request.user),
        initial={"goal": request.GET["goal"]} if "goal" in request.GET else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_own_library_item(teacher=request.user, item=form.save(commit=False))
        messages.success(request, f"Saved the mentor text “{saved.title}”.")
        return redirect(f"{_library_url()}#mentor-texts")
    return render(
        request,
        "goals/mentor_text_form.html",
        {"form": form, "mentor_text": mentor_text, "nav": "library"},
    )


@require_POST
def student_goal_set(request: TeacherRequest, student_id: int) -> HttpResponse:
    student = get_student_for(teacher=request.user, student_id=student_id)
    form = SetGoalForm(request.POST, goals=selectors.goals_for(teacher=request.user))
    if not form.is_valid():
        messages.error(request, "Please choose a goal from the library.")
    else:
        try:
            student_goal = services.set_goal(
                teacher=request.user,
                student=student,
                goal=form.cleaned_data["goal"],
                set_with_student=form.cleaned_data["set_with_student"],
            )
        except (services.GoalLimitReached, services.GoalAlreadyActive) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"New goal for {student.shown_name}: {student_goal.goal.name}."
            )
    return redirect("conferences:student", student_id=student.pk)


@require_POST
def student_goal_close(request: TeacherRequest, student_goal_id: int) -> HttpResponse:
    student_goal = selectors.get_student_goal_for(
        teacher=request.user, student_goal_id=student_goal_id
    )
    status = request.POST.get("status", "")
    if status not in StudentGoal.Status.values or status == StudentGoal.Status.ACTIVE:
        messages.error(request, "Choose “Mark met” or “Set aside”.")
        return redirect("conferences:student", student_id=student_goal.student_id)
    try:
        services.close_goal(student_goal=student_goal, status=status)
    except services.GoalNotActive as refusal:
        messages.error(request, str(refusal))
    else:
        label = "met" if status == StudentGoal.Status.MET else "set aside"
        messages.success(request, f"“{student_goal.goal.name}” marked {label}.")
    return redirect("conferences:student", student_id=student_goal.student_id)


def _too_big(request: TeacherRequest) -> bool:
    """A request carrying more than the photos allowed is refused before it is read."""
    return int_or_zero(request.META.get("CONTENT_LENGTH")) > MAX_UPLOAD_BYTES


TOO_BIG = (
    f"That is more than Conferbook takes at once: add at most {MAX_PAGES} photos of up to "
    f"{MAX_BYTES // 1024 // 1024} MB each."
)


def writing_sample_add(request: TeacherRequest, student_id: int) -> HttpResponse:
    student = get_student_for(teacher=request.user, student_id=student_id)
    if request.method == "POST" and _too_big(request):
        return _sample_form(request, student, WritingSampleForm(), status=413, problem=TOO_BIG)
    form = WritingSampleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sample = services.add_writing_sample(
            teacher=request.user, student=student, **form.cleaned_data
        )
        pages = len(form.cleaned_data["photos"])
        messages.success(
            request,
            f"Saved “{sample.title}”"
            + (f" with {counted(pages, 'photo')}." if pages else ".")
            + (
                " Open a photo to mark a strength or a place to lift the level."
                if pages
                else " Select words in it to save them as evidence of a strength."
            ),
        )
        return redirect(reverse("conferences:student", args=[student.pk]) + f"#sample-{sample.pk}")
    return _sample_form(request, student, form, status=200)


def _sample_form(
    request: TeacherRequest,
    student: Student,
    form: WritingSampleForm,
    *,
    status: int,
    problem: str = "",
) -> HttpResponse:
    return render(
        request,
        "goals/writing_sample_form.html",
        {
            "form": form,
            "student": student,
            "photos_dropped": bool(problem) or form.photos_dropped(),
            "problem": problem,
            "nav": "classes",
        },
        status=status,
    )


@require_POST
def sample_photos_add(request: TeacherRequest, sample_id: int) -> HttpResponse:
    """More pages for a sample (the second page of an entry, a retaken photo)."""
    sample = selectors.get_writing_sample_for(teacher=request.user, sample_id=sample_id)
    if _too_big(request):  # refused unread
        messages.error(request, TOO_BIG)
        return redirect(_sample_url(sample))
    form = SamplePhotosForm(request.POST, request.FILES)
    if form.is_valid():
        added = services.add_sample_photos(
            teacher=request.user, sample=sample, photos=form.cleaned_data["photos"]
        )
        messages.success(request, f"Added {counted(len(added), 'photo')} to “{sample.title}”.")
    else:
        for error in form.errors.get("photos", []):
            messages.error(request, str(error))
    return redirect(_sample_url(sample))


def sample_transcribe(request: TeacherRequest, sample_id: int) -> HttpResponse:
    """Type what a photographed sample says, with its pages beside the box, so the analyser
    can read it."""
    sample = selectors.get_writing_sample_for(teacher=request.user, sample_id=sample_id)
    form = TranscriptionForm(request.POST or None, instance=sample)
    if request.method == "POST" and form.is_valid():
        services.transcribe_sample(sample=sample, text=form.cleaned_data["text"])
        messages.success(request, f"Saved the typed copy of “{sample.title}”.")
        if sample.text:
            return redirect("goals:sample_read", sample_id=sample.pk)
        return redirect(_sample_url(sample))
    return render(
        request,
        "goals/sample_transcribe.html",
        {
            "form": form,
            "sample": sample,
            "student": sample.student,
            "pages": list(sample.photos.all()),
            "nav": "classes",
        },
    )


def _sample_url(sample: WritingSample) -> str:
    return reverse("conferences:student", args=[sample.student_id]) + f"#sample-{sample.pk}"


@require_http_methods(["GET", "HEAD", "POST"])
def photo_page(request: TeacherRequest, photo_id: int) -> HttpResponse:
    """One page photo, big, to read; the teacher draws a rectangle on it and saves it as the
    evidence of a strength or as a place to lift the level. A coach reads it without the
    form."""
    photo = selectors.get_photo_seen_by(user=request.user, photo_id=photo_id)
    sample = photo.sample
    student, the_class = get_student_and_classroom_seen_by(
        user=request.user, student_id=sample.student_id, classroom_id=None
    )
    writer = can_write(user=request.user, classroom=the_class)
    # From the conference screen, "back" goes back to the conference.
    back = safe_next(request, _sample_url(sample))
    form = None
    if writer:
        form = SpotForm(
            request.POST if request.method == "POST" else None,
            goals=selectors.goals_for(teacher=request.user),
            photo=photo,
            initial={"kind": request.GET.get("kind", PageSpot.Kind.STRENGTH)},
        )
    elif request.method == "POST":
        raise Http404
    if form is not None and form.is_valid():
        data = form.cleaned_data
        spot = services.mark_spot(
            teacher=request.user,
            photo=photo,
            box=form.box(),
            kind=data["kind"],
            description=data["description"],
            note=data["note"].strip(),
            goal=data["goal"],
        )
        messages.success(
            request,
            f"Saved a strength for {student.shown_name}: {data['description']}."
            if spot.kind == PageSpot.Kind.STRENGTH
            else f"Saved a place to lift the level in “{sample.title}”.",
        )
        here = reverse("goals:photo", args=[photo.pk])
        return redirect(f"{here}?{urlencode({'next': back})}" if "next" in request.GET else here)
    pages = list(sample.photos.all())
    return render(
        request,
        "goals/photo.html",
        {
            "photo": photo,
            "sample": sample,
            "student": student,
            "pages": pages,
            "page_number": next(n for n, p in enumerate(pages, 1) if p.pk == photo.pk),
            "spots": list(photo.spots.select_related("strength", "goal")),
            "form": form,
            "back": back,
            "back_to_conference": back.startswith("/conferences/"),
            "min_spot": MIN_SPOT,
            "can_write": writer,
            "nav": "classes",
        },
    )


@require_POST
def photo_remove(request: TeacherRequest, photo_id: int) -> HttpResponse:
    photo = selectors.get_photo_for(teacher=request.user, photo_id=photo_id)
    services.remove_sample_photo(photo=photo)
    messages.success(request, f"Removed a photo from “{photo.sample.title}”.")
    return redirect(_sample_url(photo.sample))


@require_POST
def spot_remove(request: TeacherRequest, spot_id: int) -> HttpResponse:
    spot = selectors.get_spot_for(teacher=request.user, spot_id=spot_id)
    services.remove_spot(spot=spot)
    messages.success(request, "Removed the marked part of the page.")
    return redirect(safe_next(request, reverse("goals:photo", args=[spot.photo_id])))


def _jpeg(data: bytes, name: str) -> HttpResponse:
    """An image of a student's page: never cached (the security middleware says no-store on
    every response), never sniffed as anything but a JPEG, shown rather than downloaded."""
    response = HttpResponse(data, content_type="image/jpeg")
    named_file(response, f"{name}.jpg", download=False)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def photo_image(request: TeacherRequest, photo_id: int) -> HttpResponse:
    photo = selectors.get_photo_seen_by(user=request.user, photo_id=photo_id)
    return _jpeg(selectors.photo_bytes(photo_id=photo.pk), f"page-{photo.pk}")


@require_safe
def photo_thumbnail(request: TeacherRequest, photo_id: int) -> HttpResponse:
    photo = selectors.get_photo_seen_by(user=request.user, photo_id=photo_id)
    return _jpeg(selectors.photo_bytes(photo_id=photo.pk, thumbnail=True), f"page-{photo.pk}-small")


@require_safe
def spot_image(request: TeacherRequest, spot_id: int) -> HttpResponse:
    spot = selectors.get_spot_seen_by(user=request.user, spot_id=spot_id)
    return _jpeg(selectors.spot_bytes(spot_id=spot.pk), f"spot-{spot.pk}")


def strength_add(request: TeacherRequest, student_id: int) -> HttpResponse:
    student = get_student_for(teacher=request.user, student_id=student_id)
    form = StrengthForm(
        request.POST or None,
        samples=student.writing_samples.all(),
        goals=selectors.goals_for(teacher=request.user),
        initial={"evidence": request.GET.get("evidence", ""), "sample": request.GET.get("sample")},
    )
    if request.method == "POST" and form.is_valid():
        services.record_strength(teacher=request.user, student=student, **form.cleaned_data)
        messages.success(request, f"Saved a strength for {student.shown_name}.")
        return redirect("conferences:student", student_id=student.pk)
    return render(
        request, "goals/strength_form.html", {"form": form, "student": student, "nav": "classes"}
    )


# -- reading a sample with the analyser ----------------------------------------------------


@require_safe
def sample_read(request: TeacherRequest, sample_id: int) -> HttpResponse:
    """ "Read this for me": the sample with what the analyser found marked in it, and the
    strengths and next steps it proposes. A coach reads it without the buttons."""
    sample = selectors.get_writing_sample_seen_by(user=request.user, sample_id=sample_id)
    student, the_class = get_student_and_classroom_seen_by(
        user=request.user, student_id=sample.student_id, classroom_id=None
    )
    writer = can_write(user=request.user, classroom=the_class)
    if not sample.text:
        messages.info(
            request,
            f"“{sample.title}” has no typed copy to read yet"
            + (": type what its pages say below." if writer else "."),
        )
        if writer:
            return redirect("goals:sample_transcribe", sample_id=sample.pk)
        return redirect(_sample_url(sample))
    active = selectors.active_goals.all(student=student)
    return render(
        request,
        "goals/sample_read.html",
        {
            "sample": sample,
            "student": student,
            "classroom": the_class,
            "can_write": writer,
            "reading": reading.read_sample(teacher=request.user, sample=sample),
            "can_add_goal": len(active) < MAX_ACTIVE_GOALS,
            "active_goals": active,
            "nav": "classes",
        },
    )


PROPOSAL_ACTIONS = ("strength", "goal", "dismiss")


@require_POST
def sample_proposal(request: TeacherRequest, sample_id: int) -> HttpResponse:
    """One tap on a proposal: save the strength with its evidence, set the goal (under the
    two-goal rule) or dismiss it for this sample. The proposal is read again here, so the
    evidence saved is the analyser's, never what the request says."""
    sample = selectors.get_writing_sample_for(teacher=request.user, sample_id=sample_id)
    student = sample.student
    back = safe_next(request, reverse("goals:sample_read", args=[sample.pk]))
    action = request.POST.get("action", "")
    kind = request.POST.get("kind", "")
    found = reading.find_proposal(
        reading.read_sample(teacher=request.user, sample=sample),
        kind=kind,
        goal_key=request.POST.get("goal", ""),
    )
    if action not in PROPOSAL_ACTIONS or found is None:
        messages.error(request, "That proposal is no longer there: the page has been reloaded.")
        return redirect(back)
    if action == "dismiss":
        services.dismiss_proposal(
            teacher=request.user, sample=sample, goal_key=found.key, kind=found.kind
        )
        messages.success(request, f"Dismissed “{found.goal.name}” for “{sample.title}”.")
    elif action == "strength":
        services.record_strength(
            teacher=request.user,
            student=student,
            description=found.goal.name,
            evidence=found.evidence_text,
            sample=sample,
            goal=found.goal,
        )
        messages.success(request, f"Saved a strength for {student.shown_name}: {found.goal.name}.")
    else:
        try:
            services.set_goal(teacher=request.user, student=student, goal=found.goal)
        except (services.GoalLimitReached, services.GoalAlreadyActive) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"New goal for {student.shown_name}: {found.goal.name}.")
    return redirect(back)


@require_safe
def class_writing(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Goals proposed across the class from each student's latest writing sample, students
    grouped by next step (a coach of the class's teacher reads it without the buttons)."""
    the_class = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    return render(
        request,
        "goals/class_writing.html",
        {
            "classroom": the_class,
            "can_write": can_write(user=request.user, classroom=the_class),
            "writing": reading.class_writing(
                teacher=request.user, students=students_in(classroom=the_class)
            ),
            "nav": "classes",
        },
    )


# -- self-assessment -----------------------------------------------------------------------


def _checklist_asked(request: TeacherRequest, student: Student) -> Checklist | None:
    """The checklist in the request (any built-in one), else the one to offer the student."""
    raw = request.POST.get("checklist") or request.GET.get("checklist")
    if raw:
        return selectors.get_checklist(checklist_id=int_or_zero(raw))
    return selectors.checklist_for(student=student)


def self_assessment(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Record a student's self-assessment: every line of a checklist rated."""
    student = get_student_for(teacher=request.user, student_id=student_id)
    return _self_assessment(request, student, kiosk=False)


def kiosk(request: TeacherRequest, student_id: int) -> HttpResponse:
    """The checklist alone, big and simple, for the student to fill in on this device."""
    student = get_student_for(teacher=request.user, student_id=student_id)
    return _self_assessment(request, student, kiosk=True)


def _self_assessment(request: TeacherRequest, student: Student, *, kiosk: bool) -> HttpResponse:
    checklist = _checklist_asked(request, student)
    back = safe_next(request, reverse("conferences:student", args=[student.pk]))
    if checklist is None:
        messages.error(
            request, "The built-in checklists are missing: run `conferbook manage loadlibrary`."
        )
        return redirect(back)
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None, checklist=checklist
    )
    if request.method == "POST" and form.is_valid():
        services.record_self_assessment(
            teacher=request.user,
            student=student,
            checklist=checklist,
            ratings=form.ratings(),
            by_student=kiosk,
        )
        if kiosk:
            return render(
                request,
                "goals/kiosk_done.html",
                {"student": student, "checklist": checklist, "next": back},
            )
        messages.success(request, f"Saved {student.shown_name}'s self-assessment.")
        return redirect(f"{back}#self-assessment" if "#" not in back else back)
    return render(
        request,
        "goals/kiosk.html" if kiosk else "goals/self_assessment.html",
        {
            "student": student,
            "checklist": checklist,
            "checklists": selectors.checklists(),
            "form": form,
            "next": back,
            "nav": "classes",
        },
        status=400 if form.is_bound else 200,
    )
