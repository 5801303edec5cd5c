"""Return photos in the S3 test store: the files of a return whose transaction failed
after they were written go with it, and the sweep removes those no row names (left by
a rollback around the return's own), never one a return names or a fresh upload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from marketplace.notifications import announce
from marketplace.returns import services
from marketplace.returns.models import ReturnPhoto, ReturnRequest
from marketplace.returns.photos import delete_orphaned_photos
from marketplace.returns.services import AskedLine
from marketplace.returns.tasks import delete_orphaned_return_photos
from tests.builders import images
from tests.s3_store import BUCKET, keys


class Failed(Exception):
    pass


def ask(buyer, order, photos: int = 2) -> ReturnRequest:
    uploads = [
        SimpleUploadedFile(f"{n}.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
        for n in range(photos)
    ]
    line = order.lines.first()
    return services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED", photos=uploads
    )


def test_the_photos_of_a_return_that_failed_leave_the_store(bucket, monkeypatch, delivered, buyer):
    def broken(**kwargs):
        raise Failed("the transaction fails after the photos were stored")

    monkeypatch.setattr(announce, "return_opened", broken)
    with pytest.raises(Failed):
        ask(buyer, delivered)
    assert not ReturnRequest.objects.exists() and not ReturnPhoto.objects.exists()
    assert keys(bucket) == []


def test_the_sweep_removes_only_photos_no_return_names(bucket, delivered, buyer):
    kept = ask(buyer, delivered, photos=1)
    named = kept.photos.get().image.name
    # A transaction around the return's own rolls back: its rows go, its files stay.
    with pytest.raises(Failed), transaction.atomic():
        ask(buyer, delivered, photos=1)
        raise Failed
    assert ReturnPhoto.objects.count() == 1
    [left] = [key for key in keys(bucket) if key != named]
    assert left.startswith("returns/")
    bucket.put_object(Bucket=BUCKET, Key="products/2026/12/a-product-photo.jpg", Body=b"x")

    # The beat task's age: both are fresh, so an upload in flight is never touched.
    assert delete_orphaned_return_photos.apply().get() == 0
    assert delete_orphaned_photos(older_than=timedelta(hours=1)) == 0
    assert delete_orphaned_photos(older_than=timedelta(0)) == 1
    assert keys(bucket) == sorted(["products/2026/12/a-product-photo.jpg", named])
