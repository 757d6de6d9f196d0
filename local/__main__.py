"""``python -m local``: the ``make dev`` stack (``local.dev``).

The entry point is this module rather than ``local.dev`` itself because function containers
are processes started by multiprocessing, which imports the parent's main module into each of
them unless it is a package's ``__main__``.
"""

from local.dev import main

raise SystemExit(main())
