from django.urls import path

from hrtc.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.home, name="home"),
    path("rates/", views.rates, name="rates"),
    path("donors/<slug:code>/", views.donor_detail, name="donor"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/move/", views.grant_move, name="grant-move"),
    path("transactions/<int:pk>/reverse/", views.reverse, name="reverse"),
    path("<str:code>/", views.fund_detail, name="fund"),
    path("<str:code>/record/", views.record, name="record"),
    path("<str:code>/ledger/", views.ledger, name="ledger"),
    path("<str:code>/<int:year>.<str:extension>", views.statement_download, name="statement"),
]
