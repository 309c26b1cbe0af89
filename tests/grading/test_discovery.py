"""Finding test ids without running anything."""

from __future__ import annotations

from hiresight.grading.discovery import discover


def test_python_top_level_test_functions_only() -> None:
    """Sync and async top-level test* functions count; helpers and methods do not."""
    source = (
        "def helper():\n    pass\n\n"
        "def test_a():\n    pass\n\n"
        "async def test_b():\n    pass\n\n"
        "class T:\n    def test_c(self):\n        pass\n"
    )
    tests = {"test_x.py": source, "helpers.py": "def test_no(): pass\n"}
    assert discover("python", tests) == ["test_x.py::test_a", "test_x.py::test_b"]


def test_js_string_literal_names_in_order() -> None:
    """test()/it() with any quote style, including a name on the next line."""
    source = (
        "const test = require('node:test');\n"
        "test('first one', () => {});\n"
        'test("second \\"quoted\\"", async () => {});\n'
        "test(\n  `third`,\n  () => {},\n);\n"
        "// contest('not a test')\n"
    )
    ids = discover("javascript", {"a.test.js": source, "helper.js": "test('no', () => {})"})
    assert ids == ["a.test.js::first one", 'a.test.js::second \\"quoted\\"', "a.test.js::third"]
