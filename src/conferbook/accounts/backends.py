"""How a person signs in: Django's ModelBackend, reading the signed-in person (which every
request does) with a compiled query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from conferbook.accounts.models import User
from conferbook.compiled import CompiledQuery

_compiled_user = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id), user_id=int)


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        """The active person with this id, or None (as ModelBackend answers)."""
        user = _compiled_user.first(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
