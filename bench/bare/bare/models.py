from django.db import models


class Greeting(models.Model):
    """The one row the one view reads."""

    text = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.text
