"""``python -m registries``: see registries/cli.py."""

from registries.cli import main

raise SystemExit(main())
