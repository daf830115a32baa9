"""URLs of the safeguarding queue, under /admin/safeguarding/ (namespace ``safeguarding``).

``safeguarding:detail`` is the link emailed to leads (``services.safeguarding.notify_leads``).
"""

from django.urls import path

from . import views

app_name = views.URL_NAMESPACE

urlpatterns = [
    path("", views.ConcernIndexView.as_view(), name="index"),
    path("results/", views.ConcernIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", views.ConcernDetailView.as_view(), name="detail"),
    path("<int:pk>/response/", views.WholeResponseView.as_view(), name="whole_response"),
    path("<int:pk>/status/", views.ConcernStatusView.as_view(), name="status"),
    path("<int:pk>/severity/", views.SeverityView.as_view(), name="severity"),
    path("<int:pk>/category/", views.CategoryView.as_view(), name="category"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("<int:pk>/withhold/", views.WithholdView.as_view(), name="withhold"),
]
