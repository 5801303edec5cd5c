from __future__ import annotations

from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError, ErrorCode


def active_channels() -> list[Channel]:
    return list(Channel.objects.filter(is_active=True))


def channel_by_slug(slug: str | None, *, field: str = "channel") -> Channel:
    """The named active channel, or the default one when no slug is given."""
    queryset = Channel.objects.filter(is_active=True)
    channel = (
        queryset.filter(slug=slug).first() if slug else queryset.filter(is_default=True).first()
    )
    if channel is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, field)
    return channel
