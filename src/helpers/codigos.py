"""Los códigos de salida de `informe-poa` y de sus órdenes (docs/guia-de-uso.md): todo bien,
una falla, un error en los datos o los parámetros de entrada, o la corrida interrumpida."""

EXITO, FALLA, ERROR_DE_ENTRADA, INTERRUMPIDA = 0, 1, 2, 130
