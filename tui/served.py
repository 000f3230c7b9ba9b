"""One browser tab's app, as ``chainstep serve`` starts it: ``python -m tui.served PROGRAM``.

The program is the one the teacher named when starting the server (an example's name or a
file on the teacher's machine); nothing the browser sends can name another file or a
script to run.
"""

from __future__ import annotations

import sys

from tui.app import ChainstepApp
from tui.programs import SourceError, read_program


def main() -> int:
    try:
        source = read_program(sys.argv[1] if len(sys.argv) > 1 else "chain")
    except SourceError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    ChainstepApp(source, served=True).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
