from django.urls import path

from conferbook.conferences import views

app_name = "conferences"
urlpatterns: list = []
