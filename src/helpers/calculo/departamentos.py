"""Las cifras de cada departamento, para el mapa de departamentos (`redaccion.mapa`).

Entra el cálculo de un corte (`pasos.Calculo`) de un libro cuyas hojas areas o unidades
tienen la columna departamento; sale una fila por departamento con oficinas, con las mismas
cifras que cada nivel del informe (`pasos.COLUMNAS_METRICAS`). Un departamento se calcula
como un grupo de áreas más (la columna servicio, docs/metodologia.md §2.3 y §3), con el mismo
cálculo y las mismas reglas de los parámetros, no con otra fórmula:

- la ejecución: lo devengado de las líneas del presupuesto de sus unidades sobre su vigente
  (se suman los montos y después se divide; nunca la media de porcentajes);
- el avance físico y la eficacia: con la regla de agregación (`metodologia.agregacion`):
  `promedio_unidades`, la media de sus áreas y cada área, la media de sus unidades en el
  departamento; `tareas`, la media de sus operaciones ponderada por tareas;
- la eficiencia, la brecha, la calificación y el semáforo, de esas cifras como en cada nivel.

Una unidad está en el departamento de su fila (columna departamento de unidades) o, vacía, en
el de su área (columna departamento de areas). Un área con unidades en dos departamentos
cuenta en cada uno con sus unidades de allí. Las unidades sin departamento (la oficina
nacional) no entran en ninguno. Sin ningún departamento escrito, no hay cifras (None): no hay
mapa.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from helpers.calculo.pasos import COLUMNAS_METRICAS, Calculo
from helpers.entrada.contrato import DEPARTAMENTOS

__all__ = ["COLUMNAS_DEPARTAMENTO", "cifras_por_departamento", "departamento_de_cada_unidad",
           "tabla_departamento"]

# Las columnas de la tabla por departamento, antes de las cifras.
COLUMNAS_DEPARTAMENTO = ["departamento", "nombre", "areas", "unidades"]
# Une el código del área y el del departamento en la clave de cada parte de un área.
_SEPARADOR = "\x1f"


def departamento_de_cada_unidad(unidades: pd.DataFrame, areas: pd.DataFrame | None
                                ) -> pd.Series:
    """El código del departamento de cada unidad (índice: codigo_unidad): el de su fila o,
    vacío, el de su área; "" si no tiene ninguno. Una hoja sin la columna (o sin la hoja de
    áreas) cuenta como vacía."""
    propio = _columna(unidades, "departamento")
    por_area = ({} if areas is None or not len(areas)
                else dict(zip(areas["area"], _columna(areas, "departamento"))))
    heredado = unidades["area"].map(lambda area: por_area.get(area, ""))
    departamento = propio.where(propio != "", heredado)
    return pd.Series(departamento.to_numpy(), index=unidades["codigo_unidad"].to_numpy(),
                     name="departamento", dtype=object)


def _columna(tabla: pd.DataFrame, nombre: str) -> pd.Series:
    if nombre not in tabla.columns:
        return pd.Series("", index=tabla.index, dtype=object)
    return tabla[nombre].fillna("").astype(str).astype(object)


def cifras_por_departamento(calc: Calculo) -> pd.DataFrame | None:
    """Una fila por departamento con unidades, en el orden de `DEPARTAMENTOS`: su código,
    su nombre, cuántas áreas y unidades tiene y `COLUMNAS_METRICAS` (montos, ejecución,
    avance físico, eficacia, eficiencia, brecha, calificación, grado y semáforo) al corte de
    `calc`. None si ninguna unidad tiene departamento."""
    datos = calc.datos
    unidades = datos.unidades
    departamento = departamento_de_cada_unidad(unidades, getattr(datos, "areas", None))
    if not (departamento != "").any():
        return None
    # Cada departamento es un grupo de áreas (la columna servicio) y cada parte de un área
    # en un departamento, un área: el mismo cálculo de los niveles, sobre esta organización.
    por_departamento = unidades.assign(
        servicio=departamento.to_numpy(),
        area=(unidades["area"].astype(str) + _SEPARADOR + departamento.to_numpy()).to_numpy(),
    )
    # La versión del POA ya es la del corte (`datos.corte`): no se vuelve a armar.
    otro = Calculo(dataclasses.replace(datos, unidades=por_departamento), calc.trimestre,
                   calc.reglas)
    presentes = [c for c in DEPARTAMENTOS if (departamento == c).any()]
    cifras = otro.niveles["servicio"].reindex(presentes)
    de_cada = pd.DataFrame({"departamento": departamento.to_numpy(),
                            "area": unidades["area"].to_numpy()})
    tabla = pd.DataFrame({
        "departamento": presentes,
        "nombre": [DEPARTAMENTOS[c] for c in presentes],
        "areas": [de_cada.loc[de_cada["departamento"] == c, "area"].nunique() for c in presentes],
        "unidades": [int((departamento == c).sum()) for c in presentes],
    })
    return pd.concat([tabla, cifras[COLUMNAS_METRICAS].reset_index(drop=True)], axis=1)


def tabla_departamento(calc: Calculo) -> pd.DataFrame:
    """La tabla «departamento» del informe: `cifras_por_departamento`, o sin filas (con sus
    columnas) si el libro no dice ningún departamento."""
    cifras = cifras_por_departamento(calc)
    if cifras is not None:
        return cifras
    # Las columnas de las cifras, con los tipos de las de un nivel.
    cifras = calc.niveles["servicio"][COLUMNAS_METRICAS].iloc[:0].reset_index(drop=True)
    tabla = pd.DataFrame({"departamento": pd.Series(dtype="str"),
                          "nombre": pd.Series(dtype="str"),
                          "areas": pd.Series(dtype="int64"), "unidades": pd.Series(dtype="int64")})
    return pd.concat([tabla, cifras], axis=1)
