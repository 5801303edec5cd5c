"""Signals of the locations app, for code that copies its names elsewhere."""

from django.dispatch import Signal

# Sent after villages were renamed in bulk (bulk_update sends no post_save), with
# `village_ids`: the villages whose name or English name changed.
villages_renamed = Signal()
