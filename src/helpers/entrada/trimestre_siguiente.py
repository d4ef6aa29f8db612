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
- lo que los comentarios dicen del periodo («primer trimestre», «trimestre 1», «T1»,
  «2024-T1»), salvo los de `informe_anterior`, que hablan del de origen.

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
    texto = _comentarios_del_periodo(documento.con_cambios(cambios).texto,
                                     parametros.trimestre, anterior, siguiente)
    return pf.Documento(texto, nombre_siguiente(ruta, parametros))


def _comentarios_del_periodo(texto: str, trimestre: int, anterior: str, siguiente: str) -> str:
    """`texto` con el periodo que nombran sus comentarios cambiado por el siguiente: el
    trimestre en palabras («primer trimestre», aunque el renglón se corte entre las dos) o
    en cifra («trimestre 1», «T1») y la etiqueta (`anterior` → `siguiente`: «2024-T1»). Los
    comentarios de `informe_anterior` hablan del trimestre de origen, y el texto de un
    bloque (`clave: >-`) no es comentario: quedan como estaban."""
    sustituir = _sustitucion(trimestre, anterior, siguiente)
    resultado: list[str] = []
    grupo: list[str] = []  # renglones de comentario seguidos, aún sin escribir
    bloque: int | None = None  # la sangría de la clave de un bloque abierto
    for linea in texto.splitlines(keepends=True):
        sangria = len(linea) - len(linea.lstrip())
        if bloque is not None and (not linea.strip() or sangria > bloque):
            resultado.append(linea)
            continue
        bloque = None
        if linea.lstrip().startswith("#"):
            grupo.append(linea)
            continue
        del_anterior = linea.lstrip().startswith("informe_anterior:")
        resultado.append("".join(grupo) if del_anterior else _en_el_grupo(grupo, sustituir))
        grupo = []
        valor, comentario = _partir_comentario(linea.rstrip("\r\n"))
        resultado.append(linea if del_anterior else
                         valor + sustituir(comentario) + linea[len(linea.rstrip("\r\n")):])
        if re.search(r":\s*[|>][-+0-9]*\s*$", valor):
            bloque = sangria
    resultado.append(_en_el_grupo(grupo, sustituir))
    return "".join(resultado)


def _en_el_grupo(grupo: list[str], sustituir) -> str:
    """Los renglones de comentario de `grupo`, cambiados juntos (una frase puede seguir en
    el renglón siguiente), salvo los que nombran `informe_anterior`."""
    partes, tramo = [], []
    for linea in grupo:
        if "informe_anterior" in linea:
            partes += [sustituir("".join(tramo)), linea]
            tramo = []
        else:
            tramo.append(linea)
    return "".join(partes) + sustituir("".join(tramo))


def _partir_comentario(linea: str) -> tuple[str, str]:
    """(lo que no es comentario, el comentario del final) de un renglón de YAML sin su fin
    de línea: el comentario empieza en un # después de un espacio, fuera de comillas."""
    comilla = None
    for i, caracter in enumerate(linea):
        if comilla:
            comilla = None if caracter == comilla else comilla
        elif caracter in "'\"":
            comilla = caracter
        elif caracter == "#" and (i == 0 or linea[i - 1] in " \t"):
            return linea[:i], linea[i:]
    return linea, ""


def _sustitucion(trimestre: int, anterior: str, siguiente: str):
    nuevo = trimestre + 1
    palabra = re.compile(rf"\b({TRIMESTRES[trimestre]})(\s*\n\s*#\s*|\s+)(trimestre)\b",
                         re.IGNORECASE)
    cifra = re.compile(rf"\b(trimestre\s+){trimestre}\b", re.IGNORECASE)
    marca = re.compile(rf"(?<![A-Za-z0-9])([Tt]){trimestre}(?![0-9])")

    def con_mayuscula(original: str, texto: str) -> str:
        return texto[:1].upper() + texto[1:] if original[:1].isupper() else texto

    def sustituir(texto: str) -> str:
        texto = texto.replace(anterior, siguiente)
        texto = palabra.sub(lambda m: con_mayuscula(m[1], TRIMESTRES[nuevo]) + m[2] + m[3],
                            texto)
        texto = cifra.sub(rf"\g<1>{nuevo}", texto)
        return marca.sub(rf"\g<1>{nuevo}", texto)

    return sustituir


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
