"""Private files: anything that holds young people's answers.

Report downloads, uploaded import files and any other file with answers in it are kept in
``STORAGES["private"]``, never in the default (media) storage. No URL serves that storage: its
``url()`` refuses, and its folder (``PRIVATE_MEDIA_ROOT``, ``private/`` beside ``manage.py`` by
default) is outside ``MEDIA_ROOT``. Such a file reaches a person only through a view that checks
their permission and streams it with ``Cache-Control: private, no-store``.

To keep private files elsewhere (S3, say), point ``STORAGES["private"]`` at another backend in an
overlay; it must not be publicly readable.
"""

import secrets

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files. ``url()`` raises, so no template can link one by mistake."""

    def url(self, name):
        raise ValueError(
            "Private files have no address: stream them through a permission-checked view."
        )


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used and again after ``STORAGES`` changes.

    A ``FileField`` calls its storage callable once, when its model is defined; this stand-in
    keeps such a field following the settings, as Django's ``default_storage`` does.
    """

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """The private storage, for ``FileField(storage=private_storage)``."""
    return _private


def random_name(folder: str, extension: str) -> str:
    """``<folder>/<32 random hex characters>.<extension>``: a name nobody can guess."""
    return f"{folder}/{secrets.token_hex(16)}.{extension.lstrip('.')}"
