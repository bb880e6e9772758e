"""Small forms of the portal's own partial requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.models import Category


class SimilarCheckForm(forms.Form):
    """The two fields of the report form that "check for similar reports" looks at, limited like the form's."""

    category = forms.ModelChoiceField(label=_("What is it about?"), queryset=Category.objects.none(),
                                      required=False)
    building = forms.ModelChoiceField(label=_("Building (optional)"), queryset=None, required=False)

    def __init__(self, *args, categories, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["building"].queryset = buildings
