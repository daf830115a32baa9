"""The baseline: Wagtail's own form builder, as a site without consultations would use it.

An ``AbstractEmailForm`` page with no ``to_address`` (so it sends no email), storing each
submission as a ``FormSubmission``. It is installed only by ``benchmarks.settings``.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField


class BaselineFormField(AbstractFormField):
    page = ParentalKey("BaselineFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BaselineFormPage(AbstractEmailForm):
    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(blank=True)

    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []
