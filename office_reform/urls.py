from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from engagements.views import ProtectedMediaView

handler403 = "engagements.errors.permission_denied"
handler404 = "engagements.errors.page_not_found"
handler500 = "engagements.errors.server_error"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.ico")


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
    path("favicon.ico", FaviconView.as_view()),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("engagements/", include("engagements.urls")),
    path("engagements/<int:engagement_pk>/", include(engagement_patterns)),
    # Uploaded files go through a membership check, in development and in production alike.
    path("media/<path:path>", ProtectedMediaView.as_view(), name="protected_media"),
]
