from rest_framework.routers import SimpleRouter

from hrtc.practices import api

router = SimpleRouter()
router.register("", api.PracticeApi, basename="practice")

urlpatterns = router.urls
