"""Installing the suite must not log warnings about our addons."""

import os
import re

import pytest

LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): (?P<message>.*)")
TEST_SUMMARY_RE = re.compile(r"^Module \w+: \d+ failures, \d+ errors of \d+ tests")
SUSPECT = ("has no access rules", "deprecated", "Invalid", "inconsistent", "no translation", "Two fields")


def install_problems(text, modules):
    problems = []
    for line in text.splitlines():
        match = LINE_RE.match(line)
        if not match or match["level"] not in ("WARNING", "ERROR", "CRITICAL"):
            continue
        logger, message = match["logger"], match["message"]
        if ".tests" in logger or logger.startswith("odoo.tests") or TEST_SUMMARY_RE.search(message):
            continue  # the tests' own logs: their failures are counted by the test runner
        ours = any(module in logger or module in message or "cs." in message for module in modules)
        if ours or any(word in message for word in SUSPECT if "cs_" in message or "cs." in message):
            problems.append(line)
    return problems


@pytest.fixture(scope="module")
def install_log():
    path = os.environ.get("CS_INSTALL_LOG")
    if not path or not os.path.exists(path):
        pytest.skip("run through `make test`: CS_INSTALL_LOG is not set")
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def test_each_addon_was_loaded(install_log, modules):
    for module in modules:
        assert f"Loading module {module} " in install_log, f"{module} was not installed"


def test_install_logged_no_warning_about_our_addons(install_log, modules):
    assert install_problems(install_log, modules) == []


def test_the_filter_catches_a_missing_access_rule(modules):
    line = "2026-01-01 10:00:00,000 1 WARNING db odoo.modules.loading: The model cs.ticket.x has no access rules"
    assert install_problems(line, modules) == [line]
