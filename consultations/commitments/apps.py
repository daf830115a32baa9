from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    """ "You said, we did": what the partners promised, their progress, young people's feedback."""

    name = "consultations.commitments"
    label = "commitments"
    verbose_name = "You said, we did"
