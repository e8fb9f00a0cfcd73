from django.urls import path

from conferbook.accounts import views

app_name = "accounts"
urlpatterns = [
    path("welcome/", views.first_run, name="first_run"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("school/", views.school, name="school"),
    path("sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("account/", views.account, name="account"),
    path("account/password/", views.account_password, name="account_password"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("people/<int:user_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:user_id>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:user_id>/new-link/", views.person_reset, name="person_reset"),
    path(
        "people/<int:user_id>/administrator/",
        views.person_administrator,
        name="person_administrator",
    ),
    path("people/<int:user_id>/coaching/", views.person_coaching, name="person_coaching"),
    path("people/<int:user_id>/coaching/remove/", views.person_uncoach, name="person_uncoach"),
]
