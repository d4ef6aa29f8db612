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
  para la emisión, y `DIAS_DE_PLAZO` después para el plazo de los formularios);
- lo que los comentarios dicen del periodo: en la cabecera, el trimestre en palabras o en
  cifra, la etiqueta y la fecha de corte; en los demás, la etiqueta y la fecha de corte
  (`_comentarios_del_periodo`).

El archivo nuevo va junto al de origen, con su nombre y el trimestre cambiado (`2024-T1.yaml`
→ `2024-T2.yaml`); si ya existe, no se reemplaza.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import yaml

from helpers.comun.calendario import TRIMESTRES, cierre_de_mes, nombre_mes
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
    texto = _comentarios_del_periodo(documento.con_cambios(cambios).texto, parametros)
    return pf.Documento(texto, nombre_siguiente(ruta, parametros))


def _comentarios_del_periodo(texto: str, parametros: Parametros) -> str:
    """`texto` con el periodo que nombran sus comentarios cambiado por el siguiente. En la
    cabecera (los comentarios del comienzo), el trimestre en palabras («primer trimestre»,
    aunque el renglón se corte entre las dos), en cifra («trimestre 1», «T1»), la etiqueta
    («2024-T1») y la fecha de corte, y lo mismo en el comentario de la clave `trimestre`; en
    los demás comentarios, sólo la etiqueta y la fecha de corte (un comentario que explica
    los trimestres en general no cambia). Si el texto
    resultante no se leyera igual (un # dentro de un valor), quedan los comentarios de
    antes."""
    sustituir_todo, sustituir_marcas = _sustituciones(parametros)
    lineas = texto.splitlines(keepends=True)
    fin = next((i for i, linea in enumerate(lineas) if not linea.lstrip().startswith("#")),
               len(lineas))
    cuerpo = []
    for linea in lineas[fin:]:
        valor, comentario = _partir_comentario(linea.rstrip("\r\n"))
        # El comentario de la clave `trimestre` habla de su valor: se cambia entero.
        sustituir = sustituir_todo if valor.startswith("trimestre:") else sustituir_marcas
        cuerpo.append(valor + sustituir(comentario) + linea[len(linea.rstrip("\r\n")):])
    nuevo = sustituir_todo("".join(lineas[:fin])) + "".join(cuerpo)
    try:
        igual = yaml.safe_load(nuevo) == yaml.safe_load(texto)
    except yaml.YAMLError:
        igual = False
    return nuevo if igual else texto


def _partir_comentario(linea: str) -> tuple[str, str]:
    """(lo que no es comentario, el comentario del final) de un renglón de YAML sin su fin
    de línea: el comentario empieza en un # después de un espacio, fuera de comillas. (Un
    renglón de un bloque o de un texto entre comillas de varios renglones puede parecer
    comentario: lo descubre la comparación de `_comentarios_del_periodo`.)"""
    comilla = None
    escapado = False
    for i, caracter in enumerate(linea):
        if comilla:
            if escapado:
                escapado = False
            elif caracter == "\\" and comilla == '"':
                escapado = True
            elif caracter == comilla:
                comilla = None
        elif caracter in "'\"" and (i == 0 or linea[i - 1] in " \t:-[{,"):
            comilla = caracter
        elif caracter == "#" and (i == 0 or linea[i - 1] in " \t"):
            return linea[:i], linea[i:]
    return linea, ""


def _sustituciones(parametros: Parametros):
    """(la de la cabecera, la de los demás comentarios): ver `_comentarios_del_periodo`."""
    trimestre, gestion = parametros.trimestre, parametros.gestion
    nuevo = trimestre + 1
    anterior = parametros.tipo.etiqueta(gestion, trimestre, None)
    siguiente = parametros.tipo.etiqueta(gestion, nuevo, None)
    cortes = [_formas_de_fecha(cierre_de_mes(gestion, 3 * t)) for t in (trimestre, nuevo)]
    palabra = re.compile(rf"\b({TRIMESTRES[trimestre]})(\s*\n\s*#\s*|\s+)(trimestre)\b",
                         re.IGNORECASE)
    cifra = re.compile(rf"\b(trimestre\s+){trimestre}\b", re.IGNORECASE)
    marca = re.compile(rf"(?<![\w-])([Tt]){trimestre}(?![0-9])")

    def sustituir_marcas(texto: str) -> str:
        texto = texto.replace(anterior, siguiente)
        for vieja, nueva in zip(*cortes):
            texto = texto.replace(vieja, nueva)
        return texto

    def sustituir_todo(texto: str) -> str:
        texto = palabra.sub(lambda m: _como(m[1], TRIMESTRES[nuevo]) + m[2] + m[3],
                            sustituir_marcas(texto))
        return marca.sub(rf"\g<1>{nuevo}", cifra.sub(rf"\g<1>{nuevo}", texto))

    return sustituir_todo, sustituir_marcas


def _formas_de_fecha(fecha) -> list[str]:
    """Cómo puede escribir un comentario la fecha de corte: 31/03/2024, 2024-03-31 y «31 de
    marzo de 2024»."""
    return [f"{fecha:%d/%m/%Y}", fecha.isoformat(),
            f"{fecha.day} de {nombre_mes(fecha.month)} de {fecha.year}"]


def _como(original: str, texto: str) -> str:
    """`texto` con mayúscula inicial si `original` la tiene."""
    return texto[:1].upper() + texto[1:] if original[:1].isupper() else texto


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
