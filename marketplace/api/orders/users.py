"""The resolver of the orders' field on the User type, `User.orders`.

The User type declares the field and names the Order type by import string (the order
types import the account types); the reading stays here, with the orders.
"""

from __future__ import annotations

from marketplace.accounts.models import User as UserModel
from marketplace.api.core.connection import paginate
from marketplace.orders import permissions, selectors


def resolve_user_orders(root: UserModel, info, first=None, after=None):
    """`User.orders`: the user's orders, for themselves and platform staff."""
    viewer = info.context.user
    if not permissions.is_signed_in(viewer) or (
        viewer.pk != root.pk and not permissions.is_platform_viewer(viewer)
    ):
        return paginate([], first=first, after=after)
    return paginate(selectors.orders_by_user([root.pk]), first=first, after=after)
