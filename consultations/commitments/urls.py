from django.urls import path

from . import views

urlpatterns = [
    path("", views.you_said_we_did, name="you_said_we_did"),
    path("<int:pk>/feedback/", views.feedback, name="commitment_feedback"),
]
