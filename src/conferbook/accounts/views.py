from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conferbook.accounts import services
from conferbook.accounts.forms import FirstTeacherForm, SchoolForm
from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.models import School, User
from conferbook.accounts.selectors import current_school
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
        user = services.create_teacher(
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        services.change_school(
            name=data["school_name"], time_zone=data["time_zone"], clock=data["clock"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
        if not services.claim_sign_in_attempt(username=username, ip_address=ip):
            locked = True
        else:
            user = (
                None
                if too_long
                else authenticate(
                    request, username=username, password=request.POST.get("password", "")
                )
            )
            if user is not None:
                services.clear_failed_logins(username=username, ip_address=ip)
                login(request, user)  # rotates the session key
                return redirect(safe_next(request))
            failed = True
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


def school(request: TeacherRequest) -> HttpResponse:
    """The school's name, time zone and clock.

    A new time zone is saved only once the teacher has read what it does to the
    appointments ahead (each keeps its time of day) and confirmed.
    """
    the_school = current_school()
    form = SchoolForm(request.POST or None, initial=_school_initial(the_school))
    change = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.time_zone_change(school=the_school, time_zone=data["time_zone"])
        moving = change.old != change.new and change.appointments
        if not moving or request.POST.get("confirm") == change.new:
            done = services.change_school(
                name=data["school_name"], time_zone=data["time_zone"], clock=data["clock"]
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
