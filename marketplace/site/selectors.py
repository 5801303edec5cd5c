from __future__ import annotations

from urllib.parse import urlencode

from marketplace.site.models import SETTINGS_ID, SiteSettings

ENAMAD_HOST = "https://trustseal.enamad.ir/"


def site_settings() -> SiteSettings:
    """The operator's settings, or blank ones before the operator saved any."""
    return SiteSettings.objects.filter(pk=SETTINGS_ID).first() or SiteSettings(pk=SETTINGS_ID)


def trust_seal(settings: SiteSettings) -> tuple[str, str] | None:
    """The e-trust seal's page and image addresses, once the operator entered its id and
    code."""
    if not (settings.enamad_id and settings.enamad_code):
        return None
    query = urlencode({"id": settings.enamad_id, "Code": settings.enamad_code})
    return f"{ENAMAD_HOST}?{query}", f"{ENAMAD_HOST}logo.aspx?{query}"
