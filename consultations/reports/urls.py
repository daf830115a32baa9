from django.urls import path

from . import downloads, views

urlpatterns = [
    path("", views.dashboard, name="reports_dashboard"),
    path("year-in-review/", views.year_index, name="year_index"),
    path("year-in-review/<str:label>/", views.year_review, name="year_review"),
    path("year-in-review/<str:label>/year.xlsx", views.year_review_xlsx, name="year_review_xlsx"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>/compare/", views.compare, name="report_compare"),
    path("<slug:slug>/word-cloud.<str:fmt>", views.word_cloud_image, name="report_word_cloud"),
    path("<slug:slug>/report.pdf", downloads.report_pdf, name="report_pdf"),
    path("<slug:slug>/report.xlsx", downloads.report_xlsx, name="report_xlsx"),
    path("<slug:slug>/answers.csv", downloads.answers_csv, name="report_csv"),
    path("<slug:slug>/exports/<int:pk>/", downloads.export_status, name="report_export"),
    path("<slug:slug>/exports/<int:pk>/file", downloads.export_file, name="report_export_file"),
]
