"""Rutas del proyecto: todo lo relativo se resuelve contra la raíz del repositorio."""
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
CUADERNOS = RAIZ / "notebooks"
