from django.urls import path

from conferbook.scheduling import feeds

app_name = "feeds"
urlpatterns = [
    path("classes/<int:classroom_id>/calendar.ics", feeds.download, name="download"),
    path("classes/<int:classroom_id>/calendar/", feeds.subscription, name="subscription"),
    path("calendar/<str:token>.ics", feeds.feed, name="feed"),
]
