"""La reformulación de febrero de la muestra: operaciones dadas de baja y hoja reformulaciones.

Entran las operaciones ya ajustadas (de `ajuste`), las unidades y la reformulación del
catálogo (`data/muestra/reformulacion.yaml`); salen las operaciones con las dadas de baja
agregadas (filas sólo con enero, al final de las de su unidad) y las filas de la hoja
reformulaciones (altas, bajas y reprogramaciones).
"""

from __future__ import annotations

import numpy as np

from . import catalogo as cat
from .comun import SEMILLA, codigo_operacion
from .operaciones import medio_de_verificacion, nueva_operacion


def agregar_bajas(ops: list[dict], unidades: list[dict]) -> list[dict]:
    """Agrega, al final de las de su unidad, las operaciones que la reformulación quita
    (cat.BAJAS): estaban en el POA inicial con meta y algún logro en enero, y desde el corte
    de febrero están fuera, así que no cuentan en ningún trimestre ni en el ajuste. Un
    generador propio (semilla derivada): agregarlas no cambia las demás filas."""
    rng = np.random.default_rng(SEMILLA + 3)
    unidad = {u["codigo_unidad"]: u for u in unidades}
    salida = list(ops)
    for cod, desc, indicador, medida, meta, observacion in cat.BAJAS:
        posiciones = [i for i, o in enumerate(salida) if o["codigo_unidad"] == cod]
        o = nueva_operacion(
            unidad[cod], len(posiciones) + 1, desc, indicador, medida, (1,), meta, False, rng
        )
        o["tareas"] = int(rng.integers(3, 9))
        o["ejec"][0] = int(rng.integers(1, max(meta, 2)))  # en parte: la operación no siguió
        # Informe 1 o 2 del año: los números de las demás operaciones empiezan en 3.
        o["medio_verificacion"] = medio_de_verificacion(
            cat.MEDIOS, cat.MEDIO_POR_DEFECTO, medida, cod, int(rng.integers(1, 3))
        )
        o["baja"] = observacion
        salida.insert(posiciones[-1] + 1, o)
    return salida


def construir_reformulaciones(ops: list[dict]) -> list[dict]:
    """Las filas de la reformulación de febrero: altas (operaciones ya presentes, con metas
    desde marzo), bajas (las de `agregar_bajas`) y reprogramaciones, cada una un par de
    filas que pasa la meta de un mes a otro: `nuevo` es el valor de la hoja operaciones y
    `anterior` el del POA inicial."""
    numero, resolucion, fecha = cat.REFORMULACION
    por_codigo = {o["codigo_operacion"]: o for o in ops}

    def fila(codigo, cambio, observacion, mes=None, anterior=None, nuevo=None) -> dict:
        assert codigo in por_codigo, codigo
        return {"numero": numero, "resolucion": resolucion, "fecha": fecha,
                "codigo_operacion": codigo, "cambio": cambio, "mes": mes,
                "anterior": anterior, "nuevo": nuevo, "observacion": observacion}

    filas = [fila(codigo_operacion(u, n), "alta", obs) for u, n, obs in cat.ALTAS]
    filas += [fila(o["codigo_operacion"], "baja", o["baja"]) for o in ops if o.get("baja")]
    for unidad, n, desde, hacia, observacion in cat.REPROGRAMACIONES:
        codigo = codigo_operacion(unidad, n)
        prog = por_codigo[codigo]["prog"]
        meta = prog[hacia - 1]  # toda la meta del mes nuevo estaba antes en el anterior
        assert meta > 0 and prog[desde - 1] == 0, (codigo, desde, hacia)
        for mes, anterior in sorted([(desde, meta), (hacia, 0)]):
            filas.append(fila(codigo, "programacion", observacion, mes, anterior, prog[mes - 1]))
    return filas
