from django.urls import path

from hrtc.opendata import api

urlpatterns = [
    path("activities/", api.PublicActivityList.as_view(), name="open-activities"),
    path("activities/<int:pk>/", api.PublicActivityDetail.as_view(), name="open-activity"),
    path("requests/", api.PublicRequestList.as_view(), name="open-requests"),
    path("offers/", api.PublicOfferList.as_view(), name="open-offers"),
    path("aggregates/", api.PublicAggregates.as_view(), name="open-aggregates"),
    path("datasets/", api.PublicDatasets.as_view(), name="open-datasets"),
]
