from django.urls import path

from hrtc.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/<uuid:pk>/", views.run_detail, name="run"),
    path("runs/<uuid:pk>/status/", views.run_status, name="run-status"),
    path("runs/<uuid:pk>/save/", views.run_save, name="run-save"),
    path("runs/<uuid:pk>/<str:fmt>/", views.run_file, name="run-file"),
    path("saved/", views.saved_list, name="saved-list"),
    path("saved/<int:pk>/", views.saved_detail, name="saved"),
    path("saved/<int:pk>/publish/", views.saved_publish, name="saved-publish"),
    path("saved/<int:pk>/<str:fmt>/", views.saved_file, name="saved-file"),
]
