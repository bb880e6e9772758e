"""Django's and DRF's field messages said in the project's own words.

The msgids below are exactly those of Django's validators and DRF's fields; written here, `makemessages` keeps
them in the project's catalogue, which LOCALE_PATHS puts before Django's and DRF's own, so their zh-hans text
there ("不超过 4000 字") replaces the stock one ("确保该变量包含不超过 4000 字符 …") in every form, the admin and
the API alike. This module is read by makemessages, never imported."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

DJANGO_LENGTH = (
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)
DRF_LENGTH = (
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
)
