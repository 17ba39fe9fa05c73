from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

engagement_patterns = [
    path("survey/", include("survey.urls")),
    path("proposals/", include("proposals.urls")),
    path("procurement/", include("procurement.urls")),
    path("disposal/", include("disposal.urls")),
    path("meetings/", include("meetings.urls")),
    path("report/", include("reports.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="engagements:engagement_list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("engagements/", include("engagements.urls")),
    path("engagements/<int:engagement_pk>/", include(engagement_patterns)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
