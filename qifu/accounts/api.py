"""Token login, the caller's own profile, and account administration (security admin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from qifu.accounts import selectors, services, throttle
from qifu.accounts.models import User
from qifu.accounts.permissions import CanManageAccounts
from qifu.core import selectors as core_selectors
from qifu.core.viewsets import ServiceViewSet


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenView(APIView):
    """Exchange a username and password for the API token (`Authorization: Token <token>`)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=TokenRequest,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        if throttle.is_locked(username):
            return Response(
                {"detail": _("Too many failed logins. Please wait 15 minutes and try again.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            throttle.record_failure(username)
            return Response(
                {"detail": _("Wrong username or password, or the account is disabled.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        throttle.reset(username)
        token = services.token_issue(user=user)
        return Response({"token": token.key})


class UserSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=core_selectors.org_units_for_configuration(),
        allow_null=True,
        required=False,
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=core_selectors.departments_for_configuration(), allow_null=True, required=False
    )
    department_code = serializers.CharField(source="department.code", read_only=True, default=None)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    password = serializers.CharField(write_only=True, required=False, trim_whitespace=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "role",
            "role_display",
            "org_unit",
            "department",
            "department_code",
            "is_active",
            "password",
        ]


class MeView(APIView):
    """The caller: role and scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class UserViewSet(ServiceViewSet):
    """Accounts and roles: the security admin's part (三员分立)."""

    serializer_class = UserSerializer
    permission_classes = [CanManageAccounts]
    save_service = staticmethod(services.user_save)
    instance_kwarg = "user"

    def get_queryset(self) -> Any:
        return selectors.user_list_for_admin(search=self.request.query_params.get("search", ""))
