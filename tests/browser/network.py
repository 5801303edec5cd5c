"""Bytes a page really transfers, from chromium's own network events (CDP): compressed
sizes as they crossed the wire, headers included, with an empty cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page


@dataclass
class Transfer:
    url: str
    resource_type: str
    mime_type: str
    encoded_bytes: int = 0


@dataclass
class NetworkLog:
    """Every response of one page, by CDP request id."""

    transfers: dict[str, Transfer] = field(default_factory=dict)

    @classmethod
    def attach(cls, page: Page) -> NetworkLog:
        log = cls()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

        def received(event: dict) -> None:
            response = event["response"]
            log.transfers[event["requestId"]] = Transfer(
                url=response["url"],
                resource_type=event.get("type", ""),
                mime_type=response.get("mimeType", ""),
            )

        def finished(event: dict) -> None:
            transfer = log.transfers.get(event["requestId"])
            if transfer is not None:
                transfer.encoded_bytes = int(event["encodedDataLength"])

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        return log

    def total(self, *, excluding_prefix: str | None = None) -> int:
        return sum(
            t.encoded_bytes
            for t in self.transfers.values()
            if excluding_prefix is None or not t.url.startswith(excluding_prefix)
        )

    def by_type(self, *, excluding_prefix: str | None = None) -> dict[str, int]:
        """Bytes per resource type (Document, Stylesheet, Font, Script, Image…)."""
        sizes: dict[str, int] = {}
        for t in self.transfers.values():
            if excluding_prefix is None or not t.url.startswith(excluding_prefix):
                sizes[t.resource_type] = sizes.get(t.resource_type, 0) + t.encoded_bytes
        return sizes

    def table(self) -> str:
        rows = sorted(self.transfers.values(), key=lambda t: -t.encoded_bytes)
        return "\n".join(f"{t.encoded_bytes:>9} {t.resource_type:<10} {t.url}" for t in rows)
