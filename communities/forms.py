"""Form pieces shared by the admin and the portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.masking import mask_id_card, mask_phone
from communities.models import Person


class WriteOnlyInput(forms.TextInput):
    """Never renders the stored value: personal numbers are typed in, not read back."""

    def format_value(self, value):
        return None


class PersonForm(forms.ModelForm):
    """Phone and ID number are write-only: blank keeps the stored value; the masked value is shown as a hint."""

    class Meta:
        model = Person
        fields = ["district", "community", "user", "name", "phone", "id_card_number"]
        widgets = {"phone": WriteOnlyInput, "id_card_number": WriteOnlyInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name, masked in (("phone", mask_phone(self.instance.phone)),
                                 ("id_card_number", mask_id_card(self.instance.id_card_number))):
                if name in self.fields:
                    self.fields[name].widget.attrs["placeholder"] = masked
                    self.fields[name].help_text = _("Stored: %(masked)s. Leave blank to keep it.") % {
                        "masked": masked or "—"
                    }

    def _keep(self, name):
        value = self.cleaned_data.get(name)
        return value if value else (self.instance.__dict__.get(name) or "")

    def clean_phone(self):
        return self._keep("phone")

    def clean_id_card_number(self):
        return self._keep("id_card_number")
