"""Test-file recognition and test-function counting, one known answer per language convention."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from hiresight.portfolio.testsuite import count_test_functions, is_test_file

CASES = [
    # (path, language, text, is test file, test functions)
    ("tests/test_api.py", "Python",
     "import x\n\ndef test_a():\n    pass\n\nasync def test_b():\n    pass\n"
     "class TestC:\n    def test_c(self):\n        pass\n    def helper(self):\n        pass\n",
     True, 3),
    ("pkg/api_test.py", "Python", "def test_one():\n    pass\n", True, 1),
    ("pkg/api.py", "Python", "def test_not_really():\n    pass\n", False, 1),
    ("tests/conftest.py", "Python", "def fixture():\n    pass\n", False, 0),
    ("tests/factories.py", "Python", "def make_user():\n    pass\n", False, 0),
    ("tests/checks.py", "Python", "def test_from_helper_module():\n    pass\n", True, 1),
    ("src/app.test.ts", "TypeScript",
     "describe('x', () => {\n  it('works', () => {});\n  test.skip(\"later\", () => {});\n"
     "  it.each([1])('n', () => {});\n  obj.it('not a test');\n});\n",
     True, 2),
    ("web/__tests__/button.jsx", "JavaScript", "test(`renders`, () => {});\n", True, 1),
    ("web/button.jsx", "JavaScript", "export const it = 1;\n", False, 0),
    ("server/handler_test.go", "Go",
     "package server\n\nfunc TestGet(t *testing.T) {}\nfunc TestPost(t *testing.T) {}\n"
     "func helper() {}\nfunc BenchmarkGet(b *testing.B) {}\n",
     True, 2),
    ("server/handler.go", "Go", "func TestLike() {}\n", False, 1),
    ("src/test/java/app/UserServiceTest.java", "Java",
     "class UserServiceTest {\n  @Test\n  void a() {}\n  @ParameterizedTest\n  void b() {}\n"
     "  @TestFactory\n  void c() {}\n}\n",
     True, 2),
    ("app/src/main/kotlin/UserTests.kt", "Kotlin", "@Test fun a() {}\n", True, 1),
    ("src/lib.rs", "Rust",
     "pub fn add() {}\n#[cfg(test)]\nmod tests {\n  #[test]\n  fn adds() {}\n"
     "  #[tokio::test]\n  async fn adds_async() {}\n}\n",
     True, 2),
    ("src/main.rs", "Rust", "fn main() {}\n", False, 0),
    ("tests/integration.rs", "Rust", "#[test]\nfn it_runs() {}\n", True, 1),
    ("spec/user_spec.rb", "Ruby", "describe User do\n  it 'saves' do\n  end\nend\n", True, 1),
    ("lib/thing.c", "C", "void test_x(void) {}\n", False, 0),
]  # fmt: skip


@pytest.mark.parametrize(("path", "language", "text", "is_test", "functions"), CASES)
def test_known_answers(path: str, language: str, text: str, is_test: bool, functions: int) -> None:
    """Each file is classified and counted as its language's test runner would see it."""
    assert is_test_file(PurePosixPath(path), language, text) is is_test
    assert count_test_functions(language, text) == functions
