from django.urls import path

from conferbook.goals import views

app_name = "goals"
urlpatterns: list = []
