from django.utils.translation import get_language


def localized(info, value: str, value_en: str) -> str:
    """The English text when the request asked for English and one exists; else Persian."""
    language = getattr(info.context, "LANGUAGE_CODE", None) or get_language() or "fa"
    if language.startswith("en") and value_en:
        return value_en
    return value
