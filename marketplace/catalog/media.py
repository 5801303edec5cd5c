from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction


def delete_files_on_commit(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)
