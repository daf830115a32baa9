"""The consultations' side of the Wagtail admin: one workspace per consultation.

- ``responses``: the consultations with their response counts (the "Consultations" menu item),
  each one's responses (filtered, paginated, downloadable as CSV or XLSX) and a response's
  detail.
- ``workspace``: a consultation's overview, the first of its tabs.
- ``tabs``: the tabs every admin view of a consultation shows (Overview, Responses, Import, Word
  cloud, Coding, Themed summary, Reports, Safeguarding), each only to those who may open it.
- ``imports``: uploading a file of paper or workshop answers, matching its columns to questions,
  importing it, and undoing an import.
- ``viewset``: the URLs and the "Consultations" menu item, registered in ``wagtail_hooks``.

Who may do what is decided by Django permissions, given to roles by
``consultations/migrations/0002_response_permissions``: ``view_response`` (see responses and
download them), ``add_importbatch`` (import), ``view_importbatch`` and ``delete_importbatch``
(list and undo imports), and ``export_raw_answers`` (the words people wrote, in downloads).
"""
