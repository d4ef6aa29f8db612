"""`python -m helpers`: la misma línea de órdenes que `informe-poa`."""
from helpers.cli import ejecutable

ejecutable()
