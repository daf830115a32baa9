"""Every management command the project ships answers ``--help`` with its options.

argparse reads ``%`` in help text as a format character, so a help string with "3%" in it
crashed ``train_screen_check --help`` with a TypeError instead of printing the help.
"""

import pytest
from django.core.management import ManagementUtility, get_commands

PROJECT_APPS = ("consultations", "youthforum")


def _project_commands() -> list[str]:
    # get_commands() maps each command to the name of the app that holds it.
    return sorted(name for name, app in get_commands().items() if app.startswith(PROJECT_APPS))


def test_the_project_has_commands_to_check():
    assert "train_screen_check" in _project_commands()


@pytest.mark.parametrize("name", _project_commands())
def test_a_command_prints_its_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py " + name)
