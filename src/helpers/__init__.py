"""informe-poa: del libro del POA a sus informes (seguimiento trimestral, rendición de cuentas,
formulación).

Dónde está cada cosa:

- `entrada/`: lectura y validación del libro (`datos`) y de los parámetros (`parametros`);
  los problemas de entrada con archivo, hoja, fila y columna (`errores`); la plantilla vacía
  del libro (`plantilla`); la revisión de un libro sin generar el informe (`revision`) y sus
  advertencias (`advertencias`: meses sin reporte, ejecución sin programación, devengado
  negativo).
- `calculo/`: la versión del POA en vigor en cada corte (`versiones`), las reglas de la
  metodología (`metodologia`), los pasos que las aplican a un corte (`pasos`) y las tablas
  de cada tipo de informe (`tablas` el trimestral, `anual` la rendición de cuentas,
  `formulacion` los formularios; `reexpresiones` compara con un informe anterior).
- `redaccion/`: cómo se dicen las cifras: frases (`textos`, `analisis`), cuadros
  (`presentacion`), gráficos (`graficos`, `paleta`), la memoria de cálculo (`memoria`,
  `ejemplos`), la versión del POA evaluada (`version_poa`), los formularios
  (`formulacion`), la identidad del documento (`identidad`) y el texto inerte (`literal`).
- `salida/`: dónde se escriben: HTML y PDF (`ensamblado`, `plantillas/`), anexo Excel
  (`anexo`, `anexo_cadena`), manifiesto y verificación (`manifiesto`, `verificacion`), la
  carpeta del informe (`carpeta_informe`); la copia marcada de un libro revisado
  (`libro_revisado`).
- `comun/`: lo que usan todos: meses y números en castellano (`calendario`, `numeros`),
  la memoria que se suelta, devuelta al sistema (`memoria`), y las fuentes del PDF y de los
  gráficos (`tipografia`, con los archivos en `comun/fuentes/`).
- `rutas`: dónde están los cuadernos, el código que se huella y la base de las rutas
  relativas, en una copia del proyecto o instalado como paquete.
- `tipos`: los tipos de informe (trimestral, anual, formulacion) y sus secciones; `informe`: el
  ejecutor; `ejecucion`: un cuaderno ejecutado con papermill en un kernel; `aparte`: un
  paso en otro proceso mientras este sigue (la auditoría, el anexo); `lote`: los
  informes de muchas entidades y su consolidado; `codigos`: los códigos de salida;
  `preparacion`: lo que abre cada sección; `rutas`: las carpetas del proyecto.
- `cli`: la línea de órdenes `informe-poa` (también `python -m helpers`); `consola`: cómo se
  ve en la terminal (avance por sección, resumen final).
"""

import sys as _sys

# jsonschema, que cargan nbformat y papermill, registra al importarse el formato «iri» con
# rfc3987-syntax, que arma decenas de gramáticas Lark: de 3 a 4 s en cada proceso que abre un
# cuaderno (el ejecutor, la página de auditoría en paralelo, cada trabajador de un lote).
# Ningún esquema de cuadernos usa ese formato, y sin el módulo jsonschema sólo deja de
# registrarlo. Marcado como ausente antes de que nadie lo importe; si ya se importó, queda.
_sys.modules.setdefault("rfc3987_syntax", None)
