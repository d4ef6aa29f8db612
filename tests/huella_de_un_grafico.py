"""Escribe la huella (`graficos_guardados.huella_de_figura`) de un gráfico de barras con los
valores de la línea de órdenes, en un proceso nuevo: lo usa tests/test_graficos_guardados.py
para comprobar que dos procesos dan la misma huella. Uso: python huella_de_un_grafico.py 3 4"""
from __future__ import annotations

import sys

import matplotlib


def huella(valores: list[float], titulo: str = "Avance") -> str:
    from helpers.redaccion import graficos
    from helpers.redaccion.graficos_guardados import huella_de_figura

    fig, [[eje]] = graficos.figura(2.0)
    eje.bar(["a", "b"], valores)
    eje.set_title(titulo)
    return huella_de_figura(fig)


if __name__ == "__main__":
    matplotlib.use("Agg")
    print(huella([float(v) for v in sys.argv[1:]]))
