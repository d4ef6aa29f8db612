"""La copia marcada de un libro revisado (`<nombre>-revisado.xlsx`, junto al libro).

Cada celda con un problema lleva un relleno (rojo claro los errores, ámbar las
advertencias) y un comentario con su problema (varios problemas de una celda, un solo
comentario que los lista; un comentario que ya tenía la celda se conserva debajo). Un
problema de una columna entera va en su encabezado; el de una columna que no está en la
hoja, en la columna A de su fila (o en A1); el de una hoja que falta o el de otro archivo
(los parámetros), sólo en la lista. La primera hoja, `problemas`, lista todos con un
enlace a su celda.

El libro original no se toca: se lee y la copia se escribe aparte (primero en un archivo
temporal de la misma carpeta, que después toma su nombre). La copia lleva una propiedad
del documento (`MARCA`) que dice que la escribió este programa: sólo se reemplaza o se
borra un `-revisado` con esa marca (el programa borra sólo lo que hizo). Sin problemas no
hay copia, y la de una revisión anterior se borra. Un libro que no se puede abrir (no es un
ZIP de Office, está cifrado) no tiene copia.

El texto de los datos que va a la hoja `problemas` pasa por `literal.celda` y se guarda
como texto: un valor como `=HYPERLINK(...)` no se vuelve fórmula.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.comun.literal import celda as celda_inerte
from helpers.entrada.contrato import EXTENSIONES_LIBRO
from helpers.entrada.errores import Problema, Revision

__all__ = ["MARCA", "HOJA_PROBLEMAS", "RevisadoAjeno", "escribir_revisado", "es_revisado",
           "ruta_revisado"]

# La propiedad del documento que identifica una copia revisada escrita por este programa.
MARCA = ("informe-poa", "libro revisado")
HOJA_PROBLEMAS = "problemas"
SUFIJO = "-revisado"

RELLENO = {"error": "FFC7CE", "advertencia": "FFEB9C"}  # rojo claro, ámbar claro
_ROTULO = {"error": "Error", "advertencia": "Advertencia"}
_AUTOR = "informe-poa validar"
# Encabezado de la hoja problemas: (título, ancho máximo).
_COLUMNAS = (
    ("clase", 12), ("ir a la celda", 24), ("hoja", 18), ("fila", 7), ("columna", 9),
    ("nombre de la columna", 24), ("valor encontrado", 30), ("problema", 110),
)


class RevisadoAjeno(FileExistsError):
    """Ya existe un archivo con el nombre de la copia revisada y no lo escribió este
    programa: no se reemplaza."""


def ruta_revisado(libro: Path) -> Path:
    """poa_2024.xlsx -> poa_2024-revisado.xlsx, en la misma carpeta (un .xlsm sigue .xlsm)."""
    return libro.with_name(f"{libro.stem}{SUFIJO}{libro.suffix}")


def es_revisado(ruta: Path) -> bool:
    """Si `ruta` es una copia revisada escrita por este programa (lleva `MARCA`)."""
    import openpyxl

    if problema_de_tamano(ruta):
        return False  # no se abre: tampoco es nuestro
    try:
        libro = openpyxl.load_workbook(ruta, read_only=True)
    except Exception:  # noqa: BLE001 - lo que no se abre no es nuestro
        return False
    try:
        return any((p.name, getattr(p, "value", None)) == MARCA
                   for p in libro.custom_doc_props)
    finally:
        libro.close()


def escribir_revisado(revision: Revision, destino: Path | None = None) -> Path | None:
    """Escribe la copia marcada del libro de `revision` y devuelve su ruta; None si no hay
    copia: los datos no son un libro (una carpeta de CSV), el libro no se puede abrir, o no
    hay problemas (entonces se borra la copia de una revisión anterior, si es nuestra).

    `destino`: por omisión `<nombre>-revisado.xlsx` junto al libro. Lanza `RevisadoAjeno`
    si ese archivo existe y no lo escribió este programa, y `ValueError` si es el libro."""
    libro = revision.datos
    if libro is None or not libro.is_file() or libro.suffix.casefold() not in EXTENSIONES_LIBRO:
        return None
    destino = Path(destino) if destino is not None else ruta_revisado(libro)
    if destino.resolve() == libro.resolve():
        raise ValueError(f"la copia revisada no puede reemplazar al libro {libro}")
    nuestra = destino.exists() and es_revisado(destino)
    if not revision.problemas:
        if nuestra:
            destino.unlink()
        return None
    if destino.exists() and not nuestra:
        raise RevisadoAjeno(
            f"ya existe {destino} y no es una copia revisada escrita por informe-poa: no se "
            "reemplaza; muévalo o bórrelo y revise otra vez")
    wb = _abrir(libro)
    if wb is None:
        return None
    _marcar_celdas(wb, revision, libro.name)
    _hoja_problemas(wb, revision, libro.name)
    _poner_marca(wb)
    _guardar(wb, destino)
    return destino


def _abrir(libro: Path):
    import openpyxl

    if problema_de_tamano(libro):
        return None  # la revisión ya lo dice; abrirlo agotaría la memoria
    try:
        return openpyxl.load_workbook(
            libro, keep_vba=libro.suffix.casefold() == ".xlsm", keep_links=True, rich_text=True)
    except Exception:  # noqa: BLE001 - no es un ZIP de Office, cifrado, dañado...
        return None


def _titulos(wb) -> dict[str, str]:
    """Hoja del contrato -> título de la hoja en el libro (como las reconoce `cargar_datos`:
    sin mayúsculas ni espacios en los extremos)."""
    titulos: dict[str, str] = {}
    for titulo in wb.sheetnames:
        titulos.setdefault(titulo.strip().casefold(), titulo)
    return titulos


def _ubicacion(problema: Problema, revision: Revision, titulos: dict[str, str],
               archivo: str) -> tuple[str, str] | None:
    """(título de la hoja, celda) donde se marca un problema; None si no tiene celda en el
    libro (otro archivo, o una hoja que no está)."""
    if problema.archivo != archivo or not problema.hoja or problema.hoja not in titulos:
        return None
    celda = revision.celdas.get(problema)
    letra = celda.letra if celda is not None else None
    if letra is not None:
        return titulos[problema.hoja], f"{letra}{problema.fila or 1}"
    return titulos[problema.hoja], f"A{problema.fila or 1}"


def _marcar_celdas(wb, revision: Revision, archivo: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    titulos = _titulos(wb)
    por_celda: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for clase, problema in revision.problemas:
        lugar = _ubicacion(problema, revision, titulos, archivo)
        if lugar is not None:
            por_celda.setdefault(lugar, []).append((clase, problema.mensaje))
    for (titulo, ref), problemas in por_celda.items():
        celda = _celda_editable(wb[titulo], ref)
        clase = "error" if any(c == "error" for c, _ in problemas) else "advertencia"
        celda.fill = PatternFill("solid", start_color=RELLENO[clase], end_color=RELLENO[clase])
        lineas = [f"{_ROTULO[c]}: {mensaje}" for c, mensaje in problemas]
        if celda.comment is not None and celda.comment.text:
            lineas += ["", "Comentario anterior:", celda.comment.text]
        texto = "\n".join(lineas)
        comentario = Comment(texto, _AUTOR)
        comentario.width = 360
        comentario.height = min(600, 40 + 15 * sum(1 + len(x) // 55 for x in lineas))
        celda.comment = comentario


def _celda_editable(hoja, ref: str):
    """La celda `ref`, o la primera de la combinación de celdas que la contiene (las demás
    celdas de una combinación no llevan relleno ni comentario)."""
    for rango in hoja.merged_cells.ranges:
        if ref in rango:
            return hoja.cell(row=rango.min_row, column=rango.min_col)
    return hoja[ref]


def _nombre_libre(wb, nombre: str) -> str:
    usados = {t.casefold() for t in wb.sheetnames}
    if nombre.casefold() not in usados:
        return nombre
    n = 2
    while f"{nombre}_{n}".casefold() in usados:
        n += 1
    return f"{nombre}_{n}"


def _filas(revision: Revision, titulos: dict[str, str], archivo: str
           ) -> Iterable[tuple[list, str | None, str]]:
    """Cada problema como fila de la hoja problemas, con el destino de su enlace."""
    for clase, problema in revision.problemas:
        celda = revision.celdas.get(problema)
        lugar = _ubicacion(problema, revision, titulos, archivo)
        destino = None
        if lugar is not None:
            titulo, ref = lugar
            destino = f"'{titulo.replace(chr(39), chr(39) * 2)}'!{ref}"
        hoja = problema.hoja or f"(archivo {problema.archivo})"
        yield ([
            clase,
            f"{lugar[0]}!{lugar[1]}" if lugar else "",
            hoja,
            problema.fila,
            celda.letra if celda is not None else None,
            problema.columna,
            _valor(celda),
            problema.mensaje,
        ], destino, clase)


def _valor(celda) -> str | float | None:
    """Lo que tenía la celda: un número como número; un texto, tal cual (vacía, "(vacía)")."""
    if celda is None or celda.valor is None:
        return None
    if celda.numero is not None:
        return celda.numero
    return celda.valor or "(vacía)"


def _hoja_problemas(wb, revision: Revision, archivo: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    titulos = _titulos(wb)
    for hoja in wb.worksheets:  # una sola hoja seleccionada: la de problemas
        hoja.sheet_view.tabSelected = False
    ws = wb.create_sheet(_nombre_libre(wb, HOJA_PROBLEMAS), 0)
    wb.active = 0
    ws.sheet_view.tabSelected = True

    ws.append([titulo for titulo, _ in _COLUMNAS])
    for celda in ws[1]:
        celda.font = Font(bold=True)
        celda.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    anchos = [len(titulo) + 2 for titulo, _ in _COLUMNAS]
    for n, (valores, destino, clase) in enumerate(_filas(revision, titulos, archivo), start=2):
        for j, valor in enumerate(valores, start=1):
            valor = celda_inerte(valor)
            c = ws.cell(row=n, column=j, value=valor)
            if isinstance(valor, str):
                c.data_type = "s"  # texto siempre, nunca fórmula
                anchos[j - 1] = max(anchos[j - 1], len(valor) + 2)
            elif valor is not None:
                anchos[j - 1] = max(anchos[j - 1], len(str(valor)) + 2)
        ws.cell(row=n, column=1).fill = PatternFill(
            "solid", start_color=RELLENO[clase], end_color=RELLENO[clase])
        if destino is not None:
            enlace = ws.cell(row=n, column=2)
            enlace.hyperlink = Hyperlink(ref=enlace.coordinate, location=destino)
            enlace.style = "Hyperlink"
        ws.cell(row=n, column=len(_COLUMNAS)).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
    for j, (ancho, (_, maximo)) in enumerate(zip(anchos, _COLUMNAS), start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(ancho, maximo)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_COLUMNAS))}{ws.max_row}"
    # Impresa, la lista cabe a lo ancho de una hoja horizontal, con el encabezado en cada
    # página.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _poner_marca(wb) -> None:
    from openpyxl.packaging.custom import StringProperty

    propiedades = wb.custom_doc_props
    propiedades.props = [p for p in propiedades.props if p.name != MARCA[0]]
    propiedades.append(StringProperty(name=MARCA[0], value=MARCA[1]))


def _guardar(wb, destino: Path) -> None:
    """Guarda en un temporal de la misma carpeta y lo pone en su lugar: una copia a medias
    nunca lleva el nombre de la copia."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    fd, temporal = tempfile.mkstemp(prefix=f".{destino.stem}.", suffix=destino.suffix,
                                    dir=destino.parent)
    os.close(fd)
    try:
        wb.save(temporal)
        # mkstemp crea el archivo sólo para su dueño; la copia lleva los permisos de siempre.
        mascara = os.umask(0)
        os.umask(mascara)
        os.chmod(temporal, 0o666 & ~mascara)
        os.replace(temporal, destino)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
