"""The ``chainstep`` command: the app, and the engine's answers for scripts and pipes.

Every failure ends here as one line on stderr and exit status 2: a located
``WHERE:LINE:COL: message`` for a program that does not parse or evaluate, ``WHERE:
message`` for one that cannot be read. Never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine import Kind, ProgramError, Stepper, Walkthrough, gc_paused, walkthrough
from engine.gradcheck import BUDGET, check_cost, check_gradients
from engine.library import DEFAULT, SCRIPTS, examples, script_path
from tui.grads_report import grads_json, grads_text, json_text
from tui.programs import Source, SourceError, read_program

if TYPE_CHECKING:
    from rich.console import Console, Group

EXPORT_FORMATS = ("markdown", "mermaid", "dot", "json")
PROGRAM_HELP = "a program file, an example's name (see `chainstep examples`), or - for stdin"
RUN_HELP = (
    "run this Python script or notebook, your own code, exactly as `python SCRIPT.py` would,"
    " and use the graph of micrograd-style Values its last backward() saw (not PROGRAM)"
)
ROOT_HELP = "with --run: the Value to use as the output, by its global name"
PYTHON_HELP = (
    "the Python to run the script with (default: the active virtual environment's, else"
    " chainstep's own)"
)


def _script_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--run", metavar="SCRIPT", help=RUN_HELP)
    command.add_argument("--root", metavar="NAME", help=ROOT_HELP)
    command.add_argument("--python", metavar="PYTHON", help="with --run: " + PYTHON_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainstep",
        description="Step through backpropagation, one node of the chain rule at a time.",
        epilog="With no command, opens the app on the default example; `chainstep PROGRAM`"
        " is `chainstep open PROGRAM`.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("examples", help="list the example programs")
    run = commands.add_parser(
        "run",
        help="run SCRIPT.py (your own code, as `python SCRIPT.py` would) and open the app on"
        " the graph of Values its backward() saw",
        description="Runs SCRIPT.py, your own code, exactly as `python SCRIPT.py` would (only"
        " on this command), in a separate Python process, and opens the app on the graph of"
        " micrograd-style Values (data, _prev, _op, label) its last backward() call saw."
        " chainstep derives every gradient itself. A Jupyter notebook (.ipynb) runs its code"
        " cells in order, as Run All does, without IPython's magics.",
    )
    run.add_argument("script", metavar="SCRIPT", help="a Python script or a notebook (.ipynb)")
    run.add_argument("--root", metavar="NAME", help="the Value to use as the output, by name")
    run.add_argument("--python", metavar="PYTHON", help=PYTHON_HELP)
    for name, helptext in (
        ("open", "open the app on a program"),
        ("quiz", "the app asks each gradient of the backward pass before it shows it"),
        ("trace", "print the whole walk-through, step by step"),
        ("grads", "print every node's value and gradient"),
        (
            "check",
            "compare each input's gradient with a finite difference; exit 1 if any disagrees",
        ),
    ):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("program", metavar="PROGRAM", nargs="?", help=PROGRAM_HELP)
        _script_options(command)
        if name == "quiz":
            command.add_argument(
                "--local-first",
                action="store_true",
                help="ask each local derivative before the gradient it makes",
            )
        if name == "grads":
            command.add_argument("--json", action="store_true", help="print one JSON object")
    serve = commands.add_parser(
        "serve",
        help="serve the app to browsers (one session per tab), on localhost unless --host",
    )
    serve.add_argument("program", metavar="PROGRAM", nargs="?", default=DEFAULT, help=PROGRAM_HELP)
    serve.add_argument("--host", default="127.0.0.1", help="the address to serve on")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=40,
        metavar="N",
        help="open sessions at most; past it a new tab is told the class is full (default 40)",
    )
    export = commands.add_parser("export", help="write the graph or the walk-through to stdout")
    export.add_argument("program", metavar="PROGRAM", nargs="?", help=PROGRAM_HELP)
    _script_options(export)
    export.add_argument(
        "--format",
        "-f",
        choices=EXPORT_FORMATS,
        default="markdown",
        help="markdown (a handout, the default), mermaid, dot (Graphviz) or json",
    )
    export.add_argument(
        "--step",
        type=int,
        metavar="N",
        help="the state after step N (1 is the first, as `trace` numbers them); default: the end",
    )
    return parser


COMMANDS = ("examples", "run", "serve", "open", "quiz", "trace", "grads", "check", "export")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    first = arguments[0] if arguments else ""
    if first and first not in COMMANDS and (first == "-" or not first.startswith("-")):
        arguments.insert(0, "open")  # `chainstep prog.chain` (or `chainstep -`) opens it
    args = build_parser().parse_args(arguments)
    if args.command == "examples":
        _console().print(_examples_table())
        return 0
    if args.command == "serve":
        try:
            read_program(args.program)  # say now, not in each browser tab, if it is missing
        except SourceError as exc:
            return _fail(str(exc))
        from tui.serve import serve  # only for this command

        serve(args.program, args.host, args.port, args.max_sessions)
        return 0
    script = args.script if args.command == "run" else getattr(args, "run", None)
    if script is None and args.command and args.program is None:
        return _fail(f"chainstep {args.command}: give a PROGRAM, or --run SCRIPT.py")
    if script is not None and getattr(args, "program", None) is not None:
        return _fail(f"chainstep {args.command}: give a PROGRAM or --run SCRIPT.py, not both")
    if script is None and getattr(args, "python", None) is not None:
        return _fail(f"chainstep {args.command}: --python is for running a script (--run)")
    try:
        if script is not None:
            from tui.scripts import run_script  # only on the explicit command

            source = run_script(script, args.root, python=args.python)
        else:
            source = read_program(args.program if args.command else DEFAULT)
    except SourceError as exc:
        return 2 if type(exc).__name__ == "ScriptFailed" else _fail(str(exc))
    if args.command in (None, "open", "quiz", "run"):
        if not _keyboard_on_stdin():
            return _fail("<stdin>: the app reads keys from a terminal, and none is attached")
        from tui.app import ChainstepApp  # imported here so the plain commands start fast

        quiz = args.command == "quiz"
        local_first = quiz and args.local_first
        ChainstepApp(source, quiz=quiz, local_first=local_first).run()
        return 0
    # Everything made from here on lives until the process ends: the cycle collector would
    # only walk it (a full pass over a 10k-statement graph costs a third of a second).
    with gc_paused():
        try:
            walk = walkthrough(source.text)
        except ProgramError as exc:
            return _fail(exc.located(source.where))
        for node_id, warning in walk.graph.warnings.items():
            node = walk.nodes[node_id]
            sys.stderr.write(f"{source.where}:{node.line}:{node.col}: warning: {warning}\n")
        return _report(args, source, walk)


def _console() -> Console:
    """Rich, imported only by the commands that print with it: ``grads`` does not."""
    from rich.console import Console

    return Console(highlight=False)


def _report(args: argparse.Namespace, source: Source, walk: Walkthrough) -> int:
    if args.command == "trace":
        from tui.report import trace

        console = _console()
        for line in trace(walk, source.title):
            if console.is_terminal:
                console.print(line)
            else:
                sys.stdout.write(line.plain + "\n")
    elif args.command == "grads" and args.json:
        sys.stdout.write(json_text(grads_json(walk)))
    elif args.command == "grads":
        sys.stdout.write(grads_text(walk))
    elif args.command == "export":
        stepper = Stepper(walk)
        last = stepper.last + 1
        if args.step is not None and not 1 <= args.step <= last:
            return _fail(f"{source.where}: --step must be between 1 and {last}")
        stepper.goto((args.step or last) - 1)
        from tui.exports import render_export  # networkx and the exporters, only here

        sys.stdout.write(render_export(stepper, args.format, source.title))
    elif args.command == "check":
        if check_cost(walk) > BUDGET:
            inputs = sum(1 for node in walk.nodes if node.kind is Kind.INPUT)
            return _fail(
                f"{source.where}: too large to check numerically ({inputs:,} inputs, each"
                f" re-evaluating up to {len(walk.graph.operations):,} operations twice):"
                " check a smaller program"
            )
        from tui.report import check_table

        checks = check_gradients(walk)
        _console().print(check_table(checks))
        return 0 if all(check.ok for check in checks) else 1
    return 0


def _examples_table() -> Group:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("what it teaches")
    for example in examples():
        table.add_row(example.name, Text.assemble(example.title, "\n", (example.about, "dim")))
    scripts = Table(box=None, pad_edge=False, header_style="bold")
    scripts.add_column("script", style="bold", no_wrap=True)
    scripts.add_column("run it with `chainstep run NAME` (it runs as Python code)")
    for script in SCRIPTS:
        scripts.add_row(
            script.name,
            Text.assemble(
                script.title, "\n", (script.about, "dim"), "\n", (script_path(script), "dim")
            ),
        )
    return Group(table, Text(), scripts)


def _keyboard_on_stdin() -> bool:
    """After ``chainstep open -`` has read the program from a pipe, take the keys from the
    terminal instead, as ``less`` does."""
    if sys.stdin.isatty():
        return True
    try:
        terminal = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return False
    os.dup2(terminal, sys.stdin.fileno())
    os.close(terminal)
    return True


def _version() -> str:
    """The installed distribution's version: one number, kept in pyproject.toml."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainstep")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return 2


def run() -> None:
    """The console script. Once the report is out, freeing a large graph object by object
    only delays the prompt, so the process ends without it (as mypy does)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`chainstep trace PROGRAM | head -1`): that is not an error to
        # report. Point stdout at devnull so the interpreter's own final flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.stderr.flush()
    os._exit(status)
