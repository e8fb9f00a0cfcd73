"""Accounts.

teacher       a person who signs in and owns classes (`User`); students never sign in.
demo teacher  the account `conferbook demo` creates; it does not count as a real
              teacher when deciding whether the instance still needs its first account.
paper         the sheet size the teacher's printer takes; every PDF uses it unless told.
failed login  one wrong password, kept to lock a username on one address for a while.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Paper(models.TextChoices):
        LETTER = "letter", "US Letter"
        A4 = "a4", "A4"

    is_demo = models.BooleanField(default=False)
    paper = models.CharField(
        "paper size", max_length=10, choices=Paper.choices, default=Paper.LETTER
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class FailedLogin(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    attempted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.attempted_at:%Y-%m-%d %H:%M}"
