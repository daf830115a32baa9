from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from consultations.reports import come_back
from youthforum.accounts import views as account_views
from youthforum.core import routing
from youthforum.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Staff sign in through allauth (with its second factor and rate limits), never through
    # Wagtail's own login form.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/delete/", account_views.delete_account, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", core_views.search, name="search"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("you-said-we-did/", include("consultations.commitments.urls")),
    path("your-reference/", come_back.come_back, name="come_back"),
    path("reports/", include("consultations.reports.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the real icon.
    path("favicon.ico", core_views.favicon),
]

if settings.DEBUG:
    # Only the public image folders of MEDIA_ROOT; documents go through Wagtail's serve view.
    from youthforum.core.media import public_media_urlpatterns

    urlpatterns += public_media_urlpatterns()

# Wagtail's own URLs, but pages are served through youthforum/core/routing.py, which remembers
# routes; it takes the place (pattern and name) of Wagtail's serve view, after Wagtail's others.
# Wagtail's front-end login (Django's plain LoginView, no second factor, no rate limits) is a
# redirect to allauth's, under the same address and name. Its page-privacy password form stays:
# it unlocks one page for the browser and never signs anyone in (docs/decisions/0002).
REPLACED_WAGTAIL_URLS = {"wagtail_serve", "wagtailcore_login"}
urlpatterns += [
    *(url for url in wagtail_urls.urlpatterns if url.name not in REPLACED_WAGTAIL_URLS),
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailcore_login",
    ),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]

handler500 = "youthforum.core.views.server_error"
