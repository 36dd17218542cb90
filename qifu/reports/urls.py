from django.urls import path

from qifu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("export/", views.report_export, name="export"),
    path("new/", views.report_new, name="new"),
    path("draft/", views.report_draft, name="draft"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/word/", views.report_word, name="word"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", views.report_action, name="action"),
]
