import graphene
from graphene import relay

from marketplace.api.core.i18n import localized
from marketplace.api.core.types import ModelObjectType
from marketplace.channels.models import Channel as ChannelModel


class Channel(ModelObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.String(required=True)

    class Meta:
        model = ChannelModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: ChannelModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @classmethod
    def get_node(cls, info, id):
        return ChannelModel.objects.filter(pk=id, is_active=True).first()
