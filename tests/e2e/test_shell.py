"""`rasa shell` (with the action server) driven through a three-turn conversation by pexpect."""

from __future__ import annotations

import pytest

from tests.e2e.reference import DIFFERENCES, EXAMS, JUST_THREE, expected, summarize

pytestmark = pytest.mark.e2e


def test_three_turn_conversation_in_the_shell(rasa_shell):
    rasa_shell.restart()
    for turn in (DIFFERENCES, JUST_THREE, EXAMS):
        output = rasa_shell.say(turn.text)
        assert summarize(turn, [output]) == expected(turn), output
