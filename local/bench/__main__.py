"""``python -m local.bench``: ``make bench``."""

from local.bench.run import main

raise SystemExit(main())
