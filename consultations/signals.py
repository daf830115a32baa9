"""Signals other apps answer, so that ``consultations`` need not import them."""

from django.dispatch import Signal

#: Sent by the daily purge (``consultations.tasks.purge_expired_responses_task``) after the
#: answers past their retention. Each receiver deletes what its app keeps past its time and
#: returns counts only, ``{"what": number}``, which join the purge's own counts.
purge_due = Signal()
