from django.urls import path

from conferbook.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.home, name="home"),
    path("classes/new/", views.classroom_create, name="classroom_create"),
    path("classes/block-answer/", views.classroom_block_answer, name="block_answer"),
    path("classes/<int:classroom_id>/settings/", views.classroom_edit, name="classroom_edit"),
    path("classes/<int:classroom_id>/teachers/add/", views.co_teacher_add, name="co_teacher_add"),
    path(
        "classes/<int:classroom_id>/teachers/remove/",
        views.co_teacher_remove,
        name="co_teacher_remove",
    ),
    path("classes/<int:classroom_id>/archive/", views.classroom_archive, name="classroom_archive"),
    path("classes/<int:classroom_id>/students/new/", views.student_add, name="student_add"),
    path("classes/<int:classroom_id>/import/", views.roster_import, name="import"),
    path(
        "classes/<int:classroom_id>/import/confirm/",
        views.roster_import_confirm,
        name="import_confirm",
    ),
    path("students/<int:student_id>/edit/", views.student_edit, name="student_edit"),
    path("students/<int:student_id>/archive/", views.student_archive, name="student_archive"),
]
