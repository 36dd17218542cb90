from django.urls import path

from qifu.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="index"),
    path("export/", views.policy_export, name="export"),
    path("<int:pk>/", views.policy_detail, name="policy"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_edit, name="programme-new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/apply/", views.programme_apply, name="programme-apply"),
    path("programmes/<int:pk>/recommend/", views.programme_recommend, name="programme-recommend"),
    path("programmes/<int:pk>/confirm/", views.programme_confirm, name="programme-confirm"),
    path("programmes/<int:pk>/push/", views.programme_push, name="programme-push"),
    path(
        "programmes/<int:pk>/publish/",
        views.programme_move,
        {"action": "publish"},
        name="programme-publish",
    ),
    path(
        "programmes/<int:pk>/close/",
        views.programme_move,
        {"action": "close"},
        name="programme-close",
    ),
    path("applications/", views.application_list, name="applications"),
    path("applications/export/", views.application_export, name="applications-export"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/<str:action>/",
        views.application_action,
        name="application-action",
    ),
    path("calculator/", views.calculator, name="calculator"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures-export"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/read/", views.delivery_read, name="delivery-read"),
]
