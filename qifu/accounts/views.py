from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from qifu.accounts import selectors
from qifu.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Log in")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.QIFU_DEMO:
            context["demo_accounts"] = selectors.demo_accounts()
            context["demo_password"] = settings.QIFU_DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default), so that a link cannot log anyone out."""
