from __future__ import annotations

import graphene
from django.db import models


class ModelObjectType(graphene.ObjectType):
    """A plain ObjectType over a Django model instance (no DjangoObjectType machinery:
    its per-field cost shows in docs/PERFORMANCE.md)."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, model: type[models.Model] | None = None, **options):
        cls._model = model
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def is_type_of(cls, root, info) -> bool:
        return isinstance(root, cls._model)
