from django.urls import path, register_converter

from conferbook.scheduling import feeds


class TokenConverter:
    """A feed's token as `new_feed_token` makes it (URL-safe base64): any other text in
    its place answers 404 before a query is made (PostgreSQL cannot even compare a NUL)."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "feeds"
urlpatterns = [
    path("classes/<int:classroom_id>/calendar.ics", feeds.download, name="download"),
    path("classes/<int:classroom_id>/calendar/", feeds.subscription, name="subscription"),
    path("calendar/<token:token>.ics", feeds.feed, name="feed"),
]
