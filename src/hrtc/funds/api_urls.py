from django.urls import path
from rest_framework.routers import SimpleRouter

from hrtc.funds import api

router = SimpleRouter()
router.register("donors", api.DonorApi, basename="fund-donor")
router.register("rates", api.RateApi, basename="fund-rate")
router.register("pledges", api.PledgeApi, basename="fund-pledge")
router.register("contributions", api.ContributionApi, basename="fund-contribution")
router.register("grants", api.GrantApi, basename="fund-grant")
router.register("disbursements", api.DisbursementApi, basename="fund-disbursement")
router.register("refunds", api.RefundApi, basename="fund-refund")
router.register("transactions", api.TransactionApi, basename="fund-transaction")

urlpatterns = [
    *router.urls,
    path("", api.FundListApi.as_view(), name="api-funds"),
    path("<str:code>/statement/", api.FundStatementApi.as_view(), name="api-fund-statement"),
]
