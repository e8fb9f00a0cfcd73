from __future__ import annotations

from django.http import HttpRequest

from conferbook.accounts.models import User


class TeacherRequest(HttpRequest):
    """A request that LoginRequiredMiddleware has let through: `user` is a signed-in teacher."""

    user: User
