"""Genera el libro de muestra `data/2024/poa_2024.xlsx` (MRE, POA 2024, segundo trimestre).

Uso:  .venv/bin/python scripts/generar_muestra.py [--salida RUTA]

El libro sigue el contrato de datos (hojas unidades, acp, operaciones, presupuesto,
narrativa, historico, reformulaciones, ...) y reproduce las cifras publicadas de
`data/referencia/mre-2024-*.csv`:

- el avance físico de cada unidad central en T1 y T2 (metodología §2: cumplimiento por
  operación con tope 100 %, promedio ponderado por tareas) coincide con el publicado con un
  error menor a 0,0004, de modo que también las medias de áreas y ACP y sus eficacias
  (× 0,25) redondean a lo publicado; DGAJ T1 usa 75,12 (= 18,78 × 4), pues el 80,56
  publicado contradice su eficacia;
- el promedio simple de las 85 unidades del servicio exterior da 78,36 (T1) y 83,21 (T2):
  cada misión queda cerca de una meta propia (40 a 100) y la Coordinación (SE) absorbe la
  diferencia;
- casos especiales: una operación NO APLICA, una ejecutada sin programación y un mes sin
  reporte (`casos_especiales` de data/muestra/muestra.yaml);
- el devengado de cada categoría programática coincide al centavo en T2 y en el semestre;
- el vigente de cada área al 31 de marzo (la historia `inicial`, `vig_01..vig_12` del
  presupuesto) es el publicado para T1, y al 30 de junio el de T2 (la columna `vigente`):
  una modificación en mayo pasa presupuesto del servicio exterior a las demás áreas;
- una reformulación en febrero (hoja reformulaciones) agrega operaciones que ya cuentan en
  el ajuste, quita otras (filas adicionales, sólo con enero: no cuentan en ningún
  trimestre) y reprograma algunas (la hoja operaciones tiene la programación nueva).

Los nombres, las operaciones y los textos de la muestra están en `data/muestra/` (CSV y YAML,
ver su LEEME.md); las reglas que los vuelven un libro, en el paquete `scripts/muestra/` (una
parte por tarea; ver su docstring). Aquí sólo se encadenan: construir, verificar, escribir.

Es determinista: semilla fija, propiedades fijas del libro y fechas fijas dentro del zip, de
modo que dos ejecuciones producen el mismo archivo byte a byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from muestra.catalogo import TITULO_DEL_LIBRO
from muestra.comun import FECHA_LIBRO, RAIZ, leer_csv
from muestra.escritura import escribir_libro, ruta_de_salida
from muestra.libro import construir_tablas
from muestra.verificacion import verificar, verificar_presupuesto, verificar_reformulaciones

SALIDA_POR_DEFECTO = RAIZ / "data" / "2024" / "poa_2024.xlsx"


def main(argv: list[str] | None = None) -> int:
    salida = ruta_de_salida(argv, __doc__.splitlines()[0], SALIDA_POR_DEFECTO)
    tablas, metas = construir_tablas()
    errores = verificar(tablas, metas, leer_csv("mre-2024-unidades.csv"))
    verificar_presupuesto(tablas)
    verificar_reformulaciones(tablas)
    escribir_libro(tablas, salida, TITULO_DEL_LIBRO, FECHA_LIBRO)
    ops = tablas["operaciones"]
    central = {u["codigo_unidad"] for u in tablas["unidades"] if u["servicio"] == "Central"}
    peor = max(abs(e) for (u, q), e in errores.items() if q <= 2 and u in central)
    print(
        f"{salida}: {len(tablas['unidades'])} unidades, {len(ops)} operaciones "
        f"({sum(r['cambio'] == 'baja' for r in tablas['reformulaciones'])} dadas de baja), "
        f"{sum(o['tareas'] for o in ops)} tareas, {len(tablas['presupuesto'])} líneas de "
        f"presupuesto, {len(tablas['reformulaciones'])} cambios de la reformulación; desvío "
        f"máximo del avance central T1-T2: {peor:.6f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
