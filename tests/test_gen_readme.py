"""scripts/gen_readme.py: the README.rst it writes is one docutils (and so Odoo) renders without an error."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import gen_readme


def test_a_nested_list_is_set_apart_by_blank_lines(tmp_path):
    fragment = "- settings, defaults:\n  - first\n  - second, whose text goes on\n    on a second line\n- after\n"
    rst = gen_readme.markdown_to_rst(fragment, 1)
    readme = tmp_path / "README.rst"
    readme.write_text(rst + "\n", encoding="utf-8")
    assert "defaults:\n\n  - first" in rst
    assert "on a second line\n\n- after" in rst
    assert gen_readme.rst_is_valid(readme)


def test_the_check_refuses_an_unexpected_indentation(tmp_path):
    readme = tmp_path / "README.rst"
    text = "Title\n=====\n\n- item:\n  - nested without a blank line,\n    text going on\n"
    readme.write_text(text, encoding="utf-8")
    assert not gen_readme.rst_is_valid(readme)
