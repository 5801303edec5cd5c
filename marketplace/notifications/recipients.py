"""Who gets a message and on which channels (their preferences, their contacts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.notifications.models import ChannelKind, Delivery, NotificationPreference
from marketplace.notifications.templates_text import OFF_BY_DEFAULT


@dataclass(frozen=True)
class Recipient:
    key: str
    email: str = ""
    phone: str = ""
    language: str = "fa"
    user_id: int | None = None


def of_user(user) -> Recipient:
    return Recipient(
        key=f"user:{user.pk}",
        email=user.email or "",
        phone=user.phone or "",
        language=user.language or "fa",
        user_id=user.pk,
    )


def of_users(users: Iterable) -> list[Recipient]:
    return [of_user(user) for user in users]


def of_contact(*, email: str = "", phone: str = "", language: str = "fa") -> Recipient:
    """Someone without an account (a guest buyer)."""
    return Recipient(
        key=f"contact:{phone or email.lower()}", email=email, phone=phone, language=language
    )


def default_delivery(kind: str) -> str | None:
    """Marketing: off. Others: None, one message by the best contact."""
    return Delivery.OFF if kind in OFF_BY_DEFAULT else None


def deliveries(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return {}
    return dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )


def channels_for(recipient: Recipient, kind: str, delivery: str | None) -> list[str]:
    """The channels to use: those chosen, else SMS when there is a mobile number, else
    e-mail. A message not turned off always reaches a contact the recipient has (but
    marketing only the channel chosen for it)."""
    delivery = delivery or default_delivery(kind)
    if delivery == Delivery.OFF:
        return []
    wanted = []
    if recipient.phone and delivery in (Delivery.SMS, Delivery.BOTH):
        wanted.append(ChannelKind.SMS)
    if recipient.email and delivery in (Delivery.EMAIL, Delivery.BOTH):
        wanted.append(ChannelKind.EMAIL)
    if wanted or kind in OFF_BY_DEFAULT:
        return wanted
    if recipient.phone:
        return [ChannelKind.SMS]
    return [ChannelKind.EMAIL] if recipient.email else []
