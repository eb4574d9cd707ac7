from django.urls import path

from hrtc.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("new/", views.practice_new, name="new"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/edit/", views.practice_edit, name="edit"),
    path("<slug:slug>/moderate/", views.practice_transition, name="transition"),
]
