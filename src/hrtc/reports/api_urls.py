from django.urls import path

from hrtc.reports import api

urlpatterns = [
    path("runs/", api.RunCreateApi.as_view(), name="api-report-run-create"),
    path("runs/<uuid:pk>/", api.RunApi.as_view(), name="api-report-run"),
    path("saved/", api.SavedListApi.as_view(), name="api-report-saved"),
    path("published/", api.PublishedListApi.as_view(), name="api-report-published"),
]
