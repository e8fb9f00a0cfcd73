"""The session engine: Django's sessions in the database, read with a compiled query (every
request reads its session)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from conferbook.compiled import CompiledQuery

# The sign-in backend, and the one sessions named before it (they are read as its own).
BACKEND = "conferbook.accounts.backends.AccountBackend"
EARLIER_BACKEND = "django.contrib.auth.backends.ModelBackend"

_compiled_session = CompiledQuery(
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now),
    session_key=str,
    now=datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        """The session row while it has not expired, as Django's database engine reads it."""
        session = None
        if self.session_key:
            session = _compiled_session.first(session_key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None
        return session

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        if data.get(BACKEND_SESSION_KEY) == EARLIER_BACKEND:
            data[BACKEND_SESSION_KEY] = BACKEND  # signed in before the upgrade: still signed in
        return data
