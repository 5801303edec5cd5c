import graphene
from graphene import relay

from marketplace.api.core.types import ModelObjectType
from marketplace.inventory.models import Warehouse as WarehouseModel


class Warehouse(ModelObjectType):
    name = graphene.String(required=True)

    class Meta:
        model = WarehouseModel
        interfaces = (relay.Node,)

    @classmethod
    def get_node(cls, info, id):
        return WarehouseModel.objects.filter(pk=id).first()
