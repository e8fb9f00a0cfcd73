from django.urls import path

from conferbook.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("classes/<int:classroom_id>/today/", views.today, name="today"),
    path("classes/<int:classroom_id>/today/absent/", views.absent, name="absent"),
    path("classes/<int:classroom_id>/schedule/", views.plan, name="plan"),
    path("classes/<int:classroom_id>/week/", views.week, name="week"),
    path("classes/<int:classroom_id>/month/", views.month, name="month"),
    path("classes/<int:classroom_id>/coverage/", views.coverage, name="coverage"),
]
