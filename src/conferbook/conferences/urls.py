from django.urls import path

from conferbook.conferences import views

app_name = "conferences"
urlpatterns = [
    path("classes/<int:classroom_id>/", views.classroom, name="classroom"),
    path(
        "classes/<int:classroom_id>/sticker-collections/",
        views.sticker_collections,
        name="sticker_collections",
    ),
    path("students/<int:student_id>/", views.student, name="student"),
    path("students/<int:student_id>/progress/", views.progress, name="progress"),
    path("students/<int:student_id>/book/", views.book, name="book"),
    path("students/<int:student_id>/move/", views.student_move, name="student_move"),
    path("conferences/start/", views.conference_start, name="start"),
    path("conferences/<uuid:conference_id>/", views.conference, name="conference"),
    path("conferences/<uuid:conference_id>/save/", views.conference_save, name="save"),
    path("conferences/<uuid:conference_id>/choose/", views.conference_choose, name="choose"),
    path("conferences/<uuid:conference_id>/goal/", views.conference_set_goal, name="set_goal"),
    path("conferences/<uuid:conference_id>/strength/", views.conference_strength, name="strength"),
    path("conferences/<uuid:conference_id>/sticker/", views.conference_sticker, name="sticker"),
    path("conferences/<uuid:conference_id>/finish/", views.conference_finish, name="finish"),
    path("conferences/<uuid:conference_id>/cancel/", views.cancel, name="cancel"),
]
