from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportView.as_view(), name="index"),
    path("<int:pk>/", views.ReportView.as_view(), name="area"),
    path("<int:pk>/export.xlsx", views.ReportXlsxView.as_view(), name="xlsx"),
    path("<int:pk>/summary.pdf", views.ReportPdfView.as_view(), name="pdf"),
]
