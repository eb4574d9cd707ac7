from rest_framework.routers import SimpleRouter

from hrtc.reference import api

router = SimpleRouter()
router.register("states", api.StateApi, basename="state")
router.register("mechanisms", api.MechanismApi, basename="mechanism")
router.register("sdg-goals", api.SdgGoalApi, basename="sdg-goal")
router.register("sdg-targets", api.SdgTargetApi, basename="sdg-target")
router.register("themes", api.ThemeApi, basename="theme")
router.register("affected-groups", api.AffectedGroupApi, basename="affected-group")
router.register("currencies", api.CurrencyApi, basename="currency")
router.register("funds", api.FundApi, basename="fund")
urlpatterns = router.urls
