from django.urls import path

from conferbook.goals import views

app_name = "goals"
urlpatterns = [
    path("goals/", views.library, name="library"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/hide/", views.goal_hide, name="goal_hide"),
    path("goals/<int:goal_id>/strategies/new/", views.strategy_create, name="strategy_create"),
    path("strategies/<int:strategy_id>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<int:strategy_id>/hide/", views.strategy_hide, name="strategy_hide"),
    path("mentor-texts/new/", views.mentor_text_create, name="mentor_text_create"),
    path(
        "mentor-texts/<int:mentor_text_id>/edit/", views.mentor_text_edit, name="mentor_text_edit"
    ),
    path("students/<int:student_id>/goals/", views.student_goal_set, name="student_goal_set"),
    path(
        "student-goals/<int:student_goal_id>/close/",
        views.student_goal_close,
        name="student_goal_close",
    ),
    path("students/<int:student_id>/samples/new/", views.writing_sample_add, name="sample_add"),
    path("samples/<int:sample_id>/photos/", views.sample_photos_add, name="sample_photos_add"),
    path("samples/<int:sample_id>/typed/", views.sample_transcribe, name="sample_transcribe"),
    path("photos/<int:photo_id>/", views.photo_page, name="photo"),
    path("photos/<int:photo_id>/image/", views.photo_image, name="photo_image"),
    path("photos/<int:photo_id>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:photo_id>/remove/", views.photo_remove, name="photo_remove"),
    path("spots/<int:spot_id>/image/", views.spot_image, name="spot_image"),
    path("spots/<int:spot_id>/remove/", views.spot_remove, name="spot_remove"),
    path("samples/<int:sample_id>/read/", views.sample_read, name="sample_read"),
    path("samples/<int:sample_id>/proposals/", views.sample_proposal, name="sample_proposal"),
    path("classes/<int:classroom_id>/writing/", views.class_writing, name="class_writing"),
    path("students/<int:student_id>/strengths/new/", views.strength_add, name="strength_add"),
    path(
        "students/<int:student_id>/self-assessment/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("students/<int:student_id>/self-assessment/kiosk/", views.kiosk, name="kiosk"),
]
