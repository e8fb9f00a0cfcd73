from django.urls import path

from conferbook.printables import views
from conferbook.printables.catalogue import PRINTABLES

app_name = "printables"
urlpatterns = [
    path("print/paper/", views.paper, name="paper"),
    path("classes/<int:classroom_id>/print/", views.classroom, name="classroom"),
    path("students/<int:student_id>/print/", views.student, name="student"),
    path("conferences/<uuid:conference_id>/card.pdf", views.conference_card, name="card"),
    *[
        path(
            f"classes/<int:classroom_id>/print/{key}.pdf",
            views.classroom_pdf,
            {"key": key},
            name=f"class_{key}",
        )
        for key, printable in PRINTABLES.items()
        if printable.for_class
    ],
    *[
        path(
            f"students/<int:student_id>/print/{key}.pdf",
            views.student_pdf,
            {"key": key},
            name=f"student_{key}",
        )
        for key, printable in PRINTABLES.items()
        if printable.for_student
    ],
]
