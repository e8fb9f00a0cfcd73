from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conferbook.accounts import services
from conferbook.accounts.forms import FirstTeacherForm
from conferbook.accounts.models import User
from conferbook.web.http import safe_next

USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_not_required
def first_run(request: HttpRequest) -> HttpResponse:
    """Create the first teacher account; gone once a real teacher exists."""
    if not services.needs_first_teacher():
        return redirect("accounts:login")
    form = FirstTeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_teacher(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
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
        if services.is_locked_out(username=username, ip_address=ip):
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
            services.record_failed_login(username=username, ip_address=ip)
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
