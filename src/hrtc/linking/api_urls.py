from django.urls import path
from rest_framework.routers import SimpleRouter

from hrtc.linking import api

router = SimpleRouter()
router.register("links", api.LinkApi, basename="link")
router.register("classifiers", api.ClassifierApi, basename="classifier")

urlpatterns = [
    path("links/add/", api.LinkAddApi.as_view(), name="api-link-add"),
    path("links/<int:pk>/accept/", api.LinkAcceptApi.as_view(), name="api-link-accept"),
    path("links/<int:pk>/reject/", api.LinkRejectApi.as_view(), name="api-link-reject"),
    path("classifiers/active/", api.ActiveClassifierApi.as_view(), name="api-classifier-active"),
    *router.urls,
]
