"""Ejemplos resueltos de la memoria de cálculo: la cuenta de una unidad, un área y una ACP
escrita para rehacerla a mano, y comprobada contra la tabla del cálculo.

Cada ejemplo rehace la cuenta con los valores de sus componentes (en precisión completa)
y `comprobar` exige que dé lo mismo que el nivel calculado por `calculo`; el texto
muestra los mismos valores redondeados a dos decimales.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.pasos import Calculo
from helpers.comun.literal import markdown
from helpers.comun.numeros import formatear_numero, formatear_porcentaje

PERIODOS = {"trimestre": "del trimestre", "acumulado": "acumulado"}


@dataclass
class Ejemplo:
    """Una cuenta resuelta: sus componentes (`detalle`), la cuenta escrita (`cuenta`), lo
    que da (`valor`) y lo que dice la tabla del cálculo (`en_tabla`)."""

    titulo: str
    detalle: pd.DataFrame
    cuenta: str
    valor: float
    en_tabla: float

    @property
    def texto(self) -> str:
        """La cuenta en Markdown, con los datos escapados."""
        return f"**{self.titulo}**\n\n{self.cuenta}"

    def comprobar(self) -> None:
        """Falla si la cuenta no da lo que dice la tabla (a 1e-9)."""
        ambos_vacios = _vacio(self.valor) and _vacio(self.en_tabla)
        if ambos_vacios:
            return
        if _vacio(self.valor) or _vacio(self.en_tabla) or not math.isclose(
            self.valor, self.en_tabla, rel_tol=1e-9, abs_tol=1e-9
        ):
            raise AssertionError(
                f"{self.titulo}: la cuenta da {self.valor!r} y la tabla dice {self.en_tabla!r}"
            )


def _vacio(valor) -> bool:
    return valor is None or pd.isna(valor)


def _n(valor) -> str:
    return formatear_numero(valor, 2)


def _media_ponderada(filas: pd.DataFrame) -> tuple[str, float]:
    """Σ(cumplimiento × tareas) ÷ Σ tareas sobre `filas`, escrita y calculada."""
    if filas.empty:
        return "sin operaciones programadas en el periodo: no tiene valor", math.nan
    productos = " + ".join(f"{_n(c)} × {int(t)}"
                           for c, t in zip(filas["cumplimiento"], filas["tareas"], strict=True))
    suma = float((filas["cumplimiento"] * filas["tareas"]).sum())
    tareas = float(filas["tareas"].sum())
    valor = suma / tareas
    return (f"({productos}) ÷ ({' + '.join(str(int(t)) for t in filas['tareas'])}) = "
            f"{_n(suma)} ÷ {int(tareas)} = **{formatear_porcentaje(valor)}**"), valor


def _media_simple(valores: pd.Series) -> tuple[str, float]:
    valores = valores.dropna()
    if valores.empty:
        return "ninguna unidad tiene valor en el periodo: no tiene valor", math.nan
    valor = float(valores.sum()) / len(valores)
    return (f"({' + '.join(_n(v) for v in valores)}) ÷ {len(valores)} = "
            f"**{formatear_porcentaje(valor)}**"), valor


def _operaciones(calc: Calculo, periodo: str) -> pd.DataFrame:
    """Las operaciones que entran en los promedios del periodo, con su contexto."""
    ops = calc.datos.operaciones
    c = calc.cumplimientos[periodo]
    mapa = calc.datos.unidades.set_index("codigo_unidad")
    tabla = pd.DataFrame({
        "codigo_operacion": ops["codigo_operacion"],
        "codigo_unidad": ops["codigo_unidad"],
        "codigo_acp": ops["codigo_acp"],
        "area": ops["codigo_unidad"].map(mapa["area"]),
        "tareas": ops["tareas"].astype(int),
        "cumplimiento": c["cumplimiento"],
    })
    return tabla[tabla["cumplimiento"].notna()]


def unidad(calc: Calculo, codigo: str = "", periodo: str = "trimestre") -> Ejemplo:
    """El avance físico de una unidad: media de sus operaciones ponderada por tareas."""
    codigo = codigo or calc.datos.unidades["codigo_unidad"].iloc[0]
    filas = _operaciones(calc, periodo)
    filas = filas[filas["codigo_unidad"] == codigo]
    cuenta, valor = _media_ponderada(filas)
    return Ejemplo(
        titulo=f"Unidad {markdown(codigo)}, avance físico {PERIODOS[periodo]}",
        detalle=filas[["codigo_operacion", "tareas", "cumplimiento"]].reset_index(drop=True),
        cuenta=f"Unidad {markdown(codigo)} = {cuenta}",
        valor=valor,
        en_tabla=calc.avances[periodo].unidad.get(codigo, math.nan),
    )


def area(calc: Calculo, nombre: str = "", periodo: str = "trimestre") -> Ejemplo:
    """El avance físico de un área: media simple de sus unidades (`promedio_unidades`) o
    media de sus operaciones ponderada por tareas (`tareas`)."""
    uds = calc.datos.unidades
    nombre = nombre or uds["area"].iloc[0]
    titulo = f"Área {markdown(nombre)}, avance físico {PERIODOS[periodo]}"
    en_tabla = calc.avances[periodo].area.get(nombre, math.nan)
    if calc.reglas.agregacion == "tareas":
        filas = _operaciones(calc, periodo)
        filas = filas[filas["area"] == nombre]
        cuenta, valor = _media_ponderada(filas)
        detalle = filas[["codigo_operacion", "codigo_unidad", "tareas", "cumplimiento"]]
    else:
        codigos = uds.loc[uds["area"] == nombre, "codigo_unidad"]
        valores = calc.avances[periodo].unidad.reindex(codigos)
        cuenta, valor = _media_simple(valores)
        detalle = pd.DataFrame({"codigo_unidad": codigos.to_numpy(),
                                "avance_fisico": valores.to_numpy()})
    return Ejemplo(titulo, detalle.reset_index(drop=True), f"Área {markdown(nombre)} = {cuenta}",
                   valor, en_tabla)


def acp(calc: Calculo, codigo: str = "", periodo: str = "trimestre") -> Ejemplo:
    """El avance físico de una ACP: con `promedio_unidades`, media simple, sobre las
    unidades con operaciones en ella, del avance de cada unidad sólo con esas operaciones;
    con `tareas`, media de sus operaciones ponderada por tareas."""
    codigo = codigo or calc.datos.acp["codigo_acp"].iloc[0]
    filas = _operaciones(calc, periodo)
    filas = filas[filas["codigo_acp"] == codigo]
    titulo = f"ACP {markdown(codigo)}, avance físico {PERIODOS[periodo]}"
    en_tabla = calc.avances[periodo].acp.get(codigo, math.nan)
    if calc.reglas.agregacion == "tareas":
        cuenta, valor = _media_ponderada(filas)
        detalle = filas[["codigo_operacion", "codigo_unidad", "tareas", "cumplimiento"]]
        return Ejemplo(titulo, detalle.reset_index(drop=True), f"ACP {markdown(codigo)} = {cuenta}",
                       valor, en_tabla)
    por_unidad = []
    lineas = []
    for unidad_acp, grupo in filas.groupby("codigo_unidad", sort=False):
        texto, v = _media_ponderada(grupo)
        por_unidad.append({"codigo_unidad": unidad_acp, "operaciones": len(grupo),
                           "avance_fisico": v})
        lineas.append(f"- {markdown(unidad_acp)} (sólo sus operaciones de esta ACP) = {texto}")
    detalle = pd.DataFrame(por_unidad, columns=["codigo_unidad", "operaciones", "avance_fisico"])
    cuenta, valor = _media_simple(detalle["avance_fisico"])
    lineas.append(f"\nACP {markdown(codigo)} = {cuenta}")
    return Ejemplo(titulo, detalle, "\n".join(lineas), valor, en_tabla)


def entidad(calc: Calculo, periodo: str = "trimestre") -> Ejemplo:
    """El avance físico de la entidad: media de sus servicios (cada uno, media de sus
    áreas) con `promedio_unidades`; media de todas las operaciones ponderada por tareas
    con `tareas`."""
    en_tabla = calc.avances[periodo].entidad
    titulo = f"Entidad, avance físico {PERIODOS[periodo]}"
    if calc.reglas.agregacion == "tareas":
        filas = _operaciones(calc, periodo)
        suma = float((filas["cumplimiento"] * filas["tareas"]).sum())
        tareas = float(filas["tareas"].sum())
        valor = suma / tareas if tareas else math.nan
        cuenta = (f"Σ (cumplimiento × tareas) ÷ Σ tareas, sobre las {len(filas)} operaciones "
                  f"programadas = {_n(suma)} ÷ {int(tareas)} = **{formatear_porcentaje(valor)}**")
        detalle = pd.DataFrame({"operaciones": [len(filas)], "tareas": [tareas]})
        return Ejemplo(titulo, detalle, cuenta, valor, en_tabla)
    servicios = calc.avances[periodo].servicio
    detalle = servicios.rename("avance_fisico").rename_axis("servicio").reset_index()
    cuenta, valor = _media_simple(servicios)
    return Ejemplo(titulo, detalle, f"Entidad = {cuenta}", valor, en_tabla)


def eficacia_acumulada(calc: Calculo, nivel: str = "entidad", codigo: str = "") -> Ejemplo:
    """La eficacia acumulada: la suma de las eficacias de cada trimestre hasta el corte."""
    def valor_en(agregado: m.Agregado):
        if nivel == "entidad":
            return agregado.entidad
        return agregado.nivel(nivel).get(codigo, math.nan)

    trimestres = {t: valor_en(ag) for t, ag in calc.eficacias.items()}
    presentes = {t: v for t, v in trimestres.items() if not _vacio(v)}
    valor = float(sum(presentes.values())) if presentes else math.nan
    nombre = "Entidad" if nivel == "entidad" else f"{nivel} {markdown(codigo)}"
    partes = " + ".join(f"{_n(v)} (T{t})" for t, v in presentes.items()) or "sin valor"
    detalle = pd.DataFrame({"trimestre": list(trimestres), "eficacia": list(trimestres.values())})
    return Ejemplo(
        titulo=f"{nombre}, eficacia acumulada",
        detalle=detalle,
        cuenta=f"{partes} = **{formatear_porcentaje(valor)}**",
        valor=valor,
        en_tabla=valor_en(calc.eficacia_acumulada),
    )
