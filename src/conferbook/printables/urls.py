from django.urls import path

from conferbook.printables import views
from conferbook.printables.catalogue import PRINTABLES

app_name = "printables"
urlpatterns = [
    path("print/paper/", views.paper, name="paper"),
    path("classes/<int:classroom_id>/print/", views.classroom, name="classroom"),
    path("students/<int:student_id>/print/", views.student, name="student"),
    path("conferences/<uuid:conference_id>/card.pdf", views.conference_card, name="card"),
    path("conferences/<uuid:conference_id>/card/", views.print_card, name="print_card"),
    path(
        "group-conferences/<uuid:group_conference_id>/cards/",
        views.print_group_cards,
        name="print_group_cards",
    ),
    path("print/new-card-sheet/", views.card_sheet_new, name="new_card_sheet"),
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
