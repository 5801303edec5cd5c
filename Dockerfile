# syntax=docker/dockerfile:1
# The storefront's third-party assets come from npm; only node_modules leaves this stage.
FROM node:20-slim AS npm-packages
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    BAZARCHEH_DATA_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Pango for WeasyPrint (packing slips, pick lists and labels as PDFs).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 bazarcheh \
    && useradd --system --uid 10001 --gid bazarcheh --home-dir /app --shell /usr/sbin/nologin bazarcheh

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps))" \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=npm-packages /build/node_modules ./node_modules
# The installed copy only registers the distribution; PYTHONPATH=/app makes every entry
# point (gunicorn, celery, manage.py) run the tree in /app, where locale/ and the
# collected static files live.
RUN pip install . \
    && rm -rf build *.egg-info

# The font subset is built from the npm package, then collected with the other static
# files. Settings refuse to load without SECRET_KEY, DATABASE_URL and a broker;
# collectstatic and the catalogues need no real secret, database or broker.
RUN python -m storefront.assets \
    && rm -rf node_modules \
    && SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgresql://build:build@127.0.0.1:1/build \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput \
    && python -c "from config.launcher import compile_translations; compile_translations()" \
    && mkdir -p /app/var \
    && chown -R bazarcheh:bazarcheh /app/var

USER bazarcheh

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py"]
