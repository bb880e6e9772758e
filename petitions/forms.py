"""Forms: the portal's for residents (submit with up to 6 photos, rate) and the admin's for staff handling a
petition (one form per action, each feeding one service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Compound, Department, phone_validator
from core.params import BIGINT_MAX
from petitions.models import Category, HandlerKind, Source


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


# --- staff: handling a petition in the admin (each form feeds one service) ----------------------------------

def _text(label, max_length, *, required=True, rows=2):
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": rows, "cols": 60}))


class NoteForm(forms.Form):
    note = _text(_("Note (optional)"), 2000, required=False)


class UrgeForm(forms.Form):
    note = _text(_("Message to the handler (optional)"), 2000, required=False)


class FollowUpNoteForm(forms.Form):
    note = _text(_("Note"), 2000)


class EscalateForm(forms.Form):
    reason = _text(_("Why it is stuck"), 300)
def _handler_photos():
    return MultiplePhotoField(label=_("Photos of the fix (up to 6, JPEG/PNG/WebP, 5 MB each)"), required=False)


class ReplyForm(forms.Form):
    text = _text(_("Reply to the reporter"), 4000, rows=3)
    photos = _handler_photos()


class ResolveForm(NoteForm):
    photos = _handler_photos()


class RejectForm(forms.Form):
    reason = _text(_("Reason, told to the reporter"), 300)


class TransferForm(forms.Form):
    to = forms.ChoiceField(label=_("Transfer to"), choices=HandlerKind.choices)
    department = forms.ModelChoiceField(label=_("Department (when transferring to one)"),
                                        queryset=Department.objects.none(), required=False)
    note = _text(_("Note (optional)"), 2000, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond bigint as invalid choices before they reach the database (SQLite overflows on them in
    the `pk__in` lookup that Django runs, which would be a 500)."""

    def _check_values(self, value):
        for item in value or ():
            try:
                outside = not 0 < int(item) <= BIGINT_MAX
            except (TypeError, ValueError):
                outside = False  # not a number: Django's own message
            if outside:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": item})
        return super()._check_values(value)


class WhistleForm(forms.Form):
    departments = BoundedModelMultipleChoiceField(label=_("Departments to call in"), queryset=Department.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple)
    note = _text(_("Note (optional)"), 2000, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments


class AnswerForm(forms.Form):
    answer = _text(_("Answer (leave it empty to acknowledge the call only)"), 4000, required=False, rows=3)


def _petition_label(petition) -> str:
    return f"#{petition.pk} · {petition.get_status_display()} · {petition.description[:40]}"


class MergeForm(forms.Form):
    original = forms.ModelChoiceField(label=_("The petition it repeats"), queryset=Category.objects.none(),
                                      widget=forms.RadioSelect)

    def __init__(self, *args, originals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = originals
        self.fields["original"].label_from_instance = _petition_label


class RecordForm(forms.Form):
    """A petition from another channel, recorded by staff (petitions.services.petition_record)."""

    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    source = forms.ChoiceField(label=_("Channel"), choices=[
        (value, label) for value, label in Source.choices if value not in (Source.PORTAL, Source.CONSULTATION_BELL)])
    external_ref = forms.CharField(label=_("Reference of the channel (e.g. the 12345 ticket)"), max_length=64,
                                   required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False,
                                     validators=[phone_validator])
    spot = forms.CharField(label=_("Where exactly (optional)"), max_length=100, required=False)
    description = _text(_("Describe the matter"), 4000, rows=4)
    anonymous = forms.BooleanField(label=_("The reporter asks not to be named to the handler"), required=False)
    not_a_duplicate = forms.BooleanField(label=_("This is not one of the open petitions listed above"),
                                         required=False)

    def __init__(self, *args, compounds, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["category"].queryset = categories
