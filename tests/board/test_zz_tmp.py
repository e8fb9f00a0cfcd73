import pytest, html, re
from tests.board.test_groups import *
pytestmark = pytest.mark.django_db
def test_x(rivera_client, room12):
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    group = SmallGroup.objects.create(classroom=room12, name="Talkers", goal=library_goal(DIALOGUE))
    group.members.set([ana, ben])
    rivera_client.post(f"/groups/{group.pk}/confer/")
    meeting = GroupConference.objects.get()
    ended = timezone.now()
    GroupConference.objects.filter(pk=meeting.pk).update(status=GroupConference.Status.HELD, ended_at=ended)
    meeting.members.update(status=Conference.Status.HELD, ended_at=ended)
    rivera_client.post(f"/groups/{group.pk}/delete/", follow=True)
    chart = html.unescape(rivera_client.get(f"/students/{ana.pk}/").content.decode())
    i = chart.find("Small-group"); print(chart[i-200:i+500])
    other = first_strategy(library_goal(LEAD))
    r = rivera_client.post(f"/classes/{room12.pk}/groups/new/", {"name": "Mixed", "goal": library_goal(DIALOGUE).pk, "strategy": other.pk, "members": [ana.pk, ben.pk]})
    t = r.content.decode(); i = t.find('id="strategy-field"'); print(t[i-50:i+600])
