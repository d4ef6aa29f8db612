"""Texto de los datos, tal cual: las reglas con que el texto del libro o de los parámetros
entra en cada medio del informe sin que ese medio lo interprete.

El texto se escapa donde entra en un medio, no se filtra después: un nombre de área, un
código, una frase de la hoja narrativa o la sigla de la entidad se leen como texto en todos
los medios, con las marcas que traigan a la vista (``<b>``, ``**``, ``[x](http://...)``,
``$x^2$``, ``=SUMA(...)``).

- Markdown (``markdown``): lo que muestran ``display(Markdown(...))`` en los cuadernos,
  nbconvert (mistune) en el HTML y el PDF, y JupyterLab (marked y MathJax) al revisarlos.
- Hoja de cálculo (``celda``): las celdas de texto de ``tablas/*.csv``; ``texto_de_celda``
  devuelve el texto original al leerlas.

El HTML que arma ``helpers.redaccion.presentacion`` escapa con ``html.escape``; los gráficos no
interpretan ``$...$`` (``"text.parse_math": False`` en ``helpers.redaccion.graficos``); el anexo
Excel guarda todo texto como texto (tipo ``s``, con prefijo de comilla, ``helpers.salida.anexo``).
"""
from __future__ import annotations

import re
import string
import unicodedata

__all__ = ["CLASE_SIN_MATEMATICA", "PREFIJOS_FORMULA", "celda", "markdown", "texto_de_celda"]

# Clase que MathJax (el de JupyterLab, versión 3) no recorre: lo que va dentro no se compone
# como fórmula aunque traiga $...$, \(...\) o \begin{...}.
CLASE_SIN_MATEMATICA = "mathjax_ignore"

# Cortes de línea (los de CommonMark, más los de Unicode) y tabuladores: un espacio.
_SALTOS = re.compile(r"\r\n|[\t\n\v\f\r\x85\u2028\u2029]")
_PUNTUACION = frozenset(string.punctuation)  # los 32 signos ASCII que Markdown puede leer
_BARRA_INVERSA = "&#92;"

# Inicios de una celda de texto que una hoja de cálculo lee como fórmula o comando (OWASP,
# «CSV injection»): igual, más, menos, arroba, tabulador y retorno de carro.
PREFIJOS_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def markdown(valor: object) -> str:
    """Fragmento de Markdown que se lee exactamente como ``valor`` (un texto de los datos),
    para ponerlo dentro de una frase, un título o un elemento de lista.

    Reglas, en este orden:

    1. Los cortes de línea (``\\r\\n``, ``\\r``, ``\\n``, U+2028, U+2029, U+0085), el
       tabulador y los saltos de página son un espacio, y los demás caracteres de control se
       quitan: el fragmento es una sola línea y no puede empezar otro bloque (título, lista,
       cita, tabla, código). Se quitan también los espacios de los extremos (en HTML no se
       ven) para que un fragmento al principio de una línea no sea código sangrado.
    2. Cada signo de puntuación ASCII (``!"#$%&'()*+,-./:;<=>?@[]^_`{|}~``) lleva delante una
       barra inversa, el escape de CommonMark: no hay énfasis, enlaces, imágenes, código,
       tablas, tachado, autoenlaces (``http\\://``, ``www\\.``, ``a\\@b``), etiquetas ni
       entidades HTML (``\\<``, ``\\&amp;`` se leen ``<`` y ``&amp;``), ni fórmulas
       (``\\$``). Excepción: el guion bajo entre dos letras o cifras (``AREA_NORTE``)
       queda como está, porque CommonMark nunca lo lee como énfasis.
    3. La barra inversa misma es la referencia numérica ``&#92;``: así ni mistune ni el
       separador de fórmulas de JupyterLab (que busca ``\\\\(``, ``\\begin{``) la ven.
    4. Si el texto trae ``$`` o ``\\``, el fragmento va dentro de
       ``<span class="mathjax_ignore">``: JupyterLab pasa el HTML del Markdown por MathJax,
       que en el texto ya convertido volvería a encontrar ``$x$`` o ``\\(x\\)``; esa clase lo
       impide. En el informe no hay MathJax: nbconvert, que al incrustar imágenes analiza
       cada etiqueta HTML del Markdown por separado, deja el ``<span>`` vacío delante del
       texto, y ``helpers.salida.ensamblado`` lo quita.

    Un texto sin signos ni controles vuelve igual (salvo los espacios de los extremos).
    ``None`` es el texto vacío; cualquier otro valor se convierte con ``str``.
    """
    if valor is None:
        return ""
    texto = _SALTOS.sub(" ", str(valor))
    texto = "".join(c for c in texto if unicodedata.category(c) != "Cc").strip()
    partes = []
    for i, c in enumerate(texto):
        if c == "\\":
            partes.append(_BARRA_INVERSA)
        elif c == "_" and _entre_palabras(texto, i):
            partes.append(c)
        elif c in _PUNTUACION:
            partes.append("\\" + c)
        else:
            partes.append(c)
    fragmento = "".join(partes)
    if "$" in texto or "\\" in texto:
        fragmento = f'<span class="{CLASE_SIN_MATEMATICA}">{fragmento}</span>'
    return fragmento


def _entre_palabras(texto: str, i: int) -> bool:
    return 0 < i < len(texto) - 1 and texto[i - 1].isalnum() and texto[i + 1].isalnum()


def _con_prefijo(texto: str) -> bool:
    # Los apóstrofos del comienzo no cuentan: así "'=x" también lleva prefijo ("''=x") y
    # `texto_de_celda` sabe siempre si el primer apóstrofo es el prefijo.
    return texto.lstrip("'").startswith(PREFIJOS_FORMULA)


def celda(valor: object) -> object:
    """Una celda de texto para una hoja de cálculo (CSV que se abre en Excel o LibreOffice).

    Regla del prefijo: un texto que empieza con ``=``, ``+``, ``-``, ``@``, tabulador o
    retorno de carro lleva delante un apóstrofo (``'=1+1``, ``'-2``, ``'@A1``), que la hoja
    de cálculo muestra como texto en lugar de evaluarlo como fórmula. También lo lleva el
    que empieza con apóstrofos seguidos de uno de esos caracteres (``'=x`` -> ``''=x``): así
    la regla se deshace sin ambigüedad (``texto_de_celda``). Los demás textos, también los
    que empiezan con un apóstrofo seguido de otra cosa (``'ya citado``), quedan igual.

    Sólo cambia textos (``str``); números, fechas, vacíos y demás valores vuelven igual, de
    modo que un número negativo no lleva apóstrofo.
    """
    if isinstance(valor, str) and _con_prefijo(valor):
        return "'" + valor
    return valor


def texto_de_celda(valor: object) -> object:
    """El inverso exacto de ``celda``: ``texto_de_celda(celda(x)) == x`` para todo texto.

    Quita el apóstrofo que puso la regla del prefijo (el primero, si tras los apóstrofos
    del comienzo viene ``=``, ``+``, ``-``, ``@``, tabulador o retorno de carro); los demás
    valores vuelven igual.
    """
    if isinstance(valor, str) and valor.startswith("'") and _con_prefijo(valor):
        return valor[1:]
    return valor
