from tests.consultations.admin.conftest import consultation, no_second_factor

__all__ = ["consultation", "no_second_factor"]
