from django.contrib.auth import views as auth_views
from django.urls import path

from hrtc.accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("reference/providers/", views.providers, name="providers"),
    path("account/tokens/", views.token_create, name="account-token-create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="account-token-revoke"),
]
