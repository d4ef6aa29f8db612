"""La carpeta de una entidad nueva (`informe-poa nuevo CARPETA --entidad ... --sigla ...`): lo
que hace falta para sus primeros informes, sin nada de la muestra.

Escribe en CARPETA:

- `poa_<gestión>.xlsx`: la plantilla del libro del POA (`entrada.plantilla`), con los años de
  la gestión en su fila de ejemplo;
- un archivo de parámetros por tipo de informe (`entrada.parametros_en_blanco`), que corre tal
  como sale: `<gestión>-T1.yaml`, `<gestión>-anual.yaml`, `<gestión>-formulacion.yaml`;
- `LEEME.md`: qué es cada archivo y los tres pasos hasta el primer informe.

Las rutas de esos parámetros son relativas a su carpeta (`entrada.parametros.raiz_de`): la
carpeta se puede mover entera. Por eso CARPETA no puede estar dentro de la copia del proyecto
(allí las rutas se leen desde su raíz, y los datos de la entidad se mezclarían con el
programa), ni ser una carpeta que ya tiene algo; ningún archivo se reemplaza. Lo que no se
puede hacer es un `PedidoNoValido`, con lo que hay que hacer; si la escritura falla a mitad,
se borra lo escrito.
"""
from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers.comun.literal import markdown
from helpers.entrada.parametros import Parametros
from helpers.entrada.parametros_en_blanco import (
    CARPETA_INFORMES,
    archivo_de_parametros,
    texto_de_parametros,
)
from helpers.entrada.plantilla import HOJA_INSTRUCCIONES, escribir_plantilla
from helpers.rutas import EN_COPIA_DEL_PROYECTO, MEMBRETE, RAIZ

__all__ = ["LEEME", "CarpetaNueva", "PedidoNoValido", "escribir_entidad_nueva",
           "nombre_del_libro", "texto_del_leeme"]

LEEME = "LEEME.md"


class PedidoNoValido(ValueError):
    """La carpeta o los datos de la entidad no sirven; el mensaje dice por qué y qué hacer."""


@dataclass(frozen=True)
class CarpetaNueva:
    """Lo que escribió `escribir_entidad_nueva`: el libro, los parámetros de cada tipo de
    informe (nombre del tipo → archivo; el trimestral primero) y el LEEME."""

    carpeta: Path
    libro: Path
    parametros: dict[str, Path]
    leeme: Path

    @property
    def archivos(self) -> list[Path]:
        """Todos, en el orden en que los nombra el LEEME."""
        return [self.libro, *self.parametros.values(), self.leeme]


def nombre_del_libro(gestion: int) -> str:
    """'poa_2025.xlsx': el nombre del libro de la gestión, como en la guía de uso."""
    return f"poa_{gestion}.xlsx"


def escribir_entidad_nueva(carpeta: str | Path, *, entidad: str, sigla: str,
                           gestion: int | None = None) -> CarpetaNueva:
    """Escribe la carpeta de la entidad `entidad` (`sigla`) para la gestión `gestion` (por
    omisión, la del año en curso). `PedidoNoValido` si no se puede (nada queda escrito);
    `OSError` si el sistema no deja escribir (lo escrito se borra)."""
    from helpers.entrada import tipos

    nombre = _una_linea(entidad, "el nombre de la entidad")
    sigla = _una_linea(sigla, "la sigla de la entidad")
    gestion = dt.date.today().year if gestion is None else gestion
    _comprobar_gestion(gestion)
    carpeta = Path(os.path.abspath(Path(carpeta).expanduser()))
    _comprobar_carpeta(carpeta, gestion)
    creada = not carpeta.exists()
    carpeta.mkdir(parents=True, exist_ok=True)
    libro = nombre_del_libro(gestion)
    # El trimestral primero: es el primer informe de la gestión; los demás de un trimestre
    # (el avance por objetivo), después, y los de la gestión al final.
    informes = sorted((tipos.tipo(n) for n in tipos.nombres()),
                      key=lambda t: (t.periodo != "trimestre", t.nombre != "trimestral",
                                     t.nombre))
    escritos: list[Path] = []
    try:
        escritos.append(escribir_plantilla(carpeta / libro, gestion=gestion))
        for tipo in informes:
            texto = texto_de_parametros(tipo, nombre=nombre, sigla=sigla, gestion=gestion,
                                        libro=libro)
            escritos.append(_escribir(carpeta / archivo_de_parametros(tipo, gestion), texto))
        escritos.append(_escribir(carpeta / LEEME, texto_del_leeme(
            informes, nombre=nombre, sigla=sigla, gestion=gestion)))
    except BaseException:
        for ruta in escritos:
            ruta.unlink(missing_ok=True)
        if creada and not any(carpeta.iterdir()):
            carpeta.rmdir()
        raise
    return CarpetaNueva(carpeta, escritos[0],
                        {t.nombre: r for t, r in zip(informes, escritos[1:-1])}, escritos[-1])


def _una_linea(valor: str, que: str) -> str:
    """`valor` sin espacios a los lados; `PedidoNoValido` si queda vacío o trae caracteres de
    control (un salto de línea partiría el comentario o el título en que va)."""
    texto = (valor or "").strip()
    if not texto:
        raise PedidoNoValido(f"falta {que}: escríbalo entre comillas")
    if any(unicodedata.category(c) == "Cc" for c in texto):
        raise PedidoNoValido(f"{que} «{texto!r}» trae saltos de línea o caracteres de control: "
                             "escríbalo en una sola línea")
    return texto


def _comprobar_gestion(gestion: int) -> None:
    campo = Parametros.model_fields["gestion"]
    desde = next(m.ge for m in campo.metadata if getattr(m, "ge", None) is not None)
    hasta = next(m.le for m in campo.metadata if getattr(m, "le", None) is not None)
    if not desde <= gestion <= hasta:
        raise PedidoNoValido(f"la gestión {gestion} no es válida: escriba el año, de {desde} "
                             f"a {hasta}")


def _comprobar_carpeta(carpeta: Path, gestion: int) -> None:
    """`PedidoNoValido` si `carpeta` (absoluta) está dentro de la copia del proyecto, es un
    archivo o es una carpeta que ya tiene algo."""
    if EN_COPIA_DEL_PROYECTO and _dentro(carpeta, RAIZ):
        raise PedidoNoValido(
            f"{carpeta} está dentro de la carpeta del proyecto ({RAIZ}): la carpeta de una "
            "entidad va fuera de ella, para que sus datos no se mezclen con el programa y sus "
            f"rutas se lean desde ella misma; elija otra, como ~/POA{gestion}")
    if carpeta.exists() and not carpeta.is_dir():
        raise PedidoNoValido(f"{carpeta} es un archivo, no una carpeta: elija otra ruta")
    if carpeta.is_dir() and any(carpeta.iterdir()):
        raise PedidoNoValido(f"la carpeta {carpeta} ya tiene archivos, y aquí no se reemplaza "
                             "nada: elija una carpeta nueva o vacía")


def _dentro(carpeta: Path, raiz: Path) -> bool:
    # También por enlaces simbólicos: la carpeta real, y la de la raíz.
    return any(c == r or c.is_relative_to(r)
               for c, r in ((carpeta, Path(os.path.abspath(raiz))),
                            (carpeta.resolve(), raiz.resolve())))


def _escribir(ruta: Path, texto: str) -> Path:
    # "x": nunca reemplaza un archivo, ni uno que otro proceso creó mientras tanto.
    with ruta.open("x", encoding="utf-8", newline="\n") as archivo:
        archivo.write(texto)
    return ruta


# El membrete de Word que `informe-poa nuevo` escribe junto a esta carpeta (lo escribe la
# orden, que lo toma de `helpers.salida.word.membrete`: aquí sólo se nombra).


def texto_del_leeme(informes, *, nombre: str, sigla: str, gestion: int) -> str:
    """El LEEME de la carpeta: qué es cada archivo y los tres pasos hasta el primer informe.
    `informes`: los tipos de informe (`helpers.entrada.tipos.TipoDeInforme`) con parámetros en la
    carpeta; el primero, el de los pasos."""
    libro = nombre_del_libro(gestion)
    trimestral = informes[0]
    primero = archivo_de_parametros(trimestral, gestion)
    filas = [f"| `{libro}` | la plantilla del libro del POA {gestion}: una hoja por tabla, "
             f"con listas desplegables y una fila de ejemplo; la hoja `{HOJA_INSTRUCCIONES}` "
             "explica cada columna |"]
    filas += [f"| `{archivo_de_parametros(t, gestion)}` | los parámetros de «{t.titulo}» |"
              for t in informes]
    lineas = [
        f"# {markdown(nombre)} ({markdown(sigla)}): POA {gestion}",
        "",
        "Esta carpeta la escribió `informe-poa nuevo`: lo necesario para los informes del POA "
        "de la entidad. Los informes quedan en la carpeta "
        f"`{CARPETA_INFORMES}/`.",
        "",
        "| archivo | qué es |",
        "|---|---|",
        *filas,
        "",
        "## Tres pasos hasta el primer informe",
        "",
        f"1. **Llene el libro** `{libro}` en Excel o LibreOffice. Borre en cada hoja la fila 2, "
        "la de ejemplo (en gris, con códigos que empiezan con EJEMPLO). Para un informe "
        "trimestral bastan las hojas unidades, acp, operaciones y presupuesto.",
        "2. **Revíselo** con los parámetros, en una terminal abierta en esta carpeta:",
        "",
        "   ```bash",
        f"   informe-poa validar {primero}",
        "   ```",
        "",
        "   La revisión lista los errores (hay que corregirlos) y las advertencias, cada uno "
        "con su hoja, fila y columna, y escribe junto al libro una copia con las celdas "
        "marcadas. Corrija el libro y repita hasta que diga «ningún error».",
        "3. **Genere el informe**:",
        "",
        "   ```bash",
        f"   informe-poa {trimestral.nombre} {primero}",
        "   ```",
        "",
        "   El informe (PDF, HTML, anexo Excel y tablas) queda en "
        f"`{CARPETA_INFORMES}/`.",
        "",
        "## Los parámetros",
        "",
        "Cada archivo `.yaml` corre tal como está. Sus claves comentadas (con `# ` al comienzo) "
        "son opcionales: misión, visión, marco normativo, unidad de planificación, CITE, "
        "firmas, fuentes, el nombre del nivel que agrupa las áreas, las reglas de cálculo. Para "
        "usar una, quite el `# ` de sus líneas y de la de su grupo y escriba el texto de la "
        "entidad en lugar del de relleno (entre `<` y `>`); la revisión advierte del relleno "
        "que quede. Para otro trimestre, copie "
        f"`{primero}` con otro nombre y cambie su trimestre y su salida.",
        "",
        "## El informe en Word",
        "",
        "Cada informe deja también `informe.docx`, para editar el texto en Word. "
        f"`{MEMBRETE}` (si la orden lo escribió) es el membrete neutro del que toma sus "
        "estilos, su cabecera y su pie: ábralo en Word, ponga el logo y el nombre de la "
        "entidad en la cabecera, cambie los estilos y guárdelo; después quite el `# ` de "
        f"`plantilla_word: {MEMBRETE}` (y de `identificacion:`) en los parámetros.",
        "",
        "Las rutas de los parámetros (`datos`, `salida`) se leen desde esta carpeta: se puede "
        "mover o copiar entera. Todo lo demás está en la guía de uso del programa "
        "(`docs/guia-de-uso.md` en la carpeta del proyecto).",
    ]
    return "\n".join(lineas) + "\n"
