from django.urls import path
from rest_framework.routers import SimpleRouter

from hrtc.assistance import api

router = SimpleRouter()
router.register("requests", api.RequestApi, basename="assistance-request")
router.register("offers", api.OfferApi, basename="offer")
router.register("activities", api.ActivityApi, basename="activity")
router.register("feed", api.FeedApi, basename="feed")

urlpatterns = [
    path("states/<str:code>/overlaps/", api.OverlapApi.as_view(), name="api-overlaps"),
    *router.urls,
]
