import graphene

from marketplace.api.core.mutations import BaseMutation
from marketplace.notifications import selectors, services
from marketplace.notifications.templates_text import KIND_LABELS


class NotificationPreference(graphene.ObjectType):
    kind = graphene.String(required=True)
    label = graphene.String(required=True)
    delivery = graphene.String(
        required=True, description="SMS, EMAIL, BOTH, OFF, or AUTO (the default: one message)."
    )
    optional = graphene.Boolean(required=True, description="False: cannot be turned off.")


def _preferences(user) -> list[NotificationPreference]:
    return [
        NotificationPreference(
            kind=kind, label=str(KIND_LABELS[kind]), delivery=delivery, optional=optional
        )
        for kind, delivery, optional in selectors.preferences(user)
    ]


class NotificationPreferenceUpdate(BaseMutation):
    preferences = graphene.List(
        graphene.NonNull(NotificationPreference),
        description="Every kind of message with its delivery; null when the update failed.",
    )

    class Arguments:
        kind = graphene.String(required=True)
        delivery = graphene.String(
            required=True, description="SMS, EMAIL, BOTH, OFF, or AUTO (back to the default)."
        )

    @classmethod
    def perform(cls, info, kind, delivery):
        user = info.context.user
        services.set_preference(actor=user, kind=kind, delivery=delivery)
        return cls.ok(preferences=_preferences(user))


class NotificationQueries(graphene.ObjectType):
    notification_preferences = graphene.List(
        graphene.NonNull(NotificationPreference),
        required=True,
        description="The signed-in user's choices per kind of message.",
    )

    @staticmethod
    def resolve_notification_preferences(root, info):
        user = info.context.user
        return _preferences(user) if user.is_authenticated else []


class NotificationMutations(graphene.ObjectType):
    notification_preference_update = NotificationPreferenceUpdate.Field()
