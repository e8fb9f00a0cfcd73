from django.urls import path

from conferbook.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("classes/<int:classroom_id>/today/", views.today, name="today"),
    path("school/terms/", views.terms, name="terms"),
    path("school/terms/<int:term_id>/delete/", views.term_delete, name="term_delete"),
    path("classes/<int:classroom_id>/today/absent/", views.absent, name="absent"),
    path("absences/<int:absence_id>/undo/", views.absence_undo, name="absence_undo"),
    path("classes/<int:classroom_id>/schedule/", views.plan, name="plan"),
    path("classes/<int:classroom_id>/school-days/", views.school_days, name="school_days"),
    path(
        "classes/<int:classroom_id>/school-days/import/",
        views.school_days_import,
        name="school_days_import",
    ),
    path(
        "school-days/<int:school_day_id>/delete/", views.school_day_delete, name="school_day_delete"
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/rhythm/",
        views.rhythm,
        name="rhythm",
    ),
    path(
        "unavailability/<int:unavailability_id>/delete/",
        views.unavailability_delete,
        name="unavailability_delete",
    ),
    path("classes/<int:classroom_id>/week/", views.week, name="week"),
    path("classes/<int:classroom_id>/month/", views.month, name="month"),
    path("groups/<int:group_id>/book/", views.small_group_book, name="small_group_book"),
    path(
        "group-appointments/<int:appointment_id>/cancel/",
        views.group_appointment_cancel,
        name="group_appointment_cancel",
    ),
    path("classes/<int:classroom_id>/coverage/", views.coverage, name="coverage"),
]
