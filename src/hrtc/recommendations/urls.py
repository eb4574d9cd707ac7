from django.urls import path

from hrtc.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/assess/", views.assessment_create, name="assess"),
    path("state/<str:code>/", views.state_overview, name="state"),
    path("bulk-assign/", views.bulk_assign, name="bulk-assign"),
    path("import/", views.import_page, name="import"),
    path("template.<str:suffix>", views.template_download, name="template"),
]
