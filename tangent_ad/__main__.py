"""`python -m tangent_ad ...` runs the `tangent-ad` command."""
import sys

from .cli import main

sys.exit(main())
