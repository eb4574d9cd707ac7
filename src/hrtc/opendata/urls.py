from django.urls import path

from hrtc.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("state/<str:code>/", views.state_page, name="state"),
    path("offers/", views.offers, name="offers"),
    path("requests/", views.requests, name="requests"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("data-dictionary/", views.data_dictionary, name="dictionary"),
    path("download/<slug:dataset>.<slug:fmt>", views.download, name="download"),
]
