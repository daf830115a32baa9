"""People with accounts: Youth Forum members and staff. Anonymous visitors have none."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    """Age bands asked at sign-up. We never ask for a date of birth (ICO Children's Code)."""

    UNDER_13 = "under-13", _("12 or under")
    AGE_13_15 = "13-15", _("13 to 15")
    AGE_16_18 = "16-18", _("16 to 18")
    AGE_19_25 = "19-25", _("19 to 25")


class EmailUserManager(UserManager):
    """Creates users keyed by email address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their email address.

    ``age_band`` is kept for Youth Forum members only (to check they are 13 or over and to group
    their answers); staff leave it blank.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email
