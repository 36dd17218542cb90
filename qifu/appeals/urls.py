from django.urls import path

from qifu.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("export/", views.appeal_export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.appeal_new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", views.appeal_action, name="action"),
]
