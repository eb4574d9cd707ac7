from django.urls import path

from hrtc.linking import views

app_name = "linking"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("links/<int:pk>/<str:decision>/", views.link_decide, name="decide"),
    path("<str:subject_type>/<int:pk>/add/", views.link_add, name="add"),
]
