"""Form pieces shared by the admin and the portal."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.geo import validate_boundary
from communities.masking import mask_id_card, mask_phone
from communities.models import District, Person


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


MAX_BOUNDARY_BYTES = 5 * 1024 * 1024


class DistrictForm(forms.ModelForm):
    """The district with its boundary uploaded as a GeoJSON file (the dashboards' map); blank keeps the stored one."""

    boundary_file = forms.FileField(
        label=_("Boundary (GeoJSON file)"), required=False,
        help_text=_("A GeoJSON FeatureCollection, Feature, Polygon or MultiPolygon in longitude/latitude (WGS 84), "
                    "at most 5 MB; one feature per street shows the streets on the map. Leave empty to keep the "
                    "boundary already uploaded."),
    )

    class Meta:
        model = District
        fields = ["name", "code", "office_phone"]

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > MAX_BOUNDARY_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; simplify the boundary first."))
        try:
            value = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as e:
            raise forms.ValidationError(_("The file is not valid JSON.")) from e
        validate_boundary(value)
        return value

    def save(self, commit=True):
        value = self.cleaned_data.get("boundary_file")
        if value is not None:
            self.instance.boundary = value
        return super().save(commit=commit)
