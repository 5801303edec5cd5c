import graphene
from graphene import relay

from marketplace.api.core.i18n import localized
from marketplace.api.core.types import ModelObjectType
from marketplace.locations.models import Province as ProvinceModel
from marketplace.locations.models import Village as VillageModel


class Village(ModelObjectType):
    name = graphene.String(required=True)
    county = graphene.String(required=True)
    province = graphene.String(required=True)
    is_confirmed = graphene.Boolean(
        required=True, description="False while a proposed village awaits confirmation."
    )

    class Meta:
        model = VillageModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: VillageModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_county(root: VillageModel, info) -> str:
        return localized(info, root.county.name, root.county.name_en)

    @staticmethod
    def resolve_province(root: VillageModel, info) -> str:
        province = root.county.province
        return localized(info, province.name, province.name_en)

    @classmethod
    def get_node(cls, info, id):
        return VillageModel.objects.select_related("county__province").filter(pk=id).first()


class Province(ModelObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    country = graphene.String(required=True)

    class Meta:
        model = ProvinceModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: ProvinceModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @classmethod
    def get_node(cls, info, id):
        return ProvinceModel.objects.filter(pk=id).first()
