"""Message texts by template name; rendered in the recipient's language."""

from django.utils.translation import gettext_lazy as _

TEMPLATES = {
    "seller_applied": (
        _("New seller application: %(seller)s"),
        _(
            "%(seller)s has applied to sell on Bazarcheh as a member of %(cooperative)s.\n"
            "Please review and approve the application in the cooperative panel."
        ),
    ),
    "seller_approved": (
        _("Your shop %(seller)s is approved"),
        _(
            "Good news: %(seller)s is approved and can now list products on Bazarcheh.\n"
            "Your products become visible to buyers as soon as you publish them."
        ),
    ),
    "password_reset": (
        _("Set a new password for Bazarcheh"),
        _(
            "Someone asked to set a new password for your Bazarcheh account.\n"
            "To choose a new password, open this link:\n%(link)s\n"
            "If it was not you, ignore this email: your password stays as it is."
        ),
    ),
    "seller_rejected": (
        _("Your application for %(seller)s was not accepted"),
        _(
            "Your application to sell %(seller)s on Bazarcheh was not accepted, because:\n"
            "%(reason)s\n"
            "You may apply again once this is settled."
        ),
    ),
}
