from django.urls import path

from conferbook.board.views import board, group_conferences, groups, partnerships

app_name = "board"
urlpatterns = [
    path("classes/<int:classroom_id>/board/", board.board, name="board"),
    path("classes/<int:classroom_id>/board/pictures/", board.pictures, name="pictures"),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/change-goal/",
        board.move,
        name="move",
    ),
    path("classes/<int:classroom_id>/groups/", groups.groups, name="groups"),
    path("classes/<int:classroom_id>/groups/accept/", groups.groups_accept, name="groups_accept"),
    path("classes/<int:classroom_id>/groups/new/", groups.group_create, name="group_create"),
    path("classes/<int:classroom_id>/groups/book/", groups.groups_book, name="groups_book"),
    path("groups/<int:group_id>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:group_id>/delete/", groups.group_delete, name="group_delete"),
    path("groups/<int:group_id>/confer/", group_conferences.start, name="group_conference_start"),
    path(
        "group-conferences/<uuid:group_conference_id>/",
        group_conferences.screen,
        name="group_conference",
    ),
    path(
        "group-conferences/<uuid:group_conference_id>/save/",
        group_conferences.save,
        name="group_conference_save",
    ),
    path(
        "group-conferences/<uuid:group_conference_id>/choose/",
        group_conferences.choose,
        name="group_conference_choose",
    ),
    path(
        "group-conferences/<uuid:group_conference_id>/finish/",
        group_conferences.finish,
        name="group_conference_finish",
    ),
    path(
        "classes/<int:classroom_id>/partnerships/",
        partnerships.partnerships,
        name="partnerships",
    ),
    path(
        "classes/<int:classroom_id>/partnerships/accept/",
        partnerships.accept,
        name="partnerships_accept",
    ),
    path("classes/<int:classroom_id>/partnerships/new/", partnerships.pair, name="pair"),
    path("partnerships/<int:partnership_id>/split/", partnerships.split, name="split"),
]
