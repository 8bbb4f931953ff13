"""Forms of saved views: name and note, plus the search parameters when saving."""

from django import forms
from django.http import QueryDict

from .models import SavedView
from .selectors import canonical_params


class SavedViewForm(forms.ModelForm):
    """Rename a saved view or change its note."""

    class Meta:
        model = SavedView
        fields = ["name", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": "Optional: why you keep this view, what to look for."}


class SaveViewForm(SavedViewForm):
    """Save a search: its parameters travel in a hidden field and are stored in canonical form."""

    params = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def clean_params(self) -> str:
        # Stored only after the search page's own validation: unknown names and bad values drop out.
        params = canonical_params(QueryDict(self.cleaned_data["params"]))
        if len(params) > SavedView._meta.get_field("params").max_length:
            raise forms.ValidationError("This search is too long to save.")
        return params
