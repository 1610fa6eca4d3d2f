from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home.sitemaps import SITEMAPS
from home.views import robots_txt, search
from learning_units.views import CitizenLoginView

from .pwa import manifest, service_worker
from .views import healthz, media_serve

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # At the root: a service worker controls only the paths under its own address.
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("api/", include("learning_units.api_urls")),
    # xAPI's resources have no trailing slash; APPEND_SLASH redirects only paths that match
    # nothing, and these match as written.
    path("xapi/", include("learning_units.xapi_urls")),
]

# set_language sits inside the language prefix so that it resolves `next` in the language of
# the page the visitor is on (with an unprefixed default language, Django treats every
# unprefixed path as Vietnamese).
urlpatterns += i18n_patterns(
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/login/", CitizenLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("learning_units.urls")),
    path("", include("assessments.urls")),
    path("search/", search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.urls import re_path

    # Uploads are served directly in development only, and never the private folder
    # (evidence, import uploads), which only permission-checking views may read.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media_serve)]
