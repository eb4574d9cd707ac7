from django.urls import path
from rest_framework.routers import SimpleRouter

from hrtc.recommendations import api

router = SimpleRouter()
router.register("pledges", api.PledgeApi, basename="pledge")
router.register("clusters", api.ClusterApi, basename="cluster")
router.register("", api.RecommendationApi, basename="recommendation")

urlpatterns = [
    path("facets/", api.FacetsApi.as_view(), name="api-recommendation-facets"),
    path("export/", api.ExportApi.as_view(), name="api-recommendation-export"),
    path("import/", api.ImportApi.as_view(), name="api-recommendation-import"),
    path("bulk-assign/", api.BulkAssignApi.as_view(), name="api-recommendation-bulk-assign"),
    path("entities/", api.EntityApi.as_view(), name="api-responsible-entities"),
    path("<int:pk>/assessments/", api.AssessmentCreateApi.as_view(), name="api-recommendation-assess"),
    path("<int:pk>/cluster/", api.ClusterMoveApi.as_view(), name="api-recommendation-cluster"),
    path("clusters/<int:pk>/label/", api.ClusterEditApi.as_view(), name="api-cluster-label"),
    *router.urls,
]
