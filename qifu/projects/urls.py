from django.urls import path

from qifu.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="index"),
    path("export/", views.project_export, name="export"),
    path("new/", views.project_new, name="new"),
    path("from-lead/<int:lead_pk>/", views.project_from_lead, name="from-lead"),
    path("board/", views.key_board, name="board"),
    path("board/export/", views.key_board_export, name="board-export"),
    path("board/lists/new/", views.key_list_new, name="key-list-new"),
    path("board/lists/<int:pk>/meeting/", views.meeting_new, name="meeting-new"),
    path("timeline/", views.timeline, name="timeline"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/<slug:kind>/export/", views.overdue_export, name="overdue-export"),
    path("leaders/", views.leader_projects, name="leaders"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/<slug:action>/", views.project_action, name="action"),
    path("<int:pk>/<slug:kind>/<int:item>/<slug:action>/", views.item_action, name="item-action"),
]
