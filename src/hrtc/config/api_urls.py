"""Version 1 of the REST API: each app contributes its routes under /api/v1/<app>/."""

from django.urls import include, path

from hrtc.search.views import SearchApi

urlpatterns = [
    path("reference/", include("hrtc.reference.api_urls")),
    path("accounts/", include("hrtc.accounts.api_urls")),
    path("audit/", include("hrtc.core.api_urls")),
    path("recommendations/", include("hrtc.recommendations.api_urls")),
    path("linking/", include("hrtc.linking.api_urls")),
    path("assistance/", include("hrtc.assistance.api_urls")),
    path("funds/", include("hrtc.funds.api_urls")),
    path("search/", SearchApi.as_view(), name="api-search"),
    path("practices/", include("hrtc.practices.api_urls")),
    path("reports/", include("hrtc.reports.api_urls")),
    path("open/", include("hrtc.opendata.api_urls")),
]
