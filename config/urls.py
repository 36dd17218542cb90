from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from qifu.accounts import api as accounts_api
from qifu.appeals import api as appeals_api
from qifu.audit import api as audit_api
from qifu.core import api as core_api
from qifu.core.admin import site as admin_site
from qifu.dashboard import api as dashboard_api
from qifu.enterprises import api as enterprises_api
from qifu.ideas import api as ideas_api
from qifu.investment import api as investment_api
from qifu.policies import api as policies_api
from qifu.projects import api as projects_api
from qifu.reports import api as reports_api
from qifu.stats import api as stats_api
from qifu.visits import api as visits_api

router = DefaultRouter()
router.register("org-units", core_api.OrgUnitViewSet, basename="org-unit")
router.register("departments", core_api.DepartmentViewSet, basename="department")
router.register("calendar/days", core_api.HolidayViewSet, basename="calendar-day")
router.register("accounts/users", accounts_api.UserViewSet, basename="user")
router.register("audit/events", audit_api.AuditEventViewSet, basename="audit-event")
router.register("enterprises", enterprises_api.EnterpriseViewSet, basename="enterprise")
router.register("appeals/categories", appeals_api.CategoryViewSet, basename="appeal-category")
router.register("appeals", appeals_api.AppealViewSet, basename="appeal")
router.register("stats/indicators", stats_api.IndicatorViewSet, basename="stats-indicator")
router.register("stats/datasets", stats_api.DataSetViewSet, basename="stats-dataset")
router.register("stats/submissions", stats_api.SubmissionViewSet, basename="stats-submission")
router.register("investment/leads", investment_api.LeadViewSet, basename="investment-lead")
router.register(
    "investment/resources", investment_api.ResourceViewSet, basename="investment-resource"
)
router.register("investment/channels", investment_api.ChannelViewSet, basename="investment-channel")
router.register("projects/key-lists", projects_api.KeyListViewSet, basename="project-key-list")
router.register("projects", projects_api.ProjectViewSet, basename="project")
router.register("visits/red-flags", visits_api.RedFlagViewSet, basename="visit-red-flag")
router.register("visits/plans", visits_api.VisitPlanViewSet, basename="visit-plan")
router.register("visits", visits_api.VisitViewSet, basename="visit")
router.register("assignments", visits_api.AssignmentViewSet, basename="visit-assignment")
router.register("reports", reports_api.ReportViewSet, basename="report")
router.register("policies/programmes", policies_api.ProgrammeViewSet, basename="policy-programme")
router.register(
    "policies/applications", policies_api.ApplicationViewSet, basename="policy-application"
)
router.register("policies", policies_api.PolicyViewSet, basename="policy")
router.register("notices/deliveries", policies_api.DeliveryViewSet, basename="notice-delivery")
router.register("notices", policies_api.NoticeViewSet, basename="notice")
router.register("ideas/blocks", ideas_api.BlockViewSet, basename="idea-block")
router.register("ideas", ideas_api.IdeaViewSet, basename="idea")

api_urls = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("stats/approvals/", stats_api.ApprovalView.as_view(), name="api-stats-approvals"),
    path(
        "stats/completeness/", stats_api.CompletenessView.as_view(), name="api-stats-completeness"
    ),
    path("stats/rollup/", stats_api.RollupView.as_view(), name="api-stats-rollup"),
    path(
        "enterprises/<int:pk>/matched-programmes/",
        policies_api.EnterpriseMatchedProgrammesView.as_view(),
        name="api-enterprise-matched-programmes",
    ),
    path(
        "policies/calculator/",
        policies_api.CalculatorView.as_view(),
        name="api-policies-calculator",
    ),
    path("policies/figures/", policies_api.FiguresView.as_view(), name="api-policies-figures"),
    path("dashboard/", dashboard_api.DashboardView.as_view(), name="api-dashboard"),
    *router.urls,
]

urlpatterns = [
    path("", include("qifu.core.urls")),
    path("accounts/", include("qifu.accounts.urls")),
    path("audit/", include("qifu.audit.urls")),
    path("enterprises/", include("qifu.enterprises.urls")),
    path("appeals/", include("qifu.appeals.urls")),
    path("notifications/", include("qifu.notices.urls")),
    path("stats/", include("qifu.stats.urls")),
    path("investment/", include("qifu.investment.urls")),
    path("projects/", include("qifu.projects.urls")),
    path("visits/", include("qifu.visits.urls")),
    path("policies/", include("qifu.policies.urls")),
    path("reports/", include("qifu.reports.urls")),
    path("ideas/", include("qifu.ideas.urls")),
    path("dashboard/", include("qifu.dashboard.urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin_site.urls),
    path("api/v1/", include(api_urls)),
]

handler400 = "qifu.core.views.error_400"
handler403 = "qifu.core.views.error_403"
handler404 = "qifu.core.views.error_404"
handler500 = "qifu.core.views.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
