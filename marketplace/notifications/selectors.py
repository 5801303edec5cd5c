from __future__ import annotations

from marketplace.notifications.models import NotificationPreference
from marketplace.notifications.recipients import default_delivery
from marketplace.notifications.templates_text import KINDS, OPTIONAL_KINDS


def preferences(user) -> list[tuple[str, str, bool]]:
    """(kind, delivery, optional) for every kind of message; AUTO is the default of a
    transactional kind: SMS when there is a mobile number, else e-mail."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery")
    )
    return [
        (kind, chosen.get(kind) or default_delivery(kind) or "AUTO", kind in OPTIONAL_KINDS)
        for kind in KINDS
    ]
