"""The consultations' side of the Wagtail admin: responses, downloads, imports and undos.

- ``responses``: the consultations with their response counts, each one's responses (filtered,
  paginated, downloadable as CSV or XLSX) and a response's detail.
- ``imports``: uploading a file of paper or workshop answers, matching its columns to questions,
  importing it, and undoing an import.
- ``viewset``: the URLs and the "Responses" menu item, registered in ``wagtail_hooks``.

Who may do what is decided by Django permissions, given to roles by
``consultations/migrations/0002_response_permissions``: ``view_response`` (see responses and
download them), ``add_importbatch`` (import), ``view_importbatch`` and ``delete_importbatch``
(list and undo imports), and ``export_raw_answers`` (the words people wrote, in downloads).
"""
