from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("hrtc.core.urls")),
    path("", include("hrtc.accounts.urls")),
    path("reference/", include("hrtc.reference.urls")),
    path("recommendations/", include("hrtc.recommendations.urls")),
    path("linking/", include("hrtc.linking.urls")),
    path("assistance/", include("hrtc.assistance.urls")),
    path("funds/", include("hrtc.funds.urls")),
    path("search/", include("hrtc.search.urls")),
    path("practices/", include("hrtc.practices.urls")),
    path("reports/", include("hrtc.reports.urls")),
    path("open/", include("hrtc.opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("hrtc.config.api_urls")),
]
