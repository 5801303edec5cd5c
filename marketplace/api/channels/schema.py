import graphene

from marketplace.api.channels.types import Channel
from marketplace.channels import selectors


class ChannelQueries(graphene.ObjectType):
    channels = graphene.List(graphene.NonNull(Channel), required=True)

    @staticmethod
    def resolve_channels(root, info):
        return selectors.active_channels()
