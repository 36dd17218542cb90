from django.urls import path

from qifu.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("screen/data.json", views.screen_data, name="screen-data"),
]
