"""Query → expected products, over the catalogue in catalogue.py.

`relevant`: every product a buyer typing the query would accept (the denominator of
recall); `top`: the products that must be among the first three (when empty, the first
result must at least be relevant). `kind` groups the cases in the report and in the
benchmark (bench/search_bench.py reuses these queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

SAFFRON = frozenset(
    {
        "sargol-mesghal",
        "sargol-5g",
        "sargol-10g",
        "negin-5g",
        "negin-25g",
        "pushal",
        "dasteh",
        "saffron-powder",
        "saffron-corms",
        "saffron-rose-tea",
    }
)
SARGOL = frozenset({"sargol-mesghal", "sargol-5g", "sargol-10g"})
NEGIN = frozenset({"negin-5g", "negin-25g"})
AKBARI = frozenset({"akbari-raw", "akbari-salted"})
PISTACHIOS = frozenset(
    {
        "akbari-raw",
        "akbari-salted",
        "fandoghi-saffron",
        "fandoghi-raw",
        "ahmadaghaei",
        "kalleghuchi",
        "pistachio-kernel",
        "pistachio-lemon",
    }
)
RAISINS = frozenset({"raisin-green", "raisin-pikami", "raisin-tizabi", "raisin-sun", "raisin-red"})
BARBERRY = frozenset(
    {"barberry-puffy", "barberry-sahari", "barberry-anari", "barberry-cluster", "barberry-paste"}
)
HONEY = frozenset({"honey-gavan", "honey-thyme", "honey-multi", "honeycomb", "honey-coriander"})
KASHK = frozenset({"kashk-dry", "kashk-ground", "qaraqurut"})
ROSE = frozenset({"rose-petals", "rose-buds", "saffron-rose-tea"})
TURQUOISE = frozenset({"ring", "earrings", "necklace", "shajar", "bracelet", "turquoise-plate"})
RUGS = frozenset({"rug-medallion", "rug-baluchi"})


@dataclass(frozen=True)
class Case:
    query: str
    kind: str
    relevant: frozenset[str]
    top: tuple[str, ...] = field(default=())


def case(query: str, kind: str, relevant, top=()) -> Case:
    relevant = frozenset([relevant] if isinstance(relevant, str) else relevant)
    if not top and len(relevant) <= 3:
        top = tuple(sorted(relevant))
    return Case(query, kind, relevant, tuple(top))


CASES: list[Case] = [
    # Plain Persian.
    case("زعفران", "plain", SAFFRON),
    case("کشک", "plain", KASHK, ("kashk-dry", "kashk-ground")),
    case("عسل", "plain", HONEY),
    case("فیروزه", "plain", TURQUOISE),
    case("گلیم", "plain", "kilim"),
    case("پسته", "plain", PISTACHIOS),
    # Arabic keyboard: ي ك ة, hamza above for the ezafe, diacritics.
    case("پسته اكبري", "arabic", AKBARI),
    case("كشك", "arabic", KASHK, ("kashk-dry", "kashk-ground")),
    case("زرشك پفكي", "arabic", "barberry-puffy"),
    case("كشمش سبز", "arabic", "raisin-green"),
    case("انگشتر فيروزه", "arabic", "ring"),
    case("قاليچه بلوچي", "arabic", "rug-baluchi"),
    case("عسل كوهي", "arabic", "honey-multi"),
    case("آويشن كوهي", "arabic", "thyme"),
    case("پستهٔ اکبری", "arabic", AKBARI),
    case("كرة محلي", "arabic", "butter"),
    case("زَعفرانِ سَرگُل", "arabic", SARGOL),
    # Half-spaces: with ZWNJ, with a space, joined.
    case("گل\u200cمحمدی", "half-space", ROSE),
    case("گل محمدی", "half-space", ROSE),
    case("گلمحمدی", "half-space", ROSE),
    case("قره قروت", "half-space", "qaraqurut"),
    case("قرهقروت", "half-space", "qaraqurut"),
    case("تابلو فرش", "half-space", "tablofarsh"),
    case("زرد چوبه", "half-space", "turmeric"),
    case("پسته\u200cی کله\u200cقوچی", "half-space", "kalleghuchi"),
    case("کلهقوچی", "half-space", "kalleghuchi"),
    case("فیروزه کوب", "half-space", "turquoise-plate"),
    case("زیره سبز", "half-space", "cumin-green"),
    # Plurals and the ezafe.
    case("کشمش\u200cها", "plural", RAISINS),
    case("کشمشها", "plural", RAISINS),
    case("پسته\u200cهای فندقی", "plural", {"fandoghi-saffron", "fandoghi-raw"}),
    case("زعفرانِ نگین", "plural", NEGIN),
    # Digits: Persian, Arabic-Indic, ASCII, attached to the word.
    case("زعفران ۵ گرمی", "digits", {"sargol-5g", "negin-5g"}),
    case("زعفران 5 گرمی", "digits", {"sargol-5g", "negin-5g"}),
    case("زعفران ٥ گرمي", "digits", {"sargol-5g", "negin-5g"}),
    case("زعفران نگین ۲۵ گرمی", "digits", "negin-25g"),
    case("سرگل 10 گرمی", "digits", "sargol-10g"),
    case("عسل ۱ کیلویی", "digits", "honeycomb"),
    case("کناره ۳ متری", "digits", "runner"),
    case("۵گرمی سرگل", "digits", "sargol-5g"),
    # One letter wrong, missing or extra.
    case("زعفرن سرگل", "typo", SARGOL),
    case("زغفران", "typo", SAFFRON),
    case("پسته اکبزی", "typo", AKBARI),
    case("زرشگ پفکی", "typo", "barberry-puffy"),
    case("گردنبد فیروزه", "typo", "necklace"),
    case("قالیجه بلوچی", "typo", "rug-baluchi"),
    case("saffrom", "typo", SAFFRON),
    case("pistacio akbari", "typo", AKBARI),
    # English.
    case("barberry", "english", BARBERRY),
    case("turquoise ring", "english", "ring"),
    case("sargol saffron 5 g", "english", "sargol-5g"),
    case("raisins", "english", RAISINS | {"maviz"}),
    case("Akbari pistachio", "english", AKBARI),
    case("thyme honey", "english", "honey-thyme"),
    case("Kalleh Ghouchi", "english", "kalleghuchi"),
    # The first letters of a word.
    case("زعفر", "prefix", SAFFRON),
    case("پست", "prefix", PISTACHIOS),
    case("گلی", "prefix", "kilim"),
    case("قالی", "prefix", RUGS),
    case("فیرو", "prefix", TURQUOISE),
    case("turq", "prefix", TURQUOISE),
    case("نگی", "prefix", NEGIN | {"shajar"}),
    case("زرش", "prefix", BARBERRY),
    # Several words: all of them matter.
    case("زعفران سرگل", "multiword", SARGOL),
    case("پسته فندقی زعفرانی", "multiword", "fandoghi-saffron"),
    case("عسل گون کلات", "multiword", "honey-gavan"),
    case("کشمش سبز کاشمر", "multiword", "raisin-green"),
    case("پیاز زعفران", "multiword", "saffron-corms"),
    case("کشک محلی", "multiword", "kashk-dry"),
    case("دمنوش گل محمدی", "multiword", "saffron-rose-tea"),
    case("فیروزه نیشابور", "multiword", TURQUOISE, ("ring",)),
    case("عسل کالو", "multiword", HONEY),
    case("پسته مه\u200cولات", "multiword", PISTACHIOS),
]
