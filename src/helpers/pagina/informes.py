"""Los informes generados que hay en la carpeta de trabajo, como los lista la página: de qué
entidad, qué periodo, cuándo se generaron, qué archivos tienen y si la verificación
(`informe-poa verificar --sin-cuadernos`) dice que coinciden con sus datos y su código.

Todo sale del manifiesto de cada informe (`helpers.salida.manifiesto`), no de la carpeta en
que está: un informe movido o copiado se lista igual. Una carpeta cuyo manifiesto no se
entiende (otro programa, otra versión, editado a mano) se lista como «no se puede leer», con
el motivo, y la lista sigue.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from helpers.comun.errores_del_sistema import causa
from helpers.comun.numeros import formatear_entero
from helpers.pagina.espacio import Espacio
from helpers.redaccion.analisis import contar
from helpers.rutas import MANIFIESTO

__all__ = ["COMPLETA", "ILEGIBLE", "PARA_LEER", "QUE_CUBRE", "RAPIDA", "Informe", "describir",
           "estado_de_verificacion", "informes"]

# Los archivos de un informe que la página ofrece, en este orden.
PARA_LEER = ("informe.pdf", "informe.html", "informe.docx", "anexo.xlsx", "presentacion.pdf",
             "presentacion.pptx")
ILEGIBLE = "no se puede leer"


@dataclass(frozen=True)
class Informe:
    """Un informe de la carpeta de trabajo: `relativa`, su carpeta como la nombra la página."""

    carpeta: Path
    relativa: str
    tipo: str
    entidad: str
    periodo: str
    generado: datetime | None
    archivos: list[str] = field(default_factory=list)  # de PARA_LEER, los que tiene
    tablas: list[str] = field(default_factory=list)  # tablas/*.csv, por nombre
    datos_abiertos: bool = False  # si tiene datos-abiertos/datapackage.json
    problema: str = ""  # por qué no se puede leer; vacío si se lee

    @classmethod
    def ilegible(cls, carpeta: Path, relativa: str, motivo: str) -> Informe:
        return cls(carpeta=carpeta, relativa=relativa, tipo="—", entidad=ILEGIBLE,
                   periodo="—", generado=None, problema=f"{ILEGIBLE}: {motivo}")

    @property
    def fecha(self) -> str:
        """'25/11/2026 08:29' en la hora de esta máquina; '—' si el manifiesto no la dice."""
        if self.generado is None:
            return "—"
        return self.generado.astimezone().strftime("%d/%m/%Y %H:%M")


def _periodo(parametros: dict) -> str:
    from helpers.redaccion.identidad import periodo_del_titulo

    gestion, informe = parametros.get("gestion"), parametros.get("informe", "")
    if not isinstance(gestion, int):
        return "—"
    periodo = periodo_del_titulo(gestion, parametros.get("trimestre"), informe)
    corte = parametros.get("corte")
    return f"{periodo}, hasta {corte}" if corte and corte != "diciembre" else periodo


def _titulo(informe: str) -> str:
    from helpers.entrada import tipos

    try:
        return tipos.tipo(informe).titulo
    except tipos.TipoDesconocido:
        return informe or "—"


def _fecha(texto) -> datetime | None:
    """La fecha del manifiesto, siempre con zona horaria (una sin zona es de esta máquina):
    así se ordenan juntas las de informes escritos en otra parte."""
    try:
        return datetime.fromisoformat(texto).astimezone()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _leer(carpeta: Path, relativa: str, manifiesto) -> Informe:
    """El informe de `carpeta` tal como lo dice su `manifiesto`; lanza lo que lance un
    manifiesto que no es el que escribe el ejecutor."""
    parametros = manifiesto["parametros"]
    entidad = parametros["entidad"]
    nombre = entidad.get("nombre", "") if isinstance(entidad, dict) else ""
    sigla = entidad.get("sigla", "") if isinstance(entidad, dict) else ""
    return Informe(
        carpeta=carpeta,
        relativa=relativa,
        tipo=str(_titulo(parametros.get("informe", ""))),
        entidad=f"{nombre} ({sigla})" if sigla else str(nombre),
        periodo=_periodo(parametros),
        generado=_fecha(manifiesto.get("fin")),
        archivos=[n for n in PARA_LEER if (carpeta / n).is_file()],
        tablas=sorted(p.name for p in (carpeta / "tablas").glob("*.csv")),
        datos_abiertos=(carpeta / "datos-abiertos" / "datapackage.json").is_file(),
    )


def describir(espacio: Espacio, carpeta: Path) -> Informe:
    """El informe de `carpeta`, leído de su manifiesto; si no se entiende, uno «no se puede
    leer» con el motivo (la lista no se rompe por una carpeta rara)."""
    relativa = espacio.relativa(carpeta)
    try:
        manifiesto = json.loads((carpeta / MANIFIESTO).read_text(encoding="utf-8"))
    except OSError as error:
        return Informe.ilegible(carpeta, relativa, f"no se pudo abrir su {MANIFIESTO} "
                                f"({causa(error)})")
    except ValueError:
        return Informe.ilegible(carpeta, relativa, f"su {MANIFIESTO} no es JSON")
    try:
        return _leer(carpeta, relativa, manifiesto)
    except Exception:  # noqa: BLE001 - un manifiesto editado puede traer cualquier cosa
        motivo = (f"su {MANIFIESTO} no es el que escribe informe-poa (le falta algo o trae "
                  "un valor que no se entiende); genere el informe de nuevo")
    return Informe.ilegible(carpeta, relativa, motivo)


def informes(espacio: Espacio) -> list[Informe]:
    """Los informes de la carpeta de trabajo, el más reciente primero; los que no se pueden
    leer, al final."""
    encontrados = [describir(espacio, c) for c in espacio.informes()]
    return sorted(encontrados, key=lambda i: (i.generado is not None, i.generado or 0),
                  reverse=True)


# Lo que cubre cada verificación de la página, como lo dice al lado de su resultado.
RAPIDA = "rápida: huellas y tablas, sin ejecutar los cuadernos"
COMPLETA = "completa: huellas, tablas y cada cuaderno ejecutado otra vez"
QUE_CUBRE = (
    "«Verificar» hace la verificación rápida (informe-poa verificar --sin-cuadernos, unos "
    "segundos): comprueba que cada archivo de entrada, de salida y del código tiene la huella "
    "SHA-256 que guardó el manifiesto y calcula otra vez las tablas con los datos guardados. "
    "No vuelve a ejecutar los cuadernos: no comprueba que sus textos, cifras y gráficos salgan "
    "otra vez de esos datos. Eso lo hace la «Verificación completa» (informe-poa verificar), "
    "que ejecuta cada cuaderno en un kernel nuevo y compara sus salidas; tarda minutos.")


def estado_de_verificacion(carpeta: Path, completa: bool = False) -> str:
    """Lo que dice `informe-poa verificar` (`completa`: también los cuadernos, ejecutados
    otra vez; si no, `--sin-cuadernos`: huellas y tablas) en una línea: qué verificación fue,
    cuántas comprobaciones y si todo coincide; si no, cuántas no coinciden de cada clase (el
    detalle, con la orden en la terminal)."""
    from collections import Counter

    from helpers.salida.verificacion import verificar

    cual = COMPLETA if completa else RAPIDA
    try:
        veredictos = verificar(carpeta, cuadernos=completa)
    except Exception as error:  # noqa: BLE001 - la página dice que no se pudo, sin traza
        return f"No se pudo verificar ({cual}): {error}"
    distintos = Counter(v.que for v in veredictos if not v.coincide)
    total = (f"Verificación {cual}. "
             f"{contar(len(veredictos), 'comprobación', 'comprobaciones')}")
    if not distintos:
        return f"{total}, todo coincide."
    clases = ", ".join(f"{que}: {formatear_entero(n)}" for que, n in sorted(distintos.items()))
    n = sum(distintos.values())
    orden = f"informe-poa verificar {carpeta.name}{'' if completa else ' --sin-cuadernos'}"
    return (f"{total}, {formatear_entero(n)} no {'coincide' if n == 1 else 'coinciden'} "
            f"({clases}); el detalle: {orden}")
