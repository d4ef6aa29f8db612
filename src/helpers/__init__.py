"""informe-poa: del libro del POA a sus informes (seguimiento trimestral, rendición de cuentas,
formulación).

Las capas, de abajo arriba; cada una importa sólo las de abajo (`make lint` lo comprueba):

- `comun/`: lo que usan todos: meses, números, texto inerte, fuentes;
- `entrada/`: el libro y los parámetros, leídos y validados;
- `calculo/`: cada cifra, con las reglas de la metodología;
- `redaccion/`: cómo se dicen las cifras (frases, cuadros, gráficos);
- `preparacion`: lo que abren las secciones, guardado en la carpeta del informe;
- `salida/`: dónde se escriben (HTML, PDF, anexo, manifiesto, carpeta del informe);
- `informe` (el ejecutor), `consola`, `lote` y `cli` (la orden `informe-poa`).

Fuera de las capas: `rutas`, `tipos`, `codigos`, `aparte`, `ejecucion` (con
`ipykernel_sin_depurador`, el programa de sus kernels) y `precarga`. Cada módulo, con lo que
hace, y dónde cambiar qué: docs/arquitectura.md.
"""

import sys as _sys

# jsonschema, que cargan nbformat y papermill, registra al importarse el formato «iri» con
# rfc3987-syntax, que arma decenas de gramáticas Lark: de 3 a 4 s en cada proceso que abre un
# cuaderno (el ejecutor, la página de auditoría en paralelo, cada trabajador de un lote).
# Ningún esquema de cuadernos usa ese formato, y sin el módulo jsonschema sólo deja de
# registrarlo. Marcado como ausente antes de que nadie lo importe; si ya se importó, queda.
_sys.modules.setdefault("rfc3987_syntax", None)
