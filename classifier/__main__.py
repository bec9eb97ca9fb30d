"""`python -m classifier ...` is the `sectors` command."""
import sys

from .cli import main

sys.exit(main())
