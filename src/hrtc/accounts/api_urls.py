from django.urls import path
from rest_framework.routers import SimpleRouter

from hrtc.accounts import api

router = SimpleRouter()
router.register("organisations", api.OrganisationApi, basename="organisation")
router.register("memberships", api.MembershipApi, basename="membership")
router.register("tokens", api.TokenApi, basename="token")

urlpatterns = [path("me/", api.MeApi.as_view(), name="api-me"), *router.urls]
