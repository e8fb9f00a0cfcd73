from django.urls import include, path

# Django tries the patterns in order, so the busiest come first: the class page, the student
# page, the conference screen and its autosave (tests/test_urls.py: none hides another).
urlpatterns = [
    path("", include("conferbook.conferences.urls")),
    path("", include("conferbook.accounts.urls")),
    path("", include("conferbook.roster.urls")),
    path("", include("conferbook.goals.urls")),
    path("", include("conferbook.scheduling.urls")),
    path("", include("conferbook.scheduling.feed_urls")),
    path("", include("conferbook.printables.urls")),
    path("", include("conferbook.board.urls")),
    path("", include("conferbook.privacy.urls")),
    path("", include("conferbook.audit.urls")),
]

handler404 = "conferbook.web.views.not_found"
handler500 = "conferbook.web.views.server_error"
