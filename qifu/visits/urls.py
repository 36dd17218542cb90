from django.urls import path

from qifu.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="index"),
    path("export/", views.visit_export, name="export"),
    path("new/", views.visit_new, name="new"),
    path("autosave/", views.visit_autosave, name="autosave"),
    path("mine/", views.mine, name="mine"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage-export"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/export/", views.assignment_export, name="assignments-export"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("red-flags/", views.red_flag_list, name="red-flags"),
    path("red-flags/export/", views.red_flag_export, name="red-flags-export"),
    path("red-flags/<int:pk>/resolve/", views.red_flag_resolve, name="red-flag-resolve"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/cancel/", views.plan_cancel, name="plan-cancel"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaire/<int:pk>/publish/",
        views.questionnaire_publish,
        name="questionnaire-publish",
    ),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/discard/", views.visit_discard, name="discard"),
    path("<int:pk>/appeals/", views.visit_raise_appeal, name="raise-appeal"),
    path("<int:pk>/attachments/<int:attachment>/", views.attachment_download, name="attachment"),
]
