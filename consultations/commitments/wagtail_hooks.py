"""Commitments ("You said, we did") in the Wagtail admin, under Snippets."""

from wagtail.snippets.models import register_snippet

from .viewsets import CommitmentViewSet

register_snippet(CommitmentViewSet)
