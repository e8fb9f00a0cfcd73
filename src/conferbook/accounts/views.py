from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from conferbook.accounts import services
from conferbook.accounts.decorators import administrator_required
from conferbook.accounts.forms import (
    AdministratorForm,
    CoachingForm,
    DeactivateForm,
    FirstTeacherForm,
    LinkForm,
    NewPasswordForm,
    OwnNameForm,
    OwnPasswordForm,
    PersonForm,
    SchoolSettingsForm,
    UncoachForm,
)
from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.models import School, User
from conferbook.accounts.selectors import (
    current_school,
    email_offered,
    get_person_for,
    people_for,
    sole_classrooms_of,
)
from conferbook.accounts.sessions import BACKEND
from conferbook.lib import clock
from conferbook.web.http import safe_next

USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


def _school_initial(school: School) -> dict[str, str]:
    return {"school_name": school.name, "time_zone": school.time_zone, "clock": school.clock}


def _client_ip(request: HttpRequest) -> str | None:
    """The address the request came from; behind a trusted proxy, the address the proxy
    says its client has (see `conferbook.web.middleware.TrustedProxyMiddleware`)."""
    return request.META.get("REMOTE_ADDR")


@login_not_required
def first_run(request: HttpRequest) -> HttpResponse:
    """Create the first teacher account; gone once a real teacher exists."""
    if not services.needs_first_teacher():
        return redirect("accounts:login")
    form = FirstTeacherForm(request.POST or None, initial=_school_initial(current_school()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.start_school(
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            school_name=data["school_name"],
            time_zone=data["time_zone"],
            clock=data["clock"],
        )
        login(request, user, backend=BACKEND)
        messages.success(request, "Welcome to Conferbook. Start by creating your first class.")
        return redirect("roster:home")
    return render(request, "accounts/first_run.html", {"form": form})


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    if not User.objects.exists():
        return redirect("accounts:first_run")
    form = AuthenticationForm(request, data=request.POST or None)
    locked = failed = too_long = False
    if request.method == "POST":
        typed = request.POST.get("username", "").strip()
        too_long = len(typed) > USERNAME_LENGTH
        # Usernames are matched without regard to case: a tablet capitalises the first letter.
        # Longer than any username, it names no teacher; cut to that length it is looked up
        # (a database refuses to compare a very long text) and counted as a wrong try.
        username = services.canonical_username(typed[:USERNAME_LENGTH])
        ip = _client_ip(request)
        user = None
        if not services.claim_sign_in_attempt(username=username, ip_address=ip):
            locked = True
        elif not too_long:
            user = authenticate(
                request, username=username, password=request.POST.get("password", "")
            )
        if user is not None:
            services.clear_failed_logins(username=username, ip_address=ip)
            login(request, user)  # rotates the session key
            return redirect(safe_next(request))
        if locked or too_long:
            # Refused before a password was checked: still a failed sign-in, told the way
            # `authenticate` tells one, so the audit log has every failed sign-in.
            user_login_failed.send(__name__, credentials={"username": username}, request=request)
        failed = not locked
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "failed": failed,
            "too_long": too_long,
            "username_length": USERNAME_LENGTH,
            "locked": locked,
            "next": safe_next(request),
            "offer_first_run": services.needs_first_teacher(),
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the server-side session
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@administrator_required
def school(request: TeacherRequest) -> HttpResponse:
    """The school's name, time zone and clock, and how long archived records are kept
    (administrators only).

    A new time zone is saved only once the teacher has read what it does to the
    appointments ahead (each keeps its time of day) and confirmed.
    """
    the_school = current_school()
    initial = {**_school_initial(the_school), "retention_days": the_school.retention_days}
    form = SchoolSettingsForm(request.POST or None, initial=initial)
    change = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.time_zone_change(school=the_school, time_zone=data["time_zone"])
        moving = change.old != change.new and change.appointments
        if not moving or request.POST.get("confirm") == change.new:
            done = services.change_school(
                name=data["school_name"],
                time_zone=data["time_zone"],
                clock=data["clock"],
                retention_days=data.get("retention_days"),
            )
            said = "School settings saved."
            if done.old != done.new:
                said += f" Times are now shown in {done.new}."
                if done.appointments == 1:
                    said += " The appointment ahead kept its time of day."
                elif done.appointments:
                    said += f" The {done.appointments} appointments ahead kept their time of day."
            messages.success(request, said)
            return redirect("accounts:school")
    return render(
        request,
        "accounts/school.html",
        {
            "form": form,
            "school": the_school,
            "change": change if change and change.old != change.new else None,
            "example_time": clock.when_text(change.example) if change and change.example else "",
            "nav": "school",
        },
    )


# -- People (administrators only) ----------------------------------------------------------


def _link_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("accounts:sign_in_link", kwargs={"token": token}))


def _hand_over(
    request: TeacherRequest, *, person: User, token: str, email: str, purpose: str
) -> HttpResponse:
    """The page that shows a new sign-in link, once; e-mailed as well when asked."""
    link = _link_url(request, token)
    emailed = failed = False
    if email:
        emailed = services.email_sign_in_link(user=person, to=email, link=link, by=request.user)
        failed = not emailed
    response = render(
        request,
        "accounts/link.html",
        {
            "person": person,
            "link": link,
            "purpose": purpose,
            "email": email,
            "emailed": emailed,
            "email_failed": failed,
            "days": services.LINK_LIFETIME.days,
            "nav": "people",
        },
    )
    add_never_cache_headers(response)
    return response


@administrator_required
def people(request: TeacherRequest) -> HttpResponse:
    """Every account of the school with the roles it holds."""
    return render(
        request,
        "accounts/people.html",
        {"people": people_for(administrator=request.user), "nav": "people"},
    )


@administrator_required
def person_add(request: TeacherRequest) -> HttpResponse:
    """Add a person; the answer shows their one-time sign-in link."""
    form = PersonForm(request.POST or None, email=email_offered())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, token = services.add_person(
                by=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                email=data.get("email") or "",
                coaches=data["teachers"] if data["role"] == "coach" else (),
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            return _hand_over(
                request,
                person=person,
                token=token,
                email=data.get("email") or "",
                purpose="invite",
            )
    return render(request, "accounts/person_add.html", {"form": form, "nav": "people"})


def _person_page(
    request: TeacherRequest,
    person: User,
    *,
    deactivate_form: DeactivateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    alone = sole_classrooms_of(person) if person.is_active else []
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "is_self": person.pk == request.user.pk,
            "alone": alone,
            "deactivate_form": deactivate_form or DeactivateForm(person=person),
            "link_form": LinkForm(email=email_offered(), initial={"email": person.email}),
            "coaching_form": CoachingForm(coach=person),
            "nav": "people",
        },
        status=status,
    )


def person(request: TeacherRequest, user_id: int) -> HttpResponse:
    """One person: their roles, and what the administrator can do with the account."""
    return _person_page(request, get_person_for(administrator=request.user, user_id=user_id))


def _back(request: HttpRequest, person: User) -> HttpResponse:
    return redirect("accounts:person", user_id=person.pk)


@require_POST
def person_deactivate(request: TeacherRequest, user_id: int) -> HttpResponse:
    person = get_person_for(administrator=request.user, user_id=user_id)
    form = DeactivateForm(request.POST, person=person)
    if not form.is_valid():
        return _person_page(request, person, deactivate_form=form)
    try:
        services.deactivate_account(
            by=request.user, user=person, classes_to=form.cleaned_data["classes_to"]
        )
    except services.Refused as refused:
        form.add_error(
            "classes_to" if isinstance(refused, services.ClassesNeedTeacher) else None, str(refused)
        )
        return _person_page(request, person, deactivate_form=form)
    messages.success(request, f"{person.display_name}'s account is deactivated.")
    return _back(request, person)


def _do(
    request: TeacherRequest, person: User, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return _back(request, person)


@require_POST
def person_reactivate(request: TeacherRequest, user_id: int) -> HttpResponse:
    person = get_person_for(administrator=request.user, user_id=user_id)
    return _do(
        request,
        person,
        lambda: services.reactivate_account(by=request.user, user=person),
        f"{person.display_name} can sign in again.",
    )


@require_POST
def person_reset(request: TeacherRequest, user_id: int) -> HttpResponse:
    """A new sign-in link for the person; their earlier unused links stop working."""
    person = get_person_for(administrator=request.user, user_id=user_id)
    form = LinkForm(request.POST, email=email_offered())
    if not person.is_active:
        messages.error(request, "Reactivate the account before giving the person a new link.")
        return _back(request, person)
    if not form.is_valid():
        return _person_page(request, person)
    token = services.issue_sign_in_link(user=person, by=request.user, purpose="reset")
    return _hand_over(
        request,
        person=person,
        token=token,
        email=form.cleaned_data.get("email") or "",
        purpose="reset",
    )


@require_POST
def person_administrator(request: TeacherRequest, user_id: int) -> HttpResponse:
    person = get_person_for(administrator=request.user, user_id=user_id)
    form = AdministratorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the person is an administrator.")
        return _back(request, person)
    make = form.cleaned_data["administrator"]
    return _do(
        request,
        person,
        lambda: services.set_administrator(by=request.user, user=person, administrator=make),
        f"{person.display_name} is {'now' if make else 'no longer'} an administrator.",
    )


@require_POST
def person_coaching(request: TeacherRequest, user_id: int) -> HttpResponse:
    person = get_person_for(administrator=request.user, user_id=user_id)
    form = CoachingForm(request.POST, coach=person)
    if not form.is_valid():
        messages.error(request, "Choose at least one teacher from the list.")
        return _back(request, person)
    teachers = list(form.cleaned_data["teachers"])
    names = ", ".join(t.display_name for t in teachers)
    return _do(
        request,
        person,
        lambda: services.assign_coach(by=request.user, coach=person, teachers=teachers),
        f"{person.display_name} now coaches {names}.",
    )


@require_POST
def person_uncoach(request: TeacherRequest, user_id: int) -> HttpResponse:
    person = get_person_for(administrator=request.user, user_id=user_id)
    form = UncoachForm(request.POST, coach=person)
    if not form.is_valid():
        messages.error(request, "That teacher is not coached by this person.")
        return _back(request, person)
    teacher = form.cleaned_data["teacher"]
    return _do(
        request,
        person,
        lambda: services.unassign_coach(by=request.user, coach=person, teacher=teacher),
        f"{person.display_name} no longer coaches {teacher.display_name}.",
    )


# -- a one-time sign-in link (no sign-in needed) ------------------------------------------


@login_not_required
@never_cache
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password with a one-time link, then be signed in. An unknown, used or expired
    link gets the same plain page, which says nothing of the account."""
    link = services.find_sign_in_link(token=token)
    if link is None:
        return render(request, "accounts/link_not_usable.html")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.use_sign_in_link(token=token, password=form.cleaned_data["password"])
        except services.LinkNotUsable:
            return render(request, "accounts/link_not_usable.html")
        except ValidationError as problem:
            form.add_error("password", problem)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, f"Your password is set. Welcome, {user.display_name}.")
            return redirect("roster:home")
    return render(
        request,
        "accounts/sign_in_link.html",
        {"form": form, "person": link.user, "new": link.purpose == "invite"},
    )


# -- one's own account ----------------------------------------------------------------------


def account(request: TeacherRequest) -> HttpResponse:
    """The person's own name and e-mail; a link to change their password."""
    user = request.user
    form = OwnNameForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        services.change_own_name(user=user, **form.cleaned_data)
        messages.success(request, "Your name is saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "nav": "account"})


def account_password(request: TeacherRequest) -> HttpResponse:
    """Change one's own password: this session stays signed in, every other one ends."""
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                keep_session=request.session.session_key,
            )
        except services.WrongPassword:
            form.add_error("current_password", "That is not your current password.")
        except ValidationError as problem:
            form.add_error("new_password", problem)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(
                request, "Your password is changed. Anywhere else you were signed in, you are not."
            )
            return redirect("accounts:account")
    return render(request, "accounts/account_password.html", {"form": form, "nav": "account"})
