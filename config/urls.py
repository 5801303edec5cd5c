from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import health
from marketplace.api.core.view import APIView
from marketplace.ledger.views import statement as ledger_statement
from marketplace.returns.views import photo as return_photo

admin.site.site_header = _("Bazarcheh administration")
admin.site.site_title = _("Bazarcheh")
admin.site.index_title = _("Platform operations")
# Django's login page has no first-level heading; this one names the page.
admin.site.login_template = "admin/bazarcheh/login.html"

handler404 = "storefront.notfound.not_found"

urlpatterns = [
    path("graphql/", APIView.as_view(), name="api"),
    path("health/", health, name="health"),
    path("payments/", include("marketplace.api.payments.urls")),
    path("ledger/statements/<str:token>/", ledger_statement, name="ledger_statement"),
    path("returns/photos/<str:token>/", return_photo, name="return_photo"),
    path("admin/", admin.site.urls),
    path("logistics/", include("marketplace.logistics.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("storefront.urls")),
]
if settings.BENCH_FLOOR:
    from bench.floor import products as floor_products

    urlpatterns.insert(0, path("bench/floor/products/", floor_products))
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
