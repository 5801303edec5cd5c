"""Celery beat's schedule: the periodic tasks, and how often each runs (seconds)."""

import os

SCHEDULE = {
    "auto-complete-orders": {
        "task": "marketplace.logistics.tasks.auto_complete_orders",
        "schedule": 3600.0,
    },
    "poll-tracking": {
        "task": "marketplace.logistics.tasks.poll_tracking",
        "schedule": float(os.environ.get("TRACKING_POLL_SECONDS", "900")),
    },
    "expire-unpaid-orders": {
        "task": "marketplace.orders.tasks.expire_unpaid_orders",
        "schedule": 60.0,
    },
    "reconcile-pending-payments": {
        "task": "marketplace.payments.tasks.reconcile_pending_payments",
        "schedule": 300.0,
    },
    "reconcile-pending-refunds": {
        "task": "marketplace.payments.tasks.reconcile_pending_refunds",
        "schedule": 300.0,
    },
    "retry-owed-return-refunds": {
        "task": "marketplace.returns.tasks.retry_owed_refunds",
        "schedule": 600.0,
    },
    "delete-orphaned-return-photos": {
        "task": "marketplace.returns.tasks.delete_orphaned_return_photos",
        "schedule": 21600.0,
    },
    "delete-abandoned-checkouts": {
        "task": "marketplace.checkout.tasks.delete_abandoned_checkouts",
        "schedule": 3600.0,
    },
    "queue-missing-thumbnails": {
        "task": "marketplace.catalog.tasks.queue_missing_thumbnails",
        "schedule": 900.0,
    },
    "delete-orphaned-media-files": {
        "task": "marketplace.catalog.tasks.delete_orphaned_media_files",
        "schedule": 86400.0,
    },
    "run-payouts": {
        "task": "marketplace.ledger.tasks.run_weekly_payouts",
        "schedule": 3600.0,
    },
    "reconcile-gateways": {
        "task": "marketplace.ledger.tasks.reconcile_yesterday",
        "schedule": 86400.0,
    },
    "delete-expired-reservations": {
        "task": "marketplace.inventory.tasks.delete_expired_reservations",
        "schedule": 600.0,
    },
    "dispatch-outbox": {
        "task": "marketplace.core.tasks.dispatch_due_jobs",
        "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30")),
    },
    "delete-old-login-codes": {
        "task": "marketplace.accounts.tasks.delete_old_login_codes",
        "schedule": 86400.0,
    },
    "purge-done-jobs": {
        "task": "marketplace.core.tasks.purge_done_jobs",
        "schedule": 86400.0,
    },
    "sms-delivery-reports": {
        "task": "marketplace.notifications.tasks.record_sms_delivery_reports",
        "schedule": 600.0,
    },
    "purge-throttle-counts": {
        "task": "marketplace.core.tasks.purge_throttle_counts",
        "schedule": 3600.0,
    },
}
