from django.urls import path

from qifu.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("form/<str:period>/", views.form, name="form"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/<str:action>/", views.submission_action, name="submission-action"),
    path("review/", views.review, name="review"),
    path("review/accept-all/", views.accept_all, name="accept-all"),
    path("approvals/", views.approval_board, name="approvals"),
    path("approvals/<int:unit>/", views.approval_action, name="approval-action"),
    path("reopen/", views.reopen, name="reopen"),
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/remind/", views.remind, name="remind"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/rollup.xlsx", views.rollup_export, name="rollup-export"),
    path("analysis/brief.docx", views.brief, name="brief"),
    path("sheet/form.xlsx", views.sheet_download, name="sheet-download"),
    path("sheet/import/", views.sheet_import, name="sheet-import"),
]
