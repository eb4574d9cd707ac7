from django.urls import path

from hrtc.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.home, name="home"),
    path("state/<str:code>/", views.state_dashboard, name="state"),
    path("state/<str:code>/feed.atom", views.StateFeed(), name="state-feed"),
    path("provider/<slug:code>/", views.provider_inbox, name="provider"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/transition/", views.request_transition, name="request-transition"),
    path("requests/<int:pk>/consent/", views.request_consent, name="request-consent"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("offers/", views.offers, name="offers"),
]
