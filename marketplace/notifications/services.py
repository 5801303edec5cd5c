"""Recording and sending messages.

`notify` records one Notification per recipient and channel in the caller's transaction
and leaves one outbox job per row (marketplace/core/outbox.py), so a message is never
lost to a broker that is down. `deliver` sends one row exactly once:

- the sending task claims the row with a conditional UPDATE (PENDING and due, or SENDING
  with an expired lease → SENDING), committed before the provider is called: of two
  workers, or two runs of one task, one claims and the other finds nothing to do;
- a failure is recorded in its own statement (never inside a transaction the error rolls
  back): attempts counted, PENDING again after an exponential backoff, FAILED after
  NOTIFICATION_MAX_ATTEMPTS or an error that trying again cannot fix;
- a worker that dies between the provider's answer and the SENT mark leaves the row
  SENDING; once the lease expires it is sent again with the same reference (the
  notification id): the SMS provider's `localid` and the e-mail's Message-ID make that
  repeat the same message, so the person gets it once. (An SMTP relay that does not
  deduplicate by Message-ID can deliver a second copy in that narrow window: we prefer
  that to losing a message.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from marketplace.core import outbox, sql
from marketplace.notifications import channels
from marketplace.notifications.models import ChannelKind, Notification, NotificationStatus
from marketplace.notifications.recipients import Recipient, channels_for, deliveries
from marketplace.notifications.templates_text import TEMPLATES, fit_sms

SEND_TASK = "marketplace.notifications.tasks.send_notification"
# A preference that is no choice: the kind's default (selectors.preferences shows it).
AUTO = "AUTO"
# Their context (a sign-in code) is wiped once the message is sent or given up.
SECRET_TEMPLATES = frozenset({"account.login_code"})
# Messages worthless after a while (the setting names how many seconds): a retry after a
# provider outage must not deliver a sign-in code that no longer works.
EXPIRING_TEMPLATES = {"account.login_code": "LOGIN_CODE_TTL_SECONDS"}
_state = threading.local()


@contextmanager
def muted() -> Iterator[None]:
    """No messages are recorded inside (bulk imports, demo data)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def is_muted() -> bool:
    return getattr(_state, "muted", False)


def notify(
    *,
    event: str,
    recipients: Sequence[Recipient],
    context: dict,
    dedup_key: str,
    only: str | None = None,
) -> list[Notification]:
    """Record the message `event` (a template name) to each recipient, on the channels
    their preferences choose (`only`: that channel alone), once per `dedup_key`.

    Call it inside the transaction of the event; it returns the rows it added."""
    template = TEMPLATES[event]
    if is_muted() or not recipients:
        return []
    chosen = deliveries([r.user_id for r in recipients], template.kind)
    rows = []
    for recipient in {r.key: r for r in recipients}.values():
        kinds = channels_for(recipient, template.kind, chosen.get(recipient.user_id))
        if only is not None:
            kinds = (
                [only] if (recipient.phone if only == ChannelKind.SMS else recipient.email) else []
            )
        for kind in kinds:
            rows.append(
                Notification(
                    template=event,
                    event_key=dedup_key,
                    recipient=recipient.key,
                    channel=kind,
                    user_id=recipient.user_id,
                    email=recipient.email if kind == ChannelKind.EMAIL else "",
                    phone=recipient.phone if kind == ChannelKind.SMS else "",
                    language=recipient.language,
                    context=context,
                )
            )
    return _insert(rows)


_NEW = sql.NewRows(Notification)
_KEY = ("event_key", "recipient", "channel")


# The unique constraint refuses a message recorded before (by a retried job, a repeated
# event, or another transaction at the same moment, whose rows are then the ones sent):
# ON CONFLICT skips those rows in the one statement, where an ORM insert would need a
# savepoint to survive the refusal and a second read to insert the others. Each row
# inserted leaves its sending job in the outbox in the same statement.
@sql.statement("notifications.record", uses=(sql.index(Notification, *_KEY),))
def _record_sql() -> str:
    key = ", ".join(sql.column(Notification, name) for name in _KEY)
    jobs = outbox.jobs_for(
        "added",
        kwargs="jsonb_build_object('notification_id', added.id)",
        dedup_key="'notification:' || added.id",
    )
    return f"""
WITH added AS (
    {_NEW.insert()}
    ON CONFLICT ({key}) DO NOTHING
    RETURNING {sql.column(Notification, "pk")} AS id, {key}
), jobs AS ({jobs})
SELECT added.*, jobs.id
  FROM added LEFT JOIN jobs ON (jobs.kwargs ->> 'notification_id')::bigint = added.id
"""


def record_parameters(rows: Sequence[Notification]) -> list:
    """Each column's values, as the model saves them (defaults, the creation time), and
    the sending jobs'."""
    return [*_NEW.parameters(rows), *outbox.job_parameters(SEND_TASK)]


def _insert(rows: list[Notification]) -> list[Notification]:
    """The rows inserted, each with its sending job; those recorded before are left out."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_record_sql(), record_parameters(rows))
        added = {tuple(found): (pk, job) for pk, *found, job in cursor.fetchall()}
    created = []
    for row in rows:
        pk, job = added.get((row.event_key, row.recipient, row.channel), (None, None))
        if pk is None:
            continue
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias
        created.append(row)
        if job is not None:
            outbox.publish_after_commit(job, SEND_TASK, {"notification_id": pk})
    return created


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) in the recipient's language; the SMS text for SMS."""
    template = TEMPLATES[notification.template]
    context = notification.context
    with translation.override(notification.language):
        subject = str(template.subject) % context
        if notification.channel == ChannelKind.SMS:
            return subject, fit_sms(str(template.sms), context)
        return subject, str(template.body) % context


@dataclass(frozen=True)
class Outcome:
    """What a sending task does next: nothing (`retry_in` None) or run again later."""

    sent: bool = False
    retry_in: float | None = None


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _claim(notification_id: int, now) -> bool:
    lease = now - timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    due = Q(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=NotificationStatus.SENDING, claimed_at__lt=lease)
    return bool(
        Notification.objects.filter(due | abandoned, pk=notification_id).update(
            status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _not_claimed(notification_id: int, now) -> Outcome:
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None or row.status in (NotificationStatus.SENT, NotificationStatus.FAILED):
        return Outcome()
    if row.status == NotificationStatus.PENDING:
        return Outcome(retry_in=max((row.next_attempt_at - now).total_seconds(), 1.0))
    lease_end = row.claimed_at + timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    return Outcome(retry_in=max((lease_end - now).total_seconds(), 1.0))


def _wiped(notification: Notification, final: bool) -> dict:
    return {"context": {}} if final and notification.template in SECRET_TEMPLATES else {}


def _expired(notification: Notification, now) -> bool:
    setting = EXPIRING_TEMPLATES.get(notification.template)
    if setting is None:
        return False
    return notification.created + timedelta(seconds=getattr(settings, setting)) <= now


def deliver(*, notification_id: int) -> Outcome:
    """Send one notification once (see the module's docstring). Runs outside any
    transaction: each step commits on its own."""
    now = timezone.now()
    if not _claim(notification_id, now):
        return _not_claimed(notification_id, now)
    notification = Notification.objects.get(pk=notification_id)
    mine = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.SENDING, claimed_at=now
    )
    if _expired(notification, now):
        mine.update(
            status=NotificationStatus.FAILED,
            last_error="expired before it could be sent",
            **_wiped(notification, True),
        )
        return Outcome()
    subject, text = render(notification)
    to = notification.phone if notification.channel == ChannelKind.SMS else notification.email
    message = channels.Message(to=to, subject=subject, text=text, reference=str(notification.pk))
    try:
        reference = channels.for_kind(notification.channel).send(message)
    except channels.ChannelError as exc:
        final = not exc.temporary or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        wait = _backoff(notification.attempts)
        mine.update(
            status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
            last_error=str(exc)[:2000],
            next_attempt_at=now + wait,
            **_wiped(notification, final),
        )
        return Outcome(retry_in=None if final else wait.total_seconds())
    mine.update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        provider_ref=reference[:100],
        **_wiped(notification, True),
    )
    return Outcome(sent=True)


@transaction.atomic
def set_preference(*, actor, kind: str, delivery: str) -> None:
    """How `actor` wants `kind` of message (AUTO: back to the kind's default).
    Transactional kinds cannot be turned off."""
    from django.utils.translation import gettext_lazy as _

    from marketplace.core.errors import DomainError, ErrorCode
    from marketplace.notifications.models import Delivery, NotificationPreference
    from marketplace.notifications.templates_text import KINDS, OPTIONAL_KINDS

    if not getattr(actor, "is_authenticated", False):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, None)
    if kind not in KINDS:
        raise DomainError.of(ErrorCode.INVALID, "kind")
    if delivery != AUTO and delivery not in Delivery.values:
        raise DomainError.of(ErrorCode.INVALID, "delivery")
    if delivery == Delivery.OFF and kind not in OPTIONAL_KINDS:
        raise DomainError.of(
            ErrorCode.INVALID, "delivery", _("Messages about your orders cannot be turned off.")
        )
    if delivery == AUTO:
        NotificationPreference.objects.filter(user_id=actor.pk, kind=kind).delete()
        return
    NotificationPreference.objects.update_or_create(
        user_id=actor.pk, kind=kind, defaults={"delivery": delivery}
    )


def record_sms_delivery_reports(*, within: timedelta = timedelta(days=1), limit: int = 200) -> int:
    """Ask the SMS provider what became of messages sent within `within` whose fate is
    not known yet; record it. Returns how many were recorded. A provider without delivery
    reports (the development file outbox) or one that fails leaves them for next time."""
    sms = channels.sms()
    if not hasattr(sms, "delivery_reports"):
        return 0
    now = timezone.now()
    waiting = dict(
        Notification.objects.filter(
            channel=ChannelKind.SMS,
            status=NotificationStatus.SENT,
            delivery_report="",
            sent_at__gte=now - within,
        )
        .exclude(provider_ref="")
        .order_by("delivery_checked_at", "sent_at")
        .values_list("provider_ref", "pk")[:limit]
    )
    if not waiting:
        return 0
    Notification.objects.filter(pk__in=waiting.values()).update(delivery_checked_at=now)
    try:
        reports = sms.delivery_reports(list(waiting))
    except channels.ChannelError:
        return 0
    for reference, report in reports.items():
        if reference in waiting:
            Notification.objects.filter(pk=waiting[reference]).update(delivery_report=report)
    return len(reports)
