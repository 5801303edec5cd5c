"""A small, realistic catalogue for the search tests: Khorasan Razavi sellers, their
villages and cooperatives, and 78 products created through the catalogue services.

Each product is a line of PRODUCTS_TABLE: slug | seller | category slug | Persian name |
English name | description | price in rial. Names are spelt the way sellers write them (half-spaces, Persian digits);
some descriptions mention other products' words on purpose, so the tests can check
that a name match ranks above a description match."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from marketplace.locations.models import Village
from marketplace.sellers.models import Cooperative, Seller
from tests.builders.sellers import make_seller


@dataclass(frozen=True)
class SellerSpec:
    email: str
    name: str
    village: str
    cooperative: str | None


COOPERATIVES = {
    "torbat": ("تعاونی زعفران تربت حیدریه", "search-torbat-saffron"),
    "mahvelat": ("تعاونی پسته‌کاران مه‌ولات", "search-mahvelat-pistachio"),
    "khalilabad": ("تعاونی کشمش خلیل‌آباد", "search-khalilabad-raisin"),
    "kenevist": ("تعاونی فرش روستایی کنویست", "search-kenevist-rugs"),
    "neyshabur": ("تعاونی فیروزه نیشابور", "search-neyshabur-turquoise"),
}

SELLERS = {
    "saffron": SellerSpec("search-saffron@example.com", "زعفران خانواده رضایی", "کامه", "torbat"),
    "barberry": SellerSpec("search-barberry@example.com", "باغ زرشک نوری", "ریاب", None),
    "pistachio": SellerSpec(
        "search-pistachio@example.com", "پسته‌ی برادران کریمی", "خیرآباد", "mahvelat"
    ),
    "raisin": SellerSpec(
        "search-raisin@example.com", "کشمش و خشکبار حسینی", "سعدالدین", "khalilabad"
    ),
    "honey": SellerSpec("search-honey@example.com", "زنبورداری رحیمی", "کالو", None),
    "rugs": SellerSpec("search-rugs@example.com", "کارگاه بانو احمدی", "کنویست", "kenevist"),
    "turquoise": SellerSpec(
        "search-turquoise@example.com", "فیروزه‌تراشی صادقی", "معدن علیا", "neyshabur"
    ),
    "herbs": SellerSpec("search-herbs@example.com", "عطاری موسوی", "جاغرق", None),
    "dairy": SellerSpec("search-dairy@example.com", "دامداری شمخال", "شمخال", None),
    "crafts": SellerSpec("search-crafts@example.com", "صنایع دستی ابرده", "ابرده علیا", None),
    "farm": SellerSpec("search-farm@example.com", "کشاورزی یزدانی", "مزینان", None),
}

PRODUCTS_TABLE = """
sargol-mesghal | saffron | saffron | زعفران سرگل ممتاز یک مثقالی | Premium Sargol saffron, one mesghal | کلاله‌ی خالص بدون خامه، برداشت پاییز امسال از مزرعه‌های کامه. | 3200000
sargol-5g | saffron | saffron | زعفران سرگل ۵ گرمی | Sargol saffron 5 g | بسته‌ی پنج گرمی در ظرف خاتم‌کاری. | 4500000
sargol-10g | saffron | saffron | زعفران سرگل ۱۰ گرمی | Sargol saffron 10 g | بسته‌ی ده گرمی برای مصرف خانواده. | 8700000
negin-5g | saffron | saffron | زعفران نگین ۵ گرمی | Negin saffron 5 g | رشته‌های بلند و یکدست، رنگ‌دهی بالا. | 5100000
negin-25g | saffron | saffron | زعفران نگین درجه یک ۲۵ گرمی | Grade one Negin saffron 25 g | مناسب رستوران و قنادی. | 24000000
pushal | saffron | saffron | زعفران پوشال یک مثقالی | Pushal saffron, one mesghal | کلاله همراه با کمی خامه، عطر قوی. | 2600000
dasteh | saffron | saffron | زعفران دسته (دختر پیچ) | Bunch saffron (Dokhtar Pich) | کلاله و خامه‌ی کامل، بسته‌بندی سنتی. | 2300000
saffron-powder | saffron | saffron | پودر زعفران ساییده ۲ گرمی | Ground saffron powder 2 g | ساییده شده با هاون سنگی، آماده‌ی دم کردن. | 1900000
saffron-corms | saffron | saffron | پیاز زعفران برای کاشت | Saffron corms for planting | بنه‌ی درشت و سالم برای کاشت شهریور. | 1200000
saffron-rose-tea | herbs | herbs-medicinal | دمنوش زعفران و گل‌محمدی | Saffron and damask rose herbal tea | ترکیب زعفران سرگل تربت و گلبرگ گل‌محمدی. | 650000
barberry-puffy | barberry | barberry | زرشک پفکی گناباد | Puffy barberry of Gonabad | زرشک سایه‌خشک، پف‌کرده و ترش‌مزه. | 1100000
barberry-sahari | barberry | barberry | زرشک سحری | Sahari barberry | خشک شده در سحرگاه، رنگ قرمز روشن. | 950000
barberry-anari | barberry | barberry | زرشک اناری ۵۰۰ گرمی | Pomegranate barberry 500 g | دانه‌درشت با رنگ اناری، مناسب زرشک‌پلو. | 700000
barberry-cluster | barberry | barberry | زرشک خوشه‌ای | Barberry on the stem | خوشه‌های کامل زرشک، خشک شده روی شاخه. | 600000
barberry-paste | barberry | dried-fruit | رب زرشک خانگی | Homemade barberry paste | پخته شده با آتش ملایم، بدون نگهدارنده. | 450000
akbari-raw | pistachio | pistachios | پسته اکبری خام | Raw Akbari pistachio | دانه‌ی کشیده و درشت، برداشت مه‌ولات. | 6800000
akbari-salted | pistachio | pistachios | پسته‌ی اکبری شور و برشته | Salted roasted Akbari pistachio | برشته با نمک دریا. | 7200000
fandoghi-saffron | pistachio | pistachios | پسته فندقی زعفرانی | Saffron-flavoured Fandoghi pistachio | برشته با زعفران و آبلیمو. | 6500000
fandoghi-raw | pistachio | pistachios | پسته فندقی خام ۱ کیلویی | Raw Fandoghi pistachio 1 kg | دانه‌ی گرد و خندان. | 5400000
ahmadaghaei | pistachio | pistachios | پسته احمدآقایی | Ahmad Aghaei pistachio | دانه‌ی بادامی شکل با مغز سبز. | 6900000
kalleghuchi | pistachio | pistachios | پسته‌ی کله‌قوچی | Kalleh Ghouchi pistachio | درشت‌ترین پسته‌ی ایران. | 8100000
pistachio-kernel | pistachio | pistachios | مغز پسته سبز | Green pistachio kernels | مغز سبز پوست‌گرفته برای شیرینی و بستنی. | 12000000
pistachio-lemon | pistachio | pistachios | پسته شور لیمویی | Lemon salted pistachio | برشته با آبلیموی تازه. | 7000000
raisin-green | raisin | raisins | کشمش سبز کاشمر | Green raisins of Kashmar | کشمش سایه‌خشک از تاکستان‌های خلیل‌آباد. | 900000
raisin-pikami | raisin | raisins | کشمش پیکامی | Pikami raisins | کشمش سیاه و شیرین، مناسب آجیل. | 850000
raisin-tizabi | raisin | raisins | کشمش تیزابی | Tizabi golden raisins | کشمش طلایی با رنگ روشن. | 880000
raisin-sun | raisin | raisins | کشمش آفتابی | Sun-dried raisins | خشک شده زیر آفتاب پاییز. | 700000
raisin-red | raisin | raisins | کشمش قرمز پلویی | Red raisins for rice | مناسب پلو و خورش. | 750000
maviz | raisin | raisins | مویز درشت هسته‌دار | Large seeded raisins (maviz) | کشمش درشت و هسته‌دار سنتی. | 980000
mulberry | raisin | dried-fruit | توت خشک سفید | Dried white mulberries | توت سفید آفتاب‌خشک. | 800000
fig | raisin | dried-fruit | انجیر خشک | Dried figs | انجیر شیرین باغ‌های خلیل‌آباد. | 1300000
jujube | raisin | dried-fruit | عناب خشک | Dried jujube | عناب درشت قرمز برای دمنوش. | 1000000
apricot | raisin | dried-fruit | برگه‌ی زردآلو | Dried apricot slices | برگه‌ی ترش و شیرین. | 1150000
plum | raisin | dried-fruit | آلو بخارا | Bukhara plums | آلوی خشک برای خورش. | 720000
honey-gavan | honey | honey | عسل گون طبیعی کلات | Natural astragalus honey of Kalat | عسل شفاف از دامنه‌های کلات. | 2900000
honey-thyme | honey | honey | عسل آویشن | Thyme honey | زنبورها در دشت آویشن کوهی. | 3100000
honey-multi | honey | honey | عسل چندگیاه کوهی | Mountain wildflower honey | شهد گل‌های کوهستان. | 2400000
honeycomb | honey | honey | عسل با موم ۱ کیلویی | Honeycomb honey 1 kg | قاب کامل عسل با موم طبیعی. | 3500000
honey-coriander | honey | honey | عسل گشنیز | Coriander honey | عسل تیره با طعم تند. | 2200000
pollen | honey | honey | گرده‌ی گل | Bee pollen | گرده‌ی تازه‌ی زنبور عسل. | 1400000
grape-molasses | raisin | honey | شیره‌ی انگور | Grape molasses | شیره‌ی غلیظ انگور بی‌دانه. | 600000
kashk-dry | dairy | dairy | کشک خشک محلی | Local dried kashk | کشک گوسفندی گلوله‌ای. | 550000
kashk-ground | dairy | dairy | کشک ساییده | Ground kashk powder | پودر کشک برای آش و کشک بادمجان. | 600000
qaraqurut | dairy | dairy | قره‌قروت | Qara qurut (black kashk) | کشک سیاه ترش و شور. | 480000
butter | dairy | dairy | کره‌ی محلی گوسفندی | Local sheep butter | کره‌ی تازه از شیر گوسفند. | 1800000
ghee | dairy | dairy | روغن زرد حیوانی | Ghee (clarified sheep butter) | روغن زرد سنتی از شیر گوسفندان شمخال. | 2700000
cheese-jar | dairy | dairy | پنیر کوزه‌ای | Jar-aged cheese | پنیر رسیده در کوزه‌ی سفالی. | 1600000
rose-petals | herbs | herbs-medicinal | گلبرگ گل‌محمدی | Damask rose petals | گلبرگ خشک برای دمنوش و شیرینی. | 900000
rose-buds | herbs | herbs-medicinal | غنچه‌ی گل‌محمدی | Damask rose buds | غنچه‌های خوشبو و سالم. | 1000000
thyme | herbs | herbs-medicinal | آویشن کوهی | Wild mountain thyme | آویشن دستچین کوهستان بینالود. | 500000
borage | herbs | herbs-medicinal | گل گاوزبان | Borage flowers | گل گاوزبان خشک درجه یک. | 1200000
chamomile | herbs | herbs-medicinal | بابونه | Chamomile | گل بابونه برای دمنوش آرام‌بخش. | 400000
pennyroyal | herbs | herbs-medicinal | پونه‌ی کوهی | Wild pennyroyal | پونه‌ی خشک کنار چشمه. | 350000
turmeric | herbs | spices | زردچوبه | Turmeric | زردچوبه‌ی آسیاب شده. | 300000
cumin-green | herbs | spices | زیره‌ی سبز | Green cumin | زیره‌ی معطر برای پلو. | 900000
cumin-black | herbs | spices | زیره‌ی سیاه کوهی | Wild black cumin | زیره‌ی سیاه دیم کوهستان. | 2000000
sumac | herbs | spices | سماق | Sumac | سماق قرمز و ترش برای کباب. | 350000
rug-medallion | rugs | rugs-textiles | قالیچه‌ی ترنج‌دار دستباف | Hand-knotted medallion rug | قالیچه‌ی پشمی با رنگ گیاهی. | 45000000
rug-baluchi | rugs | rugs-textiles | قالیچه‌ی بلوچی | Baluchi rug | طرح بلوچی با رنگ‌های تیره. | 38000000
kilim | rugs | rugs-textiles | گلیم دورو | Double-sided kilim | گلیم دستباف پشمی. | 15000000
jajim | rugs | rugs-textiles | جاجیم دستباف | Handwoven jajim | جاجیم رنگارنگ عشایری. | 9000000
tablofarsh | rugs | rugs-textiles | تابلوفرش گل و مرغ | Flower and bird pictorial carpet | تابلوفرش ابریشمی برای دیوار. | 60000000
runner | rugs | rugs-textiles | کناره‌ی دستباف ۳ متری | Handwoven runner 3 m | کناره‌ی پشمی برای راهرو. | 25000000
ring | turquoise | turquoise-jewellery | انگشتر نقره و فیروزه‌ی نیشابور | Silver ring with Neyshabur turquoise | نقره‌ی عیار ۹۲۵ با فیروزه‌ی اصل. | 7500000
earrings | turquoise | turquoise-jewellery | گوشواره‌ی فیروزه | Turquoise earrings | گوشواره‌ی آویز نقره. | 4200000
necklace | turquoise | turquoise-jewellery | گردنبند فیروزه | Turquoise necklace | گردنبند با نگین‌های ریز. | 6300000
shajar | turquoise | turquoise-jewellery | نگین فیروزه‌ی شجر | Shajar turquoise stone | نگین تراش خورده با نقش درختی. | 3800000
bracelet | turquoise | turquoise-jewellery | دستبند فیروزه | Turquoise bracelet | دستبند مسی فیروزه‌کوب. | 5600000
turquoise-plate | turquoise | turquoise-jewellery | بشقاب فیروزه‌کوب | Turquoise-inlaid plate | بشقاب مسی با فیروزه‌کوبی دستی. | 8800000
bowl-pottery | crafts | pottery | کاسه‌ی سفالی لعاب‌دار | Glazed pottery bowl | سفال لعاب‌دار فیروزه‌ای رنگ. | 850000
bowl-walnut | crafts | other-crafts | کاسه‌ی چوب گردو | Walnut wood bowl | تراش دستی از چوب گردو. | 1400000
basket | crafts | other-crafts | سبد حصیری | Wicker basket | سبد بافته شده از ترکه‌ی بید. | 650000
pomegranate | farm | fresh-produce | انار ملس | Sweet-sour pomegranates | انار دانه‌قرمز با طعم ملس. | 400000
apple | farm | fresh-produce | سیب گلاب | Golab apples | سیب زودرس و معطر. | 300000
lentil | farm | grains-legumes | عدس محلی | Local lentils | عدس دیم ریزدانه. | 450000
chickpea | farm | grains-legumes | نخود کشکی | Kashki chickpeas | نخود درشت برای آبگوشت. | 500000
wheat-flour | farm | grains-legumes | آرد گندم سنگ‌آسیاب | Stone-ground wheat flour | آرد سبوس‌دار برای نان محلی. | 350000
"""


def _products() -> list[tuple[str, str, str, str, str, str, int]]:
    rows = []
    for line in PRODUCTS_TABLE.strip().splitlines():
        *texts, price = (part.strip() for part in line.split("|"))
        rows.append((*texts, int(price)))
    return rows


PRODUCTS = _products()


def _sellers() -> dict[str, Seller]:
    cooperatives = {
        key: Cooperative.objects.create(name=name, slug=slug)
        for key, (name, slug) in COOPERATIVES.items()
    }
    sellers = {}
    for key, spec in SELLERS.items():
        seller = make_seller(
            spec.email, spec.name, cooperatives[spec.cooperative] if spec.cooperative else None
        )
        seller.village = Village.objects.get(name=spec.village)
        seller.save(update_fields=["village"])
        sellers[key] = seller
    return sellers


def build_catalogue() -> dict[str, Product]:
    """Create the sellers and the products (published, priced in `ir`) through the
    services; return the products by slug."""
    sellers = _sellers()
    categories = {c.slug: c for c in Category.objects.all()}
    products = {}
    for slug, seller_key, category, name, name_en, description, price in PRODUCTS:
        seller = sellers[seller_key]
        product = services.create_product(
            actor=seller.owner,
            seller=seller,
            name=name,
            name_en=name_en,
            description=description,
            category=categories[category],
            slug=slug,
            is_published=True,
        )
        services.create_variant(
            actor=seller.owner,
            product=product,
            prices=[services.PriceInput("ir", Decimal(price))],
        )
        products[slug] = product
    return products
