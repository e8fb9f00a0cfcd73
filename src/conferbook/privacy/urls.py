from django.urls import path

from conferbook.privacy import views

app_name = "privacy"
urlpatterns = [
    path("students/<int:student_id>/export/", views.student_export, name="student_export"),
    path("students/<int:student_id>/records/", views.student_records, name="student_records"),
    path("students/<int:student_id>/delete/", views.student_delete, name="student_delete"),
    path("classes/<int:classroom_id>/export/", views.classroom_export, name="classroom_export"),
    path("export/", views.teacher_export, name="teacher_export"),
    path("school/export/", views.school_export, name="school_export"),
    path("school/deletions/", views.receipts, name="receipts"),
]
