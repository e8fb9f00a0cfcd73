from django.urls import path

from conferbook.accounts import views

app_name = "accounts"
urlpatterns = [
    path("welcome/", views.first_run, name="first_run"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("school/", views.school, name="school"),
]
