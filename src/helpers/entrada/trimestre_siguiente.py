"""Los parámetros del trimestre siguiente, desde los de un trimestre: «Nuevo trimestre» en la
página.

Se copia el archivo entero, con sus comentarios, y se cambia en su lugar
(`parametros_en_formulario.Documento.con_cambios`) sólo lo que es del periodo:

- `trimestre`: el siguiente (del cuarto no hay siguiente: la gestión nueva es otra entidad
  de parámetros, `informe-poa nuevo`);
- `salida`: si el archivo la dice, la carpeta hermana con la etiqueta del trimestre nuevo
  (`informes/2024-T1` → `informes/2024-T2`); sin ella, la de omisión ya es la del periodo;
- `informe_anterior`: la carpeta del informe del trimestre de origen, para que el informe
  nuevo liste las cifras de aquél que cambiaron (en los tipos que lo usan);
- las fechas que no pueden ser anteriores al corte nuevo (`identificacion.fecha_emision`,
  `recepcion.plazo`): si lo son, la que proponen los archivos en blanco (la fecha de corte
  para la emisión, y `DIAS_DE_PLAZO` después para el plazo de los formularios).

El archivo nuevo va junto al de origen, con su nombre y el trimestre cambiado (`2024-T1.yaml`
→ `2024-T2.yaml`); si ya existe, no se reemplaza.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from helpers.comun.calendario import TRIMESTRES, cierre_de_mes
from helpers.entrada import parametros_en_formulario as pf
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import Parametros, cargar_parametros
from helpers.entrada.recepcion import plazo_de_ejemplo

__all__ = ["TrimestreNoValido", "escribir_trimestre_siguiente", "nombre_siguiente",
           "trimestre_siguiente"]


class TrimestreNoValido(ValueError):
    """No se puede escribir el trimestre siguiente: el mensaje dice por qué y qué hacer."""


def nombre_siguiente(ruta: Path, parametros: Parametros) -> Path:
    """El archivo del trimestre siguiente, junto a `ruta`: su nombre con la etiqueta del
    trimestre cambiada ('2024-T1.yaml' → '2024-T2.yaml', 'MRE-T1.yaml' → 'MRE-T2.yaml'); si
    el nombre no la dice, la etiqueta nueva ('2024-T2.yaml')."""
    actual, nuevo = parametros.trimestre, parametros.trimestre + 1
    etiqueta = parametros.tipo.etiqueta(parametros.gestion, actual, None)
    siguiente = parametros.tipo.etiqueta(parametros.gestion, nuevo, None)
    if etiqueta in ruta.stem:
        return ruta.with_name(ruta.stem.replace(etiqueta, siguiente) + ruta.suffix)
    marca = re.compile(rf"(?<![A-Za-z0-9])([Tt]){actual}(?![0-9])")
    if len(marca.findall(ruta.stem)) == 1:
        return ruta.with_name(marca.sub(rf"\g<1>{nuevo}", ruta.stem) + ruta.suffix)
    return ruta.with_name(f"{siguiente}{ruta.suffix}")


def _comprobar(parametros: Parametros) -> None:
    if parametros.tipo.periodo != "trimestre":
        raise TrimestreNoValido(
            f"los parámetros son de un informe «{parametros.informe}», que no es de un "
            "trimestre: el trimestre siguiente sólo se escribe desde los de un trimestre")
    if parametros.trimestre >= max(TRIMESTRES):
        raise TrimestreNoValido(
            f"el {TRIMESTRES[parametros.trimestre]} trimestre es el último de la gestión "
            f"{parametros.gestion}: para la gestión siguiente, cree la carpeta de la entidad "
            "para esa gestión (paso «Entidad», o informe-poa nuevo)")


def trimestre_siguiente(ruta: Path) -> pf.Documento:
    """Los parámetros del trimestre que sigue al de `ruta`, como documento que se guardará
    en `nombre_siguiente` (todavía no escrito). `ErrorDeEntrada` si los parámetros de `ruta`
    tienen errores; `TrimestreNoValido` si no son de un trimestre o son del cuarto."""
    ruta = Path(ruta)
    parametros = cargar_parametros(ruta)
    _comprobar(parametros)
    documento = pf.abrir(ruta)
    valores = documento.valores()
    nuevo = parametros.trimestre + 1
    anterior = parametros.tipo.etiqueta(parametros.gestion, parametros.trimestre, None)
    siguiente = parametros.tipo.etiqueta(parametros.gestion, nuevo, None)
    cambios: dict[str, object] = {"trimestre": nuevo}
    salida = valores["salida"]
    if isinstance(salida, str) and salida.strip():
        # La carpeta hermana, con la etiqueta nueva (si terminaba en la vieja, es lo mismo
        # que hace el formulario al cambiar el trimestre).
        cambios["salida"] = str(PurePosixPath(salida.replace("\\", "/")).parent / siguiente)
    if parametros.informe in pf.campo("informe_anterior").informes:
        # Sin `salida`, el informe anterior está en la carpeta de omisión
        # (`Parametros.carpeta_salida`: output/<etiqueta>, desde la raíz de los parámetros).
        cambios["informe_anterior"] = (salida.strip() if isinstance(salida, str)
                                       and salida.strip() else f"output/{anterior}")
    corte = cierre_de_mes(parametros.gestion, 3 * nuevo)
    emision = valores["identificacion.fecha_emision"]
    if emision is not None and emision < corte:
        cambios["identificacion.fecha_emision"] = corte
    plazo = valores["recepcion.plazo"]
    if plazo is not None and plazo < corte:
        cambios["recepcion.plazo"] = plazo_de_ejemplo(corte)
    texto = _cabecera(documento.con_cambios(cambios).texto, parametros.trimestre)
    return pf.Documento(texto, nombre_siguiente(ruta, parametros))


def _cabecera(texto: str, trimestre: int) -> str:
    """`texto` con el trimestre que nombran los comentarios del comienzo (la cabecera de un
    archivo en blanco: «..., gestión 2025, primer trimestre.», aunque el renglón se corte
    entre las dos palabras) cambiado por el siguiente."""
    lineas = texto.splitlines(keepends=True)
    fin = next((i for i, linea in enumerate(lineas) if not linea.lstrip().startswith("#")),
               len(lineas))
    cabecera = "".join(lineas[:fin])
    cabecera = re.sub(rf"\b{TRIMESTRES[trimestre]}(\s*\n#\s*|\s+)trimestre\b",
                      rf"{TRIMESTRES[trimestre + 1]}\g<1>trimestre", cabecera)
    return cabecera + "".join(lineas[fin:])


def escribir_trimestre_siguiente(ruta: Path) -> pf.Documento:
    """Escribe los parámetros del trimestre siguiente al de `ruta` junto a él y los
    devuelve. `TrimestreNoValido` si el archivo ya existe (no se reemplaza) o si el nuevo
    tendría errores; lo demás, como `trimestre_siguiente`."""
    documento = trimestre_siguiente(ruta)
    if documento.ruta.exists():
        raise TrimestreNoValido(
            f"ya existe {documento.ruta.name} junto a {Path(ruta).name}: ábralo en la lista de "
            "parámetros (no se reemplaza)")
    validacion = documento.validar()
    if not validacion.valido:
        raise ErrorDeEntrada(list(validacion.errores))
    with open(documento.ruta, "x", encoding="utf-8", newline="") as archivo:
        archivo.write(documento.texto)
    return documento
