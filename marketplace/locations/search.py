from marketplace.core.normalize import normalize_text


def village_search_text(name: str, name_en: str) -> str:
    return normalize_text(f"{name} {name_en}")
