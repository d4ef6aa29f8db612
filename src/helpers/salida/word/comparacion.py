"""Una copia editada del DOCX del informe frente al DOCX que escribió el programa.

Entran los dos documentos; sale un ``Resultado``: cada cifra de un cuadro que ya no dice lo
mismo (cuadro, fila, columna, lo que dice, lo que dan los datos), cada cuadro o fila quitado
o agregado, cada cifra del resumen ejecutivo que cambió, y cuántos párrafos de texto se
reescribieron (se cuentan: reescribir es el trabajo del director).

Cada tabla se reconoce por su texto alternativo (``documento.PREFIJO_CUADRO`` y el id del
cuadro en el informe), que Word conserva al editar: los números de las leyendas cambian si se
borra un cuadro. Las filas se emparejan por su primera celda (la unidad, el área, el
concepto), en su orden; las columnas, por su posición. Una cifra se compara con la precisión
con que se muestra: «88,75 %» y «88,750 %» dicen lo mismo; «88,8 %» no.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from helpers.salida.word.documento import PREFIJO_CUADRO
from helpers.salida.word.fuente import ESTILO_CONTENIDO, ESTILO_RESUMEN

__all__ = ["Diferencia", "DocumentoAjeno", "Resultado", "comparar", "leer"]

# Una cifra como la escribe el informe (es-BO): miles con punto, decimales con coma.
_CIFRA = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")


# El id de cada cuadro en el informe (``<table id="tabla-…">``), que pandoc vuelve marcador.
_PREFIJO_TABLA = "tabla-"
_ESTILOS_SIN_PROSA = {"table caption", "image caption", "captioned figure", "fuente",
                      ESTILO_CONTENIDO.casefold()}


class DocumentoAjeno(Exception):
    """El archivo no es un DOCX, o no es una copia del informe de esa carpeta."""


@dataclass(frozen=True)
class Tabla:
    id: str
    leyenda: str
    filas: list[list[str]]


@dataclass
class Documento:
    identificador: str
    tablas: dict[str, Tabla]
    parrafos: list[str]
    resumen: list[str]


@dataclass(frozen=True)
class Diferencia:
    """Un hallazgo: `clase` es «cifra», «cuadro quitado», «cuadro agregado», «fila quitada»,
    «fila agregada» o «resumen»."""

    clase: str
    cuadro: str
    fila: str = ""
    columna: str = ""
    dice: str = ""
    datos: str = ""


@dataclass
class Resultado:
    diferencias: list[Diferencia] = field(default_factory=list)
    cifras_comparadas: int = 0
    cuadros_comparados: int = 0
    parrafos_reescritos: int = 0

    @property
    def coincide(self) -> bool:
        return not self.diferencias


def leer(ruta: Path) -> Documento:
    """Las tablas del informe (por su id), los párrafos de texto y los del resumen ejecutivo
    de un DOCX. Un archivo que no es un DOCX es `DocumentoAjeno`."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    try:
        documento = docx.Document(str(ruta))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentoAjeno(f"{Path(ruta).name} no es un documento de Word (.docx) que se "
                             f"pueda leer ({error}).") from None
    tablas = {}
    for tabla in documento.tables:
        ident = _id_del_cuadro(tabla._tbl)
        if ident is None:
            continue
        leyenda = tabla._tbl.tblPr.find(qn("w:tblCaption"))
        filas = [[" ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))).split())
                  for tc in fila.tc_lst] for fila in tabla._tbl.tr_lst]
        tablas[ident] = Tabla(ident, leyenda.get(qn("w:val")) if leyenda is not None else ident,
                              filas)
    parrafos = [" ".join(p.text.split()) for p in documento.paragraphs
                if p.text.strip() and not _sin_prosa(p)]
    resumen = [" ".join(p.text.split()) for p in documento.paragraphs
               if p.style is not None and p.style.name == ESTILO_RESUMEN and p.text.strip()]
    return Documento(documento.core_properties.identifier or "", tablas, parrafos, resumen)


def _id_del_cuadro(tabla) -> str | None:
    """El id del cuadro de una tabla: el de su texto alternativo o, si el programa con que se
    guardó la copia no lo conservó, el del marcador que pandoc pone antes de su leyenda (los
    marcadores de Word se conservan). None: una tabla que no es un cuadro del informe."""
    from docx.oxml.ns import qn

    propiedades = tabla.tblPr
    alternativo = propiedades.find(qn("w:tblDescription")) if propiedades is not None else None
    valor = alternativo.get(qn("w:val")) if alternativo is not None else ""
    if valor and valor.startswith(PREFIJO_CUADRO):
        return valor.removeprefix(PREFIJO_CUADRO)
    anterior = tabla.getprevious()
    for _ in range(3):  # la leyenda y, antes, el marcador
        if anterior is None:
            break
        if anterior.tag == qn("w:bookmarkStart"):
            nombre = anterior.get(qn("w:name")) or ""
            return nombre if nombre.startswith(_PREFIJO_TABLA) else None
        marcas = anterior.findall(f".//{qn('w:bookmarkStart')}")
        if marcas and (marcas[0].get(qn("w:name")) or "").startswith(_PREFIJO_TABLA):
            return marcas[0].get(qn("w:name"))
        anterior = anterior.getprevious()
    return None


def _sin_prosa(parrafo) -> bool:
    """Un párrafo que no es texto del informe: leyendas, fuentes, el índice (Word lo
    reescribe al actualizarlo, con los números de página) y los títulos de las figuras."""
    nombre = (parrafo.style.name if parrafo.style is not None else "").casefold()
    return nombre in _ESTILOS_SIN_PROSA or nombre.startswith("toc")


def comparar(informe: Documento, editado: Documento) -> Resultado:
    """Lo que la copia `editado` ya no dice igual que el DOCX del informe `informe`. Una copia
    de otro informe (otro identificador, ningún cuadro en común) es `DocumentoAjeno`."""
    if editado.identificador != informe.identificador and not (
            editado.tablas.keys() & informe.tablas.keys()):
        raise DocumentoAjeno("no es una copia del informe de esa carpeta: no lleva su "
                             "identificador ni ninguno de sus cuadros.")
    resultado = Resultado()
    for ident, original in informe.tablas.items():
        copia = editado.tablas.get(ident)
        if copia is None:
            resultado.diferencias.append(Diferencia("cuadro quitado", original.leyenda))
            continue
        resultado.cuadros_comparados += 1
        _comparar_tabla(original, copia, resultado)
    for ident, copia in editado.tablas.items():
        if ident not in informe.tablas:
            resultado.diferencias.append(Diferencia("cuadro agregado", copia.leyenda))
    _comparar_resumen(informe.resumen, editado.resumen, resultado)
    resultado.parrafos_reescritos = _reescritos(informe.parrafos, editado.parrafos)
    return resultado


def _comparar_tabla(original: Tabla, copia: Tabla, resultado: Resultado) -> None:
    encabezado = original.filas[0] if original.filas else []
    claves = [_clave(f) for f in original.filas[1:]]
    otras = [_clave(f) for f in copia.filas[1:]]
    pares = difflib.SequenceMatcher(None, claves, otras, autojunk=False)
    for operacion, a1, a2, b1, b2 in pares.get_opcodes():
        if operacion == "equal" or (operacion == "replace" and a2 - a1 == b2 - b1):
            for i, j in zip(range(a1, a2), range(b1, b2)):
                _comparar_fila(original, encabezado, original.filas[i + 1],
                               copia.filas[j + 1], resultado)
            continue
        for i in range(a1, a2):
            resultado.diferencias.append(Diferencia("fila quitada", original.leyenda,
                                                    claves[i]))
        for j in range(b1, b2):
            resultado.diferencias.append(Diferencia("fila agregada", original.leyenda,
                                                    otras[j]))


def _clave(fila: list[str]) -> str:
    return fila[0] if fila else ""


def _comparar_fila(tabla: Tabla, encabezado: list[str], fila: list[str], otra: list[str],
                   resultado: Resultado) -> None:
    for k, valor in enumerate(fila):
        if not _CIFRA.search(valor):
            continue
        resultado.cifras_comparadas += 1
        dice = otra[k] if k < len(otra) else ""
        if not _iguales(valor, dice):
            columna = encabezado[k] if k < len(encabezado) else str(k + 1)
            resultado.diferencias.append(
                Diferencia("cifra", tabla.leyenda, _clave(fila), columna, dice, valor))


def _numeros(texto: str) -> list[Decimal | str]:
    """Las cifras de `texto` como números (lo demás, tal cual, sin espacios)."""
    valores: list[Decimal | str] = []
    for cifra in _CIFRA.findall(texto):
        try:
            valores.append(Decimal(cifra.replace(".", "").replace(",", ".")))
        except InvalidOperation:
            valores.append(cifra)
    return valores


def _iguales(valor: str, dice: str) -> bool:
    """Dicen lo mismo: las mismas cifras con la precisión con que se muestran y el mismo
    texto alrededor (un «%» que desaparece, o «Alto» por «Bajo», también es otra cosa)."""
    return (_numeros(valor) == _numeros(dice)
            and _CIFRA.sub("#", "".join(valor.split())) == _CIFRA.sub("#", "".join(dice.split())))


def _comparar_resumen(original: list[str], editado: list[str], resultado: Resultado) -> None:
    """Las cifras del resumen ejecutivo, en su orden: cada una que cambió, se quitó o se
    agregó (las del texto reescrito alrededor, no)."""
    antes = [c for p in original for c in _CIFRA.findall(p)]
    despues = [c for p in editado for c in _CIFRA.findall(p)]
    resultado.cifras_comparadas += len(antes)
    pares = difflib.SequenceMatcher(None, [tuple(_numeros(c)) for c in antes],
                                    [tuple(_numeros(c)) for c in despues], autojunk=False)
    for operacion, a1, a2, b1, b2 in pares.get_opcodes():
        if operacion == "equal":
            continue
        largo = max(a2 - a1, b2 - b1)
        for k in range(largo):
            datos = antes[a1 + k] if a1 + k < a2 else ""
            dice = despues[b1 + k] if b1 + k < b2 else ""
            resultado.diferencias.append(Diferencia("resumen", "Resumen ejecutivo",
                                                    dice=dice, datos=datos))


def _reescritos(original: list[str], editado: list[str]) -> int:
    """Cuántos párrafos de la copia no están, tal cual, en el informe."""
    pares = difflib.SequenceMatcher(None, original, editado, autojunk=False)
    return sum(max(a2 - a1, b2 - b1) for operacion, a1, a2, b1, b2 in pares.get_opcodes()
               if operacion != "equal")
