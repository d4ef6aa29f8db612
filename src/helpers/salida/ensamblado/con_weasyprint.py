"""El ensamblado con WeasyPrint ya cargado: importar este módulo importa
`helpers.salida.ensamblado` y carga WeasyPrint como lo carga quien compone
(`salida.pdf.cargar_weasyprint`: con las fuentes del proyecto y sin buscar sus bibliotecas).

Es para el servidor de bifurcación de los procesos de ayuda (`residente.procesos.PRECARGA`),
que sólo importa módulos por su nombre: el compositor que nace de él (un fork) ya lo tiene
cargado y lo comparte con él, en lugar de cargar su propia copia. Así, en el servidor
residente, el compositor que espera la corrida siguiente ocupa unos 6 MB propios y no 45.
"""
import helpers.salida.ensamblado  # noqa: F401 - el ensamblado entero (nbconvert, el compositor)
from helpers.salida.pdf import cargar_weasyprint

cargar_weasyprint()
