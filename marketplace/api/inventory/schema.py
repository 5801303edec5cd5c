import graphene

from marketplace.api.core.ids import get_optional_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.inventory.types import Warehouse
from marketplace.inventory import services
from marketplace.locations.models import Village
from marketplace.sellers.models import Cooperative, Seller


class WarehouseInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    cooperative = graphene.ID()
    seller = graphene.ID()
    village = graphene.ID()
    address = graphene.String()


class WarehouseMutation(Payload):
    warehouse = graphene.Field(Warehouse)


class WarehouseCreate(BaseMutation):
    class Meta:
        output = WarehouseMutation

    class Arguments:
        input = WarehouseInput(required=True)

    @classmethod
    def perform(cls, info, input):
        cooperative = get_optional_instance(
            Cooperative.objects.filter(is_active=True),
            input.get("cooperative"),
            "Cooperative",
            field="cooperative",
        )
        seller = get_optional_instance(
            Seller.objects.all(), input.get("seller"), "Seller", field="seller"
        )
        village = get_optional_instance(
            Village.objects.all(), input.get("village"), "Village", field="village"
        )
        warehouse = services.create_warehouse(
            actor=info.context.user,
            name=input.get("name"),
            cooperative=cooperative,
            seller=seller,
            village=village,
            address=input.get("address"),
        )
        return WarehouseMutation.ok(warehouse=warehouse)


class InventoryMutations(graphene.ObjectType):
    warehouse_create = WarehouseCreate.Field()
