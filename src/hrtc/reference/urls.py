from django.urls import path

from hrtc.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.states, name="states"),
    path("states/<str:code>/", views.state_detail, name="state"),
    path("sdgs/", views.sdgs, name="sdgs"),
    path("themes/", views.themes, name="themes"),
    path("mechanisms/", views.mechanisms, name="mechanisms"),
    path("affected-groups/", views.affected_groups, name="affected-groups"),
    path("funds/", views.funds, name="funds"),
    path("currencies/", views.currencies, name="currencies"),
]
