"""The safeguarding queue in the Wagtail admin, for Safeguarding leads (/admin/safeguarding/).

- ``views``, ``urls``, ``forms``: the queue, one concern, and a lead's actions
- ``selectors`` and ``services``: what they read and write
- ``deadlines``: when a concern is overdue, in working hours
- ``display``: category labels and the matched words marked in an answer
- ``panels`` and ``wagtail_hooks``: the menu item, dashboard panel and audit log wording
"""
