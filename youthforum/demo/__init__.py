"""The demo Youth Forum site: ``python manage.py load_demo`` (run by ``make run``).

- ``content``: the words, as data, drawn from a Somerset-style partnership's annual report.
- ``images``: pictures drawn with Pillow (no downloads).
- ``accounts``: one account per role, the demo password and the published ``DEMO_TOTP_SECRET``.
- ``services``: ``demo_load(reset=False)``, idempotent and atomic, refused in production.

The demo is for people trying the site. Tests build their own data with ``tests/factories.py``.
"""
