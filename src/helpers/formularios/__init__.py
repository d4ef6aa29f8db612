"""El circuito de los formularios de las unidades, en un solo lugar: se escriben y se envían
(`envio`), vuelven llenos y se leen (`libro`, `recoleccion`), se proponen observaciones
(`observaciones`), se recogen por rondas en un libro nuevo (`rondas`, `recogida`).

Usa las capas de siempre (`entrada`, `calculo`, `salida`) y ninguna lo usa a él: está sobre
`salida` y bajo quien lo ofrece (la página, la línea de órdenes). Dentro, sus módulos tienen su
propio orden (el segundo contrato de `pyproject.toml`): lo que describe el formulario abajo y
lo que recoge arriba.
"""
