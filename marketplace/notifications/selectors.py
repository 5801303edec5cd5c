from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from marketplace.notifications.models import NotificationPreference
from marketplace.notifications.recipients import default_delivery
from marketplace.notifications.templates_text import KINDS, OPTIONAL_KINDS, SELLER_SIDE_KINDS


def works_for_sellers(user) -> bool:
    """Whether `user` may receive the seller side's messages: owns a shop (or applied
    for one), works for a cooperative, or is platform staff."""
    if user.is_staff:
        return True
    side = Q(seller__isnull=False) | Q(cooperative_links__isnull=False)
    return get_user_model().objects.filter(side, pk=user.pk).exists()


def preferences(user) -> list[tuple[str, str, bool]]:
    """(kind, delivery, optional) for every kind of message `user` may receive (a buyer
    is not offered a choice about reviews of products or payouts they never get); AUTO
    is the default of a transactional kind: SMS when there is a mobile number, else
    e-mail."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery")
    )
    kinds = KINDS if works_for_sellers(user) else [k for k in KINDS if k not in SELLER_SIDE_KINDS]
    return [
        (kind, chosen.get(kind) or default_delivery(kind) or "AUTO", kind in OPTIONAL_KINDS)
        for kind in kinds
    ]
