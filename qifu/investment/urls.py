from django.urls import path

from qifu.investment import views

app_name = "investment"

urlpatterns = [
    path("", views.index, name="index"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/export/", views.lead_export, name="lead-export"),
    path("leads/new/", views.lead_new, name="lead-new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead-edit"),
    path("leads/<int:pk>/matches/", views.lead_match, name="lead-match"),
    path("leads/<int:pk>/<slug:action>/", views.lead_action, name="lead-action"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/export/", views.resource_export, name="resource-export"),
    path("resources/new/", views.resource_new, name="resource-new"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/<slug:action>/", views.resource_action, name="resource-action"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/export/", views.channel_export, name="channel-export"),
    path("channels/new/", views.channel_new, name="channel-new"),
    path("channels/<int:pk>/", views.channel_detail, name="channel"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel-edit"),
    path("channels/<int:pk>/<slug:action>/", views.channel_action, name="channel-action"),
]
