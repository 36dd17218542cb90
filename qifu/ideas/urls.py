from django.urls import path

from qifu.ideas.views import public, staff

app_name = "ideas"

urlpatterns = [
    # the public portal (no account needed)
    path("", public.idea_list, name="list"),
    path("new/", public.idea_new, name="new"),
    path("thanks/", public.thanks, name="thanks"),
    path("similar/", public.similar, name="similar"),
    path("adopted/", public.adopted, name="adopted"),
    path("stats/", public.stats, name="stats"),
    path("track/", public.track, name="track"),
    path("track/withdraw/", public.withdraw, name="withdraw"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/support/", public.support, name="support"),
    path("<int:pk>/report/", public.report, name="report"),
    # the staff side
    path("manage/", staff.idea_list, name="manage"),
    path("manage/export/", staff.export, name="manage-export"),
    path("manage/stats/", staff.stats, name="manage-stats"),
    path("manage/blocks/", staff.blocks, name="blocks"),
    path("manage/blocks/<int:pk>/delete/", staff.unblock, name="unblock"),
    path("manage/<int:pk>/", staff.detail, name="manage-detail"),
    path("manage/<int:pk>/<slug:action>/", staff.act, name="manage-action"),
]
