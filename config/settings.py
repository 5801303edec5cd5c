"""Settings, read from the environment (12-factor).

With no environment at all the project runs on one machine: the launcher
(`config.launcher`) starts an embedded PostgreSQL and exports DATABASE_URL before
Django starts, sets BAZARCHEH_DEV=1 and picks a broker that needs no server.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import beat, redis_clients
from config.services import embedded_redis_dir, embedded_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_MODE = env_bool("BAZARCHEH_DEV")
DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("BAZARCHEH_TESTING")
# Serves bench/floor.py, the benchmark's plain-Django baseline; never in production.
BENCH_FLOOR = env_bool("BAZARCHEH_BENCH_FLOOR")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEV_MODE or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set outside the development launcher.")
    SECRET_KEY = "bazarcheh-development-only-secret-key-not-for-production-use"

DATA_DIR = Path(os.environ.get("BAZARCHEH_DATA_DIR", BASE_DIR / ".data")).resolve()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if (DEV_MODE or TESTING) else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "csp",
    "axes",
    "marketplace.core",
    "marketplace.accounts",
    "marketplace.channels",
    "marketplace.locations",
    "marketplace.sellers",
    "marketplace.catalog",
    "marketplace.inventory",
    "marketplace.shipping",
    "marketplace.discounts",
    "marketplace.checkout",
    "marketplace.orders",
    "marketplace.payments",
    "marketplace.ledger",
    "marketplace.logistics",
    "marketplace.notifications",
    "marketplace.returns",
    "marketplace.demo",
    "marketplace.site",
    "marketplace.reviews",
    "storefront",
]

MIDDLEWARE = [
    # Behind reverse proxies: the visitor's address, not the proxy's (TRUSTED_PROXY_COUNT).
    "config.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed for weak mobile connections; Django adds random
    # padding to gzipped responses against BREACH, and masks CSRF tokens per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A database that cannot be reached answers 503 (JSON for the API), not 500.
    "config.outage.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.api.core.auth.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "storefront.notfound.ShopNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers a locked-out admin sign-in (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "storefront.context.site",
            ],
        },
    },
]

# --- database
DATABASE_URL = os.environ.get("DATABASE_URL", "")


if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Start the project with `make run` / `make test`, which "
        "start an embedded PostgreSQL, or point DATABASE_URL at a PostgreSQL server."
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Bazarcheh runs on PostgreSQL only.")
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {
        "server_side_binding": True,
        "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5")),
        # SSD storage: index scans are cheap, which keeps broad searches on the GIN index.
        "options": os.environ.get("DB_OPTIONS", "-c random_page_cost=1.1"),
    }
)
# Statements that mutations run again and again are prepared on the server after this
# many runs (marketplace.core.db.prepared_statements); "" turns that off, as behind a
# transaction-mode connection pooler.
_prepare_threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip()
DB_PREPARE_THRESHOLD = int(_prepare_threshold) if _prepare_threshold else None
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_bazarcheh")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts
AUTH_USER_MODEL = "accounts.User"
# E-mail is unique case-insensitively (a functional constraint the check cannot see).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "marketplace.accounts.backends.AdminLockoutBackend",
    "marketplace.accounts.backends.EmailOrPhoneBackend",
]
# The admin's sign-in form (django-axes): failures counted in the database, per client
# address and per account; a lockout ends after the cool-off whatever is tried during it.
AXES_ONLY_ADMIN_SITE = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# The admin form's field (the account's USERNAME_FIELD, which axes would read, is email).
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ADMIN_SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# tokenCreate: failed tries an hour, per account and per client address (counted in the
# "throttle" cache, shared by every web process).
SIGN_IN_FAILURES_PER_ACCOUNT_HOUR = int(os.environ.get("SIGN_IN_FAILURES_PER_ACCOUNT_HOUR", "10"))
SIGN_IN_FAILURES_PER_CLIENT_HOUR = int(os.environ.get("SIGN_IN_FAILURES_PER_CLIENT_HOUR", "50"))
# Account registrations tried per client address an hour.
REGISTER_PER_CLIENT_HOUR = int(os.environ.get("REGISTER_PER_CLIENT_HOUR", "20"))
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at production cost makes each test login ~50 ms; the algorithm is the same.
    PASSWORD_HASHERS = ["marketplace.accounts.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JWT_ACCESS_TTL = timedelta(minutes=int(os.environ.get("JWT_ACCESS_TTL_MINUTES", "30")))
JWT_REFRESH_TTL = timedelta(days=int(os.environ.get("JWT_REFRESH_TTL_DAYS", "30")))
DEFAULT_PHONE_REGION = os.environ.get("DEFAULT_PHONE_REGION", "IR")

# --- language
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tehran")
USE_TZ = True

# --- static and media files
STATIC_URL = "/static/"
# The storefront calls the API in process unless this names a /graphql/ endpoint.
STOREFRONT_API_URL = os.environ.get("STOREFRONT_API_URL", "")
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# Third-party assets built from the npm packages by `python -m storefront.assets` (make).
STATICFILES_DIRS = [path for path in [BASE_DIR / ".assets" / "static"] if path.is_dir()]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {}}
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# --- Content-Security-Policy (django-csp): the pages run only the site's own scripts
# (and Stripe's on the card page); an injected script or an inline handler does not run.


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Photos come from the media store's own address: an absolute MEDIA_URL, the S3
# endpoint (an S3-compatible server in the compose file), or AWS's https hosts.
_MEDIA_ORIGINS = sorted(
    {
        origin
        for origin in (
            _origin(MEDIA_URL),
            *(
                (_origin(os.environ.get("AWS_S3_ENDPOINT_URL")), "https:")
                if AWS_STORAGE_BUCKET_NAME
                else ()
            ),
        )
        if origin
    }
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "https://js.stripe.com", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}
# GraphiQL, introspection (__schema, __type) and "Did you mean" suggestions: for
# development; in production they only map the API for an attacker.
GRAPHIQL = env_bool("GRAPHIQL", default=DEV_MODE or TESTING)
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", default=DEV_MODE or TESTING)
GRAPHQL_SUGGESTIONS = env_bool("GRAPHQL_SUGGESTIONS", default=DEV_MODE or TESTING)
if GRAPHIQL:
    # GraphiQL's page loads its scripts from a CDN and runs inline ones.
    CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] = ["/graphql/"]

STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- cache and background work
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or REDIS_URL
if not CELERY_BROKER_URL:
    # Only the launcher starts the embedded Redis; elsewhere jobs would wait unsent.
    if not (DEV_MODE or TESTING):
        raise ImproperlyConfigured(
            "REDIS_URL or CELERY_BROKER_URL must be set outside the development launcher."
        )
    CELERY_BROKER_URL = embedded_redis_url(embedded_redis_dir(testing=TESTING, root=DATA_DIR))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "bazarcheh")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks are idempotent: one stopped at its time limit runs again (next period, outbox sweep).
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "540"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "600"))
# The longest countdown before a retry: a worker holds the message unacknowledged meanwhile.
TASK_MAX_COUNTDOWN_SECONDS = 300
# Redis hands out again a message not acknowledged after the longest countdown and run plus
# 5 minutes: a live worker's task never runs twice, a killed worker's run within 20 minutes.
BROKER_VISIBILITY_TIMEOUT_SECONDS = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT_SECONDS", 0)) or (
    TASK_MAX_COUNTDOWN_SECONDS + CELERY_TASK_TIME_LIMIT + 300
)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "redis+socket://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # and expired messages looked for every 10 s, not 100
        **redis_clients.BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS,
        "unacked_restore_throttle": 1,
    }
CELERY_TIMEZONE = TIME_ZONE
CHECKOUT_RESERVATION_MINUTES = int(os.environ.get("CHECKOUT_RESERVATION_MINUTES", "15"))
UNPAID_ORDER_EXPIRY_MINUTES = int(os.environ.get("UNPAID_ORDER_EXPIRY_MINUTES", "30"))
CHECKOUT_ABANDONED_DAYS = int(os.environ.get("CHECKOUT_ABANDONED_DAYS", "30"))
# What one checkout, one client and one guest may hold (issue: stock held hostage).
# Units of one product in a checkout, and units in all.
CHECKOUT_MAX_LINE_QUANTITY = int(os.environ.get("CHECKOUT_MAX_LINE_QUANTITY", "100"))
CHECKOUT_MAX_UNITS = int(os.environ.get("CHECKOUT_MAX_UNITS", "300"))
# Writes renew a checkout's holds, but never past this long after its first hold.
CHECKOUT_MAX_HOLD_MINUTES = int(os.environ.get("CHECKOUT_MAX_HOLD_MINUTES", "60"))
# Anonymous checkouts one client address may create within CHECKOUT_MAX_HOLD_MINUTES: so
# at most this many checkouts' holds of one client are alive at once.
CHECKOUT_CREATE_PER_CLIENT = int(os.environ.get("CHECKOUT_CREATE_PER_CLIENT", "30"))
# Guest orders confirmed without payment (cash on delivery) hold stock until they ship:
# at most this many open per phone, and placed per client address a day.
GUEST_UNPAID_ORDERS_PER_PHONE = int(os.environ.get("GUEST_UNPAID_ORDERS_PER_PHONE", "2"))
GUEST_UNPAID_ORDERS_PER_CLIENT_DAY = int(os.environ.get("GUEST_UNPAID_ORDERS_PER_CLIENT_DAY", "10"))
# --- payments (see README "Payments" for a real Zarinpal merchant and Stripe account)
# The site's origin as buyers' browsers reach it, e.g. https://bazarcheh.ir: gateways
# send buyers back to callback URLs under it. Empty: relative URLs (sandbox only).
PAYMENT_PUBLIC_URL = os.environ.get("PAYMENT_PUBLIC_URL", "").rstrip("/")
SHAPARAK_MERCHANT_ID = os.environ.get("SHAPARAK_MERCHANT_ID", "")
SHAPARAK_API_BASE = os.environ.get("SHAPARAK_API_BASE", "https://payment.zarinpal.com")
SHAPARAK_STARTPAY_BASE = os.environ.get("SHAPARAK_STARTPAY_BASE", "https://payment.zarinpal.com")
SHAPARAK_TIMEOUT_SECONDS = float(os.environ.get("SHAPARAK_TIMEOUT_SECONDS", "10"))
# Zarinpal reverses a verified payment within 30 minutes; later refunds are owed.
SHAPARAK_REVERSE_MINUTES = int(os.environ.get("SHAPARAK_REVERSE_MINUTES", "30"))
# The built-in sandbox gateway: on for `make run` and the demo, off in production (tests
# switch it on where they use it).
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", default=DEV_MODE and not TESTING)
# Empty: the sandbox adapter reaches the sandbox's views in-process; a URL (e.g.
# http://127.0.0.1:8000/payments/sandbox) sends its requests over HTTP instead.
SANDBOX_API_BASE = os.environ.get("SANDBOX_API_BASE", "").rstrip("/")
# Where buyers' browsers open the sandbox's payment page when it runs as a server of its
# own, as a real gateway does (bench/checkout_bench.py); empty: under PAYMENT_PUBLIC_URL.
SANDBOX_PUBLIC_URL = os.environ.get("SANDBOX_PUBLIC_URL", "").rstrip("/")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Empty: Stripe's own API; tests point it at a local Stripe-protocol server.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "300"))
# PENDING payments older than this are settled by asking their gateway.
PAYMENT_RECONCILE_AFTER_MINUTES = int(os.environ.get("PAYMENT_RECONCILE_AFTER_MINUTES", "20"))
# Money (marketplace.ledger): the platform's commission on line totals (a category may
# override it), and the weekly payout run: weekday (0 = Monday … 5 = Saturday), the
# smallest amount paid out per currency, and how many days money stays before it is paid.
LEDGER_COMMISSION_RATE = os.environ.get("LEDGER_COMMISSION_RATE", "0.10")
PAYOUT_WEEKDAY = int(os.environ.get("PAYOUT_WEEKDAY", "5"))
PAYOUT_MINIMUM = {
    "IRR": os.environ.get("PAYOUT_MINIMUM_IRR", "1000000"),
    "USD": os.environ.get("PAYOUT_MINIMUM_USD", "20"),
}
PAYOUT_HOLD_DAYS = int(os.environ.get("PAYOUT_HOLD_DAYS", "7"))
# The font of the Persian PDF statements (built into .assets by `python -m storefront.assets`).
LEDGER_PDF_FONT = os.environ.get(
    "LEDGER_PDF_FONT",
    str(BASE_DIR / ".assets" / "static" / "storefront" / "fonts" / "vazirmatn-regular.woff2"),
)
PAYOUT_BANK_FILE_WRITER = "integrations.payouts.paya.write"
PAYOUT_TRANSFER_PROVIDER = "integrations.payouts.stripe_connect.StripeConnect"
PAYOUT_STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_development")
PAYOUT_STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
# --- fulfilment: carriers by id (see marketplace.logistics.carriers)
CARRIER_TIMEOUT_SECONDS = float(os.environ.get("CARRIER_TIMEOUT_SECONDS", "10"))
ORDER_AUTO_COMPLETE_DAYS = int(os.environ.get("ORDER_AUTO_COMPLETE_DAYS", "7"))
# Returns (marketplace.returns): days after delivery a buyer may ask for a return (a
# category's ReturnPolicy may say otherwise), and days after a rejection to dispute it.
RETURN_WINDOW_DAYS = int(os.environ.get("RETURN_WINDOW_DAYS", "7"))
RETURN_DISPUTE_DAYS = int(os.environ.get("RETURN_DISPUTE_DAYS", "3"))
# A refund a return owes that could not be made is tried again after this many minutes.
RETURN_REFUND_RETRY_MINUTES = int(os.environ.get("RETURN_REFUND_RETRY_MINUTES", "15"))
# Refusals of a return's refund before it is held for platform staff and no longer tried.
RETURN_REFUND_MAX_TRIES = int(os.environ.get("RETURN_REFUND_MAX_TRIES", "8"))
LOGISTICS_CARRIERS = {
    "post": {
        "class": "integrations.logistics.post.NationalPost",
        "base_url": os.environ.get("POST_API_URL", "http://127.0.0.1:8710"),
        "api_key": os.environ.get("POST_API_KEY", ""),
        "webhook_secret": os.environ.get("POST_WEBHOOK_SECRET", ""),
        "poll": env_bool("POST_POLL"),
        "timeout": CARRIER_TIMEOUT_SECONDS,
    },
    "courier": {
        "class": "integrations.logistics.courier.Courier",
        "base_url": os.environ.get("COURIER_API_URL", "http://127.0.0.1:8711"),
        "api_key": os.environ.get("COURIER_API_KEY", ""),
        "webhook_secret": os.environ.get("COURIER_WEBHOOK_SECRET", ""),
        "poll": env_bool("COURIER_POLL", default=True),
        "timeout": CARRIER_TIMEOUT_SECONDS,
    },
}
LOGISTICS_KIND_CARRIERS = {"POST": "post", "COURIER": "courier"}

CELERY_BEAT_SCHEDULE = beat.SCHEDULE

# The outbox (marketplace/core/outbox.py) publishes a job again when no task has
# reported it done this long after it was last published, doubling each time.
OUTBOX_RESEND_AFTER_SECONDS = int(os.environ.get("OUTBOX_RESEND_AFTER_SECONDS", "120"))
OUTBOX_MAX_DISPATCHES = int(os.environ.get("OUTBOX_MAX_DISPATCHES", "20"))
# After a publish fails, a process leaves the broker alone this long (the sweep sends).
OUTBOX_PUBLISH_PAUSE_SECONDS = int(os.environ.get("OUTBOX_PUBLISH_PAUSE_SECONDS", "15"))
# After a call to the cache's Redis fails, a process goes without it this long
# (marketplace/core/redis_guard.py).
REDIS_PAUSE_SECONDS = float(os.environ.get("REDIS_PAUSE_SECONDS", "15"))

CACHES = redis_clients.caches(REDIS_URL)

# --- e-mail
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if (DEV_MODE or TESTING)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "outbox"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bazarcheh <no-reply@bazarcheh.ir>")

# --- notifications (marketplace/notifications)
# SMS: the file outbox below unless a provider is configured.
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "integrations.notifications.kavenegar.Kavenegar"
    if os.environ.get("KAVENEGAR_API_KEY")
    else "integrations.notifications.files.FileSms",
)
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(DATA_DIR / "outbox" / "sms"))
KAVENEGAR_BASE_URL = os.environ.get("KAVENEGAR_BASE_URL", "https://api.kavenegar.com")
KAVENEGAR_API_KEY = os.environ.get("KAVENEGAR_API_KEY", "")
KAVENEGAR_SENDER = os.environ.get("KAVENEGAR_SENDER", "")
SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))
NOTIFICATION_MESSAGE_DOMAIN = os.environ.get("NOTIFICATION_MESSAGE_DOMAIN", "bazarcheh.ir")
# A message that fails is tried again after 30 s, 60 s, 120 s, … and FAILED after this many.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "6"))
NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
# A message claimed for sending this long ago by a worker that never finished is sent
# again (with the same provider reference); longer than any provider timeout.
NOTIFICATION_SEND_LEASE_SECONDS = int(os.environ.get("NOTIFICATION_SEND_LEASE_SECONDS", "300"))
# Sign-in codes by SMS: valid this long, this many tries, at most this many per phone and
# per client address an hour (counted in Redis, else in a table: marketplace/core/throttle.py).
LOGIN_CODE_TTL_SECONDS = int(os.environ.get("LOGIN_CODE_TTL_SECONDS", "120"))
LOGIN_CODE_MAX_TRIES = 5
LOGIN_CODE_PER_PHONE_HOUR = int(os.environ.get("LOGIN_CODE_PER_PHONE_HOUR", "5"))
LOGIN_CODE_PER_CLIENT_HOUR = int(os.environ.get("LOGIN_CODE_PER_CLIENT_HOUR", "20"))
LOGIN_CODE_RESEND_SECONDS = int(os.environ.get("LOGIN_CODE_RESEND_SECONDS", "60"))

# --- GraphQL
GRAPHENE = {
    "SCHEMA": "marketplace.api.schema.schema",
    # `manage.py graphql_schema` rewrites the committed snapshot of the served schema.
    "SCHEMA_OUTPUT": str(BASE_DIR / "docs" / "api" / "schema.graphql"),
    "RELAY_CONNECTION_MAX_LIMIT": 100,
}
GRAPHQL_MAX_FIRST = 100
# Limits on one request's document, checked before it runs (marketplace/api/core/limits.py).
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "16"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "20000"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "30"))
GRAPHQL_MAX_SAME_MUTATION = int(os.environ.get("GRAPHQL_MAX_SAME_MUTATION", "5"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "5000"))
# Documents costing more than GRAPHQL_COST_FREE are counted per client address: at most
# GRAPHQL_COST_BUDGET in GRAPHQL_COST_BUDGET_SECONDS (api/core/budget.py); 0 s is off,
# as in tests, whose every request comes from one address (tests/api/test_cost_budget.py).
GRAPHQL_COST_FREE = int(os.environ.get("GRAPHQL_COST_FREE", "5000"))
GRAPHQL_COST_BUDGET = int(os.environ.get("GRAPHQL_COST_BUDGET", "20000"))
GRAPHQL_COST_BUDGET_SECONDS = int(
    os.environ.get("GRAPHQL_COST_BUDGET_SECONDS", "0" if TESTING else "10")
)
# A query whose answer would be larger is answered with an error instead.
GRAPHQL_MAX_RESPONSE_BYTES = int(os.environ.get("GRAPHQL_MAX_RESPONSE_BYTES", str(4 * 1024 * 1024)))
# Anonymous catalogue reads are cached this long (and dropped at once on catalogue writes).
# Off in tests: test databases change without commits, which the invalidation follows.
API_RESPONSE_CACHE_SECONDS = int(
    os.environ.get("API_RESPONSE_CACHE_SECONDS", "0" if TESTING else "60")
)
# Anonymous answers larger than this are never kept in the response cache.
API_RESPONSE_CACHE_MAX_BYTES = int(os.environ.get("API_RESPONSE_CACHE_MAX_BYTES", str(256 * 1024)))
GRAPHQL_MAX_BODY_BYTES = int(os.environ.get("GRAPHQL_MAX_BODY_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = GRAPHQL_MAX_BODY_BYTES
# A multipart request (an upload) larger than this is refused by its Content-Length,
# before it is read: a 10 MB photo and the form around it.
GRAPHQL_MAX_UPLOAD_BYTES = int(os.environ.get("GRAPHQL_MAX_UPLOAD_BYTES", str(11 * 1024 * 1024)))

# --- security: safe unless the launcher says this is a developer's machine
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours stand in front of the web process (each appending to
# X-Forwarded-For); 0: REMOTE_ADDR is the visitor (config/proxy.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not (DEV_MODE or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not (DEV_MODE or TESTING)
CSRF_COOKIE_SECURE = not (DEV_MODE or TESTING)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if (DEV_MODE or TESTING) else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- logging: JSON lines in production, readable text on a developer's machine
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if (DEV_MODE or TESTING or DEBUG) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
