"""Genera el libro de la muestra departamental `data/departamental/poa_2024.xlsx`.

Uso:  .venv/bin/python scripts/generar_muestra_departamental.py [--salida RUTA]

Una entidad ficticia, el Servicio Nacional de Identificación Ciudadana (SENIC), de otra forma
que la primera muestra: una oficina nacional con sus direcciones y unidades y nueve
direcciones departamentales con sus oficinas regionales (la columna `servicio` de la hoja
unidades: Oficina Nacional o Departamental), sin servicio exterior. El libro tiene todas las
hojas del contrato: ingresos propios por la emisión de cédulas y certificados, servicios
prestados por departamento y mes, dos reformulaciones (altas, bajas, reprogramaciones y un
cambio de tareas), un presupuesto con su historia y los doce meses de 2024, de modo que
sirven los informes trimestrales (T1 a T4) y la rendición de cuentas.

Los nombres, las operaciones, los montos y los textos están en `data/muestra-departamental/`
(CSV y YAML, ver su LEEME.md); las reglas que los vuelven un libro, en el paquete
`scripts/muestra_departamental/`, que comparte con el de la primera muestra lo que no depende
del catálogo. Aquí sólo se encadenan: construir, verificar, escribir.

Es determinista: semilla fija, propiedades fijas del libro y fechas fijas dentro del zip, de
modo que dos ejecuciones producen el mismo archivo byte a byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from muestra.comun import RAIZ
from muestra.escritura import escribir_libro, ruta_de_salida
from muestra_departamental.catalogo import FECHA_LIBRO, TITULO_DEL_LIBRO
from muestra_departamental.libro import construir_tablas
from muestra_departamental.verificacion import verificar_todo

SALIDA_POR_DEFECTO = RAIZ / "data" / "departamental" / "poa_2024.xlsx"


def main(argv: list[str] | None = None) -> int:
    salida = ruta_de_salida(argv, __doc__.splitlines()[0], SALIDA_POR_DEFECTO)
    tablas = construir_tablas()
    avance = verificar_todo(tablas)
    escribir_libro(tablas, salida, TITULO_DEL_LIBRO, FECHA_LIBRO)
    ops = tablas["operaciones"]
    numeros = {r["numero"] for r in tablas["reformulaciones"]}
    niveles = "; ".join(
        f"T{q}: " + ", ".join(f"{n} {v:.2f}" for n, v in por_nivel.items())
        for q, por_nivel in avance.items()
    )
    print(
        f"{salida}: {len(tablas['unidades'])} unidades, {len(tablas['areas'])} áreas, "
        f"{len(ops)} operaciones, {sum(o['tareas'] for o in ops)} tareas, "
        f"{len(tablas['presupuesto'])} líneas de presupuesto, "
        f"{len(tablas['reformulaciones'])} cambios en {len(numeros)} "
        f"reformulaciones; avance por nivel {niveles}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
