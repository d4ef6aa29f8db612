"""`python -m helpers`: la misma línea de órdenes que `informe-poa`."""
import sys

from helpers.cli import main

sys.exit(main())
