from django.urls import path

from qifu.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar, name="calendar"),
]
