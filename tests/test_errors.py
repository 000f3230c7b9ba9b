"""Bad programs end in one located message and exit status 2, never a traceback."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import ProgramError, walkthrough
from tui.cli import main

# program text -> (line, column, words the message must contain)
BAD_PROGRAMS = {
    "": (1, 1, "empty"),
    "# only a comment\n": (1, 1, "empty"),
    "a = 2\nb = 3\n": (2, 1, "no operation"),
    "a = 2\nc = a * b\n": (2, 9, "undefined name b"),
    "abc = 2\nc = abd * 2\n": (2, 5, "did you mean abc"),
    "a = 2\nc = foo(a)\n": (2, 5, "unknown function foo"),
    "a = 2\nc = ecp(a)\n": (2, 5, "did you mean exp"),
    "a = 2\nc = exp(a, a)\n": (2, 5, "exactly one argument"),
    "a = 2\nc = max(a)\n": (2, 5, "two or more"),
    "a = 'hi'\nb = a * 2\n": (1, 5, "not a number"),
    "a = 2\nb = a.grad\n": (2, 5, "use the name itself, not .grad"),
    "a = 2\nb = a.value\n": (2, 5, "attributes"),
    "a = 2\nb = a.abs()\n": (2, 5, "not a method"),
    "import os\n": (1, 1, "an import"),
    "a = 2\nf = lambda x: x\n": (2, 5, "lambda"),
    "a = 2\nb = a[0]\n": (2, 5, "indexing"),
    "a = 2\nb = a < 3\n": (2, 5, "comparison"),
    "for i in range(3):\n    a = i\n": (1, 1, "for loop"),
    "a = 2\nb = a // 2\n": (2, 5, "//"),
    "a = 2\na * 3\n": (2, 1, "does not name it"),
    "a = (2\n": (1, 5, "never closed"),
    "a = 2\nb = a +\n": (2, 8, "invalid syntax"),
    "a = 2\nb = c\nc = 3\nd = b * c\n": (2, 5, "before it is given a value"),
    "a = 2\nb = a / 0\n": (2, 5, "division by zero"),
    "a = -2\nb = log(a)\n": (2, 5, "log needs a positive number"),
    "a = -2\nb = sqrt(a)\n": (2, 5, "sqrt needs a number that is not negative"),
    "a = 0\nb = a ** -1\n": (2, 5, "division by zero"),
    "a = -8\nb = a ** 0.5\n": (2, 5, "negative number raised to a fractional power"),
    "a = 1000\nb = exp(a)\n": (2, 5, "overflows"),
    "a = 10\nb = a ** 400\n": (2, 5, "overflows"),
    "a = 1e200\nb = a * a\n": (2, 5, "overflows"),
    "a = 1e999\nb = a * 2\n": (1, 5, "too large"),
    "α = 2\nβ = α * γ\n": (2, 9, "undefined name γ"),
    "a = 2\nb = a ^ 2\n": (2, 5, "^"),
    "a, b = 1, 2\n": (1, 1, "single name"),
    "exp = 2\nb = exp * 2\n": (1, 1, "is a function"),
    "a = \n": (1, 5, "nothing after `=`: give a a value"),
    "x = 2\ny = x * x\nz = 3\n": (3, 1, "`z` is a number, not an operation: move this line"),
    "a = 2\n  b = a\n": (2, 2, "start every line at the left margin"),
    "a = 2\nb = a +* 3\n": (2, 8, "one assignment a line, `name = expression`"),
    "x = 800\nbig = exp(x)\nL = big + 1\n": (2, 7, "overflows"),
}


@pytest.mark.parametrize("text", BAD_PROGRAMS)
def test_bad_program_is_located(text):
    line, col, words = BAD_PROGRAMS[text]
    with pytest.raises(ProgramError) as caught:
        walkthrough(text)
    assert (caught.value.line, caught.value.col) == (line, col), caught.value.message
    assert words in caught.value.message


@pytest.mark.parametrize("text", list(BAD_PROGRAMS)[:12] + list(BAD_PROGRAMS)[-12:])
def test_command_line_exits_2_with_one_located_line(text, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["grads", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    line, col, _ = BAD_PROGRAMS[text]
    assert len(lines) == 1 and lines[0].startswith(f"<stdin>:{line}:{col}: ")


def test_missing_file_and_binary_input_exit_2(tmp_path, capsys, monkeypatch):
    assert main(["trace", str(tmp_path / "nope.txt")]) == 2
    assert "no such file or example" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\x00\xff\xfe")))
    assert main(["grads", "-"]) == 2
    assert "binary" in capsys.readouterr().err


def test_valid_oddities_keep_their_line_numbers():
    text = "a = 2\nb = (a *\n     3)\n\tc = 1\n"
    with pytest.raises(ProgramError) as caught:
        walkthrough(text)
    assert caught.value.line == 4  # an indented line is Python's "unexpected indent"
    walk = walkthrough("α = 2\n# comment\n\nb = (α *\n     3) + \\\n    α\n")
    assert walk.graph.values[walk.graph.output] == 8
    assert walk.output.line == 4
    assert walk.grads[0] == 4


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("x = 1\nL = " + " + ".join(["x"] * 5000) + "\n", 2, "nested too deeply"),  # 10k chars
        ("x = 1\nL = " + "(" * 500 + "x" + ")" * 500 + "\n", 2, "too many nested parentheses"),
        ("x = 1\nL = " + "-" * 5000 + "x\n", 2, "nested too deeply"),
    ],
    ids=["10k-character line", "500 parentheses", "5000 minus signs"],
)
def test_limits_end_in_a_located_message(text, line, words):
    with pytest.raises(ProgramError) as caught:
        walkthrough(text)
    assert caught.value.line == line and words in caught.value.message


def test_a_deep_chain_of_statements_works_without_recursion():
    text = "x0 = 1\n" + "".join(f"x{i + 1} = x{i} * 1.0001 + 0.5\n" for i in range(20_000))
    walk = walkthrough(text)
    assert walk.grads[0] > 1 and len(walk.steps) > 40_000


def test_long_programs_parse_in_pieces_with_their_own_line_numbers():
    lines = ["x0 = 1"] + [f"x{i} = x{i - 1} + 1" for i in range(1, 12_000)]
    walk = walkthrough("\n".join(lines) + "\n")  # in pieces: no statement crosses a seam
    assert next(n for n in walk.nodes if n.label == "x7000").line == 7_001
    assert walk.grads[0] == 1
    lines[4_999] = "x4999 = (x4998 +"  # a statement across the first two pieces
    lines.insert(5_000, "         1)")
    walk = walkthrough("\n".join(lines) + "\n")
    assert walk.output.line == 12_001 and walk.graph.values[walk.graph.output] == 12_000
    assert next(n for n in walk.nodes if n.label == "x5000").line == 5_002
    lines[9_000] = "x8999 = x8998 + $"
    with pytest.raises(ProgramError) as caught:
        walkthrough("\n".join(lines) + "\n")
    assert (caught.value.line, caught.value.col) == (9_001, 17)


def test_tabs_inside_a_line_are_only_spaces():
    walk = walkthrough("a =\t2\nb = a\t*\t3\n")
    assert walk.graph.values[walk.graph.output] == 6 and walk.grads[0] == 3


NAMES = ["a", "b", "x", "α", "exp", "relu", "foo", "L"]
TOKENS = [
    *NAMES,
    "2",
    "-3.5",
    "1e999",
    "0",
    "'s'",
    "=",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "+",
    "-",
    "*",
    "/",
    "**",
    "//",
    "(",
    ")",
    ",",
    ".",
    ".relu()",
    ".tanh",
    "max(",
    "min(",
    "log(",
    "import",
    "lambda",
    "for",
    "in",
    ":",
    "[",
    "]",
    "<",
    "==",
    "and",
    "not",
    "#",
    "\\",
    "\t",
    "    ",
    ";",
    "\n",
    "\n",
    "\n",
    "True",
    "None",
    "...",
    "@",
    "if",
    "else",
    "\x00",
]


@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_fuzz_token_soup_raises_only_program_errors(tokens):
    _only_program_errors(" ".join(tokens))


@given(st.text(max_size=80))
def test_fuzz_random_text_raises_only_program_errors(text):
    _only_program_errors(text)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from(["=", "+=", "-=", "*=", "/=", "**="]),
            st.lists(st.sampled_from([*NAMES, "2", "0", "-1", "1000"]), min_size=1, max_size=3),
            st.sampled_from(["+", "-", "*", "/", "**", ","]),
            st.sampled_from(["", "exp", "log", "sqrt", "max", "relu", "abs", "foo"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_fuzz_valid_looking_programs_raise_only_program_errors(statements):
    lines = []
    for target, assign, operands, operator, function in statements:
        expression = f" {operator} ".join(operands)
        lines.append(
            f"{target} {assign} {function}({expression})"
            if function
            else f"{target} {assign} {expression}"
        )
    _only_program_errors("\n".join(lines))


def _only_program_errors(text: str) -> None:
    try:
        walk = walkthrough(text)
    except ProgramError as exc:
        assert exc.line >= 1 and exc.col >= 1
        assert re.fullmatch(r"[^\n]+", exc.message), exc.message
    else:
        assert walk.steps


def test_a_program_without_a_command_is_opened(capsys):
    """`chainstep prog.chain` means `chainstep open prog.chain`; a missing one says so."""
    assert main(["nosuch.chain"]) == 2
    assert capsys.readouterr().err == (
        "nosuch.chain: no such file or example (`chainstep examples` lists the examples)\n"
    )


def test_a_failure_off_the_outputs_path_is_a_warning():
    """PyTorch computes inf on a side line and goes on; so does chainstep, with a warning,
    and the gradients the output depends on are the ordinary ones."""
    walk = walkthrough("x = 800\nbig = exp(x)\ny = x * 2\nL = y + 1\n")
    big = next(node.id for node in walk.nodes if node.label == "big")
    assert walk.graph.values[big] == float("inf")
    assert "overflows" in walk.graph.warnings[big]
    assert "the output does not depend on it" in walk.graph.warnings[big]
    x = next(node.id for node in walk.nodes if node.label == "x")
    assert walk.grads[x] == 2 and walk.grads[big] == 0


def test_the_cli_reports_a_side_failure_as_a_located_warning(capsys, tmp_path):
    program = tmp_path / "side.chain"
    program.write_text("x = 800\nbig = exp(x)\ny = x * 2\nL = y + 1\n")
    assert main(["grads", str(program)]) == 0
    captured = capsys.readouterr()
    assert f"{program}:2:7: warning: exp(x) overflows" in captured.err
    assert re.search(r"(?m)^x\s+input\s+800\s+2$", captured.out)
