"""Portal forms for residents: submit (with up to 6 photos) and rate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one field; the content checks are the service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PetitionForm(forms.Form):
    category = forms.ModelChoiceField(label=_("What is it about?"), queryset=Category.objects.none())
    building = forms.ModelChoiceField(label=_("Building (optional)"), queryset=None, required=False)
    spot = forms.CharField(label=_("Where exactly (optional)"), max_length=100, required=False)
    description = forms.CharField(label=_("Describe the matter"), max_length=4000, widget=forms.Textarea(attrs={
        "rows": 4}))
    anonymous = forms.BooleanField(label=_("Do not show my name to the handler"), required=False)
    photos = MultiplePhotoField(label=_("Photos (up to 6, JPEG/PNG/WebP, 5 MB each)"), required=False)

    def __init__(self, *args, categories, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["building"].queryset = buildings


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"), coerce=int,
        choices=[(5, "5 ★★★★★"), (4, "4 ★★★★"), (3, "3 ★★★"), (2, "2 ★★"), (1, "1 ★")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)
