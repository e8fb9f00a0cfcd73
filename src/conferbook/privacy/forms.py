from __future__ import annotations

import unicodedata

from django import forms

from conferbook.lib.text import clean_name

STUDENT_FORMATS = [
    ("json", "JSON (for another program)"),
    ("zip", "JSON with the photos of the notebook pages (a zip)"),
    ("pdf", "PDF (to read or print)"),
]


class StudentExportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=STUDENT_FORMATS, initial="json", widget=forms.RadioSelect
    )


def _same_name(typed: str, expected: str) -> bool:
    def key(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", clean_name(text)).casefold().split())

    return bool(typed.strip()) and key(typed) == key(expected)


class DeleteStudentForm(forms.Form):
    full_name = forms.CharField(label="The student's full name", max_length=300)

    def __init__(self, *args: object, expected: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.expected = expected

    def clean_full_name(self) -> str:
        typed: str = self.cleaned_data["full_name"]
        if not _same_name(typed, self.expected):
            raise forms.ValidationError(
                "That is not the name Conferbook has for this student, so nothing was "
                "deleted. Type the full name exactly as shown above."
            )
        return typed
