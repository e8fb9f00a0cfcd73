from django.urls import path

from conferbook.roster import views

app_name = "roster"
urlpatterns: list = []
