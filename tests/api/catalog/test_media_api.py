"""productMediaCreate / productMediaDelete through the real /graphql/ endpoint, the file
sent as the graphql-multipart-request-spec says: an `operations` part (the query, with
null where the file goes), a `map` part (which file goes where) and the file part."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from marketplace.accounts.tokens import create_access_token
from marketplace.catalog.models import ProductMedia
from tests.builders import images
from tests.builders.images import stored_files
from tests.support import gid

pytestmark = pytest.mark.django_db

CREATE = """
mutation AddPhoto($input: ProductMediaCreateInput!) {
  productMediaCreate(input: $input) {
    media { id alt url small: url(size: 240) }
    product { id media { id alt } thumbnail(size: 120) { url alt } }
    errors { field code message }
  }
}
"""
DELETE = """
mutation DeletePhoto($id: ID!) {
  productMediaDelete(id: $id) {
    media { id }
    product { id media { id } }
    errors { field code message }
  }
}
"""


def upload_photo(
    client: Client,
    product,
    data: bytes,
    *,
    user=None,
    name: str = "photo.jpg",
    content_type: str = "image/jpeg",
    alt: str | None = None,
) -> dict:
    operations = {
        "query": CREATE,
        "operationName": "AddPhoto",
        "variables": {"input": {"product": gid("Product", product.pk), "image": None, "alt": alt}},
    }
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_access_token(user)}"
    response = client.post(
        "/graphql/",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.image"]}),
            "0": images.upload(data, name, content_type),
        },
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["productMediaCreate"]


def test_a_seller_uploads_a_photo(client, product, media_root):
    result = upload_photo(
        client, product, images.jpeg_with_gps(800, 400), user=product.seller.owner, alt="سرگل"
    )
    assert result["errors"] == []
    media = ProductMedia.objects.get(product=product)
    assert result["media"]["id"] == gid("ProductMedia", media.pk)
    assert result["media"]["alt"] == "سرگل"
    # No thumbnails yet: every size is the original.
    assert result["media"]["url"] == result["media"]["small"]
    assert result["media"]["url"].endswith(media.image.name)
    assert result["product"]["id"] == gid("Product", product.pk)
    assert result["product"]["media"] == [{"id": result["media"]["id"], "alt": "سرگل"}]
    assert result["product"]["thumbnail"] == {"url": result["media"]["url"], "alt": "سرگل"}
    assert stored_files(media_root) == [media.image.name]
    assert media.width == 800


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (images.pdf(), "invoice.jpg", "image/jpeg"),
        (images.gif(), "animation.gif", "image/gif"),
        (images.truncated_jpeg(), "cut.jpg", "image/jpeg"),
    ],
)
def test_what_is_not_a_photo_answers_invalid_image(
    client, product, media_root, data, name, content_type
):
    result = upload_photo(
        client, product, data, user=product.seller.owner, name=name, content_type=content_type
    )
    assert result["media"] is None and result["product"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("image", "INVALID")]
    assert "JPEG, PNG or WebP" in result["errors"][0]["message"]
    assert not ProductMedia.objects.exists()
    assert stored_files(media_root) == []


def test_a_bomb_answers_with_the_pixel_limit(client, product, media_root, bomb_png):
    result = upload_photo(
        client, product, bomb_png, user=product.seller.owner, name="x.png", content_type="image/png"
    )
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("image", "INVALID")]
    assert "40 megapixels" in result["errors"][0]["message"]
    assert stored_files(media_root) == []


def test_only_the_products_editors_may_upload(client, product, seller_b, media_root):
    photo = images.encode(images.two_halves(40, 20), "PNG")
    result = upload_photo(client, product, photo, user=seller_b.owner, name="p.png")
    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    # An anonymous upload is refused before it is read (tests/api/test_upload_refusal.py).
    anonymous = client.post("/graphql/", {"operations": "{}", "map": "{}", "0": photo})
    assert anonymous.status_code == 403
    assert stored_files(media_root) == []


def test_a_photo_is_deleted_with_its_files(
    client, product, seller_b, media_root, api, django_capture_on_commit_callbacks
):
    result = upload_photo(client, product, images.jpeg_with_gps(), user=product.seller.owner)
    media_id = result["media"]["id"]

    denied = api(DELETE, {"id": media_id}, user=seller_b.owner)["data"]["productMediaDelete"]
    assert [e["code"] for e in denied["errors"]] == ["PERMISSION_DENIED"]
    assert len(stored_files(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        body = api(DELETE, {"id": media_id}, user=product.seller.owner)
    deleted = body["data"]["productMediaDelete"]
    assert deleted["errors"] == []
    assert deleted["media"] == {"id": media_id}
    assert deleted["product"]["media"] == []
    assert not ProductMedia.objects.exists()
    assert stored_files(media_root) == []
